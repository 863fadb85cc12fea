// SPDX-License-Identifier: MIT
// Unit tests of checker/graph/lock_subclasses and the lock_nested checks of lock_order: each
// mutex has the subclass of the lock instruction that took it, also when one atomic step takes
// several; the contradiction of an annotation found on its own (lock_nested_error).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/graph/lock_order.hpp"
#include "checker/graph/lock_subclasses.hpp"
#include "checker/graph/state_graph.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

/// "m[] --> m[]/1" per dependency, in the order found.
std::vector<std::string> deps(const graph::LockOrder& lo) {
    std::vector<std::string> out;
    for (const auto& d : lo.deps) out.push_back(lo.classes[d.from] + " --> " + lo.classes[d.to]);
    return out;
}

}  // namespace

TEST_SUITE("graph") {

TEST_CASE("one atomic step that takes a parent and a child gives each the subclass of its own lock") {
    // tests/fixtures/lock_nested_atomic.mc, variant relock: atomic { lock(m[first]);
    // lock_nested(m[1 - first], 1); }, then the child dropped and taken again at subclass 1.
    // The parent (m[0]) is m[] and the child m[]/1, so the atomic step (the child taken while
    // the parent is held) and the relock are both m[] --> m[]/1, and nothing else; the subclass
    // of the whole step (m[0] at 0 and 1) added m[]/1 --> m[]/1, recursive locking.
    const auto ts = testing::compile(testing::fixture("lock_nested_atomic.mc"), "relock");
    const graph::StateGraph g(*ts, {}, nullptr);
    REQUIRE(g.size() == 6);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error.empty());
    CHECK(deps(lo) == std::vector<std::string>{"m[] --> m[]/1"});
    CHECK_FALSE(lo.violated());
    CHECK(graph::render_lock_order(g, lo).empty());
}

TEST_CASE("a real inversion through a child taken in one atomic step is still a cycle") {
    // Variant inverted: the walker holds m[0] (m[]) and m[1] (m[]/1) and takes a; other takes a,
    // then m[1] at subclass 1. In BFS order: the walker's first step takes m[0], then m[1] at
    // subclass 1 (m[] --> m[]/1, within the step); from there, its lock(a) gives m[] --> a and
    // m[]/1 --> a; from other's first step, its lock_nested gives a --> m[]/1. One cycle, a --> m[]/1 --> a, with a reachable
    // deadlock (the walker holds m[1] and waits for a, other holds a and waits for m[1]).
    const auto ts = testing::compile(testing::fixture("lock_nested_atomic.mc"), "inverted");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error.empty());
    CHECK(deps(lo) == std::vector<std::string>{"m[] --> m[]/1", "m[] --> a", "m[]/1 --> a", "a --> m[]/1"});
    CHECK(lo.recursive.empty());
    REQUIRE(lo.cycles.size() == 1);
    CHECK(lo.cycles[0].deadlock_state.has_value());
}

TEST_CASE("a mutex dropped and taken again in one step has the subclass of the second lock") {
    // p: one step takes m[0], drops it and takes it again at subclass 1; then m[1] at subclass
    // 0: m[]/1 --> m[]. Both locks of the step name m[0]: the step's subclasses (0 and 1) gave
    // m[] --> m[] as well, recursive locking.
    const auto ts = testing::compile(R"(var m: mutex[0..1];
process p { atomic { lock(m[0]); unlock(m[0]); lock_nested(m[0], 1); } lock(m[1]); unlock(m[1]); unlock(m[0]); }
)");
    const graph::StateGraph g(*ts, {}, nullptr);
    const auto lo = graph::analyze_lock_order(g);
    CHECK(lo.error.empty());
    CHECK(deps(lo) == std::vector<std::string>{"m[]/1 --> m[]"});
    CHECK_FALSE(lo.violated());
}

TEST_CASE("lock_nested_error finds the contradiction on its own, and nothing without one") {
    // tests/fixtures/lock_nested.mc: contradict takes the subclasses in both orders; nested
    // only parent then child; lock_order.mc has no lock_nested (nothing is computed).
    const auto bad = testing::compile(testing::fixture("lock_nested.mc"), "contradict");
    const graph::StateGraph g(*bad, {}, nullptr);
    CHECK(graph::lock_nested_error(g) ==
          "test.mc:24:13: error: the lock_nested subclasses of 'm[]' contradict themselves: "
          "m[] --> m[]/1 --> m[] (a subclass gives one nesting order of the instances of a class; these are taken in "
          "both orders)\n"
          "test.mc:24:13: note: m[] --> m[]/1: walker(0) takes m[1] holding m[0]: lock_nested(m[1], 1)\n"
          "test.mc:20:9: note: m[]/1 --> m[]: walker(1) takes m[0] holding m[1]: lock(m[0])");
    CHECK(graph::lock_nested_error(g) == graph::analyze_lock_order(g).error);
    const auto good = testing::compile(testing::fixture("lock_nested.mc"), "nested");
    CHECK(graph::lock_nested_error(graph::StateGraph(*good, {}, nullptr)).empty());
    const auto none = testing::compile(testing::fixture("lock_order.mc"), "abba");
    CHECK(graph::lock_nested_error(graph::StateGraph(*none, {}, nullptr)).empty());
}

TEST_CASE("a recursive lock taken once is reported in lockdep's words, 1 time in all") {
    // p takes m[0], then m[1]: two instances of class m[], once (the report said "1 times").
    const auto ts = testing::compile("var m: mutex[0..1];\n"
                                     "process p { lock(m[0]); lock(m[1]); unlock(m[1]); unlock(m[0]); }\n");
    const graph::StateGraph g(*ts, {}, nullptr);
    CHECK(graph::render_lock_order(g, graph::analyze_lock_order(g)) ==
          "============================================\n"
          "WARNING: possible recursive locking detected\n"
          "--------------------------------------------\n"
          "p is trying to acquire lock:\n"
          "  m[1] (m[])\n"
          "\n"
          "but task is already holding lock:\n"
          "  m[0] (m[])\n"
          "\n"
          " Possible unsafe locking scenario:\n"
          "\n"
          "       CPU0\n"
          "       ----\n"
          "  lock(m[]);\n"
          "  lock(m[]);\n"
          "\n"
          " *** DEADLOCK ***\n"
          "\n"
          " May be due to missing lock nesting notation\n"
          "\n"
          "first taken by p at test.mc:2: lock(m[1]), 1 time in all; a shortest run:\n"
          "     1  p  test.mc:2  lock(m[0])\n"
          "     2  p  test.mc:2  lock(m[1])\n"
          "\n");
}

TEST_CASE("uses_lock_nested is true only for a lock at a subclass other than 0") {
    CHECK_FALSE(graph::uses_lock_nested(*testing::compile("var m: mutex;\nprocess p { lock(m); unlock(m); }\n")));
    CHECK_FALSE(graph::uses_lock_nested(*testing::compile("var m: mutex;\nprocess p { lock_nested(m, 0); unlock(m); }\n")));
    CHECK(graph::uses_lock_nested(*testing::compile("var m: mutex;\nprocess p { lock_nested(m, 1); unlock(m); }\n")));
}

}  // TEST_SUITE
