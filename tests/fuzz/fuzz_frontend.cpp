// SPDX-License-Identifier: MIT
/// @file Fuzz target of the front end: any bytes as a .mc file, through lexer, parser, loader,
/// expectations and every pass to an ir::TransitionSystem, then a search of at most 256
/// states, and the first counterexample replayed and rendered in every format. Whatever the
/// input, it must end in diagnostics or a system, never a crash or a hang.
/// Built with libFuzzer (-DIOMC_FUZZ=ON) and, for the corpus replay, with replay_main.cpp.
/// Runs from the source root: the input is named models/scenarios/fuzz_input.mc, so that the
/// library's scenarios, which seed the corpus, find their imports.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/lang/frontend.hpp"
#include "checker/support/check.hpp"
#include "checker/support/diagnostic.hpp"
#include "traces/render_columns.hpp"
#include "traces/render_dot.hpp"
#include "traces/render_steps.hpp"
#include "traces/replay.hpp"
#include "traces/trace_json.hpp"

using namespace iomc;

namespace {

/// At most this many variants are compiled per input: more only repeat the same passes.
constexpr std::size_t max_variants = 4;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    support::DiagnosticSink sink;
    const auto model = lang::Model::from_text("models/scenarios/fuzz_input.mc", text, sink);
    if (!model) return 0;
    (void)sink.render(model->sources());
    // As the CLI does: a model that did not load is only good for rendering its diagnostics.
    if (sink.has_errors()) return 0;
    support::DiagnosticSink expect_sink;
    (void)model->expectations(expect_sink);
    (void)expect_sink.render(model->sources());
    (void)model->constants();
    (void)model->processes();
    (void)model->properties();

    std::vector<std::string> variants;
    for (const auto& v : model->variants())
        if (variants.size() < max_variants) variants.push_back(v.name);
    if (variants.empty()) variants.emplace_back();
    bool searched = false;
    for (const auto& v : variants) {
        support::DiagnosticSink vs;
        const auto ts = lang::compile(*model, lang::CompileOptions{v, {}, false}, vs);
        (void)vs.render(model->sources());
        if (!ts || searched) continue;
        // One small search, as `iomc check` runs it (BFS, partial-order reduction), to run the
        // compiled bytecode on the states it reaches.
        explore::Options o;
        o.por = true;
        o.stop_at_first = false;
        o.limits.max_states = 256;
        const auto r = explore::check(*ts, o);
        searched = true;
        if (!r.counterexample) continue;
        // A counterexample that does not replay is a bug in iomc, as `iomc check` reports it.
        traces::Replay rep;
        IOMC_CHECK(!traces::confirm(*ts, *r.counterexample, rep));
        (void)traces::render_steps(*ts, *r.counterexample, rep);
        (void)traces::render_columns(*ts, *r.counterexample, rep, traces::ColumnOptions{60, true, {}});
        (void)traces::render_columns(*ts, *r.counterexample, rep, traces::ColumnOptions{100, false, {}});
        (void)traces::render_json(*ts, *r.counterexample, rep);
        (void)traces::render_dot(*ts, *r.counterexample, rep);
    }
    return 0;
}
