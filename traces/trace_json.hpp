// SPDX-License-Identifier: MIT
/// @file JSON traces (format "iomc-trace", version 1, docs/traces.md): written by iomc check
/// --trace-format json, read by iomc replay. Written and parsed with nlohmann-json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// Every constant of the build as a JSON object (bool constants as true/false). `Json` is
/// nlohmann::json or nlohmann::ordered_json: the check report and the trace format share this.
template <class Json>
Json constants_json(const ir::ModelInfo& info) {
    Json consts = Json::object();
    for (std::size_t i = 0; i < info.constants.size(); ++i) {
        const auto& [n, v] = info.constants[i];
        if (i < info.constant_is_bool.size() && info.constant_is_bool[i])
            consts[n] = v != 0;
        else
            consts[n] = v;
    }
    return consts;
}

/// Step i of a replayed run as JSON: process, group, outcome, location, (function,) statement,
/// and either what it reported or the variables it changed.
template <class Json>
Json step_json(const ir::TransitionSystem& ts, const Replay& r, std::size_t i, bool with_function) {
    const auto& s = r.steps[i];
    const auto& g = ts.group(s.step.group);
    const ir::Statement st = s.stmt != UINT32_MAX ? ts.statement(s.stmt) : ir::Statement{g.where, g.text, ""};
    Json js;
    js["process"] = ts.process(s.process).name;
    js["group"] = ir::idx(s.step.group);
    js["outcome"] = s.step.outcome;
    js["location"] = ts.sources().file_line(st.where);
    if (with_function) js["function"] = st.function;
    js["statement"] = st.text;
    Json changed = Json::object();
    if (s.reports) {
        js["reports"] = ir::format_message(ts.message(s.message), s.value);
    } else {
        for (const auto slot : changed_slots(ts, r.states[i].data(), r.states[i + 1].data()))
            changed[ts.layout().slot(slot).name] = slot_value(ts, slot, r.states[i + 1].data());
    }
    js["changed"] = changed;
    return js;
}

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
    std::uint32_t cycle_start = 0;       ///< lasso
    std::uint32_t trigger_at = 0;        ///< lasso
    bool strong_fairness = false;        ///< lasso: "fairness": "strong"
    bool wait_cycle = false;   ///< deadlock: a wait cycle while other processes can move
    std::vector<StoredStep> steps;
};

/// Parses a trace file's text. On failure returns nothing and sets `error` to a message that
/// starts with the position ("3:14: ...") when there is one.
std::optional<StoredTrace> parse_trace_json(const std::string& text, std::string& error);

}  // namespace iomc::traces
