// SPDX-License-Identifier: MIT
/// @file JSON output of `iomc check --json` (one object on stdout). Field names are the CLI
/// contract of DESIGN.md; docs/cli.md documents them.
#pragma once

#include <string>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::cli {

/// The whole report as one JSON object (pretty-printed, ending with a newline).
std::string check_report_json(const ir::TransitionSystem& ts, const explore::Result& r, std::uint64_t peak_memory);

}  // namespace iomc::cli
