// SPDX-License-Identifier: MIT
/// @file `iomc query MODEL --schedule FILE`: is the interleaving a developer suspects possible?
#include <cstdio>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/cli/progress.hpp"
#include "checker/explore/query.hpp"
#include "checker/support/diagnostic.hpp"
#include "checker/support/read_file.hpp"
#include "traces/render_columns.hpp"
#include "traces/render_dot.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"
#include "traces/schedule.hpp"
#include "traces/trace_json.hpp"

namespace iomc::cli {

namespace {

std::string plural(std::uint64_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

/// "entries 1-3", "entry 1", "no entry".
std::string entries_upto(std::size_t k) {
    if (k == 0) return "no entry";
    if (k == 1) return "entry 1";
    return fmt::format("entries 1-{}", k);
}

std::string render(const ir::TransitionSystem& ts, const traces::Counterexample& cx, const traces::Replay& r,
                   const std::string& format, const std::vector<std::string>& marks) {
    if (format == "columns") return traces::render_columns(ts, cx, r, traces::ColumnOptions{trace_width, trace_fold, marks});
    if (format == "dot") return traces::render_dot(ts, cx, r);
    if (format == "json") return traces::render_json(ts, cx, r);
    return traces::render_steps(ts, cx, r, marks);
}

}  // namespace

int run_query(const QueryOptions& o) {
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.limits.defines);
    if (!ts) return exit_error;
    // Bad options are reported before a missing schedule, as answer_query checks them again.
    explore::Options eo;
    if (!explorer_options(o.limits, eo) || !pick_trace_format(o.trace_format, o.width, o.every_step))
        return exit_error;
    std::string why;
    auto text = support::read_regular_file(o.schedule, why);
    if (!text) {
        std::fprintf(stderr, "iomc: error: cannot open schedule '%s': %s\n", o.schedule.c_str(), why.c_str());
        return exit_error;
    }
    return answer_query(o, *model, *ts, std::move(*text));
}

int answer_query(const QueryOptions& o, const lang::Model& model, const ir::TransitionSystem& ts,
                 std::string schedule_text) {
    explore::Options eo;
    if (!explorer_options(o.limits, eo)) return exit_error;
    const auto picked = pick_trace_format(o.trace_format, o.width, o.every_step);
    if (!picked) return exit_error;
    const std::string& format = *picked;
    support::SourceManager sm;
    const auto file = sm.add(o.schedule, std::move(schedule_text));
    support::DiagnosticSink sink;
    const auto sched = traces::parse_schedule(ts, sm, file, sink);
    if (!sched) {
        std::fputs(sink.render(sm).c_str(), stderr);
        return exit_error;
    }
    if (format == "json" && !sched->violates) {
        std::fprintf(stderr,
                     "iomc: error: --trace-format json needs a 'violates PROPERTY' line in the schedule: a JSON trace "
                     "is a counterexample that iomc replay confirms\n");
        return exit_error;
    }

    install_interrupt_handler();
    const auto r = explore::query(ts, *sched, eo.limits, eo.cancel);

    std::string out = report_header(model, ts);
    const auto n = sched->entries.size();
    out += fmt::format("schedule: {}: {}{}\n", o.schedule, n == 1 ? std::string("1 entry") : fmt::format("{} entries", n),
                       sched->violates ? fmt::format(", then violates {}", ts.property(*sched->violates).name) : "");
    // A search state is a model state with the number of entries matched so far.
    const double rate = r.seconds > 0 ? static_cast<double>(r.nodes) / r.seconds : 0;
    const std::string figures =
        fmt::format("{} (state, entries matched), {}, {:.2f} s ({} states/s), {} stored", plural(r.nodes, "state"),
                    plural(r.transitions, "transition"), r.seconds, human_count(static_cast<std::uint64_t>(rate)),
                    human_bytes(r.memory));
    auto entry_line = [&](std::size_t i) {
        const auto& e = sched->entries[i];
        return fmt::format("{} ({}): {}", i + 1, sm.location(e.where), e.text);
    };

    switch (r.verdict) {
        case explore::QueryVerdict::incomplete:
            out += fmt::format("result: incomplete: {} before an answer (this is not a proof either way)\n{}\n",
                               r.incomplete_reason, figures);
            std::fputs(out.c_str(), stdout);
            return exit_incomplete;
        case explore::QueryVerdict::feasible: {
            const auto& cx = r.run;
            out += fmt::format("result: feasible: a run takes the {} in order{}\n{}\n",
                               n == 1 ? std::string("entry") : fmt::format("{} entries", n),
                               sched->violates ? ", then violates " + traces::describe(ts, cx.violation) : "",
                               figures);
            traces::Replay rep;
            if (sched->violates) {
                if (auto err = traces::confirm(ts, cx, rep)) {
                    std::fprintf(stderr, "iomc: internal error; please report: the run does not replay: %s\n", err->c_str());
                    return exit_error;
                }
            } else {
                rep = traces::replay(ts, cx.trace);
                if (!rep.ok) {
                    std::fprintf(stderr, "iomc: internal error; please report: the run does not replay: %s\n",
                                 rep.error.c_str());
                    return exit_error;
                }
            }
            std::vector<std::string> marks(cx.trace.steps.size());
            out += "\nentries:\n";
            for (std::size_t i = 0; i < n; ++i) {
                marks[r.entry_steps[i]] = fmt::format("entry {}", i + 1);
                out += fmt::format("  {}  = step {}\n", entry_line(i), r.entry_steps[i] + 1);
            }
            const std::string rendered = render(ts, cx, rep, format, marks);
            if (!o.trace_out.empty()) {
                if (!write_text_file(o.trace_out, rendered)) return exit_error;
                out += fmt::format("\nrun ({}, shortest) written to {} ({})\n", plural(cx.trace.steps.size(), "step"),
                                   o.trace_out, format);
            } else {
                out += fmt::format("\nrun ({}, shortest):\n{}", plural(cx.trace.steps.size(), "step"), rendered);
            }
            std::fputs(out.c_str(), stdout);
            return exit_query_feasible;
        }
        case explore::QueryVerdict::infeasible:
            break;
    }

    // Infeasible: the first entry no run reaches, and why.
    if (r.unreached == n) {
        out += fmt::format("result: infeasible: runs take all {} in order, but {} is never violated after them\n{}\n",
                           n == 1 ? std::string("the entry") : fmt::format("{} entries", n),
                           ts.property(*sched->violates).name, figures);
        out += fmt::format("{} match every entry; from none of them does a run violate {}\n",
                           plural(r.nodes_before, "state"), ts.property(*sched->violates).name);
    } else {
        const auto& e = sched->entries[r.unreached];
        const auto& proc = ts.process(e.process).name;
        out += fmt::format("result: infeasible: no run takes entry {} after {}\n  entry {}\n{}\n", r.unreached + 1,
                           entries_upto(r.unreached), entry_line(r.unreached), figures);
        out += fmt::format("\nafter {} ({}), {} never takes a step that matches entry {}.\n",
                           entries_upto(r.unreached), plural(r.nodes_before, "state"), proc, r.unreached + 1);
        if (!r.at_step.empty()) {
            out += fmt::format("it gets to that step, but cannot take it:\n");
            for (const auto& s : r.at_step) out += fmt::format("  {}  ({})\n", s.text, plural(s.nodes, "state"));
        }
        if (!r.stopped.empty()) {
            out += fmt::format("where it is when the schedule allows no further step:\n");
            for (const auto& s : r.stopped) out += fmt::format("  {}  ({})\n", s.text, plural(s.nodes, "state"));
        } else {
            out += "the runs that match the entries before it go on forever without it\n";
        }
    }
    if (!r.held_back.empty()) {
        out += "steps the schedule holds back there, because they match a later entry:\n";
        for (const auto& h : r.held_back) out += fmt::format("  {}\n", h);
    }
    traces::Counterexample ex;
    ex.trace = r.example;
    ex.violation.property = ir::no_property;
    const auto rep = traces::replay(ts, ex.trace);
    if (!rep.ok) {
        std::fprintf(stderr, "iomc: internal error; please report: the example run does not replay: %s\n",
                     rep.error.c_str());
        return exit_error;
    }
    out += fmt::format("\na shortest such run ({}):\n", plural(ex.trace.steps.size(), "step"));
    if (!ex.trace.steps.empty()) out += render(ts, ex, rep, format == "columns" ? "columns" : "steps", {});
    out += "at its end:\n";
    for (const auto& line : r.example_state) out += fmt::format("  {}\n", line);
    std::fputs(out.c_str(), stdout);
    return exit_query_infeasible;
}

}  // namespace iomc::cli
