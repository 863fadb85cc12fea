// SPDX-License-Identifier: MIT
// iomc check --engine bmc / kind: the symbolic engine (checker/symbolic) behind check's options.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/symbolic/kind.hpp"
#include "checker/symbolic/safety.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"

namespace iomc::cli {

namespace {

/// The report's tail for a counterexample: the rendered trace (or where it was written), and
/// the exit code. `out` holds the report so far.
int print_counterexample(const ir::TransitionSystem& ts, const CheckOptions& o, const std::string& format,
                         const traces::Counterexample& cx, std::string out, const char* label = "shortest") {
    const bool trace_only = (format == "json" || format == "dot") && o.trace_out.empty();
    traces::Replay rep;
    if (auto err = traces::confirm(ts, cx, rep)) {
        out += fmt::format("internal error; please report: the counterexample does not replay: {}\n", *err);
        std::fputs(out.c_str(), stdout);
        return exit_error;
    }
    const std::string rendered = *render_trace(ts, cx, rep, format);
    const std::size_t n = cx.trace.steps.size();
    if (!o.trace_out.empty()) {
        if (!write_text_file(o.trace_out, rendered)) return exit_error;
        out += fmt::format("\ncounterexample ({} step{}, {}) written to {} ({})\n", n, n == 1 ? "" : "s", label,
                           o.trace_out, format);
    } else if (trace_only) {
        std::fputs(out.c_str(), stderr);
        std::fputs(rendered.c_str(), stdout);
        return exit_violated;
    } else {
        out += fmt::format("\ncounterexample ({} step{}, {}):\n{}", n, n == 1 ? "" : "s", label, rendered);
    }
    std::fputs(out.c_str(), stdout);
    return exit_violated;
}

/// The "checked:" line: the selected safety properties (liveness and lock order never).
std::string checked_line(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props) {
    std::string checked;
    const auto sel = symbolic::selection(ts, props);
    for (const auto& p : ts.properties())
        if (sel[ir::idx(p.id)] != 0) checked += (checked.empty() ? "" : ", ") + p.name;
    return fmt::format("checked: {}\n", checked);
}

int run_kind(const lang::Model& model, const ir::TransitionSystem& ts, const CheckOptions& o,
             const std::vector<ir::PropertyId>& props, const std::string& format) {
    symbolic::KindOptions ko;
    ko.depth = o.depth < 0 ? 10U : static_cast<std::uint32_t>(o.depth);
    ko.properties = symbolic::with_lemmas(ts, props);  // k-induction assumes and proves every lemma
    ko.time_limit = o.common.time_limit;
    const auto r = symbolic::kind(ts, ko);
    if (r.verdict == symbolic::KindVerdict::unsupported) {
        std::fprintf(stderr, "iomc: error: the kind engine does not support this model yet: %s\n", r.reason.c_str());
        return exit_error;
    }
    if (r.verdict == symbolic::KindVerdict::internal_error) {
        std::fprintf(stderr, "iomc: internal error; please report: %s\n", r.reason.c_str());
        return exit_error;
    }
    std::string out = report_header(model, ts) + checked_line(ts, ko.properties);
    const std::string engine =
        fmt::format("engine: k-induction ({}), k = {} of at most {}, base case to depth {}, {:.2f} s\n",
                    symbolic::z3_version(), r.k, ko.depth, r.base_depth, r.seconds);
    switch (r.verdict) {
        case symbolic::KindVerdict::holds:
            out += fmt::format("result: holds for every reachable state (k-induction, k = {})\n{}", r.k, engine);
            std::fputs(out.c_str(), stdout);
            return exit_holds;
        case symbolic::KindVerdict::violated:
            out += fmt::format("result: violated: {}\nengine: k-induction ({}), base case (bounded model checking): a "
                               "violation at depth {}, {:.2f} s\n",
                               traces::describe(ts, r.counterexample->violation), symbolic::z3_version(),
                               r.base_depth, r.seconds);
            return print_counterexample(ts, o, format, *r.counterexample, std::move(out));
        case symbolic::KindVerdict::not_inductive:
            out += fmt::format("result: incomplete: not proved by k-induction up to k = {}, and no violation up to "
                               "depth {} (this is not a proof)\n{}",
                               r.k, r.base_depth, engine);
            if (r.hint)
                out += fmt::format("\nhint: a counterexample to induction at k = {}; NOT a run of the model (its first "
                                   "state need not be reachable), but what the checked properties fail to exclude:\n{}",
                                   r.k, symbolic::render_hint(ts, *r.hint));
            std::fputs(out.c_str(), stdout);
            return exit_incomplete;
        default:
            out += fmt::format("result: incomplete: {} before a verdict (this is not a proof)\n{}", r.reason, engine);
            std::fputs(out.c_str(), stdout);
            return exit_incomplete;
    }
}

/// --widen: which round decided, and which processes it kept idle.
std::string widen_line(const ir::TransitionSystem& ts, const symbolic::BmcResult& r) {
    if (r.idle.empty())
        return fmt::format("widening: round {} of {}, every process taking steps\n", r.round, r.rounds);
    std::string names;
    for (const auto p : r.idle) names += (names.empty() ? "" : ", ") + ts.process(p).name;
    return fmt::format("widening: round {} of {}, {} of {} processes idle ({}){}\n", r.round, r.rounds, r.idle.size(),
                       ts.processes().size(), names,
                       r.verdict == symbolic::BmcVerdict::violated
                           ? "; a run found here is a run of the whole model, and no shorter run was ruled out"
                           : "");
}

}  // namespace

int run_check_symbolic(const CheckOptions& o) {
    if (o.engine != "bmc" && o.engine != "kind") {
        std::fprintf(stderr, "iomc: error: unknown engine '%s'; available: explicit, bmc, kind\n", o.engine.c_str());
        return exit_error;
    }
    const bool bmc = o.engine == "bmc";
    if (bmc && o.depth < 0) {
        std::fputs("iomc: error: --engine bmc needs --depth K (the longest run to search, in steps)\n", stderr);
        return exit_error;
    }
    if (!bmc && o.depth == 0) {
        std::fputs("iomc: error: --engine kind needs --depth K of at least 1 (the largest k to try)\n", stderr);
        return exit_error;
    }
    auto refuse = [&](const char* option) {
        std::fprintf(stderr, "iomc: error: %s is not supported with --engine %s\n", option, o.engine.c_str());
        return exit_error;
    };
    if (o.json) return refuse("--json");
    if (o.all_properties) return refuse("--all-properties");
    if (o.trace_kind != "shortest") return refuse("--trace fewest-switches");
    if (!bmc && o.merge_local) return refuse("--merge-local");
    if (!bmc && o.concurrent_steps) return refuse("--concurrent-steps");
    if (!bmc && o.widen) return refuse("--widen");
    if (o.widen && !o.concurrent_steps) {
        std::fputs("iomc: error: --widen needs --concurrent-steps (it keeps processes idle step by step)\n", stderr);
        return exit_error;
    }
    if (!bmc && o.from_depth >= 0) return refuse("--from-depth");
    if (!bmc && o.depth_step >= 0) return refuse("--depth-step");
    if (bmc && o.from_depth > o.depth) {
        std::fputs("iomc: error: --from-depth must not exceed --depth\n", stderr);
        return exit_error;
    }
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.common.defines);
    if (!ts) return exit_error;
    symbolic::BmcOptions bo;
    bo.depth = static_cast<std::uint32_t>(std::max<std::int64_t>(o.depth, 0));
    bo.time_limit = o.common.time_limit;
    bo.merge_local = o.merge_local;
    bo.concurrent = o.concurrent_steps;
    bo.widen = o.widen;
    bo.from = static_cast<std::uint32_t>(std::max<std::int64_t>(o.from_depth, 0));
    bo.step = static_cast<std::uint32_t>(std::max<std::int64_t>(o.depth_step, 1));
    if (!resolve_properties(*ts, o.properties, bo.properties)) return exit_error;
    // Liveness and lock order need the whole state graph (checker/liveness, checker/graph).
    for (const auto p : bo.properties)
        if (ts->property(p).kind == ir::PropertyKind::liveness || ts->property(p).kind == ir::PropertyKind::lock_order) {
            std::fprintf(stderr, "iomc: error: the %s engine checks safety properties only; check '%s' with the "
                                 "explicit engine\n",
                         o.engine.c_str(), ts->property(p).name.c_str());
            return exit_error;
        }
    const auto picked = pick_trace_format(o.trace_format, o.width, o.every_step);
    if (!picked) return exit_error;
    const std::string& format = *picked;
    if (!bmc) return run_kind(*model, *ts, o, bo.properties, format);

    const auto r = symbolic::bmc(*ts, bo);
    if (r.verdict == symbolic::BmcVerdict::unsupported) {
        std::fprintf(stderr, "iomc: error: the bmc engine does not support this model yet: %s\n", r.reason.c_str());
        return exit_error;
    }
    if (r.verdict == symbolic::BmcVerdict::internal_error) {
        std::fprintf(stderr, "iomc: internal error; please report: %s\n", r.reason.c_str());
        return exit_error;
    }
    std::string out = report_header(*model, *ts) + checked_line(*ts, bo.properties);
    std::string engine = fmt::format("engine: bounded model checking ({}), depth {} of at most {}, {:.2f} s\n",
                                     symbolic::z3_version(), r.depth, bo.depth, r.seconds);
    if (bo.merge_local)
        engine += fmt::format("depth counts merged steps: a step and the local steps its process takes next ({} "
                              "local step{} of {}); the trace lists every step\n",
                              r.merged_groups, r.merged_groups == 1 ? "" : "s", ts->groups().size());
    if (bo.concurrent && r.movers > 0)  // 0: stopped while encoding, before the steps were known
        engine += fmt::format("depth counts concurrent steps: each fires steps of any of the {} processes that "
                              "touch no variable another of them writes{}\n",
                              r.movers, bo.merge_local ? "" : "; the trace lists every step");
    if (bo.widen && r.rounds > 0) engine += widen_line(*ts, r);
    if (bo.from > 0 || bo.step > 1)
        engine += fmt::format("checked depths: from {} every {} up to {}; each check covers every shorter run\n",
                              bo.from, bo.step, bo.depth);
    // What the depths checked so far show (none, when the run stopped before its first check).
    const std::string clean = !r.idle.empty() ? std::string("no depth was checked with every process taking steps")
                              : r.clean_to < 0 ? std::string("no depth was checked")
                                               : fmt::format("no violation up to depth {}", r.clean_to);
    if (r.verdict == symbolic::BmcVerdict::no_violation) {
        out += fmt::format("result: incomplete: no violation up to depth {} (bounded model checking; this is not a "
                           "proof)\n{}",
                           bo.depth, engine);
        std::fputs(out.c_str(), stdout);
        return exit_incomplete;
    }
    if (r.verdict == symbolic::BmcVerdict::unknown) {
        out += fmt::format("result: incomplete: {} before a verdict; {} (this is not a proof)\n{}",
                           r.reason, clean, engine);
        std::fputs(out.c_str(), stdout);
        return exit_incomplete;
    }
    out += fmt::format("result: violated: {}\n{}", traces::describe(*ts, r.counterexample->violation), engine);
    if (!r.shortest && r.idle.empty())
        out += r.clean_to < 0 ? fmt::format("found by the check at depth {}, the first depth checked\n", r.checked_at)
                              : fmt::format("found by the check at depth {}; {}\n", r.checked_at, clean);
    const char* label = !r.shortest       ? "not necessarily the shortest"
                        : bo.concurrent   ? (bo.merge_local ? "fewest concurrent merged steps" : "fewest concurrent steps")
                        : bo.merge_local  ? "fewest merged steps"
                                          : "shortest";
    return print_counterexample(*ts, o, format, *r.counterexample, std::move(out), label);
}

}  // namespace iomc::cli
