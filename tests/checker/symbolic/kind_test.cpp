// SPDX-License-Identifier: MIT
// k-induction on small models whose inductiveness is derived by hand below: the k at which the
// step closes, the counterexample to induction below it, the role of the simple-path
// constraint, and violations found by the base case.
#include <doctest/doctest.h>

#include "checker/symbolic/kind.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

using testing::fixture;

symbolic::KindResult run(const ir::TransitionSystem& ts, std::uint32_t depth, std::vector<std::string> props,
                         bool simple_path = true) {
    symbolic::KindOptions o;
    o.depth = depth;
    o.simple_path = simple_path;
    for (const auto& n : props) o.properties.push_back(*ts.find_property(n));
    auto r = symbolic::kind(ts, o);
    testing::check_replays(ts, r.counterexample);  // every one must replay
    return r;
}

/// Slot `name`'s value in a packed state.
std::int64_t value(const ir::TransitionSystem& ts, const std::vector<std::uint8_t>& st, const std::string& name) {
    for (const auto& s : ts.layout().slots())
        if (s.name == name) return static_cast<std::int64_t>(ir::load_bits(st.data(), s.bit_offset, s.width)) + s.lo;
    FAIL("no slot ", name);
    return 0;
}

// x counts 0, 1, 2, 3, 0, ... in one atomic step. `small` (x <= 3) is 1-inductive: from any
// x <= 3 the step gives x + 1 <= 3 or 0. `tiny` (x <= 2) is violated after 3 steps.
const char* const counter =
    "var x: 0..7 = 0;\n"
    "process p { while (true) { atomic { if (x < 3) { x = x + 1; } else { x = 0; } } } }\n"
    "invariant small: x <= 3;\n"
    "invariant tiny: x <= 2;\n";

// x = 0 and x = 3 loop on themselves, x = 1 goes to 1 or 2, x = 2 to 3. Only x = 0 is
// reachable; `not3` (x != 3) holds. Its P-states are 0, 1, 2, and only 2 steps to 3.
// With the simple-path constraint: k = 1: 2 -> 3; k = 2: 1 -> 2 -> 3; k = 3 needs a third
// distinct P-state before 1 with a step to 1: only 1 steps to 1, so the step closes at k = 3.
// Without it, 1 -> 1 -> ... -> 1 -> 2 -> 3 is a counterexample to induction for every k.
const char* const loops =
    "var x: 0..3 = 0;\n"
    "process p { while (true) { atomic {\n"
    "  if (x == 1) { either { x = 1; } or { x = 2; } } else { if (x == 2) { x = 3; } else { x = x; } }\n"
    "} } }\n"
    "invariant not3: x != 3;\n";

}  // namespace

TEST_CASE("kind: a counter whose bound is 1-inductive; a tighter bound violated after 3 steps") {
    auto ts = testing::compile(counter);
    const auto r = run(*ts, 10, {"small"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 1);
    CHECK(r.base_depth == 1);

    const auto v = run(*ts, 10, {"tiny"});
    REQUIRE(v.verdict == symbolic::KindVerdict::violated);
    CHECK(ts->property(v.counterexample->violation.property).name == "tiny");
    CHECK(v.counterexample->trace.steps.size() == 3);  // x = 1, 2, 3
}

TEST_CASE("kind: the shift register needs k = 3; below it, the one counterexample to induction") {
    auto ts = testing::compile(fixture("shift_register.mc"));  // k derived in the fixture
    const auto r = run(*ts, 10, {"c_clear"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 3);
    CHECK(r.base_depth == 3);

    const auto h = run(*ts, 2, {"c_clear"});
    REQUIRE(h.verdict == symbolic::KindVerdict::not_inductive);
    CHECK(h.k == 2);
    CHECK(h.base_depth == 2);
    REQUIRE(h.hint);
    REQUIRE(h.hint->states.size() == 3);
    CHECK(h.hint->steps.size() == 2);
    const std::vector<std::vector<std::int64_t>> want{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const auto& st = h.hint->states[i];
        CHECK(std::vector<std::int64_t>{value(*ts, st, "a"), value(*ts, st, "b"), value(*ts, st, "c")} == want[i]);
    }
    CHECK(ts->property(h.hint->violation.property).name == "c_clear");
    CHECK(!h.hint->reporting);
    const auto text = symbolic::render_hint(*ts, *h.hint);
    CHECK(text.find("state 2 breaks: invariant c_clear") != std::string::npos);
}

TEST_CASE("kind: self-loops defeat k-induction without the simple-path constraint; with it, k = 3") {
    auto ts = testing::compile(loops);
    const auto r = run(*ts, 6, {"not3"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 3);

    const auto no = run(*ts, 6, {"not3"}, false);
    REQUIRE(no.verdict == symbolic::KindVerdict::not_inductive);
    CHECK(no.k == 6);
    CHECK(no.base_depth == 6);
    REQUIRE(no.hint);
    // Seven states, of which the last is x = 3 and the one before it x = 2; the five before are
    // P-states with a step between each two: x = 1 repeated (0 and 2 cannot step to 1 or 2).
    REQUIRE(no.hint->states.size() == 7);
    CHECK(value(*ts, no.hint->states[6], "x") == 3);
    CHECK(value(*ts, no.hint->states[5], "x") == 2);
    for (std::size_t i = 0; i < 5; ++i) CHECK(value(*ts, no.hint->states[i], "x") == 1);
}

TEST_CASE("kind: lost update, fixed: counted is 2-inductive, not 1-inductive") {
    // fixed: each worker does t = x; x = t + 1 in one step. k = 1: (worker(0) at the end,
    // worker(1) not, x = 0) steps to both at the end with x = 1, which breaks counted (or
    // (neither at the end, x = 1) steps to x = 2, from where the other worker's x = t + 1 leaves
    // x's range: a runtime error). k = 2 needs two steps, so both workers start before their
    // step; every step from t0 and t1 stays in range only if x = 0 in t0, and then x = 2 at the
    // end: unsatisfiable.
    auto ts = testing::compile(fixture("lost_update.mc"), "fixed");
    const auto one = run(*ts, 1, {"counted"});
    REQUIRE(one.verdict == symbolic::KindVerdict::not_inductive);
    REQUIRE(one.hint);
    CHECK(one.hint->states.size() == 2);
    const auto r = run(*ts, 10, {"counted"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 2);
}

TEST_CASE("kind: lost update, racy: the base case finds the 4-step violation of counted") {
    auto ts = testing::compile(fixture("lost_update.mc"), "racy");
    const auto r = run(*ts, 10, {"counted"});
    REQUIRE(r.verdict == symbolic::KindVerdict::violated);
    CHECK(ts->property(r.counterexample->violation.property).name == "counted");
    CHECK(r.counterexample->trace.steps.size() == 4);
    CHECK(r.base_depth == 4);
}

TEST_CASE("kind: on-step properties are state predicates: the step that would report") {
    // The assertion fails on the step from y = 2, which no run reaches. P: "no step from here
    // reports" excludes y = 2 where the step is enabled; the step sets y = 1: 1-inductive.
    auto ok = testing::compile(
        "var y: 0..2 = 0;\nprocess p { while (true) { atomic { assert y != 2; y = 1; } } }\n");
    const auto r = run(*ok, 4, {"assertions"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 1);
    // ABBA deadlocks after 2 steps: found by the base case whether or not the step closes.
    auto abba = testing::compile(fixture("abba.mc"));
    const auto d = run(*abba, 4, {"deadlock"});
    REQUIRE(d.verdict == symbolic::KindVerdict::violated);
    CHECK(d.counterexample->trace.steps.size() == 2);
}

TEST_CASE("kind: checked invariants strengthen each other: the shift register with ab_clear, k = 1") {
    auto ts = testing::compile(fixture("shift_register.mc"));
    const auto r = run(*ts, 10, {"c_clear", "ab_clear"});
    REQUIRE(r.verdict == symbolic::KindVerdict::holds);
    CHECK(r.k == 1);
    // ab_clear alone is 1-inductive too (a step sets a = 0 and b = a).
    CHECK(run(*ts, 10, {"ab_clear"}).k == 1);
}

TEST_CASE("kind: Peterson's algorithm: not inductive up to k = 4 without a strengthening invariant") {
    // The checked properties say nothing about flag[i] while p(i) is past `flag[i] = true`. A
    // counterexample to induction at k = 4 by hand: p(0) in its critical section at
    // `in_cs -= 1` with in_cs = 1 but flag[0] = false, p(1) at `flag[i] = true`: p(1) sets its
    // flag, sets turn = 0, passes the await (flag[0] is false), and in_cs += 1 makes 2. Five
    // distinct states, the first four satisfying every checked property. The base case finds no
    // violation (the explicit engine proves the model). The hint's steps replay through the
    // interpreter (kind() checks that; an error would be internal_error).
    auto ts = testing::compile(fixture("peterson.mc"));
    const auto r = run(*ts, 4, {});
    REQUIRE(r.verdict == symbolic::KindVerdict::not_inductive);
    REQUIRE(r.hint);
    CHECK(r.hint->states.size() == 5);
    CHECK(r.hint->steps.size() == 4);
    CHECK(explore::check(*ts, {}).verdict == explore::Verdict::holds);
}

TEST_CASE("kind: a time limit that runs out is unknown with the reason, never holds") {
    auto ts = testing::compile(fixture("shift_register.mc"));
    symbolic::KindOptions o;
    o.depth = 10;
    o.time_limit = 1e-9;  // spent before the encoding of the first step is under way
    o.properties.push_back(*ts->find_property("c_clear"));
    const auto r = symbolic::kind(*ts, o);
    REQUIRE(r.verdict == symbolic::KindVerdict::unknown);
    CHECK(r.reason == "time limit 1e-09s reached while encoding step 'atomic { c = b; b = a; a = 0; }' of shift");
}

TEST_CASE("kind: a lemma closes an induction that its property alone does not (derived in the fixture)") {
    // lemma_counter.mc: `no_err` is 13-inductive alone (the unreachable chain 4..15 defeats
    // k <= 12); with the lemma `small` (n <= 3) the two are 1-inductive.
    auto off = testing::compile(fixture("lemma_counter.mc"), "", {"STRENGTHEN=false"});
    const auto r = run(*off, 12, {"no_err"});
    REQUIRE(r.verdict == symbolic::KindVerdict::not_inductive);
    CHECK(r.k == 12);
    REQUIRE(r.hint);
    CHECK(value(*off, r.hint->states[0], "n") == 4);  // the chain's first link
    CHECK(value(*off, r.hint->states[12], "err") == 1);
    const auto closed = run(*off, 13, {"no_err"});
    REQUIRE(closed.verdict == symbolic::KindVerdict::holds);
    CHECK(closed.k == 13);

    auto on = testing::compile(fixture("lemma_counter.mc"));
    CHECK(on->property(*on->find_property("small")).lemma);
    CHECK(!on->property(*on->find_property("no_err")).lemma);
    // Selected or not, the lemma is checked with the property (with_lemmas).
    CHECK(symbolic::with_lemmas(*on, {*on->find_property("no_err")}) ==
          std::vector<ir::PropertyId>{*on->find_property("no_err"), *on->find_property("small")});
    CHECK(symbolic::with_lemmas(*on, {}).empty());
    const auto p = run(*on, 10, {"no_err"});
    REQUIRE(p.verdict == symbolic::KindVerdict::holds);
    CHECK(p.k == 1);
    CHECK(p.base_depth == 1);
    // The explicit engine checks the lemma as an invariant: 4 states, both hold.
    const auto e = explore::check(*on, {});
    CHECK(e.verdict == explore::Verdict::holds);
    CHECK(e.stats.states == 4);
}

TEST_CASE("kind: a wrong lemma is reported as violated, never used for a proof") {
    // lemma_wrong.mc: `tiny` (n <= 2) breaks after 3 steps; with it, no_err and tiny are
    // 4-inductive, and the base case to depth 4 finds the violation.
    auto ts = testing::compile(fixture("lemma_wrong.mc"));
    const auto r = run(*ts, 10, {"no_err"});
    REQUIRE(r.verdict == symbolic::KindVerdict::violated);
    CHECK(r.k == 4);
    CHECK(ts->property(r.counterexample->violation.property).name == "tiny");
    CHECK(r.counterexample->trace.steps.size() == 3);
    CHECK(traces::describe(*ts, r.counterexample->violation) == "lemma tiny");
    const auto e = explore::check(*ts, {});
    REQUIRE(e.verdict == explore::Verdict::violated);
    CHECK(ts->property(e.counterexample->violation.property).name == "tiny");
}

TEST_CASE("kind: a quantified lemma is split per binding; its violation names the instance") {
    // p(1) sets done[1]; `none_done` claims no device is done: the explicit engine and the base
    // case both report its instance d = 1 after one step, as "lemma none_done (d = 1)".
    auto ts = testing::compile("type D = 0..1;\n"
                               "var done: bool[D];\n"
                               "process p { done[1] = true; }\n"
                               "invariant fine: true;\n"
                               "lemma none_done: forall d: D. !done[d];\n");
    const auto& l = ts->property(*ts->find_property("none_done"));
    CHECK(l.lemma);
    CHECK(l.checks.size() == 2);
    const auto e = explore::check(*ts, {});
    REQUIRE(e.verdict == explore::Verdict::violated);
    CHECK(traces::describe(*ts, e.counterexample->violation) == "lemma none_done (d = 1)");
    const auto r = run(*ts, 5, {"fine"});
    REQUIRE(r.verdict == symbolic::KindVerdict::violated);
    CHECK(traces::describe(*ts, r.counterexample->violation) == "lemma none_done (d = 1)");
    CHECK(r.counterexample->trace.steps.size() == 1);
}
