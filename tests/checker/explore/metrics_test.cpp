// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "checker/explore/simulate.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

// Two workers each add 1 or 2 to `total`. End states (both finished): total is 2, 3 or 4,
// each reached by the interleavings of the two choices: {1+1}, {1+2, 2+1}, {2+2}.
// States: initial; after one worker (total 1 or 2, 2 workers x 2 choices = 4 states, but
// w0:+1 and w1:+1 give different pcs, so 4); end states 3 (pcs all final, total 2..4).
// Total 1 + 4 + 3 = 8 states; transitions 4 (from the initial state) + 4 x 2 = 12.
constexpr const char* workers = R"(
    type W = 0..1;
    var total: 0..4 = 0;
    process w(i: W) { either { total += 1; } or { total += 2; } }
    metric per_worker: total per 2;
    metric sum: total;
    metric undefined_here: total per (total - total);
)";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("metrics give the minimum and maximum over the end states") {
    const auto ts = testing::compile(workers);
    const auto r = explore::check(*ts, {});
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.stats.states == 8);
    CHECK(r.stats.transitions == 12);
    REQUIRE(r.metrics.size() == 3);
    CHECK(r.metrics[0].name == "per_worker");
    CHECK(r.metrics[0].end_states == 3);
    CHECK(explore::format_ratio(r.metrics[0].min) == "1");
    CHECK(explore::format_ratio(r.metrics[0].max) == "2");
    CHECK(r.metrics[1].name == "sum");
    CHECK(r.metrics[1].min.num == 2);
    CHECK(r.metrics[1].max.num == 4);
    // A zero denominator leaves the metric undefined in that state.
    CHECK(r.metrics[2].end_states == 0);
    CHECK(r.metrics[2].undefined == 3);
}

TEST_CASE("a ratio prints as an integer or with up to three decimals") {
    CHECK(explore::format_ratio({3, 1}) == "3");
    CHECK(explore::format_ratio({4, 2}) == "2");
    CHECK(explore::format_ratio({1, 2}) == "0.5");
    CHECK(explore::format_ratio({4, 3}) == "1.333");
}

TEST_CASE("simulation is deterministic for a seed and averages metrics over ended runs") {
    const auto ts = testing::compile(workers);
    explore::SimulateOptions o;
    o.runs = 400;
    o.seed = 42;
    const auto a = explore::simulate(*ts, o);
    const auto b = explore::simulate(*ts, o);
    CHECK(a.runs == 400);
    CHECK(a.ended == 400);
    CHECK(a.cut == 0);
    CHECK(a.steps == 800);  // every run takes exactly two steps
    REQUIRE(a.metrics.size() == 3);
    CHECK(a.metrics[1].mean == doctest::Approx(b.metrics[1].mean));
    // Each worker adds 1 or 2 with probability 1/2: the mean total is 3; 400 runs land within
    // 0.2 of it for this seed (and any sane one: the standard error is 0.035).
    CHECK(a.metrics[1].mean == doctest::Approx(3.0).epsilon(0.07));
    CHECK(a.metrics[1].min.num == 2);
    CHECK(a.metrics[1].max.num == 4);
    CHECK(a.metrics[2].runs == 0);
}

TEST_CASE("simulation reports the first violation with a trace that replays") {
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;
        process a { x = 1; x = 2; }
        process b { await x == 2; assert x != 2; }
    )");
    explore::SimulateOptions o;
    o.runs = 50;
    const auto r = explore::simulate(*ts, o);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.violating_run == 1);
    // a runs x = 1, x = 2 (in some order with b's await), then b's assert reports: 4 steps.
    CHECK(r.counterexample->trace.steps.size() == 4);
    CHECK(ts->property(r.counterexample->violation.property).name == "assertions");
}

TEST_CASE("a run cut at the depth bound does not count as ended") {
    const auto ts = testing::compile(R"(
        var x: 0..1 = 0;
        process spin { while (true) { x = 1 - x; } }
    )");
    explore::SimulateOptions o;
    o.runs = 3;
    o.depth = 10;
    const auto r = explore::simulate(*ts, o);
    CHECK(r.runs == 3);
    CHECK(r.ended == 0);
    CHECK(r.cut == 3);
    CHECK(r.steps == 30);
    CHECK_FALSE(r.counterexample.has_value());
}

}  // TEST_SUITE
