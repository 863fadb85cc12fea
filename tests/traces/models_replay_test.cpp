// SPDX-License-Identifier: MIT
#include <algorithm>
#include <filesystem>

#include <doctest/doctest.h>

#include "checker/graph/state_graph.hpp"
#include "checker/liveness/liveness.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"
#include "traces/trace_json.hpp"

using namespace iomc;

TEST_SUITE("traces") {

TEST_CASE("every counterexample of the scenario library replays and survives the json round trip") {
    // For each `violates` cell of models/scenarios: the shortest counterexample confirms
    // through the interpreter alone, and its JSON form reads back to the same steps.
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(testing::source_path("models/scenarios")))
        if (e.path().extension() == ".mc") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 6);
    std::size_t cells = 0;
    for (const auto& file : files) {
        CAPTURE(file);
        support::DiagnosticSink sink;
        auto model = lang::Model::load(file, sink);
        REQUIRE(model);
        REQUIRE_FALSE(sink.has_errors());
        for (const auto& cell : model->expectations(sink)) {
            if (cell.verdict != lang::ast::Verdict::violates) continue;
            CAPTURE(cell.variant);
            CAPTURE(cell.property);
            auto ts = lang::compile(*model, {cell.variant, {}}, sink);
            REQUIRE(ts);
            const auto prop = ts->find_property(cell.property);
            REQUIRE(prop.has_value());
            // Liveness cells: the whole state graph and a lasso (checker/liveness/).
            explore::Result r;
            if (ts->property(*prop).kind == ir::PropertyKind::liveness) {
                const graph::StateGraph g(*ts, {}, nullptr);
                r.counterexample = liveness::check(g, ts->property(*prop)).counterexample;
            } else {
                r = explore::check(*ts, {.properties = {*prop}});
            }
            REQUIRE(r.counterexample.has_value());
            traces::Replay rep;
            const auto err = traces::confirm(*ts, *r.counterexample, rep);
            CHECK_FALSE(err.has_value());
            if (err) continue;
            std::string error;
            const auto back = traces::parse_trace_json(traces::render_json(*ts, *r.counterexample, rep), error);
            REQUIRE(back.has_value());
            CHECK(back->model_id == ts->model_id());
            CHECK(back->property == cell.property);
            CHECK(back->kind == r.counterexample->violation.kind);
            CHECK(back->cycle_start == r.counterexample->violation.cycle_start);
            REQUIRE(back->steps.size() == r.counterexample->trace.steps.size());
            for (std::size_t i = 0; i < back->steps.size(); ++i) {
                CHECK(back->steps[i].group == ir::idx(r.counterexample->trace.steps[i].group));
                CHECK(back->steps[i].outcome == r.counterexample->trace.steps[i].outcome);
            }
            ++cells;
        }
    }
    // 71 cells say `violates` across the six scenarios (two are liveness lassos of
    // ops::eventually_probed; iomc test models/scenarios lists them);
    // none may be skipped silently. Adding a cell means updating this count.
    CHECK(cells == 71);
    MESSAGE("violated cells replayed: ", cells);
}

}  // TEST_SUITE
