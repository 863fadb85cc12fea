// SPDX-License-Identifier: MIT
// Liveness under weak fairness and lock order on the whole state graph: verdicts derived by
// hand (each model's comment says why), lassos that replay, and lockdep's words.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "checker/explore/memory.hpp"
#include "checker/graph/lock_order.hpp"
#include "checker/graph/state_graph.hpp"
#include "checker/liveness/liveness.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"

using namespace iomc;
using explore::Verdict;

namespace {

std::string read_fixture(const std::string& relative) {
    std::ifstream in(testing::source_path(relative));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A worker that may choose `skip` forever: a fair lasso that never reaches `done`.
constexpr const char* skip_loop = R"(
var done: bool;
process worker { while (!done) { either { done = true; } or { skip; } } }
liveness finishes: eventually done;
)";

liveness::Outcome live(const ir::TransitionSystem& ts, const std::string& name) {
    const graph::StateGraph g(ts, {}, nullptr);
    REQUIRE(g.complete());
    return liveness::check(g, ts.property(*ts.find_property(name)));
}

}  // namespace

TEST_SUITE("liveness") {

TEST_CASE("weak fairness makes a continuously enabled process step") {
    // Without fairness the spinner's loop would starve the worker forever.
    const auto ts = testing::compile(R"(
var done: bool;
var spins: 0..1;
process worker { done = true; }
process spinner { while (true) { spins = 1 - spins; } }
liveness finishes: eventually done;
)");
    const auto out = live(*ts, "finishes");
    CHECK(out.verdict == Verdict::holds);
    CHECK_FALSE(out.vacuous);
}

TEST_CASE("a loop that may choose skip forever is a fair lasso, and it replays") {
    const auto ts = testing::compile(skip_loop);
    const auto out = live(*ts, "finishes");
    REQUIRE(out.verdict == Verdict::violated);
    REQUIRE(out.counterexample.has_value());
    const auto& cx = *out.counterexample;
    CHECK(cx.violation.kind == traces::ViolationKind::lasso);
    CHECK(cx.violation.trigger_at == 0);
    CHECK(cx.violation.cycle_start < cx.trace.steps.size());  // a real cycle
    traces::Replay r;
    CHECK_FALSE(traces::confirm(*ts, cx, r).has_value());
    // Cut the cycle's last step: it no longer returns to its first state.
    auto broken = cx;
    broken.trace.steps.pop_back();
    if (broken.violation.cycle_start < broken.trace.steps.size()) {
        const auto err = traces::confirm(*ts, broken, r);
        REQUIRE(err.has_value());
        CHECK(err->find("does not return to its first state") != std::string::npos);
    }
}

TEST_CASE("a run that ends without the goal is a lasso with an empty cycle") {
    const auto ts = testing::compile(R"(
var done: bool;
process worker { either { done = true; } or { skip; } }
liveness finishes: eventually done;
)");
    const auto out = live(*ts, "finishes");
    REQUIRE(out.verdict == Verdict::violated);
    const auto& cx = *out.counterexample;
    CHECK(cx.trace.steps.size() == 1);
    CHECK(cx.violation.cycle_start == 1);
    traces::Replay r;
    CHECK_FALSE(traces::confirm(*ts, cx, r).has_value());
}

TEST_CASE("leads_to: a dropped request; a trigger nothing reaches holds vacuously") {
    const auto ts = testing::compile(R"(
var req: bool;
var grant: bool;
var never: bool;
process client { req = true; await grant; }
process server { await req; either { grant = true; } or { skip; } }
liveness served: req leads_to grant;
liveness vacuous: never leads_to grant;
)");
    const auto served = live(*ts, "served");
    REQUIRE(served.verdict == Verdict::violated);
    CHECK(served.counterexample->violation.trigger_at == 1);  // after the client's req = true
    traces::Replay r;
    CHECK_FALSE(traces::confirm(*ts, *served.counterexample, r).has_value());
    const auto vac = live(*ts, "vacuous");
    CHECK(vac.verdict == Verdict::holds);
    CHECK(vac.vacuous);
    CHECK(vac.note == "no reachable state satisfies the left side of 'leads_to' (test.mc:8:19)");
}

TEST_CASE("a constant side is an error at its place") {
    const auto ts = testing::compile(R"(
var x: bool;
process p { x = true; }
liveness c: eventually true;
)");
    const auto out = live(*ts, "c");
    CHECK(out.error == "test.mc:4:24: error: the goal of liveness property 'c' reads no variable and no process "
                       "location: it is a constant");
}

TEST_CASE("a model in which no process takes a step is an error at the property") {
    // Fairness is per process: with no step there is no run but the initial state. (A model
    // without any process is a front-end error already.)
    const auto ts = testing::compile("var done: bool;\nprocess idle { }\nliveness finishes: eventually done;\n");
    const auto out = live(*ts, "finishes");
    CHECK(out.error == "test.mc:3:10: error: liveness property 'finishes' has no process to be fair to: no process of "
                       "this model takes a step, so its only run is the initial state");
}

TEST_CASE("leads_to instances whose trigger nothing reaches are named as vacuous") {
    // requested[0] is made and granted; requested[1] never: (d = 1) holds only vacuously.
    const auto ts = testing::compile(read_fixture("tests/fixtures/liveness_vacuous.mc"));
    const auto served = live(*ts, "served");
    CHECK(served.verdict == Verdict::holds);
    CHECK_FALSE(served.vacuous);
    CHECK(served.vacuous_for == std::vector<std::string>{"d = 1"});
    CHECK(served.note == "no reachable state satisfies the left side of 'leads_to' (test.mc:13:33)");
    const auto revocation = live(*ts, "revocation");
    CHECK(revocation.verdict == Verdict::holds);
    CHECK(revocation.vacuous);
    CHECK(revocation.vacuous_for.empty());
}

TEST_CASE("forall binders give one instance each; the counterexample names it") {
    const auto ts = testing::compile(R"(
type Pid = 0..1;
var done: bool[Pid];
process w(i: Pid) { if (i == 0) { done[i] = true; } }
liveness each: forall i: Pid. eventually done[i];
)");
    const auto out = live(*ts, "each");
    REQUIRE(out.verdict == Verdict::violated);
    CHECK(traces::describe(*ts, out.counterexample->violation) ==
          "liveness each (i = 1): a fair run never reaches the goal");
}

TEST_CASE("a mutex waiter starves under weak fairness, not under strong fairness") {
    const auto ts = testing::compile(read_fixture("tests/fixtures/starvation.mc"));
    const graph::StateGraph g(*ts, {}, nullptr);
    REQUIRE(g.complete());
    const auto& p = ts->property(*ts->find_property("gets_the_mutex"));
    const auto weak = liveness::check(g, p, false);
    REQUIRE(weak.verdict == Verdict::violated);
    auto cx = *weak.counterexample;
    CHECK_FALSE(cx.violation.strong_fairness);
    traces::Replay r;
    CHECK_FALSE(traces::confirm(*ts, cx, r).has_value());
    // The same cycle is not strongly fair: the waiter can take m after each unlock.
    cx.violation.strong_fairness = true;
    const auto err = traces::confirm(*ts, cx, r);
    REQUIRE(err.has_value());
    CHECK(*err == "strong fairness fails on the cycle: waiter can step in some state of it and never does");
    CHECK(liveness::check(g, p, true).verdict == Verdict::holds);
}

TEST_CASE("lock order: ABBA is a cycle with a reachable deadlock; an outer lock guards it") {
    const auto abba = testing::compile(read_fixture("tests/fixtures/lock_order.mc"), "abba");
    const graph::StateGraph g(*abba, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    REQUIRE(lo.cycles.size() == 1);
    CHECK(lo.classes == std::vector<std::string>{"a", "b", "g"});
    CHECK(lo.cycles[0].deadlock_state.has_value());
    const auto text = graph::render_lock_order(g, lo);
    CHECK(text.find("WARNING: possible circular locking dependency detected") != std::string::npos);
    CHECK(text.find("Chain exists of:\n  a --> b --> a\n") != std::string::npos);
    CHECK(text.find("a deadlock state of this cycle is reachable") != std::string::npos);

    const auto guarded = testing::compile(read_fixture("tests/fixtures/lock_order.mc"), "guarded");
    const graph::StateGraph g2(*guarded, {}, nullptr);
    const auto lo2 = graph::analyze_lock_order(g2);
    REQUIRE(lo2.cycles.size() == 1);
    CHECK_FALSE(lo2.cycles[0].deadlock_state.has_value());
    REQUIRE(lo2.cycles[0].guards.size() == 1);
    CHECK(guarded->layout().slot(lo2.cycles[0].guards[0]).name == "g");

    const auto ordered = testing::compile(read_fixture("tests/fixtures/lock_order.mc"), "ordered");
    const graph::StateGraph g3(*ordered, {}, nullptr);
    CHECK_FALSE(graph::analyze_lock_order(g3).violated());
}

TEST_CASE("lock order: two instances of one array class are recursive locking") {
    const auto ts = testing::compile(read_fixture("tests/fixtures/lock_recursive.mc"));
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.classes == std::vector<std::string>{"m[]"});
    CHECK(lo.recursive.size() == 1);
    CHECK(graph::render_lock_order(g, lo).find("WARNING: possible recursive locking detected") != std::string::npos);
}

TEST_CASE("lock order: lock_nested takes a class at a subclass of its own") {
    // Parent, then the child at subclass 1: m[] --> m[]/1, no cycle, no recursive locking.
    const auto ts = testing::compile(read_fixture("tests/fixtures/lock_nested.mc"), "nested");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error.empty());
    CHECK(lo.classes == std::vector<std::string>{"m[]", "m[]/1"});
    REQUIRE(lo.deps.size() == 1);
    CHECK(lo.deps[0].from == 0);
    CHECK(lo.deps[0].to == 1);
    CHECK_FALSE(lo.violated());
    // Without the annotation: one class, recursive locking.
    const auto plain = testing::compile(read_fixture("tests/fixtures/lock_nested.mc"), "plain");
    const graph::StateGraph g2(*plain, {}, nullptr);
    const auto lo2 = graph::analyze_lock_order(g2);
    CHECK(lo2.classes == std::vector<std::string>{"m[]"});
    CHECK(lo2.recursive.size() == 1);
}

TEST_CASE("lock order: a held subclass is followed along the run") {
    // t takes m[1] at subclass 1 and then a: the dependency is m[]/1 --> a, whatever state the
    // lock left behind. u takes a, then m[1] at subclass 1: a --> m[]/1. A cycle, in lockdep's
    // notation for subclasses.
    const auto ts = testing::compile(R"(var m: mutex[0..1];
var a: mutex;
process t { lock_nested(m[1], 1); lock(a); unlock(a); unlock(m[1]); }
process u { lock(a); lock_nested(m[1], 1); unlock(m[1]); unlock(a); }
)");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error.empty());
    CHECK(lo.classes == std::vector<std::string>{"m[]", "a", "m[]/1"});
    REQUIRE(lo.cycles.size() == 1);
    CHECK(graph::render_lock_order(g, lo).find("Chain exists of:\n  a --> m[]/1 --> a\n") != std::string::npos);
}

TEST_CASE("lock order: subclasses of one class taken in both orders are an error at the lock_nested") {
    const auto ts = testing::compile(read_fixture("tests/fixtures/lock_nested.mc"), "contradict");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error ==
          "test.mc:24:13: error: the lock_nested subclasses of 'm[]' contradict themselves: "
          "m[] --> m[]/1 --> m[] (a subclass gives one nesting order of the instances of a class; these are taken in "
          "both orders)\n"
          "test.mc:24:13: note: m[] --> m[]/1: walker(0) takes m[1] holding m[0]: lock_nested(m[1], 1)\n"
          "test.mc:20:9: note: m[]/1 --> m[]: walker(1) takes m[0] holding m[1]: lock(m[0])");
}

TEST_CASE("lock_nested needs a mutex and a constant subclass 0..7") {
    CHECK(testing::diagnostics(R"(var m: mutex;
var k: 0..3;
process p { lock_nested(m, 8); lock_nested(m, k); lock_nested(m); unlock(m); }
)") == "test.mc:3:28: error: lock_nested() needs a constant subclass 0..7, found '8'\n"
       "    3 | process p { lock_nested(m, 8); lock_nested(m, k); lock_nested(m); unlock(m); }\n"
       "      |                            ^\n"
       "test.mc:3:47: error: lock_nested() needs a constant subclass 0..7, found 'k'\n"
       "    3 | process p { lock_nested(m, 8); lock_nested(m, k); lock_nested(m); unlock(m); }\n"
       "      |                                               ^\n"
       "test.mc:3:51: error: lock_nested() takes a mutex and a subclass: lock_nested(m, 1)\n"
       "    3 | process p { lock_nested(m, 8); lock_nested(m, k); lock_nested(m); unlock(m); }\n"
       "      |                                                   ^~~~~~~~~~~~~~\n"
       "3 errors\n");
}

TEST_CASE("lock order: a wait cycle beside a process that runs forever is a reachable deadlock of the cycle") {
    // hw can always step, so no state is without a step; t1 and t2 still wait for each other.
    const auto ts = testing::compile(R"(var a: mutex;
var b: mutex;
var polls: 0..1;
process t1 { lock(a); lock(b); unlock(b); unlock(a); }
process t2 { lock(b); lock(a); unlock(a); unlock(b); }
process hw { while (true) { polls = 1 - polls; } }
)");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    REQUIRE(lo.cycles.size() == 1);
    REQUIRE(lo.cycles[0].deadlock_state.has_value());
    CHECK(g.path_to(*lo.cycles[0].deadlock_state).size() == 2);
}

TEST_CASE("the whole state graph stops at its memory limit, and liveness on it is incomplete") {
    const auto ts = testing::compile(R"(
var x: 0..1000 = 0;
process p { while (x < 1000) { x += 1; } }
liveness done: eventually x == 1000;
)");
    // The process's resident set alone is over one byte: the first state has no room.
    const graph::StateGraph tiny(*ts, {.max_memory = 1}, nullptr);
    CHECK_FALSE(tiny.complete());
    CHECK(tiny.incomplete_reason() == "memory limit 1 bytes reached");
    const auto out = liveness::check(tiny, ts->property(*ts->find_property("done")));
    CHECK(out.verdict == Verdict::incomplete);
    CHECK(out.note == "memory limit 1 bytes reached");
    // Room for the whole graph: 2002 states (x = 0..1000 at the loop's test, x = 0..999 before
    // the increment, and the end), and what it holds is what its budget says.
    const auto cap = explore::current_rss_bytes() + (std::uint64_t{256} << 20);
    const graph::StateGraph g(*ts, {.max_memory = cap}, nullptr);
    REQUIRE(g.complete());
    CHECK(g.size() == 2002);
    CHECK(g.memory() == g.budget().used());
    CHECK(g.memory() > 0);
}

TEST_CASE("a liveness analysis without room in the graph's memory budget is incomplete, not a crash") {
    const auto ts = testing::compile(skip_loop);
    const auto cap = explore::current_rss_bytes() + (std::uint64_t{64} << 20);
    const graph::StateGraph g(*ts, {.max_memory = cap}, nullptr);
    REQUIRE(g.complete());
    const auto& p = ts->property(*ts->find_property("finishes"));
    {
        // Take every byte the budget has left.
        std::vector<std::unique_ptr<explore::Reservation>> all;
        for (std::uint64_t chunk = std::uint64_t{1} << 30; chunk > 0; chunk /= 2)
            for (;;) {
                auto r = std::make_unique<explore::Reservation>(g.budget(), chunk);
                if (!r->ok()) break;
                all.push_back(std::move(r));
            }
        const auto out = liveness::check(g, p);
        CHECK(out.verdict == Verdict::incomplete);
        CHECK(out.note == fmt::format("memory limit {} bytes reached in the liveness analysis", cap));
        CHECK_FALSE(out.counterexample.has_value());
    }
    // With the room back, the verdict (the skip loop is a fair lasso).
    CHECK(liveness::check(g, p).verdict == Verdict::violated);
    CHECK(liveness::working_bytes(10, 30) == 10 * 80 + 30 * 8);
}

}  // TEST_SUITE
