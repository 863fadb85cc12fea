// SPDX-License-Identifier: MIT
// Partial-order reduction with invariants over process locals and mutex holders: the steps that
// write a local (or take a mutex) an invariant reads are visible, so the reduction keeps the
// interleavings that reach a violation (counts derived by hand).
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Verdict;

namespace {

explore::Result run(const ir::TransitionSystem& ts, bool por) {
    return explore::check(ts, {.stop_at_first = false, .por = por, .por_check = por});
}

}  // namespace

TEST_SUITE("reduce") {

TEST_CASE("one invariant check over two processes' locals keeps both steps visible") {
    // As "one invariant check over both writes" with globals: a's local x and b's local y, each
    // set once. 4 states with and without POR, and the violation in the last.
    const auto ts = testing::compile(R"(
        process a { var x: 0..1 = 0; x = 1; }
        process b { var y: 0..1 = 0; y = 1; }
        invariant low: a.x + b.y < 2;)");
    for (bool por : {false, true}) {
        CAPTURE(por);
        const auto r = run(*ts, por);
        CHECK(r.verdict == Verdict::violated);
        CHECK(r.stats.states == 4);
        CHECK(r.reductions.por_reduced == 0);
    }
}

TEST_CASE("locals no invariant reads stay invisible: POR collapses the diamond") {
    // The same model with an invariant over a's local alone: b's step is invisible and
    // independent of a's, so POR explores one order: 3 states instead of 4.
    const auto ts = testing::compile(R"(
        process a { var x: 0..1 = 0; x = 1; }
        process b { var y: 0..1 = 0; y = 1; }
        invariant low: a.x < 2;)");
    CHECK(run(*ts, false).stats.states == 4);
    const auto r = run(*ts, true);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 3);
}

TEST_CASE("an invariant over a mutex's holder sees the lock steps") {
    // a and b each lock m and stop holding it. !held_by(m, b) breaks when b locks first; with
    // POR the lock steps are visible and dependent (both write m), so the violation is found.
    const auto ts = testing::compile(R"(
        var m: mutex;
        process a { lock(m); }
        process b { lock(m); }
        invariant not_b: !held_by(m, b);)");
    for (bool por : {false, true}) {
        CAPTURE(por);
        const auto r = run(*ts, por);
        REQUIRE(r.verdict == Verdict::violated);
        CHECK(r.counterexample->trace.steps.size() == 1);
    }
}

}  // TEST_SUITE
