// SPDX-License-Identifier: MIT
// Tests of checker/lang/elaborate.cpp on models that compile: constants after -D and variant
// settings, variant() folding, process instances, the state layout, groups and locations,
// and the location sets of `@` and `past`.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

using Constants = std::vector<std::pair<std::string, std::int64_t>>;

const char* const kVariantModel = R"(const N: 1..4 = 2;
const FIX = false;
const K = 3;
variant today;
variant fix "the fix" { FIX = true; K = 1; }
process p { skip; }
)";

std::vector<std::string> slot_names(const ir::TransitionSystem& ts) {
    std::vector<std::string> out;
    for (const auto& s : ts.layout().slots()) out.push_back(s.name);
    return out;
}

std::vector<unsigned> slot_widths(const ir::TransitionSystem& ts) {
    std::vector<unsigned> out;
    for (const auto& s : ts.layout().slots()) out.push_back(s.width);
    return out;
}

std::vector<std::string> process_names(const ir::TransitionSystem& ts) {
    std::vector<std::string> out;
    for (const auto& p : ts.processes()) out.push_back(p.name);
    return out;
}

/// The location set of an invariant that is exactly one `@` or `past` test.
std::vector<std::uint32_t> locs_of(const ir::TransitionSystem& ts, const std::string& name) {
    const auto id = ts.find_property(name);
    REQUIRE(id.has_value());
    const auto& p = ts.property(*id);
    REQUIRE(p.checks.size() == 1);
    REQUIRE(p.checks[0].expr.op == ir::ExprOp::at_loc);
    auto locs = p.checks[0].expr.locs;
    std::sort(locs.begin(), locs.end());
    return locs;
}

}  // namespace

TEST_SUITE("lang") {

// ---------------------------------------------------------------- constants and variants

TEST_CASE("constants take their defaults and the first variant is the default") {
    const auto ts = testing::compile(kVariantModel);
    CHECK(ts->info().variant == "today");
    CHECK(ts->info().constants == Constants{{"N", 2}, {"FIX", 0}, {"K", 3}});
}

TEST_CASE("a define overrides a constant's default") {
    const auto ts = testing::compile(kVariantModel, "", {"N=3", "FIX=true"});
    CHECK(ts->info().constants == Constants{{"N", 3}, {"FIX", 1}, {"K", 3}});
    // A leading '+' is accepted by strtoll.
    CHECK(testing::compile(kVariantModel, "", {"N=+4"})->info().constants[0].second == 4);
}

TEST_CASE("a variant's settings override the defaults and a define overrides both") {
    const auto fix = testing::compile(kVariantModel, "fix");
    CHECK(fix->info().variant == "fix");
    CHECK(fix->info().constants == Constants{{"N", 2}, {"FIX", 1}, {"K", 1}});
    // -D comes from the command line and wins over the variant's K = 1.
    const auto both = testing::compile(kVariantModel, "fix", {"K=2"});
    CHECK(both->info().constants == Constants{{"N", 2}, {"FIX", 1}, {"K", 2}});
}

TEST_CASE("a constant defined from another sees the other's override") {
    // M = N * 2 is evaluated after -D N=3 applies.
    const auto ts = testing::compile("const N = 1;\nconst M = N * 2;\nprocess p { skip; }\n", "",
                                     {"N=3"});
    CHECK(ts->info().constants == Constants{{"N", 3}, {"M", 6}});
}

TEST_CASE("variant tests fold so that only the chosen branch is compiled") {
    // p has two steps under either variant: one assignment chosen by `when`, then x = 3.
    const char* model = R"(var x: 0..3;
variant a;
variant b;
process p { when (variant(b)) x = 1; else x = 2; x = 3; }
)";
    const auto a = testing::compile(model, "a");
    REQUIRE(a->groups().size() == 2);
    CHECK(a->groups()[0].text == "x = 2");
    CHECK(a->groups()[1].text == "x = 3");
    const auto b = testing::compile(model, "b");
    REQUIRE(b->groups().size() == 2);
    CHECK(b->groups()[0].text == "x = 1");
}

TEST_CASE("a constant if takes no step and a constant while false vanishes") {
    // Only x = 1 remains: the if (N == 2) is folded, the while (N > 5) body is dropped.
    const auto ts = testing::compile(R"(const N = 2;
var x: 0..3;
process p { if (N == 2) x = 1; else x = 2; while (N > 5) x = 3; }
)");
    REQUIRE(ts->groups().size() == 1);
    CHECK(ts->groups()[0].text == "x = 1");
    CHECK(ts->process(ir::ProcessId{0}).locations.size() == 2);
}

TEST_CASE("a conditional of an enumerator and none has the optional enum type") {
    // `c ? dma : none` is the natural way to set an optional enum; the code rejects it with
    // "branches of '?:' have different types Dom and none" because Dom (the type of dma) is
    // not optional. The result type should be Dom?.
    const auto c = testing::compile_text(R"(enum Dom { dma, identity }
var d: Dom?;
var b: bool;
process p { d = b ? dma : none; }
)");
    INFO(c.diagnostics);
    CHECK(c.ts != nullptr);
}

// ---------------------------------------------------------------- processes

TEST_CASE("parameterised processes get one instance per value") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
enum Dom { dma, identity }
process client(d: Dev) { skip; }
process worker(i: 1..2) { skip; }
process flag(b: bool) { skip; }
process dom(k: Dom) { skip; }
process pair(d: Dev, k: Dom) { skip; }
process main { skip; }
)");
    CHECK(process_names(*ts) ==
          std::vector<std::string>{"client(0)", "client(1)", "worker(1)", "worker(2)",
                                   "flag(false)", "flag(true)", "dom(dma)", "dom(identity)",
                                   "pair(0,dma)", "pair(0,identity)", "pair(1,dma)",
                                   "pair(1,identity)", "main"});
    CHECK(ts->layout().process_names == process_names(*ts));
}

// ---------------------------------------------------------------- layout

TEST_CASE("the state layout has one slot per scalar with the fewest bits") {
    // Widths are bits_for(hi - lo):
    //   x 0..5 -> 3; b bool -> 1; g[d].dom Dom? (-1..2, none = -1) -> 2; g[d].cnt 0..3 -> 2;
    //   m mutex over 3 instances (-1 free .. 2) -> 2; r kref(4) 0..4 -> 3; o Dev? -1..1 -> 2;
    //   neg -2..1 -> 2; client(d).pc with 3 locations (L, M, end) -> 2; other.pc 2 -> 1.
    // Sum: 3+1+2+2+2+2+2+3+2+2+2+2+1 = 26 bits = 4 bytes.
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
enum Dom { dma, identity, blocked }
struct Grp { dom: Dom?; cnt: 0..3; }
var x: 0..5 = 0;
var b: bool;
var g: Grp[Dev];
var m: mutex;
var r: kref(4);
var o: Dev?;
var neg: -2..1 = -2;
process client(d: Dev) { L: x = 1; M: skip; }
process other { end_wait: await b; }
)");
    CHECK(slot_names(*ts) == std::vector<std::string>{"x", "b", "g[0].dom", "g[0].cnt", "g[1].dom",
                                                      "g[1].cnt", "m", "r", "o", "neg",
                                                      "client(0).pc", "client(1).pc", "other.pc"});
    CHECK(slot_widths(*ts) == std::vector<unsigned>{3, 1, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 1});
    CHECK(ts->layout().bits() == 26);
    CHECK(ts->layout().bytes() == 4);
    // Initial values: optional types and mutexes start at -1 (none, free), ranges at 0 or lo.
    const auto slots = ts->layout().slots();
    CHECK(slots[2].init == -1);
    CHECK(slots[6].init == -1);
    CHECK(slots[8].init == -1);
    CHECK(slots[9].init == -2);
}

TEST_CASE("array dimensions apply outermost first and name their indices") {
    const auto ts = testing::compile(R"(enum Dom { dma, identity }
type Bit = 0..1;
var a: Bit[bool][Dom];
var c: bool[1..2];
process p { skip; }
)");
    CHECK(slot_names(*ts) == std::vector<std::string>{"a[false][dma]", "a[false][identity]",
                                                      "a[true][dma]", "a[true][identity]",
                                                      "c[1]", "c[2]", "p.pc"});
}

TEST_CASE("an array of a literal range type needs no alias") {
    // "0..3[Dev]" should read as the range 0..3 indexed by Dev, like "bool[Dev]"; the type
    // parser instead reads the upper bound as the expression "3[Dev]" (an index into 3).
    const auto c = testing::compile_text(R"(type Dev = scalarset(2);
var cnt: 0..3[Dev];
process p { skip; }
)");
    INFO(c.diagnostics);
    REQUIRE(c.ts);
    CHECK(slot_names(*c.ts) == std::vector<std::string>{"cnt[0]", "cnt[1]", "p.pc"});
}

TEST_CASE("locals are slots of their process instance") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
process client(d: Dev) { var ret: 0..2 = 1; ret = 2; }
)");
    CHECK(slot_names(*ts) == std::vector<std::string>{"client(0).ret", "client(0).pc",
                                                      "client(1).ret", "client(1).pc"});
    CHECK(ts->layout().slots()[0].init == 1);
    CHECK(ts->layout().slots()[0].process == 0);
    CHECK(ts->layout().slots()[2].process == 1);
}

TEST_CASE("a model with a single one-location process still takes one byte") {
    // p loops on one step forever: one location, so its pc has width 0 and no bits at all.
    const auto ts = testing::compile("process p { L: skip; goto L; }\n");
    CHECK(ts->process(ir::ProcessId{0}).locations.size() == 1);
    CHECK(slot_widths(*ts) == std::vector<unsigned>{0});
    CHECK(ts->layout().bits() == 0);
    CHECK(ts->layout().bytes() == 1);
}

// ---------------------------------------------------------------- groups and locations

TEST_CASE("each simple statement and each branch condition is one group") {
    // Locations: 0 if (x == 0), 1 x = 1, 2 x = 2, 3 while (x < 3), 4 x++, 5 end.
    // One group per location that has a step: 5 groups.
    const auto ts = testing::compile(R"(var x: 0..3;
process p { if (x == 0) x = 1; else x = 2; while (x < 3) x++; }
)");
    CHECK(ts->groups().size() == 5);
    const auto& p = ts->process(ir::ProcessId{0});
    CHECK(p.locations.size() == 6);
    CHECK(ts->groups()[0].text == "if (x == 0)");  // the test; its outcomes are ": true" and ": false"
    CHECK(p.group_at[5] == ir::no_group);
    CHECK(p.locations[5].terminal);
    CHECK(p.locations[5].valid_end);
}

TEST_CASE("atomic is one group and either is one group with an alternative per branch") {
    // Locations: 0 atomic, 1 either (x = 3 or skip), 2 end.
    const auto ts = testing::compile(R"(var x: 0..3;
process p { atomic { x = 1; x = 2; } either { x = 3; } or { skip; } }
)");
    CHECK(ts->groups().size() == 2);
    CHECK(ts->process(ir::ProcessId{0}).locations.size() == 3);
    CHECK(ts->groups()[0].text == "atomic { x = 1; x = 2; }");
}

TEST_CASE("declarations labels gotos and constant-argument calls take no step") {
    // var, the label, the call f(1) (constant argument) and goto take no step; the steps are
    // x = a (inside f), skip, and nothing else: 2 groups, 3 locations with the end.
    const auto ts = testing::compile(R"(var x: 0..3;
proc f(a: 0..3) { x = a; }
process p { var y: bool; L: f(1); goto M; M: skip; }
)");
    CHECK(ts->groups().size() == 2);
    CHECK(ts->process(ir::ProcessId{0}).locations.size() == 3);
}

TEST_CASE("a call with a variable argument takes one step to pass it and resets it on the way out") {
    // f(x) assigns the parameter slot (1 step); x = a (1 step) is the last step of the body,
    // so it also resets the parameter slot to its initial value (states do not differ by a
    // dead value) and running off the end of f costs no step of its own.
    const auto ts = testing::compile(R"(var x: 0..3;
proc f(a: 0..3) { x = a; }
process p { f(x); }
)");
    std::string texts;
    for (const auto& g : ts->groups()) texts += g.text + "; ";
    CHECK(texts == "f(x); x = a; ");
    // The parameter is a slot of the instance, named after the procedure.
    CHECK(slot_names(*ts) == std::vector<std::string>{"x", "p.f.a", "p.pc"});
}

TEST_CASE("a procedure whose last statement is labelled resets its locals on the way out too") {
    // The label's location is made before the body's other nodes; the steps that leave the body
    // from it must reset the parameter like any other, whether the body falls into the label or
    // jumps there (f(x + 2): a = 2 takes the goto). x is set only by the last step, which also
    // resets a: the invariant holds. Without the reset the last state keeps a != 0 and fails it.
    for (const auto& [body, arg] : std::vector<std::pair<std::string, std::string>>{
             {"out: x = a;", "1"}, {"if (a > 1) goto out; skip; out: x = a;", "1"},
             {"if (a > 1) goto out; skip; out: x = a;", "2"}}) {
        CAPTURE(body);
        CAPTURE(arg);
        const auto ts = testing::compile(R"(var x: 0..3;
proc f(a: 0..3) { )" + body + R"( }
process p { f(x + )" + arg + R"(); }
invariant reset: x == 0 || p.f.a == 0;
)");
        CHECK(explore::check(*ts, {}).verdict == explore::Verdict::holds);
    }
    // A label reached without a step (a `when` whose flag is false compiles to nothing): the end
    // is a step of its own, `end of f`, which resets.
    const auto gap = testing::compile(R"(const FLAG: bool = false;
var x: 0..3;
var m: mutex;
proc f(a: 0..3) { if (a > 1) goto out; x = a; out: when (FLAG) unlock(m); }
process p { f(x + 2); }
invariant reset: x == 0 || p.f.a == 0;
)");
    std::string texts;
    for (const auto& g : gap->groups()) texts += g.text + "; ";
    CHECK(texts == "f(x + 2); if (a > 1); end of f; x = a; ");
    CHECK(explore::check(*gap, {}).verdict == explore::Verdict::holds);
    // x = 0 at the call; a = 1 passed; x = a with a reset: 3 states, with or without the label.
    for (const char* body : {"out: x = a;", "x = a;"}) {
        const auto ts = testing::compile(std::string("var x: 0..3;\nproc f(a: 0..3) { ") + body +
                                         " }\nprocess p { f(x + 1); }\n");
        CHECK(explore::check(*ts, {}).stats.states == 3);
    }
}

TEST_CASE("labels starting with end mark valid end locations") {
    const auto ts = testing::compile(R"(var b: bool;
process p { end_wait: await b; wait: await b; }
)");
    const auto& locs = ts->process(ir::ProcessId{0}).locations;
    REQUIRE(locs.size() == 3);
    CHECK(locs[0].label == "end_wait");
    CHECK(locs[0].valid_end);
    CHECK(locs[1].label == "wait");
    CHECK_FALSE(locs[1].valid_end);
    CHECK(locs[2].valid_end);
}

TEST_CASE("at and past give the location sets of the label and of what it dominates") {
    // Locations in BFS order: 0 "a: x = 1", 1 "if (x == 1)", 2 "L: x = 2" (then-branch),
    // 3 "M: x = 3" (also reached by the false branch), 4 end.
    //   0 -> 1 -> {2, 3};  2 -> 3;  3 -> 4.
    // L dominates only itself (M is reachable around it); a dominates everything; M
    // dominates itself and the end.
    const auto ts = testing::compile(R"(var x: 0..3;
process p { a: x = 1; if (x == 1) { L: x = 2; } M: x = 3; }
invariant at_l: p @ L;
invariant past_l: p past L;
invariant past_a: p past a;
invariant past_m: p past M;
invariant at_m: p @ M;
)");
    CHECK(locs_of(*ts, "at_l") == std::vector<std::uint32_t>{2});
    CHECK(locs_of(*ts, "past_l") == std::vector<std::uint32_t>{2});
    CHECK(locs_of(*ts, "past_a") == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
    CHECK(locs_of(*ts, "past_m") == std::vector<std::uint32_t>{3, 4});
    CHECK(locs_of(*ts, "at_m") == std::vector<std::uint32_t>{3});
}

TEST_CASE("a quantified invariant is split into one check per instance") {
    const auto ts = testing::compile(R"(type Dev = scalarset(2);
var x: 0..3;
process client(d: Dev) { L: x = 1; }
invariant i: forall d: Dev. client(d) @ L;
)");
    const auto id = ts->find_property("i");
    REQUIRE(id.has_value());
    const auto& checks = ts->property(*id).checks;
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].binding == "d = 0");
    CHECK(checks[1].binding == "d = 1");
    // Each check reads its own instance's pc slot: client(0).pc is slot 1, client(1).pc 2.
    CHECK(checks[0].expr.slot == ir::SlotId{1});
    CHECK(checks[1].expr.slot == ir::SlotId{2});
}

TEST_CASE("named assertions, invariants and liveness properties follow the built-ins; lock_order is last") {
    const auto ts = testing::compile(R"(var x: 0..3;
process p { assert small: x < 3; }
invariant inv: x <= 3;
liveness live: eventually x == 3;
)");
    std::vector<std::string> names;
    for (const auto& p : ts->properties()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"runtime_errors", "deadlock", "assertions", "mutex_misuse",
                                            "kref_misuse", "small", "inv", "live", "lock_order"});
    const auto& live = ts->property(*ts->find_property("live"));
    CHECK(live.kind == ir::PropertyKind::liveness);
    CHECK(live.form == ir::LivenessForm::eventually);
    CHECK(live.goals.size() == 1);
    CHECK(live.checks.empty());  // the explorer never sees a liveness goal
}

}  // TEST_SUITE
