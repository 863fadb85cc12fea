// SPDX-License-Identifier: MIT
// Unit tests of traces/replay: counterexamples from the explorer replay and confirm; tampered
// traces fail with a message that names the step, the process and the reason.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

/// The group of process `name` at location `loc`.
ir::GroupId group_of(const ir::TransitionSystem& ts, const std::string& name, std::uint32_t loc) {
    for (const auto& p : ts.processes())
        if (p.name == name) {
            REQUIRE(loc < p.group_at.size());
            return p.group_at[loc];
        }
    FAIL("no process " << name);
    return ir::no_group;
}

// Line 1: the variable, line 2: a, line 3: b.
constexpr const char* two_lockers = R"(var m: mutex;
process a { lock(m); unlock(m); }
process b { lock(m); unlock(m); })";

}  // namespace

TEST_SUITE("traces") {

TEST_CASE("a counterexample from the explorer replays and confirms") {
    // a: x = 1; lock(m).  b: await x == 1; unlock(m). Shortest misuse: a: x = 1, b: await,
    // b: unlock(m) of the free mutex, which reports: 3 steps. Replay the BFS one.
    const auto ts = testing::compile(R"(var m: mutex;  var x: 0..1 = 0;
process a { x = 1; lock(m); }
process b { await x == 1; unlock(m); })");
    const auto r = explore::check(*ts, {});
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->trace.steps.size() == 3);
    traces::Replay rp;
    CHECK_FALSE(traces::confirm(*ts, *r.counterexample, rp).has_value());
    CHECK(rp.ok);
    CHECK(rp.error.empty());
    REQUIRE(rp.steps.size() == 3);
    CHECK(rp.states.size() == 4);  // the initial state and one per step
    CHECK(rp.steps.back().reports);
    CHECK(rp.steps.back().reported == ir::prop_mutex);
    CHECK(ts->process(rp.steps.back().process).name == "b");
    CHECK(ts->statement(rp.steps.back().stmt).text == "unlock(m)");
    // The report does not move: the last state is the one before it.
    CHECK(rp.states[3] == rp.states[2]);
}

TEST_CASE("a step that is not enabled names the step and where the process is") {
    // a: lock(m) (step 1); b: lock(m) is blocked while a holds m.
    const auto ts = testing::compile(two_lockers);
    traces::Trace t;
    t.steps = {{group_of(*ts, "a", 0), 0}, {group_of(*ts, "b", 0), 0}};
    const auto rp = traces::replay(*ts, t);
    CHECK_FALSE(rp.ok);
    CHECK(rp.error == "step 2: b 'lock(m)' is not enabled here; b is at test.mc:3: lock(m)");
    CHECK(rp.steps.size() == 1);  // the replayed prefix
}

TEST_CASE("a step of a process that is elsewhere says where the process is") {
    // a: lock(m) (step 1), then a step that claims a's first group again.
    const auto ts = testing::compile(two_lockers);
    traces::Trace t;
    t.steps = {{group_of(*ts, "a", 0), 0}, {group_of(*ts, "a", 1), 0}, {group_of(*ts, "a", 1), 0}};
    const auto rp = traces::replay(*ts, t);
    CHECK_FALSE(rp.ok);
    CHECK(rp.error == "step 3: a 'unlock(m)' is not enabled here; a has finished");
}

TEST_CASE("an outcome index too large gives the number of outcomes") {
    // `either` with two branches: outcomes 0 and 1; outcome 2 (the third) does not exist.
    const auto ts = testing::compile(R"(var x: 0..2 = 0;
process p { either { x = 1; } or { x = 2; } })");
    traces::Trace t;
    t.steps = {{group_of(*ts, "p", 0), 2}};
    const auto rp = traces::replay(*ts, t);
    CHECK_FALSE(rp.ok);
    CHECK(rp.error == "step 1: p 'x = 1' has 2 outcomes here, not 3");
    t.steps = {{group_of(*ts, "p", 0), 1}};
    const auto ok = traces::replay(*ts, t);
    CHECK(ok.ok);
    CHECK(traces::changed_variables(*ts, ok.states[0].data(), ok.states[1].data()) ==
          std::vector<std::string>{"x: 0 -> 2"});
}

TEST_CASE("a group the model does not have is an error") {
    const auto ts = testing::compile(two_lockers);
    traces::Trace t;
    t.steps = {{ir::GroupId{99}, 0}};
    const auto rp = traces::replay(*ts, t);
    CHECK_FALSE(rp.ok);
    CHECK(rp.error == "step 1: there is no transition group 99 in this model");
}

TEST_CASE("a violation report must be the last step") {
    // x += 1 twice from 1: outcome 0 of the second step reports the range error (3 is out of
    // 0..2), so a third step after it is refused.
    const auto ts = testing::compile(R"(var x: 0..2 = 1;
process p { x += 1; x += 1; skip; })");
    traces::Trace t;
    t.steps = {{group_of(*ts, "p", 0), 0}, {group_of(*ts, "p", 1), 0}, {group_of(*ts, "p", 2), 0}};
    const auto rp = traces::replay(*ts, t);
    CHECK_FALSE(rp.ok);
    CHECK(rp.error == "step 2: a violation report must be the last step");
}

TEST_CASE("confirm rejects a trace whose end does not show the claimed violation") {
    const auto ts = testing::compile(two_lockers);
    traces::Replay rp;
    traces::Counterexample cx;
    cx.trace.steps = {{group_of(*ts, "a", 0), 0}};

    // Deadlock claimed after a's lock, but a can unlock: one step is possible (b is blocked).
    cx.violation = {ir::prop_deadlock, traces::ViolationKind::deadlock};
    CHECK(traces::confirm(*ts, cx, rp) == "the last state is not a deadlock: 1 step is possible");
    // In the initial state both can lock.
    cx.trace.steps.clear();
    CHECK(traces::confirm(*ts, cx, rp) == "the last state is not a deadlock: 2 steps are possible");
    // After a's lock and unlock and b's lock and unlock everything has finished.
    cx.trace.steps = {{group_of(*ts, "a", 0), 0},
                      {group_of(*ts, "a", 1), 0},
                      {group_of(*ts, "b", 0), 0},
                      {group_of(*ts, "b", 1), 0}};
    CHECK(traces::confirm(*ts, cx, rp) == "the last state is a valid end state, not a deadlock");
    // A step that moves is not a report.
    cx.violation = {ir::prop_mutex, traces::ViolationKind::on_step};
    CHECK(traces::confirm(*ts, cx, rp) == "the last step does not report mutex_misuse");
    // A property id past the end.
    cx.violation = {ir::PropertyId{42}, traces::ViolationKind::on_step};
    CHECK(traces::confirm(*ts, cx, rp) == "the trace names a property this model does not have");
}

TEST_CASE("confirm rejects an invariant that holds at the end") {
    const auto ts = testing::compile(R"(var x: 0..2 = 0;
process p { x = 1; x = 2; }
invariant below_two: x < 2;)");
    const auto id = ts->find_property("below_two");
    REQUIRE(id.has_value());
    traces::Counterexample cx;
    cx.violation = {*id, traces::ViolationKind::in_state};
    cx.trace.steps = {{group_of(*ts, "p", 0), 0}};
    traces::Replay rp;
    CHECK(traces::confirm(*ts, cx, rp) == "invariant below_two holds at the end of the trace");
    cx.trace.steps.push_back({group_of(*ts, "p", 1), 0});
    CHECK_FALSE(traces::confirm(*ts, cx, rp).has_value());
    cx.violation.check = 3;
    CHECK(traces::confirm(*ts, cx, rp) ==
          "the trace names an invariant instance this model does not have");
}

TEST_CASE("slot values print labels for program counters") {
    // p is at `there` after one step, and finished after two.
    const auto ts = testing::compile(R"(var x: 0..2 = 0;
process p { x = 1; there: x = 2; })");
    traces::Trace t;
    t.steps = {{group_of(*ts, "p", 0), 0}, {group_of(*ts, "p", 1), 0}};
    const auto rp = traces::replay(*ts, t);
    REQUIRE(rp.ok);
    const auto pc = ts->process(ir::ProcessId{0}).pc;
    CHECK(traces::slot_value(*ts, pc, rp.states[0].data()) == "at test.mc:2");
    CHECK(traces::slot_value(*ts, pc, rp.states[1].data()) == "at there");
    CHECK(traces::slot_value(*ts, pc, rp.states[2].data()) == "finished");
    // pcs are left out of the changed variables.
    CHECK(traces::changed_slots(*ts, rp.states[0].data(), rp.states[1].data()).size() == 1);
}

}  // TEST_SUITE
