// SPDX-License-Identifier: MIT
#include "checker/cli/json_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "traces/replay.hpp"

namespace iomc::cli {

namespace {

nlohmann::json trace_json(const ir::TransitionSystem& ts, const traces::Counterexample& cx) {
    nlohmann::json steps = nlohmann::json::array();
    traces::Replay r;
    if (auto err = traces::confirm(ts, cx, r)) return steps;  // cannot happen for our own traces
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        const auto& st = s.stmt != UINT32_MAX ? ts.statement(s.stmt) : ir::Statement{ts.group(s.step.group).where,
                                                                                       ts.group(s.step.group).text, ""};
        nlohmann::json j;
        j["process"] = ts.process(s.process).name;
        j["location"] = ts.sources().file_line(st.where);
        j["statement"] = st.text;
        j["group"] = ir::idx(s.step.group);
        j["outcome"] = s.step.outcome;
        nlohmann::json changed = nlohmann::json::object();
        if (!s.reports) {
            for (const auto slot : traces::changed_slots(ts, r.states[i].data(), r.states[i + 1].data()))
                changed[ts.layout().slot(slot).name] = traces::slot_value(ts, slot, r.states[i + 1].data());
        } else {
            j["reports"] = ir::format_message(ts.message(s.message), s.value);
        }
        j["changed"] = changed;
        steps.push_back(std::move(j));
    }
    return steps;
}

}  // namespace

std::string check_report_json(const ir::TransitionSystem& ts, const explore::Result& r, std::uint64_t peak_memory) {
    nlohmann::json j;
    j["model"] = ts.info().file;
    j["model_id"] = fmt::format("{:016x}", ts.model_id());
    j["variant"] = ts.info().variant.empty() ? nlohmann::json(nullptr) : nlohmann::json(ts.info().variant);
    nlohmann::json consts = nlohmann::json::object();
    for (std::size_t i = 0; i < ts.info().constants.size(); ++i) {
        const auto& [n, v] = ts.info().constants[i];
        if (i < ts.info().constant_is_bool.size() && ts.info().constant_is_bool[i])
            consts[n] = v != 0;
        else
            consts[n] = v;
    }
    j["constants"] = consts;
    j["verdict"] = explore::to_string(r.verdict);
    if (r.counterexample) {
        j["property"] = ts.property(r.counterexample->violation.property).name;
        j["violation"] = traces::describe(ts, r.counterexample->violation);
    } else {
        j["property"] = nullptr;
        j["violation"] = nullptr;
    }
    nlohmann::json props = nlohmann::json::object();
    for (const auto& p : r.properties) props[ts.property(p.property).name] = explore::to_string(p.verdict);
    j["properties"] = props;
    j["states"] = r.stats.states;
    j["transitions"] = r.stats.transitions;
    j["depth"] = r.stats.depth;
    j["seconds"] = r.stats.seconds;
    j["peak_memory_bytes"] = peak_memory;
    j["state_bytes"] = r.stats.state_bytes;
    j["reductions"] = nlohmann::json::array();
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& m : r.metrics) {
        nlohmann::json x;
        x["end_states"] = m.end_states;
        x["min"] = m.end_states ? nlohmann::json(m.min.value()) : nlohmann::json(nullptr);
        x["max"] = m.end_states ? nlohmann::json(m.max.value()) : nlohmann::json(nullptr);
        metrics[m.name] = x;
    }
    j["metrics"] = metrics;
    j["incomplete_reason"] = r.incomplete_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.incomplete_reason);
    j["trace"] = r.counterexample ? trace_json(ts, *r.counterexample) : nlohmann::json::array();
    return j.dump(2) + "\n";
}

}  // namespace iomc::cli
