// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/json_output.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/cli/progress.hpp"
#include "checker/cli/verdicts.hpp"
#include "checker/explore/fewest_switches.hpp"
#include "checker/explore/memory.hpp"
#include "checker/support/diagnostic.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"

namespace iomc::cli {

namespace {

/// Context switches of a trace: steps whose process differs from the previous step's.
std::size_t switches(const ir::TransitionSystem& ts, const traces::Trace& t) {
    std::size_t n = 0;
    for (std::size_t i = 1; i < t.steps.size(); ++i)
        n += ts.group(t.steps[i].group).process != ts.group(t.steps[i - 1].group).process ? 1 : 0;
    return n;
}

/// ", shortest", ", 3 context switches, fewest (the shortest has 12 steps)" and the like.
std::string trace_label(const ir::TransitionSystem& ts, const traces::Counterexample& cx, std::size_t shortest_steps,
                        const explore::Options& eo, bool reduced_only) {
    const std::size_t sw = switches(ts, cx.trace);
    if (cx.violation.kind == traces::ViolationKind::lasso) {
        const std::size_t n = cx.trace.steps.size(), c = cx.violation.cycle_start;
        if (c == n) return fmt::format(", a run of {} step{} that ends where no process can step", n, n == 1 ? "" : "s");
        return fmt::format(", a lasso: {} step{} to the cycle, a cycle of {}", c, c == 1 ? "" : "s", n - c);
    }
    if (reduced_only)
        return fmt::format(", the fewest steps of the reduced graph, {} context switch{}", sw, sw == 1 ? "" : "es");
    if (shortest_steps)
        return fmt::format(", {} context switch{}, the fewest; the shortest run has {} steps", sw, sw == 1 ? "" : "es",
                           shortest_steps);
    return fmt::format("{}, {} context switch{}", eo.strategy == explore::Strategy::bfs ? ", shortest" : "", sw,
                       sw == 1 ? "" : "es");
}

/// BFS with partial-order reduction finds a counterexample of the fewest steps in the reduced
/// graph. A second BFS without reductions, for the violated property only and bounded by ten
/// times the first search's states (at least a million), finds the shortest run of the full
/// graph, which is what a reviewer wants to read. Returns a note when it could not.
std::string shortest_without_reductions(const ir::TransitionSystem& ts, const explore::Options& eo,
                                        explore::Result& r) {
    explore::Options plain = eo;
    plain.por = false;
    plain.por_check = false;
    plain.symmetry = reduce::SymmetryMode::off;
    plain.threads = 1;  // sequential: the same trace on every run
    plain.stop_at_first = true;
    plain.properties = {r.counterexample->violation.property};
    plain.progress = nullptr;
    const auto left = explore::remaining_after(eo.limits, r.stats.seconds);
    if (!left)
        return fmt::format("the shortest run of the reduced graph; the search for the shortest of the full graph "
                           "was not run (time limit {}s reached)",
                           eo.limits.time_limit);
    plain.limits = *left;
    const std::uint64_t budget = std::max<std::uint64_t>(10 * r.stats.states, 1'000'000);
    if (plain.limits.max_states == 0 || plain.limits.max_states > budget) plain.limits.max_states = budget;
    const auto full = explore::check(ts, plain);
    if (eo.limits.time_limit > 0 && full.incomplete_reason.starts_with("time limit"))
        return fmt::format("the shortest run of the reduced graph; the search for the shortest of the full graph "
                           "stopped (time limit {}s reached)",
                           eo.limits.time_limit);
    if (full.counterexample) {
        r.counterexample = full.counterexample;
        for (auto& p : r.properties)
            if (p.property == full.counterexample->violation.property) p.counterexample = full.counterexample;
        return {};
    }
    return fmt::format("the shortest run of the reduced graph; the search for the shortest of the full graph "
                       "stopped ({})",
                       full.incomplete_reason.empty() ? "no counterexample" : full.incomplete_reason);
}

}  // namespace

std::string reductions_text(const explore::Result& r) {
    const auto& x = r.reductions;
    std::vector<std::string> parts;
    if (x.por) {
        const std::string chains =
            x.chains == "on" ? fmt::format("; {} state{} passed through in single-step chains", x.por_chained,
                                           x.por_chained == 1 ? "" : "s")
                             : fmt::format("; single-step chains {}", x.chains);
        std::string bools;
        for (const auto& b : x.bool_locks) bools += (bools.empty() ? "; bools taken as locks: " : ", ") + b;
        parts.push_back(fmt::format("partial-order (stubborn sets; {} of {} states expanded with a reduced set, {} "
                                    "widened by the {} cycle proviso{}{})",
                                    x.por_reduced, x.por_expanded, x.por_proviso, reduce::proviso_name(x.proviso_kind),
                                    chains, bools));
    }
    if (x.symmetry != reduce::SymmetryMode::off) {
        std::string sets;
        for (const auto& s : x.symmetric) sets += (sets.empty() ? "" : ", ") + s;
        std::string mode = x.symmetry == reduce::SymmetryMode::exact ? "exact canonical form" : "heuristic canonical form";
        if (x.symmetry == reduce::SymmetryMode::exact && x.sym_heuristic)
            mode = fmt::format("exact canonical form, heuristic in {} states with too many ties", x.sym_heuristic);
        parts.push_back(fmt::format("symmetry over {}, {}", sets, mode));
    }
    std::string out = "reductions: " + (parts.empty() ? std::string("none") : parts[0]);
    for (std::size_t k = 1; k < parts.size(); ++k) out += "; " + parts[k];
    if (!x.por_off.empty()) out += fmt::format(" (partial-order reduction off: {})", x.por_off);
    // Wait cycles are normally kept as a stable predicate (nothing to say); say when not.
    if (x.por && x.wait_cycles.starts_with("visible: "))
        out += fmt::format(" (wait cycles checked with visible steps: {})", x.wait_cycles.substr(9));
    out += "\n";
    for (const auto& a : x.asymmetric) out += fmt::format("symmetry off for {}\n", a);
    return out;
}

namespace {

}  // namespace

std::vector<std::string> import_dirs;

std::vector<lang::ImportDir> import_search_path() {
    std::vector<lang::ImportDir> out;
    for (const auto& d : import_dirs) out.push_back({d, "-I"});
    if (const char* env = std::getenv("IOMC_PATH")) {
        const std::string list = env;
        std::size_t start = 0;
        while (start <= list.size()) {
            const std::size_t colon = std::min(list.find(':', start), list.size());
            if (colon > start) out.push_back({list.substr(start, colon - start), "IOMC_PATH"});
            start = colon + 1;
        }
    }
    return out;
}

std::unique_ptr<lang::Model> load_model(const std::string& path) {
    support::DiagnosticSink sink;
    auto m = lang::Model::load(path, sink, import_search_path());
    if (!sink.all().empty()) {
        const support::SourceManager empty;
        std::fputs(sink.render(m ? m->sources() : empty).c_str(), stderr);
    }
    if (sink.has_errors()) return nullptr;
    return m;
}

std::unique_ptr<ir::TransitionSystem> compile_model(const lang::Model& m, const std::string& variant,
                                                    const std::vector<std::string>& defines, bool warnings) {
    support::DiagnosticSink sink;
    auto ts = lang::compile(m, lang::CompileOptions{variant, defines}, sink);
    if (sink.has_errors() || (warnings && !sink.all().empty())) std::fputs(sink.render(m.sources()).c_str(), stderr);
    return ts;
}

std::string report_header(const lang::Model& m, const ir::TransitionSystem& ts) {
    std::string out = fmt::format("model: {}\n", ts.info().file);
    if (!ts.info().variant.empty()) {
        std::string all;
        for (const auto& v : m.variants()) all += (all.empty() ? "" : ", ") + v.name;
        out += fmt::format("variant: {} (of {})\n", ts.info().variant, all);
    }
    return out;
}

bool resolve_properties(const ir::TransitionSystem& ts, const std::vector<std::string>& names,
                        std::vector<ir::PropertyId>& out) {
    for (const auto& n : names) {
        if (auto p = ts.find_property(n)) {
            out.push_back(*p);
            continue;
        }
        std::string list;
        for (const auto& p : ts.properties()) list += (list.empty() ? "" : ", ") + p.name;
        std::fprintf(stderr, "iomc: error: unknown property '%s'; available: %s\n", n.c_str(), list.c_str());
        return false;
    }
    return true;
}

int run_check(const CheckOptions& o) {
    if (o.engine != "explicit") return run_check_symbolic(o);
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.common.defines);
    if (!ts) return exit_error;
    explore::Options eo;
    if (!explorer_options(o.common, eo)) return exit_error;
    if (!resolve_properties(*ts, o.properties, eo.properties)) return exit_error;
    const auto picked = pick_trace_format(o.trace_format, o.width, o.every_step);
    if (!picked) return exit_error;
    const std::string& format = *picked;
    // json and dot on stdout are for pipes: stdout then holds only the trace, the report goes to
    // stderr. With --trace-out the trace goes to the file and the report stays on stdout.
    const bool trace_only = (format == "json" || format == "dot") && o.trace_out.empty() && !o.json;
    if (o.trace_kind != "shortest" && o.trace_kind != "fewest-switches") {
        std::fprintf(stderr, "iomc: error: unknown trace kind '%s'; available: shortest, fewest-switches\n",
                     o.trace_kind.c_str());
        return exit_error;
    }
    eo.stop_at_first = !o.all_properties;
    if (!o.json) eo.progress = terminal_progress();
    install_interrupt_handler();
    GraphFindings findings;
    auto r = check_all(*ts, eo, &findings, o.common.fairness == "strong");
    clear_progress();
    if (!findings.error.empty()) {
        std::fprintf(stderr, "%s\n1 error\n", findings.error.c_str());
        return exit_error;
    }
    const bool lasso = r.counterexample && r.counterexample->violation.kind == traces::ViolationKind::lasso;
    if (!r.self_check_failure.empty()) {
        std::fputs(r.self_check_failure.c_str(), stderr);
        return exit_self_check;
    }
    std::string shortest_note;
    // With reductions or threads the BFS trace is a shortest one of the reduced graph, or one of
    // several shortest ones; one sequential BFS without reductions finds the trace a reviewer
    // reads, the same on every run.
    if (o.trace_kind == "shortest" && r.counterexample && !lasso && eo.strategy == explore::Strategy::bfs &&
        (r.reductions.por || r.reductions.symmetry != reduce::SymmetryMode::off || r.stats.threads > 1))
        shortest_note = shortest_without_reductions(*ts, eo, r);
    std::size_t shortest_steps = 0;
    if (o.trace_kind == "fewest-switches" && r.counterexample && !lasso) {
        // The search found which property breaks; a second search over (state, last process)
        // finds the run of that property with the fewest context switches.
        shortest_steps = r.counterexample->trace.steps.size();
        std::string reason;
        const auto left = explore::remaining_after(eo.limits, r.stats.seconds);
        std::optional<traces::Counterexample> few;
        if (left) {
            few = explore::fewest_switches(*ts, r.counterexample->violation.property, *left, &reason, eo.cancel);
            if (!few && reason.starts_with("time limit")) reason = fmt::format("time limit {}s reached", eo.limits.time_limit);
        } else {
            reason = fmt::format("time limit {}s reached", eo.limits.time_limit);
        }
        if (few) {
            r.counterexample = *few;
        } else if (!reason.empty()) {
            std::fprintf(stderr, "iomc: note: the fewest-switches search stopped (%s); showing the shortest trace\n",
                         reason.c_str());
            shortest_steps = 0;
        }
    }
    const auto peak = explore::peak_rss_bytes();
    // A "holds" from lossy storage is no proof: exit 3 unless the user accepts that.
    const bool lossy = r.stats.storage == explore::StorageKind::hash;
    const int code = r.verdict == explore::Verdict::holds      ? (lossy && !o.common.accept_lossy ? exit_incomplete : exit_holds)
                     : r.verdict == explore::Verdict::violated ? exit_violated
                                                               : exit_incomplete;
    if (o.json) {
        const std::string kind = eo.strategy == explore::Strategy::dfs ? "dfs"
                                 : shortest_steps                     ? "fewest-switches"
                                 : shortest_note.empty()              ? "shortest"
                                                                      : "shortest of the reduced graph";
        const auto warnings = unused_size_warnings(*model, r);
        if (!findings.ran && !findings.nested_only) {
            std::fputs(check_report_json(*ts, r, peak, kind, warnings).c_str(), stdout);
            return code;
        }
        auto j = nlohmann::json::parse(check_report_json(*ts, r, peak, lasso ? "lasso" : kind, warnings));
        nlohmann::json gj;
        gj["states"] = findings.states;
        gj["transitions"] = findings.transitions;
        gj["seconds"] = findings.seconds;
        gj["reductions"] = nlohmann::json::array();
        gj["notes"] = findings.notes;
        gj["lock_order_report"] = findings.lock_report.empty() ? nlohmann::json(nullptr) : nlohmann::json(findings.lock_report);
        // A model with lock_nested: its annotations are checked on this graph whatever is selected.
        gj["lock_nested"] = !findings.nested_only                  ? nlohmann::json(nullptr)
                            : findings.incomplete_reason.empty() ? nlohmann::json("consistent")
                                                                 : nlohmann::json("consistent in the states explored, "
                                                                                  "the rest not checked: " +
                                                                                  findings.incomplete_reason);
        if (lasso) {
            gj["cycle_start"] = r.counterexample->violation.cycle_start;
            gj["trigger_at"] = r.counterexample->violation.trigger_at;
        }
        j["whole_graph"] = gj;
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
        return code;
    }
    std::string out = report_header(*model, *ts);
    std::string checked;
    for (const auto& p : r.properties) checked += (checked.empty() ? "" : ", ") + ts->property(p.property).name;
    out += fmt::format("checked: {}\n", checked);
    const double rate = r.stats.seconds > 0 ? static_cast<double>(r.stats.states) / r.stats.seconds : 0;
    const std::string figures = fmt::format("{} state{}, {} transition{}, depth {}, {:.2f} s ({} states/s), {} stored",
                                            r.stats.states, r.stats.states == 1 ? "" : "s", r.stats.transitions,
                                            r.stats.transitions == 1 ? "" : "s", r.stats.depth, r.stats.seconds,
                                            human_count(static_cast<std::uint64_t>(rate)), human_bytes(r.stats.memory));
    std::string metrics;
    for (const auto& m : r.metrics) {
        if (m.end_states == 0) {
            metrics += fmt::format("metric {}: no end state{}\n", m.name,
                                   m.undefined ? " where it is defined" : " reached");
            continue;
        }
        metrics += fmt::format("metric {}: min {}, max {} over {} end state{}{}\n", m.name, explore::format_ratio(m.min),
                               explore::format_ratio(m.max), m.end_states, m.end_states == 1 ? "" : "s",
                               r.complete ? "" : " (of the states explored)");
    }
    const std::string reductions = reductions_text(r) + findings.text();
    for (const auto& w : unused_size_warnings(*model, r)) std::fprintf(stderr, "warning: %s\n", w.message.c_str());
    switch (r.verdict) {
        case explore::Verdict::holds:
            if (lossy)
                out += fmt::format("result: holds (lossy storage): no interleaving explored violates a checked "
                                   "property, but hash compaction may have missed a state, with probability at most "
                                   "{:.3g}; this is not a proof{}\n{}\n{}",
                                   r.stats.omission_probability, o.common.accept_lossy ? "" : " (exit 3; --accept-lossy: 0)",
                                   figures, reductions);
            else
                out += fmt::format("result: holds: every checked property holds in every interleaving\n{}\n{}", figures,
                                   reductions);
            out += metrics;
            break;
        case explore::Verdict::incomplete: {
            // The search was complete and the whole-graph part stopped: the other properties hold.
            std::string open;
            for (const auto& p : r.properties)
                if (p.verdict == explore::Verdict::incomplete) open += (open.empty() ? "" : ", ") + ts->property(p.property).name;
            if (r.complete && !open.empty())
                out += fmt::format("result: incomplete: {} on the whole state graph before a verdict on {}; every other "
                                   "checked property holds in every interleaving ({} is not proved)\n{}\n{}",
                                   r.incomplete_reason, open, open, figures, reductions);
            else
                out += fmt::format("result: incomplete: {} before a verdict; no violation found in the {} states "
                                   "explored (this is not a proof)\n{}\n{}",
                                   r.incomplete_reason, r.stats.states, figures, reductions);
            out += metrics;
            break;
        }
        case explore::Verdict::violated: {
            if (!r.counterexample) {
                // Only the lock order is violated: lockdep's report is the counterexample.
                out += fmt::format("result: violated: lock_order: {}\n{}\n{}\n{}", findings.lock_summary, figures,
                                   reductions, findings.lock_report);
                break;
            }
            const auto& cx = *r.counterexample;
            out += fmt::format("result: violated: {}\n{}\n{}", traces::describe(*ts, cx.violation), figures,
                               reductions);
            if (!shortest_note.empty()) out += fmt::format("note: the counterexample is {}\n", shortest_note);
            traces::Replay rep;
            if (auto err = traces::confirm(*ts, cx, rep)) {
                out += fmt::format("internal error; please report: the counterexample does not replay: {}\n", *err);
                std::fputs(out.c_str(), stdout);
                return exit_error;
            }
            const std::string rendered = *render_trace(*ts, cx, rep, format);
            if (!o.trace_out.empty()) {
                if (!write_text_file(o.trace_out, rendered)) return exit_error;
                out += fmt::format("\ncounterexample ({} step{}{}) written to {} ({})\n", cx.trace.steps.size(),
                                   cx.trace.steps.size() == 1 ? "" : "s",
                                   eo.strategy != explore::Strategy::bfs ? ""
                                   : shortest_note.empty()                ? ", shortest"
                                                                          : ", the fewest steps of the reduced graph",
                                   o.trace_out,
                                   format);
            } else if (trace_only) {
                std::fputs(out.c_str(), stderr);
                std::fputs(rendered.c_str(), stdout);
                return code;
            } else {
                out += fmt::format("\ncounterexample ({} step{}{}):\n", cx.trace.steps.size(),
                                   cx.trace.steps.size() == 1 ? "" : "s", trace_label(*ts, cx, shortest_steps, eo, !shortest_note.empty()));
                out += rendered;
            }
            if (!findings.lock_report.empty()) out += "\nlock_order: violated\n" + findings.lock_report;
            if (o.all_properties) {
                for (const auto& p : r.properties)
                    if (p.verdict == explore::Verdict::violated && p.counterexample &&
                        p.counterexample->violation.property != cx.violation.property)
                        out += fmt::format("also violated: {} ({} steps)\n", traces::describe(*ts, p.counterexample->violation),
                                           p.counterexample->trace.steps.size());
            }
            break;
        }
    }
    std::fputs(out.c_str(), trace_only ? stderr : stdout);
    return code;
}

}  // namespace iomc::cli
