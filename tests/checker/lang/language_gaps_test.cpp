// SPDX-License-Identifier: MIT
// Tests of the language gaps of issue 10 (checker/lang): enum and scalarset constants by name in
// -D (constants.cpp), "never called" warnings only for procedures no variant calls (lint only),
// `return` inside an `atomic` block of the same procedure (atomic.cpp), call temporaries reset at
// the end of an atomic step (cfg.cpp), and element lists as
// array initializers (initializer.cpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checker/support/diagnostic.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

using Constants = std::vector<std::pair<std::string, std::int64_t>>;

const char* const kDesign = R"(enum Design { naive, fixed }
const DESIGN = naive;
type Dev = scalarset(2);
const FIRST = Dev(0);
var x: Design;
process p { x = DESIGN; }
)";

std::vector<std::int32_t> inits(const ir::TransitionSystem& ts, const std::string& prefix) {
    std::vector<std::int32_t> out;
    for (const auto& s : ts.layout().slots())
        if (s.name.rfind(prefix, 0) == 0) out.push_back(s.init);
    return out;
}

}  // namespace

TEST_SUITE("lang") {

// ---------------------------------------------------------------- -D of enum and scalarset constants

TEST_CASE("an enum constant is set by name and listed by name") {
    const auto ts = testing::compile(kDesign, "", {"DESIGN=fixed"});
    CHECK(ts->info().constants == Constants{{"DESIGN", 1}, {"FIRST", 0}});
    CHECK(ts->info().constant_text(0) == "fixed");
    CHECK(ts->info().constant_text(1) == "Dev(0)");
    // Without -D the default prints by name too.
    CHECK(testing::compile(kDesign)->info().constant_text(0) == "naive");
}

TEST_CASE("a number for an enum constant is an error about the -D") {
    CHECK(testing::diagnostics(kDesign, {"DESIGN=0"}) ==
          "iomc: error: -D DESIGN=0: constant 'DESIGN' is of enum Design: give one of its values by name "
          "(naive, fixed)\n"
          "test.mc:2:7: note: declared here\n"
          "    2 | const DESIGN = naive;\n"
          "      |       ^~~~~~\n"
          "1 error\n");
}

TEST_CASE("an unknown enumerator in -D suggests the closest") {
    CHECK(testing::diagnostics(kDesign, {"DESIGN=fixd"}) ==
          "iomc: error: -D DESIGN=fixd: 'fixd' is not a value of enum Design (naive, fixed)\n"
          "note: did you mean 'fixed'?\n"
          "test.mc:2:7: note: declared here\n"
          "    2 | const DESIGN = naive;\n"
          "      |       ^~~~~~\n"
          "1 error\n");
}

TEST_CASE("a scalarset constant takes Dev(k) and not a plain number") {
    CHECK(testing::compile(kDesign, "", {"FIRST=Dev(1)"})->info().constant_text(1) == "Dev(1)");
    CHECK(testing::diagnostics(kDesign, {"FIRST=1"}) ==
          "iomc: error: -D FIRST=1: constant 'FIRST' is of scalarset Dev: write its value as Dev(0)..Dev(1)\n"
          "test.mc:4:7: note: declared here\n"
          "    4 | const FIRST = Dev(0);\n"
          "      |       ^~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics(kDesign, {"FIRST=Dev(2)"}) ==
          "iomc: error: -D FIRST=Dev(2): Dev(2) is outside Dev(0)..Dev(1)\n"
          "test.mc:4:7: note: declared here\n"
          "    4 | const FIRST = Dev(0);\n"
          "      |       ^~~~~\n"
          "1 error\n");
}

TEST_CASE("every -D applies before any constant or type is evaluated") {
    // FIRST's default names a Dev, whose size is N. The -D of FIRST used to evaluate that
    // default at once, resolving Dev with N = 2 and caching it, so the later -D N=3 was not
    // seen by the type: two instances instead of three.
    const char* model = R"(const N = 2;
type Dev = scalarset(N);
const FIRST = Dev(0);
process p(d: Dev) { skip; }
)";
    for (const auto& defines : {std::vector<std::string>{"FIRST=Dev(2)", "N=3"},
                                std::vector<std::string>{"N=3", "FIRST=Dev(2)"}}) {
        const auto ts = testing::compile(model, "", defines);
        CHECK(ts->processes().size() == 3);
        CHECK(ts->info().constants == Constants{{"N", 3}, {"FIRST", 2}});
    }
}

TEST_CASE("bool and integer constants keep their -D messages") {
    CHECK(testing::diagnostics("const B = false;\nprocess p { skip; }\n", {"B=1"}) ==
          "iomc: error: -D B=1: constant 'B' is bool, not an integer\n"
          "test.mc:1:7: note: declared here\n"
          "    1 | const B = false;\n"
          "      |       ^\n"
          "1 error\n");
}

// ---------------------------------------------------------------- uncalled procedures

TEST_CASE("a procedure that some variant calls is not reported; one no variant calls is, by lint only") {
    const char* model = R"(variant a;
variant b;
proc f() { skip; }
proc g() { skip; }
process p { when (variant(a)) f(); skip; }
)";
    // check, test and list compile without collecting: no warning at all.
    const auto plain = testing::compile_text(model, "b");
    CHECK(plain.ts != nullptr);
    CHECK(plain.diagnostics.empty());
    // lint collects per variant and warns about the intersection.
    std::vector<std::vector<lang::UncalledProc>> per_variant;
    for (const char* v : {"a", "b"}) {
        std::vector<lang::UncalledProc> never;
        support::DiagnosticSink sink;
        REQUIRE(lang::compile(*plain.model, lang::CompileOptions{v, {}, false, false, &never}, sink));
        per_variant.push_back(std::move(never));
    }
    REQUIRE(per_variant[0].size() == 1);
    CHECK(per_variant[0][0].name == "g");
    CHECK(per_variant[1].size() == 2);
    support::DiagnosticSink sink;
    lang::warn_uncalled(per_variant, sink);
    CHECK(sink.render(plain.model->sources()) ==
          "test.mc:4:6: warning: procedure 'g' is never called in any variant; its body was not checked\n"
          "    4 | proc g() { skip; }\n"
          "      |      ^\n");
}

// ---------------------------------------------------------------- return inside atomic

TEST_CASE("return inside an atomic block of the same procedure ends the step at the procedure's exit") {
    // The kernel shape: lock; if (busy) { unlock; return 1; } busy = true; unlock; return 2;
    // as one atomic step. Each process's call is that one step: 1 + 2 + 2 = 5 states.
    const auto ts = testing::compile(R"(var m: mutex;
var busy: bool;
var r: 0..2[0..1];
proc claim() -> 0..2 {
    atomic {
        lock(m);
        if (busy) { unlock(m); return 1; }
        busy = true;
        unlock(m);
        return 2;
    }
}
process c(i: 0..1) { r[i] = claim(); done: }
invariant one_winner: (c(0) @ done && c(1) @ done) -> r[0] + r[1] == 3;
invariant winner_holds: (c(0) @ done || c(1) @ done) -> busy;
)");
    explore::Options o;
    o.stop_at_first = false;
    const auto r = explore::check(*ts, o);
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.stats.states == 5);
    CHECK(r.stats.transitions == 4);
}

TEST_CASE("return inside an atomic block of a process ends the process") {
    const auto ts = testing::compile(R"(var x: 0..3;
var stop: bool;
process p { atomic { x = 1; if (!stop) return; x = 2; } x = 3; }
invariant never_two: x != 2 && x != 3;
)");
    const auto r = explore::check(*ts, {});
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.stats.states == 2);
}

TEST_CASE("an atomic block's call temporaries are reset when its step ends") {
    // f(1) + 0 runs f into a hidden temporary inside the block. Both branches of the either
    // reach x = 0 with x = 1; with the temporary back at its initial value they are one
    // state: s0, (x=1), (x=0): 3 states, 3 transitions (it was 5 states: the branch through
    // the block kept tmp = 1).
    const auto ts = testing::compile(R"(var x: 0..3;
proc f(v: 0..3) -> 0..3 { return v; }
process p { either { atomic { x = f(1) + 0; } } or { x = 1; } x = 0; }
)");
    const auto r = explore::check(*ts, {});
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.stats.states == 3);
    CHECK(r.stats.transitions == 3);
}

// ---------------------------------------------------------------- element lists

TEST_CASE("an element list gives each element its own initial value") {
    const auto ts = testing::compile(R"(type Dom = scalarset(3);
enum Mode { blocked, identity, dma }
const D1 = Dom(1);
var alive: bool[Dom] = { D1: true, _: false };
var mode: Mode[0..3] = { 2: dma, 0: identity, _: blocked };
var grid: 0..3[bool][Mode] = { true: { dma: 3, _: 1 }, false: 2 };
process p {
    var local: bool[0..2] = { 1: true, _: false, };
    skip;
}
)");
    CHECK(inits(*ts, "alive[") == std::vector<std::int32_t>{0, 1, 0});
    CHECK(inits(*ts, "mode[") == std::vector<std::int32_t>{1, 0, 2, 0});
    CHECK(inits(*ts, "grid[") == std::vector<std::int32_t>{2, 2, 2, 1, 1, 3});
    CHECK(inits(*ts, "p.local[") == std::vector<std::int32_t>{0, 1, 0});
}

TEST_CASE("an element list with a key given twice is an error at the second key") {
    CHECK(testing::diagnostics("var a: bool[0..2] = { 1: true, 1: false, _: false };\nprocess p { skip; }\n") ==
          "test.mc:1:32: error: element 1 is given twice\n"
          "    1 | var a: bool[0..2] = { 1: true, 1: false, _: false };\n"
          "      |                                ^\n"
          "test.mc:1:23: note: first given here\n"
          "    1 | var a: bool[0..2] = { 1: true, 1: false, _: false };\n"
          "      |                       ^\n"
          "1 error\n");
}

TEST_CASE("an element list without a default must list every element") {
    CHECK(testing::diagnostics("type Dom = scalarset(3);\nvar a: bool[Dom] = { Dom(1): true };\n"
                               "process p { skip; }\n") ==
          "test.mc:2:20: error: this element list gives no value for Dom(0), Dom(2) of Dom; add '_: value' for "
          "the elements not listed\n"
          "    2 | var a: bool[Dom] = { Dom(1): true };\n"
          "      |                    ^~~~~~~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("an element list's keys must be values of the index type") {
    CHECK(testing::diagnostics("enum Mode { a, b }\nvar x: bool[Mode] = { c: true, _: false };\nprocess p { skip; }\n") ==
          "test.mc:2:23: error: unknown name 'c'\n"
          "    2 | var x: bool[Mode] = { c: true, _: false };\n"
          "      |                       ^\n"
          "note: did you mean 'a'?\n"
          "1 error\n");
    CHECK(testing::diagnostics("enum Mode { a, b }\nvar x: bool[Mode] = { 1: true, _: false };\nprocess p { skip; }\n") ==
          "test.mc:2:23: error: a key of this element list must be a value of Mode, found int\n"
          "    2 | var x: bool[Mode] = { 1: true, _: false };\n"
          "      |                       ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: bool[0..2] = { 3: true, _: false };\nprocess p { skip; }\n") ==
          "test.mc:1:23: error: key 3 is outside 0..2\n"
          "    1 | var x: bool[0..2] = { 3: true, _: false };\n"
          "      |                       ^\n"
          "1 error\n");
}

TEST_CASE("an element list for a scalar and a default given twice are errors") {
    CHECK(testing::diagnostics("var x: bool = { _: true };\nprocess p { skip; }\n") ==
          "test.mc:1:15: error: an element list initializes an array, but 'x' is bool\n"
          "    1 | var x: bool = { _: true };\n"
          "      |               ^~~~~~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: bool[0..1] = { _: true, _: false };\nprocess p { skip; }\n") ==
          "test.mc:1:32: error: the default '_' is given twice\n"
          "    1 | var x: bool[0..1] = { _: true, _: false };\n"
          "      |                                ^\n"
          "test.mc:1:23: note: first given here\n"
          "    1 | var x: bool[0..1] = { _: true, _: false };\n"
          "      |                       ^\n"
          "1 error\n");
    // A value out of the element's range is reported where the value is written.
    CHECK(testing::diagnostics("var x: 0..2[0..1] = { 0: 1, _: 5 };\nprocess p { skip; }\n") ==
          "test.mc:1:32: error: initial value 5 is outside the range 0..2 of 'x[1]'\n"
          "    1 | var x: 0..2[0..1] = { 0: 1, _: 5 };\n"
          "      |                                ^\n"
          "1 error\n");
}

TEST_CASE("an element list keyed by a scalarset element breaks its symmetry") {
    const auto c = testing::compile_text(R"(type Dom = scalarset(2);
var alive: bool[Dom] = { Dom(1): true, _: false };
process p(d: Dom) { skip; }
)");
    REQUIRE(c.ts != nullptr);
    const auto& sc = c.ts->symmetry().scalarsets.at(0);
    REQUIRE(sc.breaches.size() == 1);
    CHECK(sc.breaches[0].what == "the literal Dom(1) names one element");
}

// ---------------------------------------------------------------- objects with a lifetime

TEST_CASE("a lifetime field must be a kref, and a struct has one") {
    CHECK(testing::diagnostics("struct S { n: 0..1 lifetime; }\nvar s: S;\nprocess p { skip; }\n") ==
          "test.mc:1:20: error: only a kref field can be the lifetime of a struct; 'n' is 0..1\n"
          "    1 | struct S { n: 0..1 lifetime; }\n"
          "      |                    ^~~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("struct S { a: kref(1) lifetime; b: kref(1) lifetime; }\nvar s: S;\nprocess p { skip; }\n") ==
          "test.mc:1:44: error: struct 'S' already has a lifetime field ('a')\n"
          "    1 | struct S { a: kref(1) lifetime; b: kref(1) lifetime; }\n"
          "      |                                            ^~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("an object with a lifetime has a hidden freed flag after its fields") {
    const auto ts = testing::compile(R"(struct Dom { refs: kref(2) lifetime; users: 0..2; }
var d: Dom[0..1];
process p { kref_init(d[0].refs); d[0].users = 1; }
)");
    std::vector<std::string> names;
    for (const auto& s : ts->layout().slots()) names.push_back(s.name);
    CHECK(names == std::vector<std::string>{"d[0].refs", "d[0].users", "d[0].(freed)", "d[1].refs", "d[1].users",
                                            "d[1].(freed)", "p.pc"});
    // The use_after_free property follows the five built-ins; lock_order comes last.
    CHECK(ts->properties().size() == 7);
    CHECK(ts->properties()[5].name == "use_after_free");
    CHECK(ts->properties()[6].name == "lock_order");
}

}
