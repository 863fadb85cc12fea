// SPDX-License-Identifier: MIT
// Unit tests of checker/reduce: stubborn-set counts derived by hand (the cycle provisos have
// proviso_test.cpp), the mutex-aware tables, and the self-check catching a set that breaks
// condition V.
#include <doctest/doctest.h>

#include "checker/reduce/por_check.hpp"
#include "checker/reduce/por_tables.hpp"
#include "checker/reduce/stable_waits.hpp"
#include "checker/reduce/stubborn_set.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

explore::Result run(const ir::TransitionSystem& ts, bool por, Strategy s = Strategy::bfs, bool wait_visible = false) {
    return explore::check(ts, {.strategy = s, .stop_at_first = false, .por = por, .chains = false, .por_check = por,
                               .wait_cycles_visible = wait_visible});
}

}  // namespace

TEST_SUITE("reduce") {

TEST_CASE("two independent writes form a diamond that POR collapses") {
    // a: x = 1;  b: y = 1.  Without POR: {00, 10, 01, 11} = 4 states.
    // With POR one interleaving suffices: 00 -> 10 -> 11 = 3 states.
    const auto ts = testing::compile(R"(
        var x: 0..1;  var y: 0..1;
        process a { x = 1; }  process b { y = 1; })");
    for (bool por : {false, true}) {
        for (auto s : {Strategy::bfs, Strategy::dfs}) {
            CAPTURE(por);
            const auto r = run(*ts, por, s);
            CHECK(r.verdict == Verdict::holds);
            CHECK(r.stats.states == (por ? 3U : 4U));
            CHECK(r.stats.transitions == (por ? 2U : 4U));
            CHECK(r.reductions.por == por);
        }
    }
}

TEST_CASE("n independent clients need one order of their steps") {
    // Each client(d) writes probed[d]; the invariant has one check per d, and client(d) writes
    // only what check d reads. Without POR every subset of finished clients: 2^3 = 8 states;
    // with POR one order: 4 states, 3 transitions.
    const auto ts = testing::compile(R"(
        type Dev = scalarset(3);
        var probed: bool[Dev];
        process client(d: Dev) { probed[d] = true; end_probed: }
        invariant consistent: forall d: Dev. probed[d] == client(d) @ end_probed;)");
    CHECK(run(*ts, false).stats.states == 8);
    const auto r = run(*ts, true);
    CHECK(r.stats.states == 4);
    CHECK(r.stats.transitions == 3);
    // Two states expand one of several enabled clients; the third has one client left.
    CHECK(r.reductions.por_reduced == 2);
}

TEST_CASE("one invariant check over both writes keeps every interleaving visible") {
    // x + y < 2 is one check reading x and y: a's step is visible, so b (which may write y)
    // joins the set: no reduction, 4 states, and the violation in state 11 is found.
    const auto ts = testing::compile(R"(
        var x: 0..1;  var y: 0..1;
        process a { x = 1; }  process b { y = 1; }
        invariant low: x + y < 2;)");
    const auto r = run(*ts, true);
    CHECK(r.verdict == Verdict::violated);
    CHECK(r.stats.states == 4);
    CHECK(r.reductions.por_reduced == 0);
}

TEST_CASE("a blocked await pulls in only the processes that can enable it") {
    // p: await go; x = 1.   q: go = true.   r: z = 1 (independent of both).
    // Initially p is disabled and reads go; q may write go; r touches only z. Seeds: q gives
    // {q, p} (q's write of go meets p's read... p is disabled, it joins through q's
    // dependency), r gives {r}: the cheapest is {r}: 000 -> r.
    // Then {q} and p's await, then x = 1: one order, so 5 states: s0, r, q, p-await, p-x.
    // Without POR: r in {0,1} times p/q progress {(go=0,p0), (go=1,p0), (go=1,p1), (go=1,p2)}
    // = 2 x 4 = 8 states.
    const auto ts = testing::compile(R"(
        var go: bool;  var x: 0..1;  var z: 0..1;
        process p { await go; x = 1; }
        process q { go = true; }
        process r { z = 1; })");
    CHECK(run(*ts, false).stats.states == 8);
    const auto r = run(*ts, true);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 5);
    CHECK(r.stats.transitions == 4);
}

TEST_CASE("a step's own element access is exact and the others' futures cover the whole array") {
    // w(i): k = i; a[k] = true (k a local). Without POR each w has 3 locations: 9 states.
    // With POR: at (0,0) each k = i touches only its own local: {w(0)} -> (1,0). There w(0)
    // writes a[0] (recorded exactly), but w(1)'s future writes a[k] for a k not yet fixed, the
    // whole of a: conflict; the set {w(1)} (k = i) is cheaper -> (1,1). At (1,1) both futures
    // cover a: full expansion to (2,1) and (1,2), each then to (2,2). 6 states, 6 transitions.
    const auto ts = testing::compile(R"(
        type Id = scalarset(2);
        var a: bool[Id];
        process w(i: Id) { var k: Id; k = i; a[k] = true; })");
    CHECK(run(*ts, false).stats.states == 9);
    const auto r = run(*ts, true);
    CHECK(r.stats.states == 6);
    CHECK(r.stats.transitions == 6);
}

TEST_CASE("an index read from a slot no step writes selects one element for every process") {
    // the_group is never written, so used[the_group] is used[0] in every state, and the
    // footprint says so: a writes used[0], b writes used[1]; they commute: 3 states, not 4.
    const auto ts = testing::compile(R"(
        type Grp = scalarset(2);
        var the_group: Grp;
        var used: bool[Grp];
        process a { used[the_group] = true; }
        process b { used[Grp(1)] = true; })");
    std::uint32_t used1 = 0, the_group = 0;
    for (std::uint32_t i = 0; i < ts->layout().slots().size(); ++i) {
        if (ts->layout().slots()[i].name == "used[1]") used1 = i;
        if (ts->layout().slots()[i].name == "the_group") the_group = i;
    }
    const auto& fa = ts->group(ir::GroupId{0}).footprint;
    CHECK(fa.reads.contains(ir::SlotId{the_group}));
    CHECK_FALSE(fa.may_write.contains(ir::SlotId{used1}));
    CHECK(run(*ts, false).stats.states == 4);
    CHECK(run(*ts, true).stats.states == 3);
}

TEST_CASE("the tables cut a process's future at a pure lock of a mutex held elsewhere") {
    // q: y = 1; lock(m); z = 1; unlock(m).  From q's start, its future touches y, m, z; cut at
    // its lock(m) (m held by a stubborn process), only y (and its pc). q may release m only
    // after taking it, so may_release(q, start) does not contain m.
    const auto ts = testing::compile(R"(
        var m: mutex;  var y: 0..1;  var z: 0..1;
        process p { lock(m); unlock(m); }
        process q { y = 1; lock(m); z = 1; unlock(m); })");
    const reduce::PorTables t(*ts);
    const auto slot = [&](const char* name) {
        for (std::uint32_t i = 0; i < ts->layout().slots().size(); ++i)
            if (ts->layout().slots()[i].name == name) return i;
        FAIL("no slot ", name);
        return 0U;
    };
    const auto has = [](const std::vector<std::uint64_t>& w, std::uint32_t s) { return (w[s / 64] >> (s % 64) & 1U) != 0; };
    const std::uint32_t q = 1;
    REQUIRE(t.lock_targets(q).size() == 1);
    CHECK(t.lock_targets(q)[0] == slot("m"));
    const auto& all = t.future(q, 0);
    CHECK(has(all.touch, slot("y")));
    CHECK(has(all.touch, slot("m")));
    CHECK(has(all.touch, slot("z")));
    const auto cut = t.cut_future(q, 0, 1);
    CHECK(has(cut.touch, slot("y")));
    CHECK_FALSE(has(cut.touch, slot("m")));
    CHECK_FALSE(has(cut.touch, slot("z")));
    const auto rel = t.may_release(q, 0);
    CHECK_FALSE(((rel[slot("m") / 64] >> (slot("m") % 64)) & 1U) != 0);
    // After its lock (location 2: z = 1), q can release m.
    const auto rel2 = t.may_release(q, 2);
    CHECK(((rel2[slot("m") / 64] >> (slot("m") % 64)) & 1U) != 0);
}

TEST_CASE("the self-check reports a stubborn set that breaks visibility") {
    // Both steps write what the single invariant check reads; with condition V switched off the
    // set {a} leaves b's visible step outside, and the self-check says so.
    const auto ts = testing::compile(R"(
        var x: 0..1;  var y: 0..1;
        process a { x = 1; }  process b { y = 1; }
        invariant low: x + y < 2;)");
    const reduce::PorTables tables(*ts);
    ir::Interpreter interp(*ts);
    std::vector<std::uint64_t> check(tables.words(), 0);
    for (const auto s : ts->property(*ts->find_property("low")).checks[0].reads.to_vector()) check[ir::idx(s) / 64] |= 1ULL << (ir::idx(s) % 64);
    reduce::StubbornSets por(*ts, tables, interp, check);
    por.break_visibility_for_testing();
    std::vector<std::uint8_t> s0(ts->state_buffer_size());
    ts->initial_state(s0.data());
    por.expand(s0.data(), [](const std::uint8_t*) { return false; }, [](ir::GroupId, const ir::Emission&) {});
    CHECK(por.last_chosen() == 1);  // {a} alone
    reduce::PorSelfCheck self(*ts);
    const auto report = self.check(por, s0.data());
    CHECK(report.find("partial-order reduction self-check failed (a bug in iomc; please report): b 'y = 1'") == 0);
    CHECK(report.find("outside the set writes what invariant check 0 reads") != std::string::npos);
    CHECK(report.find("  state: x=0 y=0 a.pc=0 b.pc=0\n  stubborn set: a 'x = 1' (test.mc:3); [outside] b 'y = 1' (test.mc:3);") !=
          std::string::npos);
}

TEST_CASE("the wait-cycle check sees lock and unlock steps and moves onto a lock, nothing else") {
    // t1: lock(a); x = 1; unlock(a).  t2: lock(b); y = 1; unlock(b).  Locations 0 (lock),
    // 1 (the write), 2 (unlock), 3 (end) each: 16 states, 24 transitions without POR.
    // Wait cycles are stable here (mutexes change only by lock and the owner's unlock), so no
    // step is visible to them: one interleaving, t1 then t2 (the first enabled process's set),
    // (0,0) (1,0) (2,0) (3,0) (3,1) (3,2) (3,3): 7 states, 6 transitions.
    // Checked with visible steps instead (the fallback after an unlock by a non-owner), lock and
    // unlock write a mutex a pure lock step waits
    // for: visible, and V pulls in the other process (its future writes its mutex). The writes
    // are invisible and independent: at (1,j) the set {t1}, at (i,1) {t2}. BFS: (0,0) full ->
    // (1,0), (0,1); (1,0) -> (2,0); (0,1) -> (0,2); (2,0) full -> (3,0), (2,1); (0,2) full ->
    // (1,2), (0,3); then (3,1), (2,2), (1,3), (3,2), (2,3), (3,3): 15 states (never (1,1)),
    // 18 transitions. (Reading every pc, as the check once did, made every step visible.)
    const auto ts = testing::compile(R"(
        var a: mutex;  var b: mutex;  var x: 0..1;  var y: 0..1;
        process t1 { lock(a); x = 1; unlock(a); }
        process t2 { lock(b); y = 1; unlock(b); })");
    const auto plain = run(*ts, false);
    CHECK(plain.stats.states == 16);
    CHECK(plain.stats.transitions == 24);
    const auto stable = run(*ts, true);
    CHECK(stable.verdict == Verdict::holds);
    CHECK(stable.self_check_failure.empty());
    CHECK(stable.reductions.wait_cycles == "stable");
    CHECK(stable.stats.states == 7);
    CHECK(stable.stats.transitions == 6);
    const auto r = run(*ts, true, Strategy::bfs, true);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.self_check_failure.empty());
    CHECK(r.reductions.wait_cycles == "visible: asked for");
    CHECK(r.stats.states == 15);
    CHECK(r.stats.transitions == 18);
}

TEST_CASE("an unlock by a non-owner is watched for, and a wait cycle found before is kept") {
    // t3 may free a (which t1 holds) although it never took it: a wait cycle of t1 and t2 over
    // a and b could open again, so the stable reading is not sound here. The search notes the
    // unlock; the ABBA cycle it found is real all the same, so no second search is needed, and
    // the verdicts are those of the plain search.
    const auto ts = testing::compile(R"(
        var a: mutex;  var b: mutex;
        process t1 { lock(a); lock(b); unlock(b); unlock(a); }
        process t2 { lock(b); lock(a); unlock(a); unlock(b); }
        process t3 { unlock(a); })");
    for (const auto s : {Strategy::bfs, Strategy::dfs}) {
        const auto plain = run(*ts, false, s);
        const auto r = run(*ts, true, s);
        CHECK(r.self_check_failure.empty());
        CHECK(r.unowned_unlock);
        REQUIRE(r.properties.size() == plain.properties.size());
        for (std::size_t k = 0; k < r.properties.size(); ++k) CHECK(r.properties[k].verdict == plain.properties[k].verdict);
    }
    // Deadlock alone (t3's unlock reports nothing then, but is still seen).
    explore::Options o{.properties = {ir::prop_deadlock}, .stop_at_first = false, .por = true, .por_check = true};
    const auto r = explore::check(*ts, o);
    CHECK(r.verdict == Verdict::violated);
    CHECK(r.unowned_unlock);
    CHECK(r.reductions.wait_cycles == "stable");  // the cycle was found on the first run: kept
}

TEST_CASE("wait cycles are stable where only lock and unlock write mutexes, as the language guarantees") {
    // The language forbids assigning a mutex (lang: "cannot assign to mutex"), so
    // wait_cycles_unstable() finds nothing in a model the front end accepts; its check guards
    // the IR against a later construct that writes one.
    const auto ts = testing::compile(R"(
        struct Dom { lock: mutex; refs: kref(1) lifetime; }
        var d: Dom;  var m: mutex[0..1];  var i: 0..1;
        process t1 { lock(d.lock); lock(m[i]); unlock(m[i]); unlock(d.lock); }
        process t2 { kref_init(d.refs); choose i; kref_put(d.refs); })");
    CHECK(reduce::wait_cycles_unstable(*ts).empty());
    // t2 may move i while t1 holds m[i]: t1's unlock(m[i]) may then free an element it does
    // not hold. The search sees that and checks again with visible steps.
    const auto moved = run(*ts, true);
    CHECK(moved.unowned_unlock);
    CHECK(moved.reductions.wait_cycles == "visible: an unlock by a process that does not hold the mutex is reachable");
    // Without the move, every unlock is the owner's.
    std::string text = R"(
        struct Dom { lock: mutex; refs: kref(1) lifetime; }
        var d: Dom;  var m: mutex[0..1];  var i: 0..1;
        process t1 { lock(d.lock); lock(m[i]); unlock(m[i]); unlock(d.lock); }
        process t2 { kref_init(d.refs); kref_put(d.refs); })";
    const auto owned = run(*testing::compile(text), true);
    CHECK(!owned.unowned_unlock);
    CHECK(owned.reductions.wait_cycles == "stable");
}

TEST_CASE("the self-check reports a step outside the set that starts waiting at a pure lock") {
    // t1: choose x; lock(a); unlock(a).  t2: lock(a); lock(b); unlock(b); unlock(a).  In the
    // state where t2 holds a and stands at lock(b), t2's step writes b: visible to the
    // wait-cycle check. t1's choose writes no mutex, but moves t1 onto its pure lock(a).
    // With V, t1 joins the set (its whole future writes a). Without V, t1's future is cut at
    // lock(a) (t2 holds it), so {t2} alone (1 outcome) is cheaper than {t1} (2 outcomes), and
    // the self-check names t1's move.
    const auto ts = testing::compile(R"(
        var a: mutex;  var b: mutex;  var x: 0..1;
        process t1 { choose x; lock(a); unlock(a); }
        process t2 { lock(a); lock(b); unlock(b); unlock(a); })");
    const reduce::PorTables tables(*ts);
    ir::Interpreter interp(*ts);
    std::vector<std::uint64_t> check(tables.words(), 0);
    for (const auto s : ts->wait_reads().to_vector()) check[ir::idx(s) / 64] |= 1ULL << (ir::idx(s) % 64);
    reduce::StubbornSets por(*ts, tables, interp, check, true);
    CHECK(por.wait_check() == 0);
    // Fire t2's lock(a) from the initial state.
    std::vector<std::uint8_t> s0(ts->state_buffer_size()), s1(ts->state_buffer_size());
    ts->initial_state(s0.data());
    interp.fire(ts->process(ir::ProcessId{1}).group_at[0], s0.data(), [&](const ir::Emission& e) {
        REQUIRE(e.next);
        std::copy(e.next, e.next + s1.size(), s1.begin());
    });
    const auto none = [](const std::uint8_t*) { return false; };
    const auto ignore = [](ir::GroupId, const ir::Emission&) {};
    por.expand(s1.data(), none, ignore);
    CHECK(por.steps()[0].visible_checks == std::vector<std::uint32_t>{0});
    CHECK(por.steps()[1].visible_checks == std::vector<std::uint32_t>{0});
    CHECK(por.last_chosen() == 3);
    por.break_visibility_for_testing();
    por.expand(s1.data(), none, ignore);
    REQUIRE(por.last_chosen() == 2);
    reduce::PorSelfCheck self(*ts);
    const auto report = self.check(por, s1.data());
    CHECK(report.find("partial-order reduction self-check failed (a bug in iomc; please report): t1 'choose x' "
                      "(test.mc:3) outside the set starts or stops waiting at a pure lock, and a step inside changes "
                      "what the wait-cycle check reads\n") == 0);
}

}  // TEST_SUITE
