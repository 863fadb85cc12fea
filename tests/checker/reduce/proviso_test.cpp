// SPDX-License-Identifier: MIT
// Unit tests of the two cycle provisos of checker/reduce (static: back edges of each process's
// control flow; stored: the successors' discovery order): the back edges marked, counts
// derived by hand, and the static proviso's one reduced graph for every search.
#include <doctest/doctest.h>

#include "checker/reduce/monotone.hpp"
#include "checker/reduce/por_tables.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;
using reduce::Proviso;

namespace {

explore::Result run(const ir::TransitionSystem& ts, Proviso p, Strategy s = Strategy::bfs, unsigned threads = 1) {
    return explore::check(ts, {.strategy = s, .stop_at_first = false, .por = true, .proviso = p, .chains = false, .por_check = true,
                               .threads = threads});
}

/// The locations of process p with a back edge.
std::vector<std::uint32_t> looping(const reduce::PorTables& t, const ir::TransitionSystem& ts, std::uint32_t p) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t l = 0; l < ts.process(ir::ProcessId{p}).locations.size(); ++l)
        if (t.loops_at(p, l)) out.push_back(l);
    return out;
}

}  // namespace

TEST_SUITE("reduce") {

TEST_CASE("the back edges are the steps that close a loop of a process, and every instance has the same") {
    // spin: t = 1 at location 0, t = 0 at location 1, back to 0: the step from 1 to 0 closes
    // the loop, the one from 0 to 1 does not. once: two steps and an end, no loop. Both
    // instances of w(i) loop at their location 0 (a self-loop: the loop's one statement).
    const auto ts = testing::compile(R"(
        type Id = scalarset(2);
        var x: 0..1;
        process spin { var t: 0..1; while (true) { t = 1; t = 0; } }
        process once { x = 1; x = 0; }
        process w(i: Id) { while (true) { skip; } })");
    const reduce::PorTables t(*ts);
    REQUIRE(ts->processes().size() == 4);
    CHECK(looping(t, *ts, 0) == std::vector<std::uint32_t>{1});
    CHECK(t.back_edge(0, 1, 0));
    CHECK_FALSE(t.back_edge(0, 0, 1));
    CHECK(looping(t, *ts, 1).empty());
    CHECK(looping(t, *ts, 2) == std::vector<std::uint32_t>{0});
    CHECK(t.back_edge(2, 0, 0));
    CHECK(looping(t, *ts, 3) == looping(t, *ts, 2));
    CHECK(std::string(reduce::proviso_name(Proviso::static_loops)) == "static");
    CHECK(std::string(reduce::proviso_name(Proviso::stored)) == "stored");
}

TEST_CASE("a step that strictly increases a counter nothing decreases closes no loop") {
    // bounded: n only grows (n += 1), so its loop's step back is on no cycle of states: no back
    // edge. shared(i): both instances add to total, which nothing decreases: none either.
    // reset: k += 1 but also k = 0; wrap: w = (w + 1) % 3; half: h grows on one path of the
    // step only; up: c += 1, but down decreases c. Those keep their back edges.
    const auto ts = testing::compile(R"(
        type Id = scalarset(2);
        var x: 0..1;
        var total: 0..4;
        var c: 0..3;
        process bounded { var n: 0..2; while (n < 2) { x = 1; n += 1; } }
        process shared(i: Id) { while (total < 4) { total = total + 1; } }
        process reset { var k: 0..2; while (true) { k += 1; k = 0; } }
        process wrap { var w: 0..2; while (true) { w = (w + 1) % 3; } }
        process half { var h: 0..2; var y: 0..1; while (true) { atomic { if (y == 0) { h += 1; } y = 1 - y; } } }
        process up { while (true) { c += 1; } }
        process down { while (true) { await c > 0; c -= 1; } }
        process both { var b: 0..4; while (b < 4) { atomic { either { b += 1; } or { b = b - (-2); } } } }
        process one { var o: 0..4; while (true) { atomic { either { o += 1; } or { skip; } } } })");
    const reduce::PorTables t(*ts);
    REQUIRE(ts->processes().size() == 10);
    const auto mono = reduce::monotone_slots(*ts);
    auto slot = [&](const std::string& name) {
        const auto slots = ts->layout().slots();
        for (std::uint32_t i = 0; i < slots.size(); ++i)
            if (slots[i].name == name) return i;
        FAIL("no slot " << name);
        return 0U;
    };
    CHECK(mono[slot("bounded.n")] == 1);
    CHECK(mono[slot("total")] == 1);
    CHECK(mono[slot("half.h")] == 1);
    CHECK(mono[slot("reset.k")] == 0);
    CHECK(mono[slot("wrap.w")] == 0);
    CHECK(mono[slot("c")] == 0);
    CHECK(mono[slot("x")] == 0);  // x = 1 is no increment
    CHECK(mono[ir::idx(ts->process(ir::ProcessId{0}).pc)] == 0);
    CHECK(looping(t, *ts, 0).empty());
    CHECK(looping(t, *ts, 1).empty());
    CHECK(looping(t, *ts, 2).empty());
    for (std::uint32_t p = 3; p < 8; ++p) {
        CAPTURE(p);
        CHECK_FALSE(looping(t, *ts, p).empty());
    }
    // An either inside one step: both: every outcome grows b (by 1, or by 2 written as a
    // subtraction), no back edge; one: the skip outcome returns to the loop with o unchanged.
    CHECK(mono[slot("both.b")] == 1);
    CHECK(mono[slot("one.o")] == 1);
    CHECK(looping(t, *ts, 8).empty());
    CHECK_FALSE(looping(t, *ts, 9).empty());
}

TEST_CASE("a bounded loop hides no violation from the static proviso and widens no state") {
    // counter steps n from 0 to 3 and ends; w breaks the invariant. With n += 1 off the loop
    // graph, {counter} is never refused, and the violation is still found (counter ends, then
    // only w can step): both provisos and the plain search agree.
    const auto ts = testing::compile(R"(
        var x: 0..1;
        process counter { var n: 0..3; while (n < 3) { n += 1; } }
        process w { x = 1; }
        invariant zero: x == 0;)");
    const auto plain = explore::check(*ts, {.stop_at_first = false});
    CHECK(plain.verdict == Verdict::violated);
    for (const auto p : {Proviso::static_loops, Proviso::stored}) {
        CAPTURE(reduce::proviso_name(p));
        const auto r = run(*ts, p);
        CHECK(r.verdict == Verdict::violated);
        CHECK(r.self_check_failure.empty());
        if (p == Proviso::static_loops) CHECK(r.reductions.por_proviso == 0);
    }
}

TEST_CASE("either proviso keeps a spinning process from hiding a violation") {
    // spin's one step is a self-loop, independent of w's x = 1, which breaks the invariant.
    // Static: {spin} steps along a back edge, so {w} is taken. Stored: {spin}'s successor is the
    // state itself, stored before, so {w} is taken. Either way s0 -w-> s1 (violated): 2 states.
    const auto ts = testing::compile(R"(
        var x: 0..1;
        process spin { while (true) { skip; } }
        process w { x = 1; }
        invariant zero: x == 0;)");
    for (const auto p : {Proviso::static_loops, Proviso::stored}) {
        for (const auto s : {Strategy::bfs, Strategy::dfs}) {
            CAPTURE(reduce::proviso_name(p));
            const auto r = run(*ts, p, s);
            CHECK(r.verdict == Verdict::violated);
            CHECK(r.stats.states == 2);
            CHECK(r.self_check_failure.empty());
        }
    }
}

TEST_CASE("the static proviso takes another set at a loop's back edge and widens where none is left") {
    // spin toggles t (0 -> 1 at location 0, 1 -> 0 back to location 0 from location 1); w sets
    // x once. s0 = (0, t0, x0): {spin} steps 0 -> 1, no back edge: s1 = (1, t1, x0). s1: {spin}
    // would step back (a back edge), so {w}: s2 = (1, t1, x1). s2: only spin can step, so every
    // step: s3 = (0, t0, x1); s3: spin again, back to s2. 4 states, 4 transitions, two states
    // (s0, s1) expanded with a proper set of the two enabled processes; none widened (s2 and
    // s3 have one enabled process, no candidate set). Without POR: 2 x 2 = 4 states as well, but 6
    // transitions (s0 and s1 fire both processes).
    const auto ts = testing::compile(R"(
        var x: 0..1;
        process spin { var t: 0..1; while (true) { t = 1; t = 0; } }
        process w { x = 1; })");
    const auto r = run(*ts, Proviso::static_loops);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 4);
    CHECK(r.stats.transitions == 4);
    CHECK(r.reductions.por_reduced == 2);
    CHECK(r.reductions.por_proviso == 0);
    CHECK(r.reductions.proviso.rfind("static: ", 0) == 0);
    const auto plain = explore::check(*ts, {.stop_at_first = false});
    CHECK(plain.stats.states == 4);
    CHECK(plain.stats.transitions == 6);
}

TEST_CASE("where every set steps along a back edge the static proviso expands every step") {
    // a and b each spin on a self-loop: at s0 both sets, {a} and {b}, step along a back edge,
    // so s0 is expanded fully, and both self-loops lead back to s0: 1 state, 2 transitions
    // (counted, not stored), widened once by the proviso.
    const auto ts = testing::compile(R"(
        process a { while (true) { skip; } }
        process b { while (true) { skip; } })");
    const auto r = run(*ts, Proviso::static_loops);
    CHECK(r.stats.states == 1);
    CHECK(r.stats.transitions == 2);
    CHECK(r.reductions.por_proviso == 1);
    CHECK(r.reductions.por_reduced == 0);
}

TEST_CASE("the static proviso's reduced graph is the same for bfs, dfs and two threads") {
    // Looping workers, each with its own mutex and counter, and a process that takes every
    // mutex once: the stored proviso's answers depend on the order states are found in, the
    // static one's only on the state.
    const auto ts = testing::compile(R"(
        type Dev = scalarset(3);
        var m: mutex[Dev];
        var c: 0..2[Dev];
        var seen: 0..3;
        process worker(d: Dev) {
            while (true) {
                lock(m[d]);
                if (c[d] < 2) { c[d] = c[d] + 1; } else { c[d] = 0; }
                unlock(m[d]);
            }
        }
        process audit {
            for d: Dev { lock(m[d]); seen = seen + 1; unlock(m[d]); }
        })");
    const auto bfs = run(*ts, Proviso::static_loops);
    CHECK(bfs.verdict == Verdict::holds);
    const auto dfs = run(*ts, Proviso::static_loops, Strategy::dfs);
    const auto two = run(*ts, Proviso::static_loops, Strategy::bfs, 2);
    CHECK(dfs.stats.states == bfs.stats.states);
    CHECK(dfs.stats.transitions == bfs.stats.transitions);
    CHECK(two.stats.states == bfs.stats.states);
    CHECK(two.stats.transitions == bfs.stats.transitions);
    const auto plain = explore::check(*ts, {.stop_at_first = false});
    CHECK(bfs.stats.states < plain.stats.states);
    const auto stored = run(*ts, Proviso::stored);
    CHECK(stored.verdict == Verdict::holds);
}

}  // TEST_SUITE
