// SPDX-License-Identifier: MIT
// Tests of the symmetry pass (checker/lang/symmetry.cpp, loop_order.cpp and the breaches the
// other passes record): the shapes and coordinates of slots and processes, the walk table,
// every construct that breaks a scalarset's symmetry with its exact text and place, the lint
// warnings, and end to end that reducing over what stays symmetric keeps the verdicts.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

/// One line per slot: "name shape [Set value, ...]", scalarsets by name.
std::string shapes(const ir::TransitionSystem& ts) {
    const auto& sym = ts.symmetry();
    std::string out;
    for (std::size_t i = 0; i < ts.layout().slots().size(); ++i) {
        out += ts.layout().slots()[i].name + " " + std::to_string(sym.slot_shape[i]);
        std::string c;
        for (const auto& x : sym.slot_coords[i])
            c += (c.empty() ? "" : ", ") + sym.scalarsets[x.scalarset].name + " " + std::to_string(x.value);
        out += c.empty() ? "\n" : " [" + c + "]\n";
    }
    return out;
}

/// One line per process: "name shape [Set value, ...]".
std::string process_shapes(const ir::TransitionSystem& ts) {
    const auto& sym = ts.symmetry();
    std::string out;
    for (std::size_t p = 0; p < ts.processes().size(); ++p) {
        out += ts.processes()[p].name + " " + std::to_string(sym.process_shape[p]);
        std::string c;
        for (const auto& x : sym.process_coords[p])
            c += (c.empty() ? "" : ", ") + sym.scalarsets[x.scalarset].name + " " + std::to_string(x.value);
        out += c.empty() ? "\n" : " [" + c + "]\n";
    }
    return out;
}

/// One line per breach: "Set: what (file:line:col)", scalarsets in table order.
std::string breaches(const ir::TransitionSystem& ts) {
    std::string out;
    for (const auto& s : ts.symmetry().scalarsets)
        for (const auto& b : s.breaches) out += s.name + ": " + b.what + " (" + ts.sources().location(b.where) + ")\n";
    return out;
}


/// The verdict of `property` with the given symmetry mode, and the states stored.
std::pair<explore::Verdict, std::uint64_t> run(const ir::TransitionSystem& ts, const std::string& property,
                                               reduce::SymmetryMode mode) {
    explore::Options o;
    o.symmetry = mode;
    o.properties = {*ts.find_property(property)};
    o.stop_at_first = false;
    const auto r = explore::check(ts, o);
    return {r.verdict, r.stats.states};
}

}  // namespace

TEST_SUITE("lang") {

// ---------------------------------------------------------------- shapes and coordinates

TEST_CASE("array elements indexed by a scalarset share a shape and differ in their coordinate") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var dev_group: bool[Dev];
var flag: bool;
process p { skip; }
)");
    const auto& sym = ts->symmetry();
    REQUIRE(sym.scalarsets.size() == 1);
    CHECK(sym.scalarsets[0].name == "Dev");
    CHECK(sym.scalarsets[0].size == 2);
    CHECK(sym.scalarsets[0].layout_index == 0);
    CHECK(sym.scalarsets[0].breaches.empty());
    CHECK(shapes(*ts) == "dev_group[0] 1 [Dev 0]\n"
                         "dev_group[1] 1 [Dev 1]\n"
                         "flag 0\n"
                         "p.pc 0\n");
    CHECK(process_shapes(*ts) == "p 0\n");
    REQUIRE(sym.walk.size() == 1);
    CHECK(sym.walk[0].empty());
}

TEST_CASE("a model without scalarsets has an empty symmetry") {
    const auto ts = testing::compile("var x: bool[0..1];\nprocess p { x[0] = true; }\n");
    const auto& sym = ts->symmetry();
    CHECK(sym.scalarsets.empty());
    CHECK(sym.slot_shape.empty());
    CHECK(sym.process_shape.empty());
    CHECK(sym.walk.empty());
}

TEST_CASE("a two-dimensional array has one coordinate per scalarset dimension in index order") {
    // Scalarsets are numbered in declaration order: Grp before Dev.
    const auto ts = testing::compile(R"(type Grp = scalarset(2);
type Dev = scalarset(2);
var attached: bool[Dev][Grp];
process p { skip; }
)");
    CHECK(ts->symmetry().scalarsets[0].name == "Grp");
    CHECK(ts->symmetry().scalarsets[1].layout_index == 1);
    CHECK(shapes(*ts) == "attached[0][0] 1 [Dev 0, Grp 0]\n"
                         "attached[0][1] 1 [Dev 0, Grp 1]\n"
                         "attached[1][0] 1 [Dev 1, Grp 0]\n"
                         "attached[1][1] 1 [Dev 1, Grp 1]\n"
                         "p.pc 0\n");
}

TEST_CASE("struct fields in an array indexed by a scalarset get one shape per field") {
    const auto ts = testing::compile(R"(type Grp = scalarset(2);
enum Mode { blocked, dma }
struct Group { mode: Mode; users: 0..2; lock: mutex; }
var group: Group[Grp];
process p { skip; }
)");
    CHECK(shapes(*ts) == "group[0].mode 1 [Grp 0]\n"
                         "group[0].users 2 [Grp 0]\n"
                         "group[0].lock 3 [Grp 0]\n"
                         "group[1].mode 1 [Grp 1]\n"
                         "group[1].users 2 [Grp 1]\n"
                         "group[1].lock 3 [Grp 1]\n"
                         "p.pc 0\n");
}

TEST_CASE("an array dimension over an enum or a range is part of the shape, not a coordinate") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
enum Kind { pci, platform }
var x: bool[Kind][Dev];
var y: bool[Dev][1..2];
process p { skip; }
)");
    CHECK(shapes(*ts) == "x[pci][0] 1 [Dev 0]\n"
                         "x[pci][1] 1 [Dev 1]\n"
                         "x[platform][0] 2 [Dev 0]\n"
                         "x[platform][1] 2 [Dev 1]\n"
                         "y[0][1] 3 [Dev 0]\n"
                         "y[0][2] 4 [Dev 0]\n"
                         "y[1][1] 3 [Dev 1]\n"
                         "y[1][2] 4 [Dev 1]\n"
                         "p.pc 0\n");
}

TEST_CASE("the locals and pc of a process family share shapes across instances with the same other parameters") {
    // client(d, k): one family per k. Its locals (a variable, an array over Grp, a procedure's
    // parameter slot, a temporary) and its pc have the coordinates of d, then those of the
    // local's own dimensions. The singleton `idle` has shape 0 throughout.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
type Grp = scalarset(2);
enum Kind { pci, platform }
var n: 0..3;
proc f(x: 0..3) -> 0..3 { return x; }
process client(d: Dev, k: Kind) {
    var r: 0..3;
    var seen: bool[Grp];
    r = f(n) + 1;
    seen[Grp(1)] = true;
}
process idle { skip; }
)");
    CHECK(shapes(*ts) == "n 0\n"
                         "client(0,pci).r 1 [Dev 0]\n"
                         "client(0,pci).seen[0] 2 [Dev 0, Grp 0]\n"
                         "client(0,pci).seen[1] 2 [Dev 0, Grp 1]\n"
                         "client(0,pci).tmp0 3 [Dev 0]\n"
                         "client(0,pci).f.x 4 [Dev 0]\n"
                         "client(0,pci).pc 5 [Dev 0]\n"
                         "client(0,platform).r 6 [Dev 0]\n"
                         "client(0,platform).seen[0] 7 [Dev 0, Grp 0]\n"
                         "client(0,platform).seen[1] 7 [Dev 0, Grp 1]\n"
                         "client(0,platform).tmp0 8 [Dev 0]\n"
                         "client(0,platform).f.x 9 [Dev 0]\n"
                         "client(0,platform).pc 10 [Dev 0]\n"
                         "client(1,pci).r 1 [Dev 1]\n"
                         "client(1,pci).seen[0] 2 [Dev 1, Grp 0]\n"
                         "client(1,pci).seen[1] 2 [Dev 1, Grp 1]\n"
                         "client(1,pci).tmp0 3 [Dev 1]\n"
                         "client(1,pci).f.x 4 [Dev 1]\n"
                         "client(1,pci).pc 5 [Dev 1]\n"
                         "client(1,platform).r 6 [Dev 1]\n"
                         "client(1,platform).seen[0] 7 [Dev 1, Grp 0]\n"
                         "client(1,platform).seen[1] 7 [Dev 1, Grp 1]\n"
                         "client(1,platform).tmp0 8 [Dev 1]\n"
                         "client(1,platform).f.x 9 [Dev 1]\n"
                         "client(1,platform).pc 10 [Dev 1]\n"
                         "idle.pc 0\n");
    CHECK(process_shapes(*ts) == "client(0,pci) 1 [Dev 0]\n"
                                 "client(0,platform) 2 [Dev 0]\n"
                                 "client(1,pci) 1 [Dev 1]\n"
                                 "client(1,platform) 2 [Dev 1]\n"
                                 "idle 0\n");
    // Only the literal Grp(1) breaks anything.
    CHECK(breaches(*ts) == "Grp: the literal Grp(1) names one element (test.mc:10:10)\n");
}

TEST_CASE("a process with two scalarset parameters has both as coordinates in parameter order") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
type Grp = scalarset(2);
process attach(g: Grp, d: Dev) { skip; }
)");
    CHECK(process_shapes(*ts) == "attach(0,0) 1 [Grp 0, Dev 0]\n"
                                 "attach(0,1) 1 [Grp 0, Dev 1]\n"
                                 "attach(1,0) 1 [Grp 1, Dev 0]\n"
                                 "attach(1,1) 1 [Grp 1, Dev 1]\n");
}

// ---------------------------------------------------------------- walks

TEST_CASE("a loop over a scalarset with steps records the element each location visits") {
    // Locations of p: 0 before the loop, 1 and 2 in iterations 0 and 1 (x[0] = true, then
    // x[1] = true), 3 the end. Such a loop is no breach: the canonicalizer leaves Dev unreduced
    // while it can still run (see the next test cases).
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: bool[Dev];
var go: bool;
process p {
    await go;
    for d: Dev {
        x[d] = true;
    }
}
)");
    const auto& sym = ts->symmetry();
    REQUIRE(sym.walk.size() == 1);
    CHECK(sym.walk[0] == std::vector<std::int16_t>{-1, 0, 1, -1});
    CHECK(breaches(*ts).empty());
}

TEST_CASE("a loop with steps keeps its scalarset unreduced while it can still run") {
    // The walker visits the devices in index order while setters may have marked some before
    // `go`. With x = {1} set, it sees x[0] = false first; with x = {0} set, it sees x[0] =
    // true first, so `n == 0 && y` with exactly one x set is reachable. A reduction that took
    // x = {1} as the representative of both (they are images of each other before the walk
    // starts) would never reach it and report `holds`: while the walk can still run, Dev is
    // left unreduced, and the verdict is found. (The walker ends right after the walk, so the
    // states past it are reduced; the invariant is decided before.)
    const auto ts = testing::compile(R"(type Dev = scalarset(3);
var x: bool[Dev];
var go: bool;
var n: 0..3;
var y: bool;
process setter(d: Dev) { end_s: atomic { await !go; x[d] = true; } }
process starter { go = true; }
process walker {
    await go;
    for e: Dev {
        if (x[e]) y = true;
        n += 1;
    }
}
invariant first_seen: !(n == 0 && y && (exists d: Dev. x[d] && (forall e: Dev. e == d || !x[e])));
)");
    CHECK(ts->symmetry().scalarsets[0].breaches.empty());
    const auto off = run(*ts, "first_seen", reduce::SymmetryMode::off);
    const auto exact = run(*ts, "first_seen", reduce::SymmetryMode::exact);
    CHECK(off.first == explore::Verdict::violated);
    CHECK(exact.first == explore::Verdict::violated);
}

TEST_CASE("once no walk can run again the scalarset is reduced") {
    // walker: x[0] = true; x[1] = true (a walk over Dev, 2 steps). c(d): await x[d]; y[d] =
    // true. Unreduced: walker at 0: c's both waiting (1 state); at 1: c(0) at 0..2 (3); at 2
    // (ended): c(0), c(1) each at 0..2 (9): 13 states. With symmetry the first 4 are kept as
    // they are (the walk can still run), and the 9 with the walker ended fall into 6 orbits of
    // (c(0), c(1)) under swapping the devices: 10 states.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: bool[Dev];
var y: bool[Dev];
process walker { for e: Dev { x[e] = true; } }
process c(d: Dev) { await x[d]; y[d] = true; }
invariant ok: forall d: Dev. y[d] -> x[d];
)");
    CHECK(ts->symmetry().scalarsets[0].breaches.empty());
    const auto off = run(*ts, "ok", reduce::SymmetryMode::off);
    const auto exact = run(*ts, "ok", reduce::SymmetryMode::exact);
    CHECK(off.first == explore::Verdict::holds);
    CHECK(exact.first == explore::Verdict::holds);
    CHECK(off.second == 13);
    CHECK(exact.second == 10);
}

TEST_CASE("nested loops over one scalarset with steps cannot be described") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: bool[Dev][Dev];
process p {
    for d: Dev {
        for e: Dev {
            x[d][e] = true;
        }
    }
}
)");
    CHECK(breaches(*ts) == "Dev: nested loops over Dev with steps (test.mc:5:9)\n");
    // The innermost loop decides the element a location visits.
    CHECK(ts->symmetry().walk[0] == std::vector<std::int16_t>{0, 1, 0, 1, -1});
}

TEST_CASE("a loop over a scalarset whose body has no step is no walk") {
    // Both iterations fold away (`when` false): p has one step, x = true, outside any walk.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
const DEBUG = false;
var x: bool;
process p {
    for d: Dev { when (DEBUG) x = false; }
    x = true;
}
)");
    CHECK(breaches(*ts).empty());
    CHECK(ts->symmetry().walk[0].empty());
}

// ---------------------------------------------------------------- breaches

TEST_CASE("a scalarset literal breaks its scalarset wherever it is compiled") {
    // In a constant, a variant setting (which replaces PICK's default, never compiled), an
    // initializer, a statement, an invariant and a metric; each place once, though the
    // statement is compiled for two instances.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
type Grp = scalarset(2);
const FIRST = Grp(0);
const PICK = Dev(0);
variant one { PICK = Dev(1); }
var owner: Dev? = Dev(1);
var users: 0..2[Grp];
process client(g: Grp) { owner = PICK; users[g] = 1; owner = Dev(0); }
invariant second_free: users[Grp(1)] == 0;
metric first_users: users[FIRST] + users[Grp(0)];
)");
    // Scalarsets are numbered as they are first resolved: Grp, for FIRST, before Dev.
    CHECK(breaches(*ts) == "Grp: the literal Grp(0) names one element (test.mc:3:15)\n"
                           "Grp: the literal Grp(1) names one element (test.mc:9:30)\n"
                           "Grp: the literal Grp(0) names one element (test.mc:10:42)\n"
                           "Dev: the literal Dev(1) names one element (test.mc:5:22)\n"
                           "Dev: the literal Dev(1) names one element (test.mc:6:19)\n"
                           "Dev: the literal Dev(0) names one element (test.mc:8:62)\n");
}

TEST_CASE("a literal in a branch that this variant does not compile breaks nothing") {
    // A `when` branch not taken is not compiled; the branch of `?:` and the right side of
    // `&&` that a constant drops are type-checked but name nothing.
    const char* model = R"(type Dev = scalarset(2);
variant plain;
variant first;
var x: bool[Dev];
var boot: Dev? = variant(first) ? Dev(1) : none;
process p { when (variant(first)) x[Dev(0)] = true; else skip; }
invariant boot_probed: variant(first) && boot == Dev(1) -> x[Dev(1)];
)";
    CHECK(breaches(*testing::compile(model, "plain")).empty());
    CHECK(breaches(*testing::compile(model, "first")) ==
          "Dev: the literal Dev(1) names one element (test.mc:5:35)\n"
          "Dev: the literal Dev(0) names one element (test.mc:6:37)\n"
          "Dev: the literal Dev(1) names one element (test.mc:7:50)\n"
          "Dev: the literal Dev(1) names one element (test.mc:7:62)\n");
}

TEST_CASE("a process instance named by number in an invariant names one element") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
process client(d: Dev) { done: skip; }
invariant all_done: forall d: Dev. client(d) @ done;
invariant first_done: client(0) @ done;
)");
    CHECK(breaches(*ts) == "Dev: the instance client(0) names one element (test.mc:4:30)\n");
}

TEST_CASE("variables of a scalarset type without none start at an element and break its symmetry") {
    // A global, a struct field, an array element, a process local and a procedure's parameter
    // slot; the optional `Dev?` starts at none and the initialized `pick` is reported at its
    // literal instead.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
struct S { who: Dev; ok: bool; }
var the_dev: Dev;
var s: S;
var owner: Dev[0..1];
var maybe: Dev?;
var pick: Dev = Dev(1);
var hit: bool[Dev];
proc touch(e: Dev) { hit[e] = true; }
process client(d: Dev) {
    var peer: Dev;
    touch(the_dev);
}
)");
    CHECK(breaches(*ts) ==
          "Dev: 'the_dev' starts at Dev(0): a variable of a scalarset type without none starts at its first element "
          "(test.mc:3:5)\n"
          "Dev: 's.who' starts at Dev(0): a variable of a scalarset type without none starts at its first element "
          "(test.mc:4:5)\n"
          "Dev: 'owner[0]' starts at Dev(0): a variable of a scalarset type without none starts at its first element "
          "(test.mc:5:5)\n"
          "Dev: the literal Dev(1) names one element (test.mc:7:17)\n"
          "Dev: 'client.touch.e' starts at Dev(0): a variable of a scalarset type without none starts at its first "
          "element (test.mc:9:12)\n"
          "Dev: 'client.peer' starts at Dev(0): a variable of a scalarset type without none starts at its first "
          "element (test.mc:11:9)\n");
}

TEST_CASE("a scalarset of size 1 never reports a breach") {
    const auto ts = testing::compile(R"(type Grp = scalarset(1);
var the_group: Grp;
var used: bool[Grp];
process p { used[Grp(0)] = true; }
)");
    CHECK(ts->symmetry().scalarsets[0].size == 1);
    CHECK(breaches(*ts).empty());
}

TEST_CASE("a loop inside one step is fine when its iterations commute") {
    // Writes to the loop's own element, one value written by several iterations and read by
    // none, a counter, and reads of what the loop does not write.
    const auto ts = testing::compile(R"(type Dev = scalarset(3);
var x: bool[Dev];
var y: bool[Dev];
var found: bool;
var n: 0..3;
var m: mutex[Dev];
process p {
    atomic {
        for d: Dev {
            x[d] = !y[d];
            if (y[d]) { found = true; n += 1; continue; }
            lock(m[d]);
        }
    }
}
)");
    CHECK(breaches(*ts).empty());
}

TEST_CASE("a loop inside one step whose result depends on the order breaks the symmetry") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: bool[Dev];
var last: Dev?;
var found: bool;
var p: Dev?[Dev];
process a { atomic { for d: Dev { if (x[d]) last = d; } } }
process b { atomic { for d: Dev { if (x[d]) break; found = true; } } }
process c { atomic { for d: Dev { if (!found && x[d]) found = true; } } }
process e { atomic { for d: Dev { if (p[d] != none) x[p[d]] = true; } } }
)");
    CHECK(breaches(*ts) ==
          "Dev: the loop over Dev visits its elements in order within one step, and several iterations write "
          "'last' (test.mc:6:22)\n"
          "Dev: the loop over Dev visits its elements in order within one step, and it can leave early (break, "
          "return or goto) (test.mc:7:22)\n"
          "Dev: the loop over Dev visits its elements in order within one step, and an iteration reads 'found', "
          "which another one writes (test.mc:8:22)\n"
          "Dev: the loop over Dev visits its elements in order within one step, and several iterations write "
          "'x[0]' (test.mc:9:22)\n");
}

TEST_CASE("instances of one process that differ at compile time break the symmetry of its parameters") {
    // `e != d` is decided per instance: client(0) skips iteration 0 and client(1) iteration 1,
    // so the two have their steps in different iterations of the loop.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: bool[Dev];
process client(d: Dev) {
    atomic { x[d] = true; }
    for e: Dev {
        when (e != d) { await x[e]; }
    }
}
)");
    CHECK(breaches(*ts) ==
          "Dev: 'e != d' is decided at compile time, differently in client(0) and client(1), so their steps "
          "differ (test.mc:6:15)\n");
    // The instances keep apart: no family shape for their pcs.
    CHECK(process_shapes(*ts) == "client(0) 0\nclient(1) 0\n");
}

// ---------------------------------------------------------------- symmetric models

TEST_CASE("a symmetric model has no breaches and symmetry reduction keeps its verdicts") {
    // tests/fixtures/clients.mc with N = 3: 2^3 = 8 states; up to permutations of Dev a
    // state is the number of finished clients: 4 states.
    support::DiagnosticSink sink;
    auto model = lang::Model::load(testing::source_path("tests/fixtures/clients.mc"), sink);
    REQUIRE(model);
    auto ts = lang::compile(*model, lang::CompileOptions{"", {"N=3"}}, sink);
    REQUIRE(ts);
    CHECK(ts->symmetry().scalarsets.size() == 1);
    CHECK(breaches(*ts).empty());
    CHECK(process_shapes(*ts) == "client(0) 1 [Dev 0]\nclient(1) 1 [Dev 1]\nclient(2) 1 [Dev 2]\n");
    const auto off = run(*ts, "consistent", reduce::SymmetryMode::off);
    const auto exact = run(*ts, "consistent", reduce::SymmetryMode::exact);
    CHECK(off == std::pair{explore::Verdict::holds, std::uint64_t{8}});
    CHECK(exact == std::pair{explore::Verdict::holds, std::uint64_t{4}});
}

// ---------------------------------------------------------------- lint warnings

TEST_CASE("lint reports each breach as a warning and other commands do not") {
    const char* model = R"(type Grp = scalarset(2);
var the_group: Grp;
var used: bool[Grp];
process p { used[Grp(0)] = true; }
)";
    CHECK(testing::lint_warnings(model) ==
          "test.mc:2:5: warning: symmetry reduction is off for scalarset 'Grp': 'the_group' starts at Grp(0): a "
          "variable of a scalarset type without none starts at its first element\n"
          "    2 | var the_group: Grp;\n"
          "      |     ^~~~~~~~~\n"
          "test.mc:4:18: warning: symmetry reduction is off for scalarset 'Grp': the literal Grp(0) names one "
          "element\n"
          "    4 | process p { used[Grp(0)] = true; }\n"
          "      |                  ^~~~~~\n");
    CHECK(testing::compile_text(model).diagnostics.empty());
}

}  // TEST_SUITE
