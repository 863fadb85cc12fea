// SPDX-License-Identifier: MIT
// Unit tests of the lock order inside one step (checker/graph/lock_order): the locks and unlocks
// of an atomic step are read from its path in order (tests/fixtures/lock_order_atomic.mc), so a
// step that takes a, then b gives a --> b, a mutex taken and dropped in one step is still an
// acquisition, and one dropped before the next lock is not held at it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/graph/lock_order.hpp"
#include "checker/graph/state_graph.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

/// "a --> b" per dependency, in the order found, with " (one step)" when every occurrence is
/// inside one atomic step.
std::vector<std::string> deps(const graph::LockOrder& lo) {
    std::vector<std::string> out;
    for (const auto& d : lo.deps)
        out.push_back(lo.classes[d.from] + " --> " + lo.classes[d.to] + (d.in_one_step ? " (one step)" : ""));
    return out;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("graph") {

TEST_CASE("ABBA inside two atomic steps is a cycle that cannot deadlock in this instance") {
    // p: atomic { lock(a); lock(b); }, q: atomic { lock(b); lock(a); }. Each step gives its
    // dependency within itself; p's step runs from the initial state and from the state where q
    // is done (2 times), q's likewise. No state has a held while b is awaited: no deadlock state,
    // no guard; the report says why.
    const auto ts = testing::compile(testing::fixture("lock_order_atomic.mc"), "abba");
    const graph::StateGraph g(*ts, {}, nullptr);
    REQUIRE(g.size() == 8);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(deps(lo) == std::vector<std::string>{"a --> b (one step)", "b --> a (one step)"});
    CHECK(lo.deps[0].count == 2);
    CHECK(lo.recursive.empty());
    REQUIRE(lo.cycles.size() == 1);
    CHECK_FALSE(lo.cycles[0].deadlock_state.has_value());
    CHECK(lo.cycles[0].guards.empty());
    CHECK(lo.cycles[0].atomic == std::vector<std::size_t>{0, 1});
    const auto text = graph::render_lock_order(g, lo);
    CHECK(has(text, "WARNING: possible circular locking dependency detected\n"));
    CHECK(has(text, "Chain exists of:\n  a --> b --> a\n"));
    // The step is the atomic block; the place is its lock of b (same line as the block here).
    CHECK(has(text, "a --> b: p at test.mc:28: lock(b) takes b holding a (2 times in "
                    "all, each time both inside one atomic step)\n"));
    CHECK(has(text, "no deadlock state is reachable in this instance: a --> b, b --> a are only ever taken inside one "
                    "atomic step"));
}

TEST_CASE("a mutex taken and dropped inside one step while another is held is a dependency") {
    // p: lock(a); atomic { lock(b); unlock(b); }; q: lock(b); lock(a). From the states where p
    // holds a and q has not started or is done (2 times), p's step gives a --> b (a held from
    // before the step, so not within one step); from the state where q holds b, q's lock(a) gives
    // b --> a. A deadlock state: p holds a, q holds b (2 steps).
    const auto ts = testing::compile(testing::fixture("lock_order_atomic.mc"), "inner");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(deps(lo) == std::vector<std::string>{"a --> b", "b --> a"});
    CHECK(lo.deps[0].count == 2);
    REQUIRE(lo.cycles.size() == 1);
    REQUIRE(lo.cycles[0].deadlock_state.has_value());
    CHECK(g.path_to(*lo.cycles[0].deadlock_state).size() == 2);
    CHECK(lo.cycles[0].atomic.empty());
    CHECK(has(graph::render_lock_order(g, lo),
              "a --> b: p at test.mc:33: lock(b) takes b holding a (2 times in all)\n"));
}

TEST_CASE("a mutex dropped before the next lock of the step is not held at it") {
    // p: lock(g); atomic { lock(a); unlock(a); lock(b); unlock(b); }; q: lock(b); lock(a).
    // g --> a and g --> b (held from before the step), b --> a from q, but no a --> b.
    const auto ts = testing::compile(testing::fixture("lock_order_atomic.mc"), "dropped");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(deps(lo) == std::vector<std::string>{"g --> a", "g --> b", "b --> a"});
    CHECK_FALSE(lo.violated());
    CHECK(graph::render_lock_order(g, lo).empty());
}

TEST_CASE("two instances of one class taken in one atomic step are recursive locking") {
    // p: atomic { lock(m[0]); lock(m[1]); }: m[] --> m[].
    const auto ts = testing::compile(testing::fixture("lock_order_atomic.mc"), "recursive");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(deps(lo) == std::vector<std::string>{"m[] --> m[] (one step)"});
    REQUIRE(lo.recursive.size() == 1);
    CHECK(lo.cycles.empty());
    const auto text = graph::render_lock_order(g, lo);
    CHECK(has(text, "WARNING: possible recursive locking detected\n"));
    CHECK(has(text, "p is trying to acquire lock:\n  m[1] (m[])\n\nbut task is already holding lock:\n  m[0] (m[])\n"));
    CHECK(has(text, "first taken by p at test.mc:42: lock(m[1]), 1 time in all;"));
}

TEST_CASE("an outer lock taken earlier in the same atomic step guards the cycle") {
    // Each process takes g, then its pair, in one step: every occurrence of a --> b and b --> a
    // holds g when it takes the second mutex. The guard is named before the atomicity.
    const auto ts = testing::compile(R"(var a: mutex;
var b: mutex;
var g: mutex;
process p { atomic { lock(g); lock(a); lock(b); } atomic { unlock(b); unlock(a); unlock(g); } }
process q { atomic { lock(g); lock(b); lock(a); } atomic { unlock(a); unlock(b); unlock(g); } }
)");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(deps(lo) == std::vector<std::string>{"g --> a (one step)", "g --> b (one step)", "a --> b (one step)",
                                               "b --> a (one step)"});
    REQUIRE(lo.cycles.size() == 1);
    REQUIRE(lo.cycles[0].guards.size() == 1);
    CHECK(ts->layout().slot(lo.cycles[0].guards[0]).name == "g");
    CHECK(has(graph::render_lock_order(g, lo), "no deadlock state is reachable in this instance: every occurrence of "
                                               "every dependency of the cycle holds g (a common outer lock"));
}

TEST_CASE("subclasses taken in both orders, one of them inside an atomic step, contradict the annotation") {
    // p takes the child m[1] at subclass 1, then the parent m[0], in one step (m[]/1 --> m[]);
    // q takes them parent first (m[] --> m[]/1). The note names p's lock of m[0] inside the block.
    const auto ts = testing::compile(R"(var m: mutex[0..1];
process p { atomic { lock_nested(m[1], 1); lock(m[0]); } atomic { unlock(m[0]); unlock(m[1]); } }
process q { lock(m[0]); lock_nested(m[1], 1); unlock(m[1]); unlock(m[0]); }
)");
    const graph::StateGraph g(*ts, {}, nullptr);
    CHECK(graph::lock_nested_error(g) ==
          "test.mc:3:25: error: the lock_nested subclasses of 'm[]' contradict themselves: m[] --> m[]/1 --> m[] (a "
          "subclass gives one nesting order of the instances of a class; these are taken in both orders)\n"
          "test.mc:3:25: note: m[] --> m[]/1: q takes m[1] holding m[0]: lock_nested(m[1], 1)\n"
          "test.mc:2:44: note: m[]/1 --> m[]: p takes m[0] holding m[1]: lock(m[0])");
}

}  // TEST_SUITE
