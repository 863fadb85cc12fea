// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/chains: single-step chains of partial-order reduction, with
// state counts derived by hand, counterexamples rebuilt through unstored states, and the cases
// where chains stop (a visible step, a report, a wait cycle) or are off (stored proviso,
// symmetry).
#include <doctest/doctest.h>

#include <string>

#include "checker/explore/search.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

/// p: x = 1; x = 2; x = 3.  q: y = 1.
constexpr const char* three_steps_and_one = R"(
        var x: 0..3;  var y: 0..1;
        process p { x = 1; x = 2; x = 3; }
        process q { y = 1; })";

explore::Result run(const ir::TransitionSystem& ts, bool chains, Strategy s = Strategy::bfs, unsigned threads = 1) {
    return explore::check(ts, {.strategy = s, .stop_at_first = false, .por = true, .chains = chains,
                               .por_check = true, .threads = threads});
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("a chain passes through the states whose stubborn set is one invisible step") {
    // p: x = 1; x = 2; x = 3.  q: y = 1.  Without reductions 4 x 2 = 8 states. With POR, p
    // alone is stubborn while it can move (lowest process first among equal sets): 00 -> 10 ->
    // 20 -> 30 -> 31, 5 states. With chains: 00 is stored; 10 and 20 (p alone, one step), and
    // 30 (q alone, one step) are passed through; 31 has no step and is stored: 2 states, one
    // transition, 3 states passed through.
    const auto ts = testing::compile(three_steps_and_one);
    for (auto s : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(s));
        const auto plain = run(*ts, false, s);
        CHECK(plain.verdict == Verdict::holds);
        CHECK(plain.stats.states == 5);
        CHECK(plain.reductions.chains == "off: asked");
        const auto r = run(*ts, true, s);
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.self_check_failure.empty());
        CHECK(r.stats.states == 2);
        CHECK(r.stats.transitions == 1);
        CHECK(r.reductions.por_chained == 3);
        CHECK(r.reductions.chains == "on");
    }
    const auto two = run(*ts, true, Strategy::bfs, 2);
    CHECK(two.stats.states == 2);
    CHECK(two.reductions.por_chained == 3);
}

TEST_CASE("a counterexample through a chain lists every step and replays") {
    // p counts in a local, then publishes it; q waits for it, then fails an assertion. p's
    // three local steps, its publishing step (no invariant reads x; q is blocked) and q's await
    // are single steps: the four states after the first of them are passed through. q's assert
    // reports and still moves (two outcomes): the state before it is stored, and so is the one
    // after. 3 states; the trace has p's four steps, q's await and its failing assert.
    const auto ts = testing::compile(R"(
        var x: 0..3;
        process p { var l: 0..3; l = 1; l = 2; l = 3; x = l; }
        process q { await x == 3; assert done: false; })");
    for (auto s : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(s));
        const auto r = run(*ts, true, s);
        CHECK(r.verdict == Verdict::violated);
        CHECK(r.stats.states == 3);
        CHECK(r.reductions.por_chained == 4);
        REQUIRE(r.counterexample.has_value());
        CHECK(ts->property(r.counterexample->violation.property).name == "done");
        CHECK(r.counterexample->trace.steps.size() == 6);
        testing::check_replays(*ts, r.counterexample);
    }
}

TEST_CASE("a chain stops before a step an invariant sees, and at a wait cycle") {
    // The invariant reads x: p's steps are visible, so nothing is passed through, and the
    // violation at x == 2 is found with its run of two steps.
    const auto ts = testing::compile(std::string(three_steps_and_one) + "\ninvariant small: x < 2;");
    const auto r = run(*ts, true);
    CHECK(r.verdict == Verdict::violated);
    CHECK(r.reductions.por_chained == 0);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->trace.steps.size() == 2);

    // ABBA: a and b each take their first mutex in one step; the wait cycle is reported with
    // the same two steps with chains as without.
    const auto abba = testing::compile(R"(
        var m1: mutex;  var m2: mutex;
        process a { lock(m1); lock(m2); unlock(m2); unlock(m1); }
        process b { lock(m2); lock(m1); unlock(m1); unlock(m2); })");
    for (bool chains : {false, true}) {
        CAPTURE(chains);
        const auto d = run(*abba, chains);
        CHECK(d.verdict == Verdict::violated);
        REQUIRE(d.counterexample.has_value());
        CHECK(d.counterexample->violation.property == ir::prop_deadlock);
        CHECK(d.counterexample->trace.steps.size() == 2);
        testing::check_replays(*abba, d.counterexample);
    }
}

TEST_CASE("chains are off with the stored proviso and with symmetry, and say why") {
    const auto ts = testing::compile(three_steps_and_one);
    const auto stored = explore::check(*ts, {.por = true, .proviso = reduce::Proviso::stored});
    CHECK(stored.reductions.chains == "off: the stored proviso");
    CHECK(stored.reductions.por_chained == 0);
    CHECK(stored.stats.states == 5);
    const auto sym = testing::compile(R"(
        type Dev = scalarset(2);
        var x: 0..3[Dev];
        process p(d: Dev) { x[d] = 1; x[d] = 2; })");
    const auto r = explore::check(*sym, {.por = true, .symmetry = reduce::SymmetryMode::exact});
    CHECK(r.reductions.symmetry == reduce::SymmetryMode::exact);
    CHECK(r.reductions.chains == "off: symmetry");
    CHECK(r.reductions.por_chained == 0);
    const auto no_por = explore::check(*ts, {.por = false});
    CHECK(no_por.reductions.chains.empty());
}

}  // TEST_SUITE
