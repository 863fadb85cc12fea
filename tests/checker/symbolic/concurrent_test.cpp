// SPDX-License-Identifier: MIT
// BMC with concurrent steps (checker/symbolic/concurrent.cpp): one step fires outcomes of
// several processes that touch no slot another of them writes. Depths and traces derived by
// hand below; the differential suite compares the option with BFS on random models and the
// library (tests/differential/bmc_test.cpp).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/symbolic/bmc.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

using testing::fixture;

symbolic::BmcResult run(const ir::TransitionSystem& ts, std::uint32_t depth, bool concurrent, bool merge = false) {
    symbolic::BmcOptions o;
    o.depth = depth;
    o.concurrent = concurrent;
    o.merge_local = merge;
    auto r = symbolic::bmc(ts, o);
    testing::check_replays(ts, r.counterexample);  // every one must replay
    return r;
}

std::string step_text(const ir::TransitionSystem& ts, const ir::Step& s) {
    return ts.process(ts.group(s.group).process).name + " " + ts.group(s.group).text;
}

}  // namespace

TEST_CASE("bmc --concurrent-steps: lost update: both reads in one step, then the writes: depth 3, 4 steps") {
    // The violation needs both workers to read x before either writes it. worker(0)'s and
    // worker(1)'s `t = x` read x and write their own t and pc: they fire together. Each
    // `x = t + 1` writes x, which every other step touches: it fires alone. So 3 concurrent
    // steps, and the first is the pair of reads, in process order.
    auto ts = testing::compile(fixture("lost_update.mc"), "racy");
    const auto plain = run(*ts, 6, false);
    REQUIRE(plain.verdict == symbolic::BmcVerdict::violated);
    CHECK(plain.depth == 4);
    const auto r = run(*ts, 6, true);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.depth == 3);
    CHECK(r.shortest);
    CHECK(r.movers == 2);
    REQUIRE(r.counterexample->trace.steps.size() == 4);
    CHECK(step_text(*ts, r.counterexample->trace.steps[0]) == "worker(0) t = x");
    CHECK(step_text(*ts, r.counterexample->trace.steps[1]) == "worker(1) t = x");
    CHECK(ts->group(r.counterexample->trace.steps[2].group).text == "x = t + 1");
    CHECK(ts->group(r.counterexample->trace.steps[3].group).text == "x = t + 1");
    // Up to 2 concurrent steps: none (so none of 2 plain steps either).
    const auto below = run(*ts, 2, true);
    CHECK(below.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(below.clean_to == 2);
}

TEST_CASE("bmc --concurrent-steps: ABBA deadlock after one step (p lock(a) and q lock(b) together)") {
    // lock(a) reads and writes a's slot, lock(b) b's: disjoint, so both fire in step 1, and
    // the state after it deadlocks. Plain: 2 steps.
    auto ts = testing::compile(fixture("abba.mc"));
    CHECK(run(*ts, 4, false).depth == 2);
    const auto r = run(*ts, 4, true);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(ts->property(r.counterexample->violation.property).name == "deadlock");
    CHECK(r.depth == 1);
    REQUIRE(r.counterexample->trace.steps.size() == 2);
    CHECK(step_text(*ts, r.counterexample->trace.steps[0]) == "p lock(a)");
    CHECK(step_text(*ts, r.counterexample->trace.steps[1]) == "q lock(b)");
}

TEST_CASE("bmc --concurrent-steps: a step that reads what another writes never fires with it (write skew)") {
    // Each process sets its flag only if the other's is clear, in one step. In any order one of
    // them sees the other's flag, so both are never set: `one` holds. Firing both steps from
    // the initial state at once, each reading the other's old flag, would set both at depth 1.
    auto c = testing::compile_text(R"(
var x: bool = false;
var y: bool = false;
process p { atomic { if (!y) x = true; } }
process q { atomic { if (!x) y = true; } }
invariant one: !(x && y);
)");
    REQUIRE(c.ts);
    const auto r = run(*c.ts, 4, true);
    CHECK(r.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(r.clean_to == 4);
}

TEST_CASE("bmc --concurrent-steps with --merge-local: the local steps of both processes merge, and both fire at once") {
    // Two instances each take two local steps (a = 1, b = 2: their own slots, which nothing else
    // reads), then write their own x[i]; the invariant reads both. Plain: 3 steps each, 6.
    // Merged: [a = 1, b = 2] and [x[i] = b] per instance, 4. Concurrent: the instances touch
    // disjoint slots, so each step fires both, 3. Both: 2, and the trace lists all 6 steps.
    auto c = testing::compile_text(R"(
var x: 0..2[0..1];
process p(i: 0..1) {
    var a: 0..2 = 0;
    var b: 0..2 = 0;
    a = 1;
    b = 2;
    x[i] = b;
}
invariant small: !(x[0] == 2 && x[1] == 2);
)");
    REQUIRE(c.ts);
    CHECK(run(*c.ts, 8, false).depth == 6);
    CHECK(run(*c.ts, 8, false, true).depth == 4);
    CHECK(run(*c.ts, 8, true).depth == 3);
    const auto r = run(*c.ts, 8, true, true);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.depth == 2);
    CHECK(r.counterexample->trace.steps.size() == 6);
}

TEST_CASE("bmc --concurrent-steps: steps are canonical: a step that could fire a step earlier does") {
    // p writes a, then b; q writes c; the invariant needs b and c. Two concurrent steps: p's
    // `a = 1` and q's `c = 1` together, then `b = 1`. The other run of two steps, `a = 1` alone
    // and then `b = 1` with `c = 1`, is not canonical: `c = 1` depends on nothing in the first
    // step and could have fired in it. So the trace is exactly p a = 1, q c = 1, p b = 1.
    auto c = testing::compile_text(R"(
var a: bool = false;
var b: bool = false;
var cc: bool = false;
process p { a = true; b = true; }
process q { cc = true; }
invariant not_both: !(b && cc);
)");
    REQUIRE(c.ts);
    const auto r = run(*c.ts, 4, true);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.depth == 2);
    REQUIRE(r.counterexample->trace.steps.size() == 3);
    CHECK(step_text(*c.ts, r.counterexample->trace.steps[0]) == "p a = true");
    CHECK(step_text(*c.ts, r.counterexample->trace.steps[1]) == "q cc = true");
    CHECK(step_text(*c.ts, r.counterexample->trace.steps[2]) == "p b = true");
}

namespace {

symbolic::BmcResult widen(const ir::TransitionSystem& ts, std::uint32_t depth) {
    symbolic::BmcOptions o;
    o.depth = depth;
    o.concurrent = true;
    o.widen = true;
    auto r = symbolic::bmc(ts, o);
    testing::check_replays(ts, r.counterexample);
    return r;
}

std::string counting(int bound) {
    return fmt::format(R"(
var n: 0..3 = 0;
process w(i: 0..2) {{ atomic {{ n += 1; }} }}
invariant below: n < {};
)",
                       bound);
}

}  // namespace

TEST_CASE("bmc --widen: round 1 moves w(0) only, round 2 w(0) and w(1): n < 2 breaks in round 2, w(2) idle") {
    // Each w(i) adds one to n in one step; the steps all write n, so they never fire together.
    // Round 1 (w(1), w(2) idle): n reaches 1, no violation up to depth 4. Round 2 (w(2) idle):
    // n = 2 after 2 steps. The run is one of the whole model; no shorter run is ruled out.
    auto c = testing::compile_text(counting(2));
    REQUIRE(c.ts);
    const auto r = widen(*c.ts, 4);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.round == 2);
    CHECK(r.rounds == 3);
    REQUIRE(r.idle.size() == 1);
    CHECK(c.ts->process(r.idle[0]).name == "w(2)");
    CHECK(r.depth == 2);
    CHECK_FALSE(r.shortest);
    CHECK(r.clean_to == -1);
    REQUIRE(r.counterexample->trace.steps.size() == 2);
}

TEST_CASE("bmc --widen: a violation that needs every instance is found in the last round, exactly") {
    auto c = testing::compile_text(counting(3));
    REQUIRE(c.ts);
    const auto r = widen(*c.ts, 4);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.round == 3);
    CHECK(r.idle.empty());
    CHECK(r.depth == 3);
    CHECK(r.shortest);
    CHECK(r.clean_to == 2);
}

TEST_CASE("bmc --widen: no violation: every round runs, the last one's depth is the claim") {
    auto c = testing::compile_text(counting(4));
    REQUIRE(c.ts);
    const auto r = widen(*c.ts, 4);
    CHECK(r.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(r.round == 3);
    CHECK(r.idle.empty());
    CHECK(r.clean_to == 4);
}

TEST_CASE("bmc --widen: an idle process that could move is no deadlock") {
    // Both instances end after one step. In round 1, once w(0) has ended, w(1) is idle but
    // enabled: the state is not deadlocked (deadlock is judged on the whole model).
    auto c = testing::compile_text(R"(
var x: bool[0..1];
process w(i: 0..1) { x[i] = true; }
)");
    REQUIRE(c.ts);
    const auto r = widen(*c.ts, 3);
    CHECK(r.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(r.round == 2);
}
