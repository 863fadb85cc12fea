// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/search: exact state and transition counts, verdicts, shortest
// counterexamples, and agreement of BFS and DFS on every model.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/testing.hpp"
#include "traces/trace.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

std::string read_fixture(const std::string& relative) {
    std::ifstream f(testing::source_path(relative));
    REQUIRE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// Runs BFS and DFS with the same options. They must agree on the verdict and on each
/// property's verdict, and, when both explored everything, on the exact state and transition
/// counts. Returns the BFS result (shortest counterexamples).
explore::Result check_both(const ir::TransitionSystem& ts, explore::Options o = {}) {
    o.strategy = Strategy::bfs;
    auto bfs = explore::check(ts, o);
    o.strategy = Strategy::dfs;
    const auto dfs = explore::check(ts, o);
    CHECK(bfs.verdict == dfs.verdict);
    REQUIRE(bfs.properties.size() == dfs.properties.size());
    for (std::size_t i = 0; i < bfs.properties.size(); ++i) {
        CAPTURE(ts.property(bfs.properties[i].property).name);
        CHECK(bfs.properties[i].verdict == dfs.properties[i].verdict);
    }
    if (bfs.complete && dfs.complete) {
        CHECK(bfs.stats.states == dfs.stats.states);
        CHECK(bfs.stats.transitions == dfs.stats.transitions);
    }
    return bfs;
}

/// Full exploration (stop_at_first = false) with both strategies.
explore::Result check_all(const ir::TransitionSystem& ts) {
    explore::Options o;
    o.stop_at_first = false;
    return check_both(ts, o);
}

const explore::PropertyResult& result_of(const ir::TransitionSystem& ts, const explore::Result& r,
                                         const std::string& name) {
    const auto id = ts.find_property(name);
    REQUIRE(id.has_value());
    for (const auto& p : r.properties)
        if (p.property == *id)
            return p;
    FAIL("property not checked: " << name);
    return r.properties.front();
}

std::string describe(const ir::TransitionSystem& ts, const explore::Result& r) {
    REQUIRE(r.counterexample.has_value());
    return traces::describe(ts, r.counterexample->violation);
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("two independent writes form a diamond of four states") {
    // a: x = 1;  b: y = 1.  States (x, y, pc_a, pc_b): 00, 10, 01, 11 = 4 states;
    // transitions: 00->10, 00->01, 10->11, 01->11 = 4; the longest shortest path is 2.
    const auto ts = testing::compile(R"(
        var x: 0..1 = 0;  var y: 0..1 = 0;
        process a { x = 1; }  process b { y = 1; })");
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(strategy));
        const auto r = explore::check(*ts, {.strategy = strategy});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.complete);
        CHECK(r.stats.states == 4);
        CHECK(r.stats.transitions == 4);
        CHECK(r.stats.depth == 2);
        CHECK_FALSE(r.counterexample.has_value());
        CHECK(r.incomplete_reason.empty());
    }
}

TEST_CASE("Peterson's algorithm for two processes holds in 38 states and 64 transitions") {
    // tests/fixtures/peterson.mc. Locations of p(i), each one step: 0 flag[i] = true,
    // 1 turn = 1 - i, 2 await, 3 in_cs += 1, 4 assert, 5 in_cs -= 1, 6 flag[i] = false
    // (`while (true)` is folded away). flag[i] is true exactly at 1..6 and in_cs counts the
    // processes at 4..5, so a state is (pc0, pc1, turn). Write C = {3,4,5,6} (past the await).
    //   pc0, pc1 in {0,1}:        all 4 pairs with turn 0 or 1 (p0 can loop alone and
    //                             leave turn = 1)                                      8
    //   {0,1} x {2}:              p1 set turn = 0 and only p0's step 1 changes it,
    //                             which moves p0 to 2: turn = 0                        2
    //   {0,1} x C:                same argument, turn = 0                              8
    //   2 x 2:                    either process wrote turn last                       2
    //   2 x C:                    p1 passed its await, so p0 wrote turn = 1 after p1   4
    //   mirror images of the three rows with one process outside {0,1}: 2 + 8 + 4     14
    //   C x C:                    mutual exclusion                                     0
    //                                                                          total  38
    // Transitions: every process has one step, except p(i) at 2 when the other is not at 0
    // and turn != i. p0 blocked: (2,1,1), (2,2,1), (2,C,1) = 6 states; p1 likewise 6.
    // 2 * 38 - 12 = 64. Cross-checked with SPIN -DNOREDUCE on the same model, one statement
    // per step: 38 states stored and 65 "transitions (= stored+matched)", which counts the
    // initial state as well: 37 + 27 = 64 edges.
    const auto ts = testing::compile(read_fixture("tests/fixtures/peterson.mc"));
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 38);
    CHECK(r.stats.transitions == 64);
    CHECK(result_of(*ts, r, "mutual_exclusion").verdict == Verdict::holds);
    CHECK(result_of(*ts, r, "excl").verdict == Verdict::holds);
}

TEST_CASE("Peterson without the turn variable deadlocks after two steps") {
    // Locations: 0 flag[i] = true, 1 await !flag[1 - i], 2..5 the critical section and
    // flag[i] = false. Shortest deadlock: p(0) sets its flag, p(1) sets its flag, both wait.
    // States: pcs in {0,1}^2 = 4, one process in 2..5 and the other in {0,1}: 2 * 4 * 2 = 16,
    // both in 2..5 impossible: 20. Transitions: 2 * 20 minus blocked awaits; p(i) at 1 is
    // blocked when the other is at 1..5: 5 states each, so 40 - 10 = 30.
    const auto ts = testing::compile(R"(
        type Pid = 0..1;
        var flag: bool[Pid];
        var in_cs: 0..2 = 0;
        process p(i: Pid) {
            while (true) {
                flag[i] = true;
                await !flag[1 - i];
                in_cs += 1;
                assert excl: in_cs == 1;
                in_cs -= 1;
                flag[i] = false;
            }
        }
        invariant mutual_exclusion: in_cs <= 1;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == ir::prop_deadlock);
    CHECK(r.counterexample->violation.kind == traces::ViolationKind::deadlock);
    CHECK(r.counterexample->trace.steps.size() == 2);
    CHECK(describe(*ts, r) == "deadlock: no process can take a step");
    const auto all = check_all(*ts);
    CHECK(all.complete);
    CHECK(all.stats.states == 20);
    CHECK(all.stats.transitions == 30);
    CHECK(result_of(*ts, all, "mutual_exclusion").verdict == Verdict::holds);
}

TEST_CASE("Peterson yielding to itself breaks mutual exclusion in eight steps") {
    // turn = i instead of turn = 1 - i: the last process to write turn enters.
    //   p(0): flag, turn = 0, await (turn == 0) passes, in_cs += 1
    //   p(1): flag, turn = 1, await (turn == 1) passes, in_cs += 1   -> in_cs = 2
    // Each process needs its 4 steps to raise in_cs, so 8 is the shortest. The named
    // assertion needs a ninth step (an assert of a process with in_cs = 2).
    auto text = read_fixture("tests/fixtures/peterson.mc");
    const auto at = text.find("turn = 1 - i;");
    REQUIRE(at != std::string::npos);
    text.replace(at, 13, "turn = i;");
    const auto ts = testing::compile(text);
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.kind == traces::ViolationKind::in_state);
    CHECK(r.counterexample->trace.steps.size() == 8);
    CHECK(describe(*ts, r) == "invariant mutual_exclusion");
    const auto all = check_all(*ts);
    REQUIRE(result_of(*ts, all, "excl").counterexample.has_value());
    CHECK(result_of(*ts, all, "excl").counterexample->trace.steps.size() == 9);
    CHECK(traces::describe(*ts, result_of(*ts, all, "excl").counterexample->violation) ==
          "excl: assertion 'in_cs == 1' failed");
    CHECK(result_of(*ts, all, "mutual_exclusion").counterexample->trace.steps.size() == 8);
}

TEST_CASE("a three process lock cycle deadlocks after three steps") {
    // a: m1 then m2; b: m2 then m3; c: m3 then m1. Each takes its first lock: a holds m1,
    // b m2, c m3, and each waits for the next. Fewer steps cannot deadlock: a process that has
    // not moved waits on its first mutex, which only the process two steps into its body holds.
    //
    // State count. A process either holds nothing (pc 0 or 4: 2 ways), its first mutex only
    // (pc 1 or 3: 2 ways) or both (pc 2: 1 way). Holding both excludes the next process
    // holding anything of its own first mutex: no process has both: 4^3 = 64; exactly one
    // has both (3 ways): its successor holds nothing (2), the third holds at most its first
    // (4): 3 * 8 = 24; two cannot. 88 consistent states, minus (3,3,3): each process would
    // have released its second mutex before the next took it as its first, a cycle in time.
    // 87 states. Transitions: 3 * 87 pairs minus finished ones (a at 4: 22 states, times 3)
    // minus blocked locks (a at 0 with c at 2: 4; a at 1 with m2 held by b: 8 + 2 = 10;
    // 14 per process, 42): 261 - 66 - 42 = 153. Every path to a state has length pc_a + pc_b +
    // pc_c, so the depth is 12 under both strategies.
    const auto ts = testing::compile(R"(
        var m1: mutex;  var m2: mutex;  var m3: mutex;
        process a { lock(m1); lock(m2); unlock(m2); unlock(m1); }
        process b { lock(m2); lock(m3); unlock(m3); unlock(m2); }
        process c { lock(m3); lock(m1); unlock(m1); unlock(m3); })");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == ir::prop_deadlock);
    CHECK(ts->property(r.counterexample->violation.property).name == "deadlock");
    CHECK(r.counterexample->trace.steps.size() == 3);
    const auto all = check_all(*ts);
    CHECK(all.stats.states == 87);
    CHECK(all.stats.transitions == 153);
    CHECK(all.stats.depth == 12);
    explore::Options o;
    o.strategy = Strategy::dfs;
    o.stop_at_first = false;
    CHECK(explore::check(*ts, o).stats.depth == 12);
}

TEST_CASE("a process blocked at a label starting with end is a valid end state") {
    // waiter blocks forever at end_wait. With the label: 2 states (other before and after
    // its skip), no deadlock. Without it: the state after the skip is a deadlock, 1 step.
    const auto with_end = testing::compile(R"(
        var go: bool = false;
        process waiter { end_wait: await go; }
        process other { skip; })");
    const auto r = check_both(*with_end);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 2);
    const auto without = testing::compile(R"(
        var go: bool = false;
        process waiter { wait: await go; }
        process other { skip; })");
    const auto d = check_both(*without);
    CHECK(d.verdict == Verdict::violated);
    REQUIRE(d.counterexample.has_value());
    CHECK(d.counterexample->violation.property == ir::prop_deadlock);
    CHECK(d.counterexample->trace.steps.size() == 1);
}

TEST_CASE("a deadlock is not checked when only other properties are selected") {
    const auto ts = testing::compile(R"(
        var go: bool = false;
        process waiter { await go; })");
    explore::Options o;
    o.properties = {ir::prop_assertions};
    const auto r = check_both(*ts, o);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 1);
    // runtime_errors is always checked, and listed.
    REQUIRE(r.properties.size() == 2);
    CHECK(r.properties[0].property == ir::prop_runtime_error);
    CHECK(r.properties[1].property == ir::prop_assertions);
}

TEST_CASE("either with guarded branches takes only the open branch") {
    // b: either { await go; x = 1; } or { x = 2; }; a: go = true.
    // States (go, x, pc_a, pc_b) with pc_b: 0 choice, 1 after await, 2 end.
    //   a first: go; then b can await (pc_b 1) then x = 1, or x = 2.
    //   b first: only x = 2 (go false), then a.
    // States: (0,0,0,0) (1,0,1,0) (0,2,0,2) (1,0,1,1) (1,2,1,2) (1,1,1,2) = 6.
    // Transitions: from init 2, from (1,0,1,0) 2, (0,2,0,2) 1, (1,0,1,1) 1 = 6.
    const auto ts = testing::compile(R"(
        var go: bool = false;  var x: 0..2 = 0;
        process a { go = true; }
        process b { either { await go; x = 1; } or { x = 2; } }
        invariant never_one_without_go: x == 1 -> go;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 6);
    CHECK(r.stats.transitions == 6);
}

TEST_CASE("an atomic block is one step and its intermediate values are never seen") {
    // a: atomic { x = 1; await y == 1; x = 2; }  b: y = 1.
    // a is disabled until b has run, then moves x from 0 to 2 in one step: states
    // (x, y, pc_a, pc_b) = (0,0,0,0) (0,1,0,1) (2,1,1,1) = 3, transitions 2. x = 1 never shows.
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..1 = 0;
        process a { atomic { x = 1; await y == 1; x = 2; } }
        process b { y = 1; }
        invariant never_half: x != 1;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 3);
    CHECK(r.stats.transitions == 2);
    CHECK(r.stats.depth == 2);
}

TEST_CASE("without atomic the intermediate value breaks the invariant after one step") {
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..1 = 0;
        process a { x = 1; await y == 1; x = 2; }
        process b { y = 1; }
        invariant never_half: x != 1;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->trace.steps.size() == 1);
    CHECK(describe(*ts, r) == "invariant never_half");
}

TEST_CASE("a procedure call with a non-constant argument takes one extra step") {
    // pick(v) returns 1 for 0, else v. With y = 2; x = pick(y): y = 2, pass y (a step),
    // if (v == 0): false, return v (assigns x, resets v) = 4 steps, 5 states in a line.
    // With the constant pick(2) the argument is bound at compile time, the `if` is folded
    // away and only `return v` is a step: 2 steps, 3 states.
    const auto var_arg = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..3 = 0;
        proc pick(v: 0..3) -> 0..3 { if (v == 0) return 1; return v; }
        process p { y = 2; x = pick(y); assert x == 2; })");
    const auto r1 = check_both(*var_arg);
    CHECK(r1.verdict == Verdict::holds);
    CHECK(r1.stats.states == 6);  // the assert is a step too
    CHECK(r1.stats.depth == 5);
    const auto const_arg = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..3 = 0;
        proc pick(v: 0..3) -> 0..3 { if (v == 0) return 1; return v; }
        process p { y = 2; x = pick(2); assert x == 2; })");
    const auto r2 = check_both(*const_arg);
    CHECK(r2.verdict == Verdict::holds);
    CHECK(r2.stats.states == 4);
    CHECK(r2.stats.depth == 3);
}

TEST_CASE("an early return skips the rest of the procedure") {
    // pick(0) takes the early `return 1`: x = 1, and the assertion holds. 3 steps with the
    // non-constant argument: pass, if: true, return 1; then the assert: 5 states.
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..3 = 0;
        proc pick(v: 0..3) -> 0..3 { if (v == 0) return 1; x = 3; return v; }
        process p { x = pick(y); assert x == 1; })");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 5);
}

TEST_CASE("return resets the procedure locals so the call sites meet in one state") {
    // f(v) { var t = 0; t = v; done = true; return; } called as f(0) or f(1).
    // Each branch: t = v, done = true, return (t back to 0) = 3 steps; both branches end in
    // (done, t = 0, finished): 1 + 3 + 2 = 6 states, 6 transitions. Without the reset the
    // two ends would differ in t: 7.
    const auto ts = testing::compile(R"(
        var done: bool = false;
        proc f(v: 0..1) { var t: 0..1 = 0; t = v; done = true; return; }
        process p { either { f(0); } or { f(1); } })");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 6);
    CHECK(r.stats.transitions == 6);
}

TEST_CASE("a procedure local starts from its initializer at every call") {
    // f() { var cnt = 0; cnt += 1; x = cnt; } called twice: each call sees cnt = 0, so x = 1
    // after both. Falling off the end of the body is a return like `return;`.
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;
        proc f() { var cnt: 0..3 = 0; cnt += 1; x = cnt; }
        process p { f(); f(); assert x == 1; })");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
}

TEST_CASE("an invariant with forall names the failing binding") {
    // on[1] becomes true after one step; the instance d = 1 fails.
    const auto ts = testing::compile(R"(
        type Dev = scalarset(3);
        var on: bool[Dev];
        process p { on[Dev(1)] = true; }
        invariant all_off: forall d: Dev. !on[d];)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.check == 1);
    CHECK(r.counterexample->trace.steps.size() == 1);
    CHECK(describe(*ts, r) == "invariant all_off (d = 1)");
}

TEST_CASE("an invariant is checked in the initial state") {
    const auto ts = testing::compile(R"(
        var x: 0..3 = 2;
        process p { x = 0; }
        invariant small: x < 2;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->trace.steps.empty());
    CHECK(r.stats.states == 1);
}

TEST_CASE("past holds at the label and after it and at holds only at the label") {
    // p: x = 1; done: x = 2. Locations 0 (x = 1), 1 (done), 2 (finished).
    //   `p past done` is true at 1 and 2, `p @ done` only at 1.
    //   holds:    p past done -> x >= 1       (x = 1 at 1, x = 2 at 2)
    //   holds:    p @ done -> x == 1
    //   violated: p past done -> x == 2       at location 1, after one step
    //   violated: !(p @ done)                 after one step
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;
        process p { x = 1; done: x = 2; }
        invariant after: p past done -> x >= 1;
        invariant at_done: p @ done -> x == 1;
        invariant too_early: p past done -> x == 2;
        invariant never_there: !(p @ done);)");
    const auto r = check_all(*ts);
    CHECK(r.stats.states == 3);
    CHECK(result_of(*ts, r, "after").verdict == Verdict::holds);
    CHECK(result_of(*ts, r, "at_done").verdict == Verdict::holds);
    REQUIRE(result_of(*ts, r, "too_early").counterexample.has_value());
    CHECK(result_of(*ts, r, "too_early").counterexample->trace.steps.size() == 1);
    REQUIRE(result_of(*ts, r, "never_there").counterexample.has_value());
    CHECK(result_of(*ts, r, "never_there").counterexample->trace.steps.size() == 1);
}

TEST_CASE("a loop head above the label is not past it") {
    // while (round < 2) { armed: round += 1; }: locations 0 (the test), 1 (armed), 2 (end).
    // The test and the end are reachable from the start without going through armed, so p
    // is past armed only at armed itself, where round is 0 or 1: the invariant holds.
    const auto ts = testing::compile(R"(
        var round: 0..2 = 0;
        process p { while (round < 2) { armed: round += 1; } }
        invariant only_inside: p past armed -> round < 2;)");
    const auto r = check_both(*ts);
    CHECK(r.verdict == Verdict::holds);
    // (round, pc): (0,test) (0,armed) (1,test) (1,armed) (2,test) (2,end) = 6 states.
    CHECK(r.stats.states == 6);
}

TEST_CASE("named and unnamed assertions are separate properties") {
    // Both asserts fail on the first state they run in: the unnamed one after 1 step, the
    // named one (`positive`) after 2 (x = 0 then the assert).
    const auto ts = testing::compile(R"(
        var x: 0..2 = 1;
        process a { assert x == 2; }
        process b { x = 0; assert positive: x > 0; })");
    const auto r = check_all(*ts);
    CHECK(r.verdict == Verdict::violated);
    const auto& unnamed = result_of(*ts, r, "assertions");
    const auto& named = result_of(*ts, r, "positive");
    REQUIRE(unnamed.counterexample.has_value());
    REQUIRE(named.counterexample.has_value());
    CHECK(unnamed.counterexample->trace.steps.size() == 1);
    CHECK(named.counterexample->trace.steps.size() == 2);
    CHECK(traces::describe(*ts, unnamed.counterexample->violation) == "assertion 'x == 2' failed");
    CHECK(traces::describe(*ts, named.counterexample->violation) ==
          "positive: assertion 'x > 0' failed");
    // Selecting only the named one ignores the unnamed failure.
    explore::Options o;
    o.properties = {*ts->find_property("positive")};
    const auto only = check_both(*ts, o);
    REQUIRE(only.counterexample.has_value());
    CHECK(only.counterexample->violation.property == *ts->find_property("positive"));
    CHECK(only.counterexample->trace.steps.size() == 2);
}

TEST_CASE("stop_at_first false reports every violated property with its own shortest trace") {
    // a: x = 1; assert x == 0   -> assertions violated after 2 steps
    // b: unlock(m)              -> mutex_misuse violated after 1 step
    // States (pc_a, pc_b): 3 * 2 = 6 (x follows pc_a). Transitions: a moves from 0 and 1
    // (the failing assert reports and still moves) for each pc_b: 4; b moves once from each
    // pc_a: 3. Total 7.
    const auto ts = testing::compile(R"(
        var m: mutex;  var x: 0..1 = 0;
        process a { x = 1; assert x == 0; }
        process b { unlock(m); })");
    const auto first = check_both(*ts);
    CHECK(first.verdict == Verdict::violated);
    REQUIRE(first.counterexample.has_value());
    CHECK(first.counterexample->violation.property == ir::prop_mutex);
    CHECK(first.counterexample->trace.steps.size() == 1);

    const auto all = check_all(*ts);
    CHECK(all.verdict == Verdict::violated);
    CHECK(all.complete);
    CHECK(all.stats.states == 6);
    CHECK(all.stats.transitions == 7);
    const auto& assertions = result_of(*ts, all, "assertions");
    const auto& mutex = result_of(*ts, all, "mutex_misuse");
    CHECK(assertions.verdict == Verdict::violated);
    CHECK(mutex.verdict == Verdict::violated);
    REQUIRE(assertions.counterexample.has_value());
    REQUIRE(mutex.counterexample.has_value());
    CHECK(assertions.counterexample->trace.steps.size() == 2);
    CHECK(mutex.counterexample->trace.steps.size() == 1);
    CHECK(result_of(*ts, all, "deadlock").verdict == Verdict::holds);
    CHECK(result_of(*ts, all, "kref_misuse").verdict == Verdict::holds);
    // The overall counterexample is the first one found: the shorter.
    REQUIRE(all.counterexample.has_value());
    CHECK(all.counterexample->violation.property == ir::prop_mutex);
}

}  // TEST_SUITE
