// SPDX-License-Identifier: MIT
// Unit tests of checker/ir/interp: the outcomes one group emits in one state, in fire order,
// with their indices, successors and violation reports.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

ir::SlotId slot_named(const ir::TransitionSystem& ts, const std::string& name) {
    const auto slots = ts.layout().slots();
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (slots[i].name == name)
            return ir::SlotId{i};
    FAIL("no slot named " << name);
    return ir::SlotId{0};
}

/// One emission, as text: "0: x=1 y=0" for a successor (the listed slots, read from it), or
/// "2: ! assertions: assertion 'c != 2' failed (stops)" for a report.
std::string show(const ir::TransitionSystem& ts, const ir::Emission& e,
                 const std::vector<std::string>& names) {
    std::string out = fmt::format("{}:", e.index);
    if (e.next == nullptr) {
        out += fmt::format(" ! {}: {}", ts.property(e.prop).name,
                           ir::format_message(ts.message(e.message), e.value));
        if (e.stops)
            out += " (stops)";
        return out;
    }
    for (const auto& n : names)
        out += fmt::format(" {}={}", n, ts.layout().read(e.next, slot_named(ts, n)));
    return out;
}

/// Every emission of every process in `s`, in the interpreter's order, one per line.
std::string all_outcomes(const ir::TransitionSystem& ts, const std::uint8_t* s,
                         const std::vector<std::string>& names, std::uint32_t* moves = nullptr) {
    ir::Interpreter in(ts);
    std::string out;
    const auto n = in.successors(s, [&](ir::GroupId g, const ir::Emission& e) {
        out += fmt::format("{} {}\n", ts.process(ts.group(g).process).name, show(ts, e, names));
    });
    if (moves)
        *moves = n;
    return out;
}

std::vector<std::uint8_t> initial(const ir::TransitionSystem& ts) {
    std::vector<std::uint8_t> s(ts.state_buffer_size());
    ts.initial_state(s.data());
    return s;
}

}  // namespace

TEST_SUITE("ir") {

TEST_CASE("the initial state holds every declared initializer") {
    const auto ts = testing::compile(R"(
        var a: 0..5 = 3;  var b: bool = true;  var c: -2..2 = -2;
        process p { a = 0; })");
    const auto s = initial(*ts);
    CHECK(ts->layout().read(s.data(), slot_named(*ts, "a")) == 3);
    CHECK(ts->layout().read(s.data(), slot_named(*ts, "b")) == 1);
    CHECK(ts->layout().read(s.data(), slot_named(*ts, "c")) == -2);
    CHECK(ts->layout().read(s.data(), slot_named(*ts, "p.pc")) == 0);
}

TEST_CASE("the branches of either fire in source order with indices 0 1 2") {
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;
        process p { either { x = 1; } or { x = 2; } or { x = 3; } })");
    CHECK(ts->groups().size() == 1);
    const auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"x"}) == "p 0: x=1\np 1: x=2\np 2: x=3\n");
}

TEST_CASE("processes fire in id order and each group in its own order") {
    // Instances q(0), q(1) come after p because p is declared first.
    const auto ts = testing::compile(R"(
        type Pid = 0..1;
        var x: 0..3 = 0;
        process p { either { x = 1; } or { x = 2; } }
        process q(i: Pid) { x = 3; })");
    const auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"x"}) == "p 0: x=1\np 1: x=2\nq(0) 0: x=3\nq(1) 0: x=3\n");
}

TEST_CASE("choose emits every value of the domain from lo to hi") {
    const auto ts = testing::compile(R"(
        type Dev = scalarset(2);
        var c: 1..3 = 1;  var b: bool = false;  var d: Dev? = none;
        process p { choose c; }  process q { choose b; }  process r { choose d; })");
    const auto s = initial(*ts);
    // none is stored as -1, the lo of an optional scalarset.
    CHECK(all_outcomes(*ts, s.data(), {"c", "b", "d"}) ==
          "p 0: c=1 b=0 d=-1\n"
          "p 1: c=2 b=0 d=-1\n"
          "p 2: c=3 b=0 d=-1\n"
          "q 0: c=1 b=0 d=-1\n"
          "q 1: c=1 b=1 d=-1\n"
          "r 0: c=1 b=0 d=-1\n"
          "r 1: c=1 b=0 d=0\n"
          "r 2: c=1 b=0 d=1\n");
}

TEST_CASE("a guarded branch of either that blocks takes no outcome index") {
    // Branch 1 starts with `await go`, branch 2 with `y = 2`. With go false only branch 2 can
    // fire, and it is outcome 0; with go true both fire, as outcomes 0 and 1.
    const auto ts = testing::compile(R"(
        var go: bool = false;  var y: 0..2 = 0;
        process p { either { await go; y = 1; } or { y = 2; } })");
    auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"y", "p.pc"}) == "p 0: y=2 p.pc=2\n");
    ts->layout().write(s.data(), slot_named(*ts, "go"), 1);
    // The await moves to `y = 1` (location 1) without writing; `y = 2` moves to the end (2).
    CHECK(all_outcomes(*ts, s.data(), {"y", "p.pc"}) == "p 0: y=0 p.pc=1\np 1: y=2 p.pc=2\n");
}

TEST_CASE("an atomic block whose second await is false is disabled as a whole") {
    // atomic { x = 1; await y == 1; x = 2; }: with y = 0 the path blocks after x = 1, so the
    // group emits nothing and the state is untouched; with y = 1 one outcome with x = 2.
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;  var y: 0..1 = 0;
        process p { atomic { x = 1; await y == 1; x = 2; } })");
    auto s = initial(*ts);
    std::uint32_t moves = 99;
    CHECK(all_outcomes(*ts, s.data(), {"x"}, &moves).empty());
    CHECK(moves == 0);
    CHECK(ts->layout().read(s.data(), slot_named(*ts, "x")) == 0);
    ts->layout().write(s.data(), slot_named(*ts, "y"), 1);
    CHECK(all_outcomes(*ts, s.data(), {"x", "p.pc"}, &moves) == "p 0: x=2 p.pc=1\n");
    CHECK(moves == 1);
}

TEST_CASE("inside an atomic block a blocked path drops only its own outcome") {
    // atomic { either { await false; } or { x = 1; } }: the first path blocks, the second
    // completes, so the step is enabled with the one outcome x = 1 (numbered 0). All or
    // nothing holds per path: no effect of a blocked path is ever visible.
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;
        process p { atomic { either { await x == 2; x = 2; } or { x = 1; } } })");
    const auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"x"}) == "p 0: x=1\n");
}

TEST_CASE("forks inside an atomic block give one outcome per path") {
    // either (2 paths) then choose c over 0..1 (2 values each): 4 outcomes, depth-first, in
    // source order: (x=1,c=0) (x=1,c=1) (x=2,c=0) (x=2,c=1).
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;  var c: 0..1 = 0;
        process p { atomic { either { x = 1; } or { x = 2; } choose c; } })");
    const auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"x", "c"}) ==
          "p 0: x=1 c=0\np 1: x=1 c=1\np 2: x=2 c=0\np 3: x=2 c=1\n");
}

TEST_CASE("a failing assertion on one path is a report between the successors") {
    // choose c over 0..3, then assert c != 2: paths c=0, c=1 move; on c=2 the assertion
    // reports (outcome 2) and the path goes on to its successor (outcome 3), as unlock by a
    // non-owner does; c=3 is outcome 4. Reports and successors share one index sequence.
    const auto ts = testing::compile(R"(
        var c: 0..3 = 0;
        process p { atomic { choose c; assert c != 2; } })");
    const auto s = initial(*ts);
    std::uint32_t moves = 0;
    CHECK(all_outcomes(*ts, s.data(), {"c"}, &moves) ==
          "p 0: c=0\np 1: c=1\np 2: ! assertions: assertion 'c != 2' failed\np 3: c=2\np 4: "
          "c=3\n");
    CHECK(moves == 4);
}

TEST_CASE("a value out of range on one path reports a runtime error and the other path moves") {
    const auto ts = testing::compile(R"(
        var x: 0..3 = 0;  var y: 0..3 = 0;
        process p { atomic { either { x = y + 4; } or { x = 1; } } })");
    const auto s = initial(*ts);
    CHECK(all_outcomes(*ts, s.data(), {"x"}) ==
          "p 0: ! runtime_errors: value 4 out of range 0..3 of 'x' (stops)\np 1: x=1\n");
}

TEST_CASE("unlock by a non-owner reports and still moves") {
    // The report does not stop the path: outcome 0 is the report, outcome 1 the successor in
    // which the mutex is free (-1).
    const auto ts = testing::compile(R"(
        var m: mutex;
        process a { lock(m); }
        process b { await locked(m); unlock(m); })");
    auto s = initial(*ts);
    const auto m = slot_named(*ts, "m");
    CHECK(ts->layout().read(s.data(), m) == -1);
    ts->layout().write(s.data(), m, 0);  // held by a (instance 0)
    ts->layout().write(s.data(), slot_named(*ts, "a.pc"), 1);
    ts->layout().write(s.data(), slot_named(*ts, "b.pc"), 1);
    CHECK(all_outcomes(*ts, s.data(), {"m"}) ==
          "b 0: ! mutex_misuse: unlock of 'm' by a process that does not hold it\nb 1: m=-1\n");
}

TEST_CASE("lock blocks while another process holds the mutex and reports a recursive lock") {
    const auto ts = testing::compile(R"(
        var m: mutex;
        process a { lock(m); lock(m); })");
    auto s = initial(*ts);
    const auto m = slot_named(*ts, "m");
    CHECK(all_outcomes(*ts, s.data(), {"m", "a.pc"}) == "a 0: m=0 a.pc=1\n");
    ts->layout().write(s.data(), m, 0);
    ts->layout().write(s.data(), slot_named(*ts, "a.pc"), 1);
    CHECK(all_outcomes(*ts, s.data(), {"m"}) ==
          "a 0: ! mutex_misuse: recursive lock of 'm' (already held by this process) (stops)\n");
}

TEST_CASE("fire emits nothing when the process is not at the group's location") {
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;
        process p { x = 1; x = 2; })");
    REQUIRE(ts->groups().size() == 2);
    const auto s = initial(*ts);
    ir::Interpreter in(*ts);
    int n0 = 0;
    int n1 = 0;
    in.fire(ir::GroupId{0}, s.data(), [&](const ir::Emission&) { ++n0; });
    in.fire(ir::GroupId{1}, s.data(), [&](const ir::Emission&) { ++n1; });
    CHECK(n0 == 1);
    CHECK(n1 == 0);
}

TEST_CASE("an emission names the statement that ran") {
    // The branch step of an if is named by its condition and the way it went.
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;
        process p { if (x == 0) x = 1; else x = 2; })");
    const auto s = initial(*ts);
    ir::Interpreter in(*ts);
    std::string texts;
    in.fire(ir::GroupId{0}, s.data(),
            [&](const ir::Emission& e) { texts += ts->statement(e.stmt).text + "\n"; });
    CHECK(texts == "if (x == 0): true\n");
}

TEST_CASE("firing twice gives the same outcomes") {
    const auto ts = testing::compile(R"(
        var c: 0..3 = 0;  var x: 0..2 = 0;
        process p { atomic { either { choose c; } or { x = 2; } } })");
    const auto s = initial(*ts);
    const auto first = all_outcomes(*ts, s.data(), {"c", "x"});
    CHECK(first == "p 0: c=0 x=0\np 1: c=1 x=0\np 2: c=2 x=0\np 3: c=3 x=0\np 4: c=0 x=2\n");
    CHECK(all_outcomes(*ts, s.data(), {"c", "x"}) == first);
}

TEST_CASE("eval of an invariant reports an index out of range instead of a value") {
    // a[i] with i = 2 on a bool[0..1] array: not ok, with the index as detail.
    const auto ts = testing::compile(R"(
        type Idx = 0..1;
        var a: bool[Idx];  var i: 0..2 = 2;
        process p { skip; }
        invariant inv: a[i] == false;)");
    const auto p = ts->find_property("inv");
    REQUIRE(p.has_value());
    const auto s = initial(*ts);
    ir::Interpreter in(*ts);
    const auto r = in.eval(ts->property(*p).checks[0].program, s.data());
    CHECK_FALSE(r.ok);
    CHECK(r.detail == 2);
    CHECK(ir::format_message(ts->message(r.message), r.detail) ==
          "index 2 out of range 0..1 in 'a[i]'");
}

TEST_CASE("fire_locks gives each path its locks and unlocks in order, with subclasses and statements") {
    // One atomic step: lock m[first] (a variable index), then either the other element at
    // subclass 1 (path 0) or, after dropping m[first], m[first] again at subclass 2 (path 1).
    // Path 1 forks after path 0 took m[1]: its list must not keep that lock. Each event names
    // the statement of the block it is in.
    const auto ts = testing::compile(R"(
        var m: mutex[0..1];  var first: 0..1 = 0;
        process p { atomic { lock(m[first]); either { lock_nested(m[1 - first], 1); }
                             or { unlock(m[first]); lock_nested(m[first], 2); } } })");
    const auto s = initial(*ts);
    ir::Interpreter in(*ts);
    std::string out;
    in.fire_locks(ts->groups()[0].id, s.data(), [&](const ir::Emission& e, std::span<const ir::LockEvent> events) {
        out += fmt::format("{}:", e.index);
        for (const auto& t : events)
            out += fmt::format(" {}{}/{} ({})", t.unlock ? "-" : "+", ts->layout().slot(t.mutex).name, t.subclass,
                               t.stmt == UINT32_MAX ? "?" : ts->statement(t.stmt).text);
        out += "\n";
    });
    CHECK(out ==
          "0: +m[0]/0 (lock(m[first])) +m[1]/1 (lock_nested(m[1 - first], 1))\n"
          "1: +m[0]/0 (lock(m[first])) -m[0]/0 (unlock(m[first])) +m[0]/2 (lock_nested(m[first], 2))\n");
}

}  // TEST_SUITE
