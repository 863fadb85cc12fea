// SPDX-License-Identifier: MIT
// The built-in checks (mutex and kref misuse, runtime errors) as the explorer reports them:
// the property, the exact message traces::describe gives, and the exact shortest trace.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"
#include "traces/trace.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

/// Checks `text` with BFS (selecting `only` if given) and expects the first violation to be
/// `prop`, reported on a step, with `message` after `steps` steps. DFS must agree on the
/// verdict and the property.
void expect_violation(const std::string& text, ir::PropertyId prop, const std::string& message,
                      std::size_t steps, std::vector<ir::PropertyId> only = {}) {
    const auto ts = testing::compile(text);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(strategy));
        const auto r = explore::check(*ts, {.strategy = strategy, .properties = only});
        CHECK(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample.has_value());
        const auto& v = r.counterexample->violation;
        CHECK(v.property == prop);
        CHECK(v.kind == traces::ViolationKind::on_step);
        CHECK(traces::describe(*ts, v) == message);
        if (strategy == Strategy::bfs)
            CHECK(r.counterexample->trace.steps.size() == steps);
    }
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("a recursive lock is mutex misuse on the second lock") {
    // lock(m) (1 step), then lock(m) again by the holder: reported on step 2.
    expect_violation(R"(
        var m: mutex;
        process p { lock(m); lock(m); })",
                     ir::prop_mutex, "recursive lock of 'm' (already held by this process)", 2);
}

TEST_CASE("unlock by a process that does not hold the mutex is mutex misuse") {
    // a: lock(m); unlock(m).  b: await locked(m); unlock(m).
    // Shortest: a locks (1), b sees it locked (2), b unlocks a's mutex (3).
    expect_violation(R"(
        var m: mutex;
        process a { lock(m); unlock(m); }
        process b { await locked(m); unlock(m); })",
                     ir::prop_mutex, "unlock of 'm' by a process that does not hold it", 3,
                     {ir::prop_mutex});
}

TEST_CASE("kref_get at zero is a use after free") {
    // r starts at 0 (never initialized): the first step reports.
    expect_violation(R"(
        var r: kref(2);
        process p { kref_get(r); })",
                     ir::prop_kref, "kref_get on 'r' at zero: use after free", 1);
}

TEST_CASE("kref_put at zero is an underflow") {
    // kref_init (r = 1), kref_put (r = 0), kref_put at zero: step 3.
    expect_violation(R"(
        var r: kref(2);
        process p { kref_init(r); kref_put(r); kref_put(r); })",
                     ir::prop_kref, "kref_put on 'r' at zero: underflow", 3);
}

TEST_CASE("kref_put that releases the last reference gives true") {
    // x = kref_put(r) stores whether the count reached zero: at 2 false, at 1 true.
    // kref_init, kref_get, two puts and the assert: 5 steps in a line, 6 states.
    const auto ts = testing::compile(R"(
        var r: kref(2);  var first: bool = true;  var second: bool = false;
        process p { kref_init(r); kref_get(r); first = kref_put(r); second = kref_put(r);
                    assert !first && second; })");
    const auto r = explore::check(*ts, {});
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 6);
}

TEST_CASE("kref_get past the bound of the kref is a runtime error") {
    // kref(1): kref_init (1), kref_get would make 2: step 2.
    expect_violation(R"(
        var r: kref(1);
        process p { kref_init(r); kref_get(r); })",
                     ir::prop_runtime_error, "kref 'r' exceeds its bound 1", 2);
}

TEST_CASE("a value out of range on assignment is a runtime error") {
    expect_violation(R"(
        var x: 0..2 = 2;
        process p { x += 1; })",
                     ir::prop_runtime_error, "value 3 out of range 0..2 of 'x'", 1);
}

TEST_CASE("a negative value out of range names the value") {
    // x = y - 3 with y = 1 gives -2, below 0.
    expect_violation(R"(
        var x: 0..2 = 0;  var y: 0..2 = 1;
        process p { x = y - 3; })",
                     ir::prop_runtime_error, "value -2 out of range 0..2 of 'x'", 1);
}

TEST_CASE("an index out of range is a runtime error") {
    // i = 2 (step 1), a[i] = true on a two-element array (step 2).
    expect_violation(R"(
        type Idx = 0..1;
        var a: bool[Idx];  var i: 0..2 = 0;
        process p { i = 2; a[i] = true; })",
                     ir::prop_runtime_error, "index 2 out of range 0..1 in 'a[i]'", 2);
}

TEST_CASE("none used as an index is a runtime error") {
    // d is none (stored as -1): a null dereference on the first step.
    expect_violation(R"(
        type Dev = scalarset(2);
        var a: bool[Dev];  var d: Dev? = none;
        process p { a[d] = true; })",
                     ir::prop_runtime_error,
                     "'a[d]' is indexed with none (a null dereference)", 1);
}

TEST_CASE("division by zero is a runtime error") {
    expect_violation(R"(
        var x: 0..2 = 0;  var y: 0..2 = 2;
        process p { y = 2 / x; })",
                     ir::prop_runtime_error, "division by zero", 1);
}

TEST_CASE("modulo by zero is a runtime error") {
    expect_violation(R"(
        var x: 0..2 = 0;  var y: 0..2 = 2;
        process p { y = 2 % x; })",
                     ir::prop_runtime_error, "division by zero", 1);
}

TEST_CASE("runtime errors are checked when only other properties are selected") {
    expect_violation(R"(
        var x: 0..2 = 0;  var y: 0..2 = 2;
        process p { y = 2 / x; })",
                     ir::prop_runtime_error, "division by zero", 1, {ir::prop_assertions});
}

TEST_CASE("an unnamed assertion reports the condition text") {
    expect_violation(R"(
        var x: 0..2 = 0;
        process p { x = 1; assert x == 0; })",
                     ir::prop_assertions, "assertion 'x == 0' failed", 2);
}

TEST_CASE("a named assertion reports its name before the condition") {
    // The property is the one named `zero`, created after the five built-ins.
    const std::string text = R"(
        var x: 0..2 = 0;
        process p { x = 1; assert zero: x == 0; })";
    const auto ts = testing::compile(text);
    const auto id = ts->find_property("zero");
    REQUIRE(id.has_value());
    CHECK(ir::idx(*id) == ir::builtin_property_count);
    CHECK(ts->property(*id).kind == ir::PropertyKind::assertion);
    expect_violation(text, *id, "zero: assertion 'x == 0' failed", 2);
}

TEST_CASE("an atomic loop that never ends is a runtime error") {
    // The interpreter gives up after 10 million instructions on one path.
    expect_violation(R"(
        var x: 0..1 = 0;
        process p { atomic { while (x == 0) { x = 0; } } })",
                     ir::prop_runtime_error,
                     "a path ran more than 10000000 instructions (a loop in an atomic block "
                     "that never ends?)",
                     1);
}

}  // TEST_SUITE
