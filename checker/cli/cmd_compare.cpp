// SPDX-License-Identifier: MIT
/// @file `iomc compare MODEL.mc`: every variant x every property in one run, as a table (or
/// JSON), and for each property that one variant violates and another keeps, the first's
/// counterexample replayed on the other (docs/cli.md#iomc-compare).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checker/cli/cmd_compare.hpp"
#include "checker/cli/cross_variant.hpp"
#include "checker/cli/exit_codes.hpp"
#include "checker/cli/json_output.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/cli/verdicts.hpp"
#include "checker/reduce/symmetry.hpp"
#include "traces/replay.hpp"

namespace iomc::cli {

namespace {

/// One variant's search.
struct VariantRun {
    std::string variant;
    std::string description;
    std::unique_ptr<ir::TransitionSystem> ts;
    explore::Result result;
    GraphFindings graph;
};

/// The reductions a variant's search used, without the counts: "partial-order (stubborn
/// sets); symmetry over types::Dev (2)", "partial-order (stubborn sets, single-step chains)".
std::string reductions_kinds(const explore::Result& r) {
    std::string out;
    if (r.reductions.por)
        out = r.reductions.chains == "on" ? "partial-order (stubborn sets, single-step chains)" : "partial-order (stubborn sets)";
    if (r.reductions.symmetry != reduce::SymmetryMode::off) {
        std::string sets;
        for (const auto& x : r.reductions.symmetric) sets += (sets.empty() ? "" : ", ") + x;
        out += (out.empty() ? "" : "; ") + fmt::format("symmetry over {}", sets);
    }
    if (!r.reductions.por_off.empty()) out += fmt::format(" (partial-order reduction off: {})", r.reductions.por_off);
    return out.empty() ? "none" : out;
}

/// A property's verdict in one variant, or nothing when the variant has no such property.
const explore::PropertyResult* cell(const VariantRun& v, const std::string& prop) {
    if (!v.ts) return nullptr;
    const auto id = v.ts->find_property(prop);
    if (!id) return nullptr;
    for (const auto& p : v.result.properties)
        if (p.property == *id) return &p;
    return nullptr;
}

std::string cell_word(const VariantRun& v, const std::string& prop) {
    if (!v.ts) return "error";
    const auto* c = cell(v, prop);
    if (!c) return "-";
    return c->verdict == explore::Verdict::incomplete ? "inc" : explore::to_string(c->verdict);
}

/// A counterexample as `iomc replay` reads it back: each step by process and statement.
traces::StoredTrace stored_form(const ir::TransitionSystem& ts, const traces::Counterexample& cx,
                                const traces::Replay& r) {
    traces::StoredTrace st;
    st.model_file = ts.info().file;
    st.model_id = ts.model_id();
    st.variant = ts.info().variant;
    st.property = ts.property(cx.violation.property).name;
    st.kind = cx.violation.kind;
    st.check = cx.violation.check;
    st.eval_error = cx.violation.eval_error;
    st.cycle_start = cx.violation.cycle_start;
    st.trigger_at = cx.violation.trigger_at;
    st.strong_fairness = cx.violation.strong_fairness;
    for (const auto& s : r.steps) {
        const auto& g = ts.group(s.step.group);
        const ir::Statement stmt = s.stmt != UINT32_MAX ? ts.statement(s.stmt) : ir::Statement{g.where, g.text, ""};
        st.steps.push_back(traces::StoredStep{ir::idx(s.step.group), s.step.outcome, ts.process(s.process).name,
                                              ts.sources().file_line(stmt.where), stmt.text});
    }
    return st;
}

/// What became of variant `from`'s counterexample on variant `on`.
struct CrossReplay {
    std::string property, from, on;
    std::size_t steps = 0;
    std::string outcome;      ///< "blocked", "keeps", "reproduces" (a soundness alarm), "error"
    std::size_t at_step = 0;  ///< blocked: the step that cannot fire (1-based)
    std::string text;         ///< the explanation, one line
};

CrossReplay cross_replay(const std::string& prop, const VariantRun& from, const traces::Counterexample& cx,
                         const VariantRun& on) {
    CrossReplay out{prop, from.variant, on.variant, cx.trace.steps.size()};
    traces::Replay r;
    if (auto err = traces::confirm(*from.ts, cx, r)) {
        out.outcome = "error";
        out.text = "internal error: the counterexample does not replay on its own variant: " + *err;
        return out;
    }
    const auto st = stored_form(*from.ts, cx, r);
    std::string why;
    auto t = translate(*on.ts, st, why);
    if (!t) {
        out.outcome = "blocked";
        // "step 24: ..." gives the step number first.
        out.at_step = static_cast<std::size_t>(std::strtoull(why.c_str() + (why.rfind("step ", 0) == 0 ? 5 : 0), nullptr, 10));
        out.text = why;
        return out;
    }
    traces::Counterexample other;
    other.trace = *t;
    other.violation = cx.violation;
    other.violation.property = *on.ts->find_property(prop);
    traces::Replay check;
    if (auto err = traces::confirm(*on.ts, other, check)) {
        out.outcome = "keeps";
        out.text = fmt::format("all {} steps fire, and the same interleaving now keeps the property: {}", st.steps.size(), *err);
        return out;
    }
    out.outcome = "reproduces";
    out.text = fmt::format("internal error; please report: all {} steps fire and the violation reproduces, but the "
                           "search found that the property holds",
                           st.steps.size());
    return out;
}

}  // namespace

int run_compare(const CompareOptions& o) {
    auto model = load_model(o.model);
    if (!model) return exit_error;
    explore::Options eo;
    if (!explorer_options(o.common, eo)) return exit_error;
    eo.stop_at_first = false;
    install_interrupt_handler();
    std::vector<VariantRun> runs;
    if (model->variants().empty()) {
        runs.push_back(VariantRun{});
    } else {
        for (const auto& v : model->variants()) runs.push_back(VariantRun{v.name, v.description, nullptr, {}});
    }
    bool errors = false;
    for (auto& v : runs) {
        v.ts = compile_model(*model, v.variant, o.common.defines);
        if (!v.ts) {
            errors = true;
            continue;
        }
        explore::Options mine = eo;
        if (!o.properties.empty() && !resolve_properties(*v.ts, o.properties, mine.properties)) return exit_error;
        // Every property, lock_order included (check runs it only when named).
        if (o.properties.empty())
            for (const auto& p : v.ts->properties()) mine.properties.push_back(p.id);
        v.result = check_all(*v.ts, mine, &v.graph, o.common.fairness == "strong");
        if (!v.graph.error.empty()) {
            std::fprintf(stderr, "%s\n", v.graph.error.c_str());
            errors = true;
            v.ts.reset();
        }
    }
    // Properties in the order of the first variant that has them.
    std::vector<std::string> props;
    for (const auto& v : runs) {
        if (!v.ts) continue;
        for (const auto& p : v.result.properties) {
            const auto& name = v.ts->property(p.property).name;
            if (std::find(props.begin(), props.end(), name) == props.end()) props.push_back(name);
        }
    }
    std::vector<CrossReplay> replays;
    for (const auto& prop : props)
        for (const auto& from : runs) {
            const auto* c = cell(from, prop);
            if (!c || c->verdict != explore::Verdict::violated || !c->counterexample) continue;
            for (const auto& on : runs) {
                const auto* k = cell(on, prop);
                if (&on == &from || !k || k->verdict != explore::Verdict::holds) continue;
                replays.push_back(cross_replay(prop, from, *c->counterexample, on));
            }
        }
    bool incomplete = false;
    for (const auto& v : runs)
        if (v.ts && v.result.verdict == explore::Verdict::incomplete) incomplete = true;
    bool alarm = false;
    for (const auto& r : replays)
        if (r.outcome == "reproduces" || r.outcome == "error") alarm = true;
    const int code = errors || alarm ? exit_error : incomplete ? exit_incomplete : exit_holds;

    if (o.json) {
        nlohmann::json j;
        j["model"] = o.model;
        j["properties"] = props;
        nlohmann::json vs = nlohmann::json::array();
        for (const auto& v : runs) {
            nlohmann::json x;
            x["variant"] = v.variant.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.variant);
            x["description"] = v.description;
            if (!v.ts) {
                x["error"] = "model error";
                vs.push_back(x);
                continue;
            }
            x["states"] = v.result.stats.states;
            x["transitions"] = v.result.stats.transitions;
            x["seconds"] = v.result.stats.seconds;
            x["incomplete_reason"] = v.result.incomplete_reason.empty() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(v.result.incomplete_reason);
            x["reductions"] = reductions_json(v.result);
            if (v.graph.ran) {
                x["whole_graph_states"] = v.graph.states;
                x["whole_graph_transitions"] = v.graph.transitions;
                x["notes"] = v.graph.notes;
            }
            nlohmann::json verdicts = nlohmann::json::object(), steps = nlohmann::json::object();
            for (const auto& p : props) {
                const auto* c = cell(v, p);
                if (!c) continue;
                verdicts[p] = explore::to_string(c->verdict);
                if (c->counterexample) steps[p] = c->counterexample->trace.steps.size();
            }
            x["verdicts"] = verdicts;
            x["counterexample_steps"] = steps;
            vs.push_back(x);
        }
        j["variants"] = vs;
        nlohmann::json rs = nlohmann::json::array();
        for (const auto& r : replays) {
            nlohmann::json x;
            x["property"] = r.property;
            x["from"] = r.from;
            x["on"] = r.on;
            x["steps"] = r.steps;
            x["outcome"] = r.outcome;
            x["blocked_at_step"] = r.at_step ? nlohmann::json(r.at_step) : nlohmann::json(nullptr);
            x["explanation"] = r.text;
            rs.push_back(x);
        }
        j["replays"] = rs;
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
        return code;
    }

    std::string out = fmt::format("model: {}\n", o.model);
    out += fmt::format("{} variant{} x {} propert{}\n\n", runs.size(), runs.size() == 1 ? "" : "s", props.size(),
                       props.size() == 1 ? "y" : "ies");
    std::size_t wv = 7;
    for (const auto& v : runs) wv = std::max(wv, v.variant.size());
    bool whole = false;
    for (const auto& v : runs) whole = whole || v.graph.ran;
    out += fmt::format("{:<{}}  {:>9}  {:>7}", "variant", wv, "states", "time");
    if (whole) out += fmt::format("  {:>11}", "full graph");
    for (std::size_t k = 0; k < props.size(); ++k) out += fmt::format("  {:<8}", fmt::format("P{}", k + 1));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
    for (const auto& v : runs) {
        std::string line = fmt::format("{:<{}}", v.variant.empty() ? "-" : v.variant, wv);
        if (!v.ts) {
            line += "  model error (see above)";
        } else {
            line += fmt::format("  {:>9}  {:>6.2f}s", v.result.stats.states, v.result.stats.seconds);
            if (whole) line += fmt::format("  {:>11}", v.graph.ran ? fmt::format("{}", v.graph.states) : "-");
            for (const auto& p : props) line += fmt::format("  {:<8}", cell_word(v, p));
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    out += "\n";
    for (std::size_t k = 0; k < props.size(); ++k) out += fmt::format("P{:<3} {}\n", k + 1, props[k]);
    // Reductions: one line when every variant used the same kinds, else one per variant.
    std::vector<std::pair<std::string, std::string>> red;  // kinds, variants
    for (const auto& v : runs) {
        if (!v.ts) continue;
        const std::string kinds = reductions_kinds(v.result);
        auto it = std::find_if(red.begin(), red.end(), [&](const auto& e) { return e.first == kinds; });
        if (it == red.end()) red.emplace_back(kinds, v.variant);
        else it->second += ", " + v.variant;
    }
    out += "\n";
    for (const auto& [kinds, vars] : red)
        out += red.size() == 1 ? fmt::format("reductions: {}\n", kinds) : fmt::format("reductions ({}): {}\n", vars, kinds);
    if (whole)
        out += "full graph: liveness and lock_order ran on the whole state graph, without reductions (every "
               "interleaving is an edge)\n";
    for (const auto& v : runs)
        for (const auto& n : v.graph.notes) out += fmt::format("note ({}): {}\n", v.variant, n);
    for (const auto& v : runs)
        if (v.ts && !v.result.incomplete_reason.empty())
            out += fmt::format("{}: incomplete: {}\n", v.variant, v.result.incomplete_reason);
    if (!replays.empty()) {
        out += "\ncounterexamples replayed on the variants that keep the property:\n";
        std::string last;
        for (const auto& r : replays) {
            if (r.property != last) out += fmt::format("{}\n", r.property);
            last = r.property;
            out += fmt::format("  {} ({} step{}) on {}: {}\n", r.from, r.steps, r.steps == 1 ? "" : "s", r.on, r.text);
        }
    }
    std::fputs(out.c_str(), stdout);
    return code;
}

}  // namespace iomc::cli
