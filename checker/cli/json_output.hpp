// SPDX-License-Identifier: MIT
/// @file JSON output of `iomc check --json` (one object on stdout). Field names are the CLI
/// contract of DESIGN.md; docs/cli.md documents them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "checker/cli/verdicts.hpp"
#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::cli {

/// The `reductions` array: one object per reduction that ran (docs/cli.md).
nlohmann::json reductions_json(const explore::Result& r);

/// The whole report as one JSON object (pretty-printed, ending with a newline).
/// `trace_kind` says which counterexample `trace` is: "shortest" (of the full graph), "shortest
/// of the reduced graph", "fewest-switches" or "dfs". `warnings` become the `warnings` array.
std::string check_report_json(const ir::TransitionSystem& ts, const explore::Result& r, std::uint64_t peak_memory,
                              const std::string& trace_kind, const std::vector<ResultWarning>& warnings = {});

}  // namespace iomc::cli
