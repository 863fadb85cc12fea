// SPDX-License-Identifier: MIT
// Golden tests of traces/render_steps: the exact text of step lists and violation lines.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"
#include "traces/render_dot.hpp"
#include "traces/render_steps.hpp"

using namespace iomc;

namespace {

/// The BFS counterexample of `text` (all properties), confirmed and rendered.
std::string render(const std::string& text, explore::Options o = {}) {
    const auto ts = testing::compile(text);
    const auto r = explore::check(*ts, o);
    REQUIRE(r.counterexample.has_value());
    traces::Replay rp;
    const auto err = traces::confirm(*ts, *r.counterexample, rp);
    INFO(err.value_or(""));
    REQUIRE_FALSE(err.has_value());
    return traces::render_steps(*ts, *r.counterexample, rp);
}

}  // namespace

TEST_SUITE("traces") {

TEST_CASE("a lock cycle renders the blocked processes and the mutex owners") {
    const std::string out = render(R"(var m1: mutex;  var m2: mutex;  var m3: mutex;
process a { lock(m1); lock(m2); unlock(m2); unlock(m1); }
process b { lock(m2); lock(m3); unlock(m3); unlock(m2); }
process c { lock(m3); lock(m1); unlock(m1); unlock(m3); })");
    CHECK(out == R"(step  process  location   statement
   1  a        test.mc:2  lock(m1)
                          m1: free -> held by a
   2  b        test.mc:3  lock(m2)
                          m2: free -> held by b
   3  c        test.mc:4  lock(m3)
                          m3: free -> held by c
violated: deadlock: no process can take a step
  a is blocked at test.mc:2: lock(m2)
  b is blocked at test.mc:3: lock(m3)
  c is blocked at test.mc:4: lock(m1)
  m1 is held by a
  m2 is held by b
  m3 is held by c
)");
}

TEST_CASE("a deadlock lists finished processes and valid ends") {
    // done finishes, idle waits at an end label, stuck waits forever: 1 step.
    const std::string out = render(R"(var go: bool = false;
process done { skip; }
process idle { end_idle: await go; }
process stuck { await go; })");
    CHECK(out == R"(step  process  location   statement
   1  done     test.mc:2  skip
violated: deadlock: no process can take a step
  done has finished
  idle is at a valid end
  stuck is blocked at test.mc:4: await go
)");
}

TEST_CASE("a failed assertion renders the report line under its step") {
    // Steps that change nothing but the pc show no variable lines.
    const std::string out = render(R"(var x: 0..3 = 0;
process p {
    x = 2;
    skip;
    assert x == 1;
})");
    CHECK(out == R"(step  process  location   statement
   1  p        test.mc:3  x = 2
                          x: 0 -> 2
   2  p        test.mc:4  skip
   3  p        test.mc:5  assert x == 1
                          ! assertion 'x == 1' failed
violated: assertion 'x == 1' failed
  in p at test.mc:5: assert x == 1
)");
}

TEST_CASE("an invariant violation names the binding and lists the values it read") {
    const std::string out = render(R"(type Dev = scalarset(3);
var on: bool[Dev];
process p { on[Dev(1)] = true; }
invariant all_off: forall d: Dev. !on[d];)");
    CHECK(out == R"(step  process  location   statement
   1  p        test.mc:3  on[Dev(1)] = true
                          on[1]: false -> true
violated: invariant all_off (d = 1) (test.mc:4)
  on[1] = true
)");
}

TEST_CASE("branch steps name the condition and the way it went") {
    // x = 3 needs one client to see x != 0 at its `if`, so another must have set x = 1
    // first (if, x = 1), then the else branch (if, x = 3), then an assert: 5 steps, the
    // shortest. The process column widens to the longest name, client(0).
    const std::string out = render(R"(type Pid = 0..1;
var x: 0..3 = 0;
process client(i: Pid) {
    if (x == 0) x = 1; else x = 3;
    assert named: x != 3;
})");
    CHECK(out == R"(step  process    location   statement
   1  client(0)  test.mc:4  if (x == 0): true
   2  client(0)  test.mc:4  x = 1
                            x: 0 -> 1
   3  client(1)  test.mc:4  if (x == 0): false
   4  client(1)  test.mc:4  x = 3
                            x: 1 -> 3
   5  client(0)  test.mc:5  assert named: x != 3
                            ! assertion 'x != 3' failed
violated: named: assertion 'x != 3' failed
  in client(0) at test.mc:5: assert named: x != 3
)");
}

TEST_CASE("an invariant over a process location prints the pc as its label") {
    const std::string out = render(R"(var x: 0..2 = 0;
process p { x = 1; done: x = 2; }
invariant too_early: p past done -> x == 2;)");
    CHECK(out == R"(step  process  location   statement
   1  p        test.mc:2  x = 1
                          x: 0 -> 1
violated: invariant too_early (test.mc:3)
  x = 1
  p.pc = at done
)");
}

TEST_CASE("an empty trace renders only the header and the violation") {
    const std::string out = render(R"(var x: 0..3 = 2;
process p { x = 0; }
invariant small: x < 2;)");
    // With no steps the location column keeps its minimum width, 8.
    CHECK(out == R"(step  process  location  statement
violated: invariant small (test.mc:3)
  x = 2
)");
}

TEST_CASE("a run without a violation (a schedule's): marks under their steps, no closing block") {
    const auto ts = testing::compile(R"(var x: 0..3;
process a { x = 1; x = 2; }
)");
    traces::Counterexample run;
    run.trace.model_id = ts->model_id();
    run.trace.steps = {ir::Step{ts->process(ir::ProcessId{0}).group_at[0], 0},
                       ir::Step{ts->process(ir::ProcessId{0}).group_at[1], 0}};
    run.violation.property = ir::no_property;
    const auto rp = traces::replay(*ts, run.trace);
    REQUIRE(rp.ok);
    CHECK(traces::render_steps(*ts, run, rp, {"", "entry 1"}) == R"(step  process  location   statement
   1  a        test.mc:2  x = 1
                          x: 0 -> 1
   2  a        test.mc:2  x = 2
                          <- entry 1
                          x: 1 -> 2
)");
    const std::string dot = traces::render_dot(*ts, run, rp);
    CHECK(dot.find("violation") == std::string::npos);
    CHECK(dot.find("  s1 -> s2;\n") != std::string::npos);
}

}  // TEST_SUITE
