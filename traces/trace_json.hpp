// SPDX-License-Identifier: MIT
/// @file JSON traces (format "iomc-trace", version 1, docs/traces.md): written by iomc check
/// --trace-format json, read by iomc replay. Written and parsed with nlohmann-json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// The JSON text of a counterexample that `r` replayed (pretty-printed, ending with a newline).
std::string render_json(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

/// One step as read back: the ids, and what identifies it across variants.
struct StoredStep {
    std::uint32_t group = 0;
    std::uint32_t outcome = 0;
    std::string process;     ///< "client(0)"
    std::string location;    ///< "file:line" of the statement
    std::string statement;   ///< the statement text
};

/// A trace as read from a file.
struct StoredTrace {
    std::string model_file;
    std::uint64_t model_id = 0;
    std::string variant;                 ///< empty: the model declares none
    std::vector<std::string> defines;    ///< the -D texts the trace was made with
    std::string property;                ///< the violated property's name
    ViolationKind kind = ViolationKind::in_state;
    std::uint32_t check = 0;
    bool eval_error = false;
    std::vector<StoredStep> steps;
};

/// Parses a trace file's text. On failure returns nothing and sets `error` to a message that
/// starts with the position ("3:14: ...") when there is one.
std::optional<StoredTrace> parse_trace_json(const std::string& text, std::string& error);

}  // namespace iomc::traces
