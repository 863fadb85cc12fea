// SPDX-License-Identifier: MIT
// Bounded model checking on small models whose shortest violations are derived by hand in the
// fixtures' comments (or below), and on the encoding's semantics opcode by opcode: runtime
// errors, mutex and kref checks, deadlocks, element accesses, choose and atomic branches.
#include <doctest/doctest.h>

#include "checker/symbolic/bmc.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

using testing::fixture;

symbolic::BmcResult run(const ir::TransitionSystem& ts, std::uint32_t depth, std::vector<std::string> props = {}) {
    symbolic::BmcOptions o;
    o.depth = depth;
    for (const auto& n : props) o.properties.push_back(*ts.find_property(n));
    auto r = symbolic::bmc(ts, o);
    testing::check_replays(ts, r.counterexample);  // every one must replay
    return r;
}

std::string violated(const ir::TransitionSystem& ts, const symbolic::BmcResult& r) {
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    return ts.property(r.counterexample->violation.property).name;
}

}  // namespace

TEST_CASE("bmc: lost update, racy: the shortest violation of counted has 4 steps") {
    auto ts = testing::compile(fixture("lost_update.mc"), "racy");
    const auto r = run(*ts, 10);
    CHECK(violated(*ts, r) == "counted");
    CHECK(r.counterexample->violation.kind == traces::ViolationKind::in_state);
    CHECK(r.counterexample->trace.steps.size() == 4);
    CHECK(r.depth == 4);
    // Bounded below the violation: no violation up to depth 3, never "holds".
    const auto below = run(*ts, 3);
    CHECK(below.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(below.depth == 3);
}

TEST_CASE("bmc: lost update, fixed: no violation; with TOTAL=1 one of 2 steps") {
    auto fixed = testing::compile(fixture("lost_update.mc"), "fixed");
    CHECK(run(*fixed, 6).verdict == symbolic::BmcVerdict::no_violation);
    auto one = testing::compile(fixture("lost_update.mc"), "fixed", {"TOTAL=1"});
    const auto r = run(*one, 6);
    CHECK(violated(*one, r) == "counted");
    CHECK(r.counterexample->trace.steps.size() == 2);
}

TEST_CASE("bmc: ABBA deadlock after 2 steps (p lock(a), q lock(b))") {
    auto ts = testing::compile(fixture("abba.mc"));
    const auto r = run(*ts, 5);
    CHECK(violated(*ts, r) == "deadlock");
    CHECK(r.counterexample->violation.kind == traces::ViolationKind::deadlock);
    CHECK(r.counterexample->trace.steps.size() == 2);
    CHECK(run(*ts, 1).verdict == symbolic::BmcVerdict::no_violation);
}

TEST_CASE("bmc: kref put at zero on the second put (2 steps)") {
    auto ts = testing::compile(fixture("double_put.mc"));
    const auto r = run(*ts, 4);
    CHECK(violated(*ts, r) == "kref_misuse");
    CHECK(r.counterexample->violation.kind == traces::ViolationKind::on_step);
    CHECK(r.counterexample->trace.steps.size() == 2);
}

TEST_CASE("bmc: runtime errors, element accesses, choose, atomic branches") {
    // x = 2 is fine, x = x + 1 then leaves 0..2: a runtime error on the second step.
    auto ts = testing::compile("var x: 0..2 = 0;\nprocess p { x = 2; x = x + 1; }\n");
    const auto r = run(*ts, 4);
    CHECK(violated(*ts, r) == "runtime_errors");
    CHECK(r.counterexample->trace.steps.size() == 2);

    // A dynamic index: a[i] with i chosen in 0..3 over an array of 3 elements; the index 3 is
    // out of range, on step 2 (step 1 chooses).
    auto idx = testing::compile(
        "type Idx = 0..2;\ntype V = 0..1;\nvar a: V[Idx];\nvar i: 0..3 = 0;\n"
        "process p { choose i; a[i] = 1; }\n");
    const auto ri = run(*idx, 4);
    CHECK(violated(*idx, ri) == "runtime_errors");
    CHECK(ri.counterexample->trace.steps.size() == 2);

    // The same with the index kept in range: writes through the index are exact, so the
    // invariant that a[2] stays 0 breaks only when i = 2 was chosen.
    auto ok = testing::compile(
        "type Idx = 0..2;\ntype V = 0..1;\nvar a: V[Idx];\nvar i: Idx = 0;\n"
        "process p { choose i; a[i] = 1; }\n"
        "invariant two_clear: a[2] == 0;\ninvariant one_clear: a[1] == 0 || i == 1;\n");
    const auto rk = run(*ok, 4, {"two_clear"});
    CHECK(violated(*ok, rk) == "two_clear");
    CHECK(rk.counterexample->trace.steps.size() == 2);
    CHECK(run(*ok, 4, {"one_clear"}).verdict == symbolic::BmcVerdict::no_violation);

    // An atomic block with branches: the assertion fails only on the branch that sets y = 2.
    auto at = testing::compile(
        "var y: 0..3 = 0;\n"
        "process p { atomic { either { y = 1; } or { y = 2; } assert y != 2; } }\n");
    const auto ra = run(*at, 3);
    CHECK(violated(*at, ra) == "assertions");
    CHECK(ra.counterexample->trace.steps.size() == 1);
}

TEST_CASE("bmc: mutex misuse agrees with the explicit engine's shortest trace") {
    for (const char* f : {"wrong_unlock.mc", "peterson_wrong_turn.mc"}) {
        CAPTURE(f);
        auto ts = testing::compile(fixture(f));
        const auto e = explore::check(*ts, {});
        REQUIRE(e.counterexample);
        const auto r = run(*ts, 20);
        CHECK(violated(*ts, r) == ts->property(e.counterexample->violation.property).name);
        CHECK(r.counterexample->trace.steps.size() == e.counterexample->trace.steps.size());
    }
}

TEST_CASE("bmc: Peterson's algorithm: no violation up to depth 12") {
    auto ts = testing::compile(fixture("peterson.mc"));
    CHECK(run(*ts, 12).verdict == symbolic::BmcVerdict::no_violation);
}

TEST_CASE("bmc: the paths of an atomic step merge where they meet (2^16 paths, one encoding)") {
    // counter's step branches on a[d] for 16 devices: 65536 paths, which the encoding once
    // enumerated (and refused past 20000). Merged at each join point it is one path. The
    // shortest violation of few (n < 2): setter sets a[0] and a[1] (one step each: the loop's
    // control takes none), then counter counts 2.
    auto ts = testing::compile(
        "type D = 0..15;\nvar a: bool[D];\nvar n: 0..16 = 0;\n"
        "process setter { for d: D { either { a[d] = true; } or { skip; } } }\n"
        "process counter { atomic { n = 0; for d: D { if (a[d]) n = n + 1; } } }\n"
        "invariant few: n < 2;\n");
    const auto r = run(*ts, 6);
    CHECK(violated(*ts, r) == "few");
    REQUIRE(r.counterexample->trace.steps.size() == 3);
    CHECK(ts->process(ts->group(r.counterexample->trace.steps[2].group).process).name == "counter");
    CHECK(run(*ts, 2).verdict == symbolic::BmcVerdict::no_violation);
}

TEST_CASE("bmc: choices in an atomic loop stay apart: each of the 16 successors is its own") {
    // Merging the two sides of an `either` would lose successors (or make up states); every
    // combination of a[0..3] must be reachable in one step, and no other state.
    auto ts = testing::compile(
        "type D = 0..3;\nvar a: 0..1[D];\n"
        "process p { atomic { for d: D { either { a[d] = 1; } or { a[d] = 0; } } } }\n"
        "invariant not_1010: !(a[0] == 1 && a[1] == 0 && a[2] == 1 && a[3] == 0);\n"
        "invariant not_0111: !(a[0] == 0 && a[1] == 1 && a[2] == 1 && a[3] == 1);\n"
        "invariant even_step: a[0] + a[1] + a[2] + a[3] <= 4;\n");
    for (const char* p : {"not_1010", "not_0111"}) {
        CAPTURE(p);
        const auto r = run(*ts, 3, {p});
        CHECK(violated(*ts, r) == p);
        CHECK(r.counterexample->trace.steps.size() == 1);
    }
    CHECK(run(*ts, 3, {"even_step"}).verdict == symbolic::BmcVerdict::no_violation);
}

TEST_CASE("bmc: the time limit is polled while the encoding is built: unknown, with where it stopped") {
    auto ts = testing::compile(fixture("lost_update.mc"), "racy");
    symbolic::BmcOptions o;
    o.depth = 10;
    o.time_limit = 1e-9;  // spent before the first step's encoding is under way
    const auto r = symbolic::bmc(*ts, o);
    REQUIRE(r.verdict == symbolic::BmcVerdict::unknown);
    CHECK(r.reason == "time limit 1e-09s reached while encoding step '" + ts->groups()[0].text + "' of " +
                          ts->process(ts->groups()[0].process).name);
    CHECK(r.depth == 0);
}

namespace {

/// p takes two local steps (a = 1, b = 2: its own slots, nothing reads them but p) and then
/// writes x, which the invariant reads: 3 steps to the violation, 2 merged steps.
constexpr const char* local_steps = R"(
var x: 0..2 = 0;
process p(i: 0..0) {
    var a: 0..2 = 0;
    var b: 0..2 = 0;
    a = 1;
mid:
    b = 2;
    x = b;
}
invariant small: x != 2;
)";

symbolic::BmcResult run_with(const ir::TransitionSystem& ts, symbolic::BmcOptions o) {
    auto r = symbolic::bmc(ts, o);
    testing::check_replays(ts, r.counterexample);  // every one must replay
    return r;
}

}  // namespace

TEST_CASE("bmc --merge-local: two local steps merged into the step before the write: depth 2, trace of 3 steps") {
    auto c = testing::compile_text(local_steps);
    REQUIRE(c.ts);
    const auto& ts = *c.ts;
    symbolic::BmcOptions o;
    o.depth = 5;
    const auto plain = run_with(ts, o);
    CHECK(violated(ts, plain) == "small");
    CHECK(plain.depth == 3);
    CHECK(plain.counterexample->trace.steps.size() == 3);
    CHECK(plain.merged_groups == 0);
    o.merge_local = true;
    const auto merged = run_with(ts, o);
    CHECK(violated(ts, merged) == "small");
    CHECK(merged.depth == 2);  // [a = 1, b = 2], [x = b]
    CHECK(merged.merged_groups == 2);
    REQUIRE(merged.counterexample->trace.steps.size() == 3);
    CHECK(ts.group(merged.counterexample->trace.steps[0].group).text == "a = 1");
    CHECK(ts.group(merged.counterexample->trace.steps[1].group).text == "b = 2");
    CHECK(ts.group(merged.counterexample->trace.steps[2].group).text == "x = b");
    // Below it: no violation up to 1 merged step (so none of 1 plain step either).
    o.depth = 1;
    const auto below = run_with(ts, o);
    CHECK(below.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(below.clean_to == 1);
}

TEST_CASE("bmc --merge-local: a step whose pc an invariant reads is not merged") {
    std::string text = local_steps;
    text += "invariant not_mid: !(p(0) @ mid);\n";
    auto c = testing::compile_text(text);
    REQUIRE(c.ts);
    symbolic::BmcOptions o;
    o.depth = 5;
    o.merge_local = true;
    o.properties.push_back(*c.ts->find_property("small"));
    // Only `small` is checked, but the pcs are still read by... nothing selected: both merge.
    CHECK(run_with(*c.ts, o).merged_groups == 2);
    o.properties = {*c.ts->find_property("not_mid")};
    const auto r = run_with(*c.ts, o);
    CHECK(r.merged_groups == 0);  // not_mid reads p(0)'s pc: every step of p is visible
    CHECK(violated(*c.ts, r) == "not_mid");
    CHECK(r.depth == 1);
}

TEST_CASE("bmc --from-depth / --depth-step: checked depths with stutters cover the shorter runs") {
    auto ts = testing::compile(fixture("lost_update.mc"), "racy");
    symbolic::BmcOptions o;
    o.depth = 10;
    o.from = 5;
    o.step = 3;
    // Checks at 5, 8, 10: the first finds the 4-step violation (every run has at most 4 steps).
    const auto r = run_with(*ts, o);
    CHECK(violated(*ts, r) == "counted");
    CHECK(r.checked_at == 5);
    CHECK(r.depth == 4);
    CHECK(r.counterexample->trace.steps.size() == 4);
    CHECK_FALSE(r.shortest);
    CHECK(r.clean_to == -1);
    // Checks at 0, 3, 6: clean up to 3, found at 6.
    o.from = 0;
    const auto r2 = run_with(*ts, o);
    CHECK(r2.checked_at == 6);
    CHECK(r2.clean_to == 3);
    CHECK(r2.depth == 4);
    // The fixed variant, checks at 0, 4 and 6 (the bound): none up to 6.
    auto fixed = testing::compile(fixture("lost_update.mc"), "fixed");
    o.depth = 6;
    o.step = 4;
    const auto f = run_with(*fixed, o);
    CHECK(f.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(f.clean_to == 6);
}
