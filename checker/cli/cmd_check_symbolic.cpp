// SPDX-License-Identifier: MIT
// iomc check --engine bmc: the symbolic engine (checker/symbolic) behind check's options.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/symbolic/bmc.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"

namespace iomc::cli {

int run_check_symbolic(const CheckOptions& o) {
    if (o.engine != "bmc") {
        std::fprintf(stderr, "iomc: error: unknown engine '%s'; available: explicit, bmc\n", o.engine.c_str());
        return exit_error;
    }
    if (o.depth < 0) {
        std::fputs("iomc: error: --engine bmc needs --depth K (the longest run to search, in steps)\n", stderr);
        return exit_error;
    }
    auto refuse = [](const char* option) {
        std::fprintf(stderr, "iomc: error: %s is not supported with --engine bmc\n", option);
        return exit_error;
    };
    if (o.json) return refuse("--json");
    if (o.all_properties) return refuse("--all-properties");
    if (o.trace_kind != "shortest") return refuse("--trace fewest-switches");
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.common.defines);
    if (!ts) return exit_error;
    symbolic::BmcOptions bo;
    bo.depth = static_cast<std::uint32_t>(o.depth);
    bo.time_limit = o.common.time_limit;
    if (!resolve_properties(*ts, o.properties, bo.properties)) return exit_error;
    const auto picked = pick_trace_format(o.trace_format, o.width, o.every_step);
    if (!picked) return exit_error;
    const std::string& format = *picked;
    const bool trace_only = (format == "json" || format == "dot") && o.trace_out.empty();

    const auto r = symbolic::bmc(*ts, bo);
    if (r.verdict == symbolic::BmcVerdict::unsupported) {
        std::fprintf(stderr, "iomc: error: the bmc engine does not support this model yet: %s\n", r.reason.c_str());
        return exit_error;
    }
    if (r.verdict == symbolic::BmcVerdict::internal_error) {
        std::fprintf(stderr, "iomc: internal error; please report: %s\n", r.reason.c_str());
        return exit_error;
    }
    std::string out = report_header(*model, *ts);
    std::string checked;
    for (const auto& p : ts->properties()) {
        const bool on = bo.properties.empty() || p.id == ir::prop_runtime_error ||
                        std::find(bo.properties.begin(), bo.properties.end(), p.id) != bo.properties.end();
        if (on) checked += (checked.empty() ? "" : ", ") + p.name;
    }
    out += fmt::format("checked: {}\n", checked);
    const std::string engine = fmt::format("engine: bounded model checking ({}), depth {} of at most {}, {:.2f} s\n",
                                           symbolic::z3_version(), r.depth, bo.depth, r.seconds);
    if (r.verdict == symbolic::BmcVerdict::no_violation) {
        out += fmt::format("result: incomplete: no violation up to depth {} (bounded model checking; this is not a "
                           "proof)\n{}",
                           bo.depth, engine);
        std::fputs(out.c_str(), stdout);
        return exit_incomplete;
    }
    if (r.verdict == symbolic::BmcVerdict::unknown) {
        out += fmt::format("result: incomplete: {} before a verdict; no violation up to depth {} (this is not a "
                           "proof)\n{}",
                           r.reason, r.depth == 0 ? std::string("-") : std::to_string(r.depth - 1), engine);
        std::fputs(out.c_str(), stdout);
        return exit_incomplete;
    }
    const auto& cx = *r.counterexample;
    out += fmt::format("result: violated: {}\n{}", traces::describe(*ts, cx.violation), engine);
    traces::Replay rep;
    if (auto err = traces::confirm(*ts, cx, rep)) {
        out += fmt::format("internal error; please report: the counterexample does not replay: {}\n", *err);
        std::fputs(out.c_str(), stdout);
        return exit_error;
    }
    const std::string rendered = *render_trace(*ts, cx, rep, format);
    const std::size_t n = cx.trace.steps.size();
    if (!o.trace_out.empty()) {
        if (!write_text_file(o.trace_out, rendered)) return exit_error;
        out += fmt::format("\ncounterexample ({} step{}, shortest) written to {} ({})\n", n, n == 1 ? "" : "s",
                           o.trace_out, format);
    } else if (trace_only) {
        std::fputs(out.c_str(), stderr);
        std::fputs(rendered.c_str(), stdout);
        return exit_violated;
    } else {
        out += fmt::format("\ncounterexample ({} step{}, shortest):\n{}", n, n == 1 ? "" : "s", rendered);
    }
    std::fputs(out.c_str(), stdout);
    return exit_violated;
}

}  // namespace iomc::cli
