// SPDX-License-Identifier: MIT
#include "checker/cli/json_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "traces/replay.hpp"
#include "traces/trace_json.hpp"

namespace iomc::cli {

namespace {

/// The steps of a counterexample, as traces/trace_json.hpp renders them (without `function`).
nlohmann::json trace_json(const ir::TransitionSystem& ts, const traces::Counterexample& cx) {
    nlohmann::json steps = nlohmann::json::array();
    traces::Replay r;
    if (auto err = traces::confirm(ts, cx, r)) return steps;  // cannot happen for our own traces
    for (std::size_t i = 0; i < r.steps.size(); ++i)
        steps.push_back(traces::step_json<nlohmann::json>(ts, r, i, false));
    return steps;
}

}  // namespace

nlohmann::json reductions_json(const explore::Result& r) {
    const auto& x = r.reductions;
    nlohmann::json out = nlohmann::json::array();
    if (x.por) {
        nlohmann::json p;
        p["name"] = "partial-order";
        p["method"] = "stubborn sets";
        p["proviso"] = x.proviso;
        p["states_expanded"] = x.por_expanded;
        p["states_reduced"] = x.por_reduced;
        p["states_widened_by_proviso"] = x.por_proviso;
        p["chains"] = x.chains;
        p["states_passed_through"] = x.por_chained;
        if (!x.wait_cycles.empty()) p["wait_cycles"] = x.wait_cycles;
        p["bool_locks"] = x.bool_locks;
        out.push_back(p);
    }
    if (x.symmetry != reduce::SymmetryMode::off) {
        nlohmann::json s;
        s["name"] = "symmetry";
        s["mode"] = reduce::to_string(x.symmetry);
        s["scalarsets"] = x.symmetric;
        s["states_not_exact"] = x.sym_heuristic;
        out.push_back(s);
    }
    return out;
}

std::string check_report_json(const ir::TransitionSystem& ts, const explore::Result& r, std::uint64_t peak_memory,
                              const std::string& trace_kind, const std::vector<ResultWarning>& warnings) {
    nlohmann::json j;
    j["model"] = ts.info().file;
    j["model_id"] = fmt::format("{:016x}", ts.model_id());
    j["variant"] = ts.info().variant.empty() ? nlohmann::json(nullptr) : nlohmann::json(ts.info().variant);
    j["constants"] = traces::constants_json<nlohmann::json>(ts.info());
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
    j["storage"] = explore::to_string(r.stats.storage);
    j["threads"] = r.stats.threads;
    j["omission_probability"] = r.stats.storage == explore::StorageKind::hash ? nlohmann::json(r.stats.omission_probability)
                                                                              : nlohmann::json(nullptr);
    j["reductions"] = reductions_json(r);
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& m : r.metrics) {
        nlohmann::json x;
        x["end_states"] = m.end_states;
        x["min"] = m.end_states ? nlohmann::json(m.min.value()) : nlohmann::json(nullptr);
        x["max"] = m.end_states ? nlohmann::json(m.max.value()) : nlohmann::json(nullptr);
        metrics[m.name] = x;
    }
    j["metrics"] = metrics;
    nlohmann::json off = nlohmann::json::array();
    if (!r.reductions.por_off.empty()) off.push_back("partial-order: " + r.reductions.por_off);
    for (const auto& a : r.reductions.asymmetric) off.push_back("symmetry: " + a);
    j["reductions_off"] = off;
    j["incomplete_reason"] = r.incomplete_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.incomplete_reason);
    j["trace"] = r.counterexample ? trace_json(ts, *r.counterexample) : nlohmann::json::array();
    j["trace_kind"] = r.counterexample ? nlohmann::json(trace_kind) : nlohmann::json(nullptr);
    nlohmann::json ws = nlohmann::json::array();
    for (const auto& w : warnings)
        ws.push_back({{"message", w.message},
                      {"location", w.location.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.location)}});
    j["warnings"] = ws;
    return j.dump(2) + "\n";
}

}  // namespace iomc::cli
