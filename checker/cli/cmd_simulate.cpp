// SPDX-License-Identifier: MIT
#include <cstdio>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/explore/simulate.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"

namespace iomc::cli {

int run_simulate(const SimulateOptions& o) {
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.defines);
    if (!ts) return exit_error;
    explore::SimulateOptions so;
    so.runs = o.runs;
    so.depth = o.depth;
    so.seed = o.seed;
    so.cancel = &interrupted;
    if (o.runs == 0 || o.depth == 0) {
        std::fprintf(stderr, "iomc: error: --runs and --depth must be at least 1\n");
        return exit_error;
    }
    if (!resolve_properties(*ts, o.properties, so.properties)) return exit_error;
    install_interrupt_handler();
    const auto r = explore::simulate(*ts, so);
    std::string out;
    out += fmt::format("model: {}\n", ts->info().file);
    if (!ts->info().variant.empty()) out += fmt::format("variant: {}\n", ts->info().variant);
    out += fmt::format("simulated: {} run{} (seed {}, at most {} steps each): {} ended, {} cut at the depth bound, "
                       "{} steps\n",
                       r.runs, r.runs == 1 ? "" : "s", o.seed, o.depth, r.ended, r.cut, r.steps);
    for (const auto& m : r.metrics) {
        if (m.runs == 0) {
            out += fmt::format("metric {}: no run ended with it defined\n", m.name);
            continue;
        }
        out += fmt::format("metric {}: mean {:.3f}, min {}, max {} over {} ended run{}\n", m.name, m.mean,
                           explore::format_ratio(m.min), explore::format_ratio(m.max), m.runs,
                           m.runs == 1 ? "" : "s");
    }
    if (r.counterexample) {
        const auto& cx = *r.counterexample;
        out += fmt::format("result: violated: {} (run {})\n", traces::describe(*ts, cx.violation), r.violating_run);
        traces::Replay rep;
        if (auto err = traces::confirm(*ts, cx, rep)) {
            out += fmt::format("internal error; please report: the trace does not replay: {}\n", *err);
            std::fputs(out.c_str(), stdout);
            return exit_error;
        }
        out += fmt::format("\ntrace ({} step{}, a random run: not the shortest):\n", cx.trace.steps.size(),
                           cx.trace.steps.size() == 1 ? "" : "s");
        out += traces::render_steps(*ts, cx, rep);
        std::fputs(out.c_str(), stdout);
        return exit_violated;
    }
    out += r.interrupted ? "result: interrupted; no violation found in the runs done (this is not a proof)\n"
                         : "result: no violation found in these runs (this is not a proof)\n";
    std::fputs(out.c_str(), stdout);
    return r.interrupted ? exit_incomplete : exit_holds;
}

}  // namespace iomc::cli
