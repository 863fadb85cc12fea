// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/query: schedules on small models whose runs are drawn by hand.
// Each feasible answer is checked step by step; each infeasible one by its node count (derived
// below), the entry it stops at and the reason it gives.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/explore/query.hpp"
#include "checker/support/diagnostic.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"
#include "traces/schedule.hpp"

using namespace iomc;

namespace {

traces::Schedule schedule(const ir::TransitionSystem& ts, const std::string& text) {
    support::SourceManager sm;
    const auto f = sm.add("t.sched", text);
    support::DiagnosticSink sink;
    auto s = traces::parse_schedule(ts, sm, f, sink);
    REQUIRE_MESSAGE(s.has_value(), sink.render(sm));
    return *s;
}

/// "a: x = 1" per step: the process and the statement that ran.
std::vector<std::string> steps(const ir::TransitionSystem& ts, const traces::Trace& t) {
    const auto r = traces::replay(ts, t);
    REQUIRE_MESSAGE(r.ok, r.error);
    std::vector<std::string> out;
    for (const auto& s : r.steps)
        out.push_back(ts.process(s.process).name + ": " +
                      (s.stmt == UINT32_MAX ? ts.group(s.step.group).text : ts.statement(s.stmt).text));
    return out;
}

// Two processes take a mutex, set x, and release it.
constexpr const char* locked = R"(var m: mutex;
var x: 0..3;
process a { lock(m); x = 1; unlock(m); }
process b { lock(m); x = 2; unlock(m); }
)";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("query: a feasible schedule gives the shortest run with the entries in order") {
    const auto ts = testing::compile(locked);
    // b must set x before a does: b takes the mutex, sets x, releases it; a then takes it and
    // sets x. Five steps, entries at steps 2 and 5. No shorter run exists: a's `x = 1` needs
    // the mutex, which b holds from its lock to its unlock.
    const auto r = explore::query(*ts, schedule(*ts, "b: \"x = 2\"\na: \"x = 1\"\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::feasible);
    CHECK(steps(*ts, r.run.trace) ==
          std::vector<std::string>{"b: lock(m)", "b: x = 2", "b: unlock(m)", "a: lock(m)", "a: x = 1"});
    CHECK(r.entry_steps == std::vector<std::size_t>{1, 4});
    CHECK(r.run.violation.property == ir::no_property);
}

TEST_CASE("query: a step that matches a later entry may not come early") {
    const auto ts = testing::compile(locked);
    // Entry 1: a takes m. Entry 2 needs b's `x = 2`, so b must take m, but a holds it until it
    // has run `x = 1`, which entry 3 puts after entry 2: cut. Nodes, as (state, entries matched):
    //   (S0, 0) initial; a: lock(m) matches entry 1 -> (S1, 1); b: lock(m) -> (S2, 0).
    //   (S1, 1): a: x = 1 matches entry 3 (cut); b is blocked on m.          -> dead end
    //   (S2, 0): b: x = 2 matches entry 2 before entry 1 (cut); a is blocked. -> dead end
    // Three nodes; four steps fired (2 from S0, 1 each from S1 and S2). The deepest layer is
    // k = 1, so entry 2 is the first entry no run reaches.
    const auto r = explore::query(*ts, schedule(*ts, "a: lock\nb: \"x = 2\"\na: \"x = 1\"\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::infeasible);
    CHECK(r.nodes == 3);
    CHECK(r.transitions == 4);
    CHECK(r.unreached == 1);
    CHECK(r.nodes_before == 1);
    CHECK(r.at_step.empty());  // b stands at lock(m), which is not the step `x = 2`
    REQUIRE(r.stopped.size() == 1);
    CHECK(r.stopped[0].text == "b waits at test.mc:4: lock(m): m is held by a");
    CHECK(r.stopped[0].nodes == 1);
    CHECK(r.held_back == std::vector<std::string>{"a test.mc:3: x = 1 (entry 3)"});
    CHECK_FALSE(r.runs_forever);
    CHECK(steps(*ts, r.example) == std::vector<std::string>{"a: lock(m)"});
    CHECK(r.example_state == std::vector<std::string>{
                                 "a is at test.mc:3: x = 1; the schedule holds that step back for entry 3",
                                 "b waits at test.mc:4: lock(m): m is held by a",
                                 "m is held by a",
                             });
}

TEST_CASE("query: the process gets to the step but the mutex is held") {
    const auto ts = testing::compile(locked);
    // As above, but entry 2 is b's lock(m) itself: b stands at it, disabled, in (S1, 1).
    const auto r = explore::query(*ts, schedule(*ts, "a: lock\nb: lock\na: \"x = 1\"\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::infeasible);
    CHECK(r.unreached == 1);
    REQUIRE(r.at_step.size() == 1);
    CHECK(r.at_step[0].text == "b waits at test.mc:4: lock(m): m is held by a");
    CHECK(r.at_step[0].nodes == 1);
}

TEST_CASE("query: a false guard, and a process that has finished") {
    const auto ts = testing::compile(R"(var flag: bool;
var x: 0..3;
process a { await flag; x = 1; }
process b { x = 2; }
)");
    // Nobody sets flag. Nodes: (S0, 0) -b-> (S1, 0); a never moves. S1 is a dead end.
    const auto r = explore::query(*ts, schedule(*ts, "a: \"x = 1\"\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::infeasible);
    CHECK(r.nodes == 2);
    CHECK(r.transitions == 1);
    CHECK(r.unreached == 0);
    CHECK(r.nodes_before == 2);
    REQUIRE(r.stopped.size() == 1);
    CHECK(r.stopped[0].text == "a waits at test.mc:3: await flag: the condition is false");
    CHECK(steps(*ts, r.example) == std::vector<std::string>{"b: x = 2"});
    CHECK(r.example_state ==
          std::vector<std::string>{"a waits at test.mc:3: await flag: the condition is false", "b has finished"});

    // b sets x once: a second `x = 2` of b never comes, because b has finished.
    const auto twice = explore::query(*ts, schedule(*ts, "b: \"x = 2\"\nb: \"x = 2\"\n"), {});
    REQUIRE(twice.verdict == explore::QueryVerdict::infeasible);
    CHECK(twice.unreached == 1);
    REQUIRE(twice.stopped.size() == 1);
    CHECK(twice.stopped[0].text == "b has finished");
}

TEST_CASE("query: a label entry matches the step that reaches the label") {
    const auto ts = testing::compile(R"(var x: 0..3;
process a { x = 1; here: x = 2; }
process b { x = 3; }
)");
    const auto r = explore::query(*ts, schedule(*ts, "a: @here\nb: \"x = 3\"\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::feasible);
    CHECK(steps(*ts, r.run.trace) == std::vector<std::string>{"a: x = 1", "b: x = 3"});
    CHECK(r.entry_steps == std::vector<std::size_t>{0, 1});
}

TEST_CASE("query: violates: the run goes on to the violation, or the property never breaks") {
    // The lost update: each process reads x under m, releases m, and writes x + 1.
    const auto ts = testing::compile(R"(var m: mutex;
var x: 0..2;
var done: 0..2;
proc read() -> 0..2 { lock(m); var t: 0..2 = 0; t = x; unlock(m); return t; }
process a { var v: 0..2 = 0; v = read(); x = v + 1; done += 1; }
process b { var v: 0..2 = 0; v = read(); x = v + 1; done += 1; }
invariant counted: done == 2 => x == 2;
)");
    // Both read before either writes: the update is lost.
    const auto r = explore::query(*ts, schedule(*ts, "a: read \"t = x\"\nb: read \"t = x\"\nviolates counted\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::feasible);
    traces::Replay rep;
    CHECK_FALSE(traces::confirm(*ts, r.run, rep).has_value());
    const auto s = steps(*ts, r.run.trace);
    REQUIRE(r.entry_steps.size() == 2);
    CHECK(s[r.entry_steps[0]] == "a: t = x");
    CHECK(s[r.entry_steps[1]] == "b: t = x");
    // a's lock, read, unlock, then b's lock and read (5 steps); a's return, write and count
    // (3); b's unlock, return, write and count (4). 12 steps, the violation in the state after
    // the last.
    CHECK(s.size() == 12);
    CHECK(r.run.violation.kind == traces::ViolationKind::in_state);

    // b reads after a has written: x ends at 2, `counted` holds on every run after that.
    const auto ok = explore::query(*ts, schedule(*ts, "a: \"x = v + 1\"\nb: read \"t = x\"\nviolates counted\n"), {});
    REQUIRE(ok.verdict == explore::QueryVerdict::infeasible);
    CHECK(ok.unreached == 2);
    CHECK(ok.nodes_before > 0);
}

TEST_CASE("query: violates deadlock counts processes waiting in a cycle while another moves") {
    // t1 takes a, t2 takes b; then each waits for the other's mutex, while hw toggles forever
    // (so there is never a state without a step). `violates deadlock` is feasible after the two
    // locks, as `check` reports it: the run is the two lock steps, the violation a wait cycle.
    const auto ts = testing::compile(R"(var a: mutex;
var b: mutex;
var polls: 0..1;
process t1 { lock(a); lock(b); unlock(b); unlock(a); }
process t2 { lock(b); lock(a); unlock(a); unlock(b); }
process hw { while (true) { polls = 1 - polls; } }
)");
    const auto r = explore::query(*ts, schedule(*ts, "t1: \"lock(a)\"\nt2: \"lock(b)\"\nviolates deadlock\n"), {});
    REQUIRE(r.verdict == explore::QueryVerdict::feasible);
    CHECK(r.run.violation.kind == traces::ViolationKind::deadlock);
    CHECK(r.run.violation.wait_cycle);
    CHECK(steps(*ts, r.run.trace) == std::vector<std::string>{"t1: lock(a)", "t2: lock(b)"});
    traces::Replay rep;
    CHECK_FALSE(traces::confirm(*ts, r.run, rep).has_value());
    // t2 locks a first: the same order, no cycle; hw keeps moving, so no deadlock either.
    const auto none = explore::query(*ts, schedule(*ts, "t2: \"lock(b)\"\nt2: \"lock(a)\"\nviolates deadlock\n"), {});
    CHECK(none.verdict == explore::QueryVerdict::infeasible);
}

TEST_CASE("query: a state limit gives incomplete") {
    const auto ts = testing::compile(locked);
    explore::Limits lim;
    lim.max_states = 1;
    const auto r = explore::query(*ts, schedule(*ts, "a: \"x = 1\"\nb: \"x = 2\"\n"), lim);
    CHECK(r.verdict == explore::QueryVerdict::incomplete);
    CHECK(r.incomplete_reason == "state limit 1 reached");
}

TEST_CASE("process_situation: a process that can move (waiting and finished: the query tests above)") {
    const auto ts = testing::compile(locked);
    std::vector<std::uint8_t> s(ts->state_buffer_size());
    ts->initial_state(s.data());
    CHECK(explore::process_situation(*ts, ir::ProcessId{0}, s.data()) == "a is at test.mc:3: lock(m)");
}

}  // TEST_SUITE
