// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/cross_variant.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/ir/interp.hpp"
#include "checker/support/read_file.hpp"
#include "traces/lasso.hpp"
#include "traces/render_columns.hpp"
#include "traces/render_dot.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"
#include "traces/trace_json.hpp"

namespace iomc::cli {

std::size_t trace_width = 100;
bool trace_fold = true;

std::optional<std::string> render_trace(const ir::TransitionSystem& ts, const traces::Counterexample& cx,
                                        const traces::Replay& r, const std::string& format) {
    if (format == "steps") return traces::render_steps(ts, cx, r, traces::lasso_marks(cx));
    if (format == "json") return traces::render_json(ts, cx, r);
    if (format == "dot") return traces::render_dot(ts, cx, r);
    if (format == "columns") return traces::render_columns(ts, cx, r, traces::ColumnOptions{trace_width, trace_fold, traces::lasso_marks(cx)});
    return std::nullopt;
}

std::optional<std::string> pick_trace_format(const std::string& requested, std::size_t width, bool every_step) {
    const std::string format = !requested.empty() ? requested : isatty(STDOUT_FILENO) ? "columns" : "steps";
    if (format != "steps" && format != "columns" && format != "json" && format != "dot") {
        std::fprintf(stderr, "iomc: error: unknown trace format '%s'; available: steps, columns, json, dot\n",
                     format.c_str());
        return std::nullopt;
    }
    if (width < 40) {
        std::fprintf(stderr, "iomc: error: --width must be at least 40\n");
        return std::nullopt;
    }
    trace_width = width;
    trace_fold = !every_step;
    return format;
}

bool write_text_file(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    bool ok = f != nullptr;
    if (f) {
        ok = std::fputs(text.c_str(), f) >= 0;
        ok = std::fclose(f) == 0 && ok;
    }
    if (!ok) std::fprintf(stderr, "iomc: error: cannot write '%s'\n", path.c_str());
    return ok;
}

namespace {

/// Who holds which mutex in `s`: the usual reason a step cannot fire.
std::string holders(const ir::TransitionSystem& ts, const std::uint8_t* s) {
    std::string out;
    for (std::uint32_t i = 0; i < ts.layout().slots().size(); ++i) {
        const ir::SlotId slot{i};
        if (ts.layout().slot(slot).kind != ir::ValueKind::mutex || ts.layout().read(s, slot) < 0) continue;
        out += fmt::format("{}{} is {}", out.empty() ? "" : "; ", ts.layout().slot(slot).name,
                           traces::slot_value(ts, slot, s));
    }
    return out;
}

std::string where_is(const ir::TransitionSystem& ts, const ir::Process& p, const std::uint8_t* s) {
    const auto loc = static_cast<std::uint32_t>(ts.layout().read(s, p.pc));
    const auto& l = p.locations[loc];
    if (l.terminal) return fmt::format("{} has finished", p.name);
    const auto g = p.group_at[loc];
    return fmt::format("{} is at {}: {}", p.name, ts.sources().file_line(l.where),
                       g == ir::no_group ? std::string("?") : ts.group(g).text);
}

}  // namespace

/// Replays the stored steps on a system built from another variant: each step is found again
/// by its process and its statement (text and place), since group ids differ between builds.
/// Returns the trace in this system's ids, or the reason the first step that cannot fire fails.
std::optional<traces::Trace> translate(const ir::TransitionSystem& ts, const traces::StoredTrace& st,
                                       std::string& why) {
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> cur(ts.state_buffer_size()), next(ts.state_buffer_size());
    ts.initial_state(cur.data());
    traces::Trace t;
    t.model_id = ts.model_id();
    for (std::size_t i = 0; i < st.steps.size(); ++i) {
        const auto& s = st.steps[i];
        const ir::Process* proc = nullptr;
        for (const auto& p : ts.processes())
            if (p.name == s.process) proc = &p;
        if (!proc) {
            why = fmt::format("step {}: there is no process {} here", i + 1, s.process);
            return std::nullopt;
        }
        const auto loc = static_cast<std::uint32_t>(ts.layout().read(cur.data(), proc->pc));
        const auto g = proc->group_at[loc];
        bool found = false;
        bool report = false;
        if (g != ir::no_group) {
            in.fire(g, cur.data(), [&](const ir::Emission& e) {
                if (found || e.stmt == UINT32_MAX) return;
                const auto& stmt = ts.statement(e.stmt);
                if (stmt.text != s.statement || ts.sources().file_line(stmt.where) != s.location) return;
                found = true;
                t.steps.push_back(ir::Step{g, e.index});
                if (e.next) std::copy(e.next, e.next + ts.state_buffer_size(), next.begin());
                else report = true;
            });
        }
        if (!found) {
            std::string held = holders(ts, cur.data());
            why = fmt::format("step {}: {} '{}' ({}) cannot fire here; {}{}", i + 1, s.process, s.statement, s.location,
                              where_is(ts, *proc, cur.data()), held.empty() ? "" : "; " + held);
            return std::nullopt;
        }
        if (report) {
            if (i + 1 != st.steps.size()) {
                why = fmt::format("step {}: a violation report must be the last step", i + 1);
                return std::nullopt;
            }
            break;
        }
        cur.swap(next);
    }
    return t;
}


int run_replay(const ReplayOptions& o) {
    std::string reason;
    const auto text = support::read_regular_file(o.trace, reason);
    if (!text) {
        std::fprintf(stderr, "iomc: error: cannot open '%s': %s\n", o.trace.c_str(), reason.c_str());
        return exit_error;
    }
    return replay_trace(o, *text);
}

int replay_trace(const ReplayOptions& o, const std::string& text) {
    trace_width = o.width;
    trace_fold = !o.every_step;
    std::string error;
    const auto st = traces::parse_trace_json(text, error);
    if (!st) {
        std::fprintf(stderr, "iomc: error: %s:%s\n", o.trace.c_str(), (" " + error).c_str());
        return exit_error;
    }
    if (!o.trace_format.empty() && o.trace_format != "steps" && o.trace_format != "json" && o.trace_format != "dot" &&
        o.trace_format != "columns" && o.trace_format != "none") {
        std::fprintf(stderr, "iomc: error: unknown trace format '%s'; available: steps, columns, json, dot, none\n",
                     o.trace_format.c_str());
        return exit_error;
    }
    auto model = load_model(st->model_file);
    if (!model) return exit_error;
    const bool other_variant = !o.variant.empty() && o.variant != st->variant;
    auto ts = compile_model(*model, other_variant ? o.variant : st->variant, st->defines);
    if (!ts) return exit_error;
    const auto prop = ts->find_property(st->property);
    if (!prop) {
        std::fprintf(stderr, "iomc: error: %s: the model has no property '%s'\n", o.trace.c_str(), st->property.c_str());
        return exit_error;
    }
    traces::Counterexample cx;
    cx.violation.property = *prop;
    cx.violation.kind = st->kind;
    cx.violation.check = st->check;
    cx.violation.eval_error = st->eval_error;
    cx.violation.cycle_start = st->cycle_start;
    cx.violation.trigger_at = st->trigger_at;
    cx.violation.strong_fairness = st->strong_fairness;
    cx.violation.wait_cycle = st->wait_cycle;
    const std::string shown_variant = ts->info().variant.empty() ? "" : fmt::format(" (variant {})", ts->info().variant);
    if (!other_variant) {
        if (st->model_id != ts->model_id()) {
            std::fprintf(stderr,
                         "iomc: error: %s was made from another model: its model id is %016llx, but %s%s builds as "
                         "%016llx; the model (or iomc) changed since the trace was written\n",
                         o.trace.c_str(), static_cast<unsigned long long>(st->model_id), st->model_file.c_str(),
                         shown_variant.c_str(), static_cast<unsigned long long>(ts->model_id()));
            return exit_error;
        }
        cx.trace.model_id = ts->model_id();
        for (const auto& s : st->steps) cx.trace.steps.push_back(ir::Step{ir::GroupId{s.group}, s.outcome});
        traces::Replay r;
        if (auto err = traces::confirm(*ts, cx, r)) {
            std::fprintf(stderr, "iomc: error: %s: %s\n", o.trace.c_str(), err->c_str());
            return exit_error;
        }
        // Keep the violation's message (on-step reports) as the replay found it.
        if (!r.steps.empty() && r.steps.back().reports) {
            cx.violation.message = r.steps.back().message;
            cx.violation.value = r.steps.back().value;
        }
        std::printf("replayed %zu step%s on %s%s: the violation reproduces: %s%s\n", r.steps.size(),
                    r.steps.size() == 1 ? "" : "s", st->model_file.c_str(), shown_variant.c_str(),
                    traces::describe(*ts, cx.violation).c_str(),
                    cx.violation.kind != traces::ViolationKind::lasso ? ""
                    : cx.violation.cycle_start == r.steps.size()
                        ? " (the run ends: no process can step, and the goal never holds)"
                        : cx.violation.strong_fairness
                            ? " (the cycle returns to its first state, strong fairness holds on it, and the goal "
                              "holds nowhere on it)"
                            : " (the cycle returns to its first state, weak fairness holds on it, and the goal holds "
                              "nowhere on it)");
        if (o.trace_format != "none") std::fputs(("\n" + *render_trace(*ts, cx, r, o.trace_format.empty() ? "steps" : o.trace_format)).c_str(), stdout);
        return exit_violated;
    }
    // Another variant: the reviewer's question, does the old interleaving still break it?
    std::string why;
    auto t = translate(*ts, *st, why);
    if (!t) {
        std::printf("the trace of variant %s does not replay on variant %s: %s\n", st->variant.c_str(),
                    o.variant.c_str(), why.c_str());
        return exit_holds;
    }
    cx.trace = *t;
    traces::Replay r = traces::replay(*ts, cx.trace);
    if (!r.ok) {
        std::fprintf(stderr, "iomc: error: internal: translated trace does not replay: %s\n", r.error.c_str());
        return exit_error;
    }
    if (!r.steps.empty() && r.steps.back().reports) {
        cx.violation.message = r.steps.back().message;
        cx.violation.value = r.steps.back().value;
    }
    traces::Replay check;
    if (auto err = traces::confirm(*ts, cx, check)) {
        std::printf("all %zu steps of the trace of variant %s replay on variant %s, and the property now holds "
                    "at the end: %s\n",
                    st->steps.size(), st->variant.c_str(), o.variant.c_str(), err->c_str());
        return exit_holds;
    }
    std::printf("all %zu steps of the trace of variant %s replay on variant %s, and the violation reproduces: %s\n",
                st->steps.size(), st->variant.c_str(), o.variant.c_str(), traces::describe(*ts, cx.violation).c_str());
    if (o.trace_format != "none")
        std::fputs(("\n" + *render_trace(*ts, cx, check, o.trace_format.empty() ? "steps" : o.trace_format)).c_str(), stdout);
    return exit_violated;
}

}  // namespace iomc::cli
