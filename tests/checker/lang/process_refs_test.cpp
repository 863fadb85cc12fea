// SPDX-License-Identifier: MIT
// Tests of process locals and mutex holders in invariants (checker/lang/process_refs.cpp):
// `client(0).r`, `p.t`, `client(d).proc.x`, `held_by(m, client(d))`. Their errors with exact
// text, explicit-engine verdicts with state counts derived by hand, symmetry (a literal
// instance breaks it, a quantified one keeps it, and the reduced counts), and partial-order
// reduction keeping the steps that write a local an invariant reads visible.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Verdict;

namespace {

explore::Result run(const ir::TransitionSystem& ts, const std::string& property, bool por,
                    reduce::SymmetryMode sym = reduce::SymmetryMode::off) {
    explore::Options o;
    o.properties = {*ts.find_property(property)};
    o.stop_at_first = false;
    o.por = por;
    o.por_check = por;
    o.symmetry = sym;
    return explore::check(ts, o);
}

/// The process that takes the counterexample's first step.
std::string first_mover(const ir::TransitionSystem& ts, const traces::Counterexample& cx) {
    REQUIRE(!cx.trace.steps.empty());
    return ts.process(ts.group(cx.trace.steps[0].group).process).name;
}


// Two clients step their local r from 0 to 1 to 2. Each client has 3 states (r = 0, 1, 2;
// r = 2 at `done`), so 3 * 3 = 9 reachable states, 12 transitions (each state steps each
// client not yet done: 2 * 3 * 2 = 12).
const char* const two_counters =
    "type Dev = scalarset(2);\n"
    "process client(d: Dev) {\n"
    "    var r: 0..2 = 0;\n"
    "    r = 1;\n"
    "    r = 2;\n"
    "done:\n"
    "}\n"
    "invariant done_at_2: forall d: Dev. client(d) @ done -> client(d).r == 2;\n";

}  // namespace

TEST_SUITE("lang") {

// ---------------------------------------------------------------- locals: verdicts

TEST_CASE("locals: an invariant over every client's local holds in each of the 9 states") {
    const auto ts = testing::compile(two_counters);
    for (bool por : {false, true}) {
        CAPTURE(por);
        const auto r = run(*ts, "done_at_2", por);
        CHECK(r.verdict == Verdict::holds);
        if (!por) {
            CHECK(r.stats.states == 9);
            CHECK(r.stats.transitions == 12);
        }
    }
    // Symmetry over Dev: the unordered pairs of {0, 1, 2}, 6 classes.
    const auto s = run(*ts, "done_at_2", false, reduce::SymmetryMode::exact);
    CHECK(s.verdict == Verdict::holds);
    CHECK(s.stats.states == 6);
}

TEST_CASE("locals: client(0).r read by number is the instance's own slot") {
    // client(1) steps first: r of client(1) is 1, of client(0) still 0. One step, with and
    // without partial-order reduction (the step writes what the invariant reads: visible).
    const auto ts = testing::compile(std::string(two_counters) +
                                     "invariant first_ahead: client(0).r >= client(1).r;\n");
    for (bool por : {false, true}) {
        CAPTURE(por);
        const auto r = run(*ts, "first_ahead", por);
        REQUIRE(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample);
        REQUIRE(r.counterexample->trace.steps.size() == 1);
        CHECK(first_mover(*ts, *r.counterexample) == "client(1)");
        testing::check_replays(*ts, r.counterexample);
    }
}

TEST_CASE("locals: a procedure's local by the path traces print, a struct field after it") {
    // probe's local `st` is set while client is inside probe and reset (to its initial value)
    // on the way out; the lemma says what it is at each label.
    const auto ts = testing::compile(
        "struct St { up: bool; n: 0..3; }\n"
        "var seen: 0..3;\n"
        "proc probe(k: 0..3) {\n"
        "    var st: St;\n"
        "    atomic { st.up = true; st.n = k; }\n"
        "inside:\n"
        "    seen = st.n;\n"
        "    seen = 0;\n"
        "}\n"
        "process client { var r: 0..3 = 2; probe(r); gone: }\n"
        "invariant inside_up: client @ inside -> client.probe.st.up && client.probe.st.n == client.probe.k;\n"
        "invariant gone_reset: client @ gone -> !client.probe.st.up && client.probe.st.n == 0;\n"
        "invariant wrong: client.probe.st.n == 0;\n");
    CHECK(run(*ts, "inside_up", true).verdict == Verdict::holds);
    CHECK(run(*ts, "gone_reset", true).verdict == Verdict::holds);
    const auto w = run(*ts, "wrong", true);
    REQUIRE(w.verdict == Verdict::violated);
    testing::check_replays(*ts, w.counterexample);
}

// ---------------------------------------------------------------- holders: verdicts

// Two clients lock m, step at crit, unlock. Per client: before the lock, at crit, done; m
// free unless one client is at crit: (L,L), (crit,L), (L,crit), (done,L), (L,done),
// (done,crit), (crit,done), (done,done) = 8 states. Under symmetry: 5 classes.
const char* const two_lockers =
    "type Dev = scalarset(2);\n"
    "var m: mutex;\n"
    "process client(d: Dev) { lock(m); crit: unlock(m); }\n"
    "invariant owner: forall d: Dev. client(d) @ crit -> held_by(m, client(d));\n";

TEST_CASE("held_by: the holder of a mutex is the client at crit, in all 8 states and the 5 classes") {
    const auto ts = testing::compile(two_lockers);
    const auto r = run(*ts, "owner", false);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 8);
    CHECK(run(*ts, "owner", true).verdict == Verdict::holds);
    // The canonicaliser permutes the owner with the instances: (crit, L, m = 0) and (L, crit,
    // m = 1) are one class.
    const auto s = run(*ts, "owner", false, reduce::SymmetryMode::exact);
    CHECK(s.verdict == Verdict::holds);
    CHECK(s.stats.states == 5);
}

TEST_CASE("held_by: a wrong holder is a violation one step in") {
    const auto ts = testing::compile(std::string(two_lockers) + "invariant never_one: !held_by(m, client(1));\n"
                                                                "invariant swapped: forall d: Dev. client(d) @ crit "
                                                                "-> !held_by(m, client(d));\n");
    for (bool por : {false, true}) {
        CAPTURE(por);
        const auto r = run(*ts, "never_one", por);
        REQUIRE(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample->trace.steps.size() == 1);
        CHECK(first_mover(*ts, *r.counterexample) == "client(1)");
        const auto s = run(*ts, "swapped", por);
        REQUIRE(s.verdict == Verdict::violated);
        CHECK(s.counterexample->trace.steps.size() == 1);
    }
}

// ---------------------------------------------------------------- symmetry

TEST_CASE("symmetry: a local or holder of a numbered instance names one element; a quantified one does not") {
    CHECK(testing::lint_warnings(two_counters) == "");
    CHECK(testing::lint_warnings(two_lockers) == "");
    CHECK(testing::lint_warnings(std::string(two_counters) + "invariant z: client(0).r <= 2;\n") ==
          "test.mc:9:21: warning: symmetry reduction is off for scalarset 'Dev': the instance client(0) names one "
          "element\n"
          "    9 | invariant z: client(0).r <= 2;\n"
          "      |                     ^\n");
    CHECK(testing::lint_warnings(std::string(two_lockers) + "invariant z: !held_by(m, client(1));\n") ==
          "test.mc:5:33: warning: symmetry reduction is off for scalarset 'Dev': the instance client(1) names one "
          "element\n"
          "    5 | invariant z: !held_by(m, client(1));\n"
          "      |                                 ^\n");
}

// ---------------------------------------------------------------- errors

TEST_CASE("locals: an unknown local, with a note for a procedure's local named without its procedure") {
    const std::string base =
        "type Dev = scalarset(2);\n"
        "var n: 0..3;\n"
        "proc setup(x: 0..3) { var y: 0..3 = 0; y = x; n = y; }\n"
        "process client(d: Dev) { var r: 0..3 = 0; setup(r); }\n";
    CHECK(testing::diagnostics(base + "invariant i: client(0).rr == 0;\n") ==
          "test.mc:5:24: error: process 'client' has no local 'rr'\n"
          "    5 | invariant i: client(0).rr == 0;\n"
          "      |                        ^~\n"
          "note: did you mean 'client(0).r'?\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: client(0).y == 0;\n") ==
          "test.mc:5:24: error: process 'client' has no local 'y'\n"
          "    5 | invariant i: client(0).y == 0;\n"
          "      |                        ^\n"
          "note: a procedure's local is named by the procedure: did you mean 'client(0).setup.y'?\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: client(0).setup.w == 0;\n") ==
          "test.mc:5:30: error: procedure 'setup' has no local 'w' in client(0)\n"
          "    5 | invariant i: client(0).setup.w == 0;\n"
          "      |                              ^\n"
          "note: did you mean 'client(0).setup.x'?\n"
          "1 error\n");
}

TEST_CASE("locals: a procedure the process never calls, and a parameter every call passes a constant") {
    const std::string base =
        "var n: 0..3;\n"
        "proc setup(x: 0..3) { n = x; }\n"
        "proc unused() { var z: bool = false; z = true; }\n"
        "process solo { setup(2); }\n";
    CHECK(testing::diagnostics(base + "invariant i: solo.unused.z;\n") ==
          "test.mc:5:19: error: solo never calls procedure 'unused', so it has no local 'unused.z'\n"
          "    5 | invariant i: solo.unused.z;\n"
          "      |                   ^~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: solo.setup.x == 2;\n") ==
          "test.mc:5:25: error: procedure 'setup' has no local 'x' in solo\n"
          "    5 | invariant i: solo.setup.x == 2;\n"
          "      |                         ^\n"
          "note: every call of 'setup' in solo passes 'x' a constant, which is substituted: it has no slot\n"
          "1 error\n");
}

TEST_CASE("locals: an instance out of range, and reads where no state is read or from another process") {
    const std::string base =
        "type Dev = scalarset(2);\n"
        "var n: 0..3;\n"
        "process client(d: Dev) { var r: 0..3 = 0; r = 1; }\n";
    CHECK(testing::diagnostics(base + "invariant i: client(2).r == 0;\n") ==
          "test.mc:4:21: error: index 2 is out of range 0..1 of process 'client'\n"
          "    4 | invariant i: client(2).r == 0;\n"
          "      |                     ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: client.r == 0;\n") ==
          "test.mc:4:14: error: process 'client' takes 1 parameter, found 0\n"
          "    4 | invariant i: client.r == 0;\n"
          "      |              ^~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "process reader { n = client(1).r; }\n") ==
          "test.mc:4:22: error: 'client(1).r' is a local of another process; a process's locals can be read only in "
          "invariants, lemmas, liveness properties and metrics\n"
          "    4 | process reader { n = client(1).r; }\n"
          "      |                      ^~~~~~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "const C: 0..3 = client(0).r;\n") ==
          "test.mc:4:17: error: 'client(0).r' is a local of a process; a constant is needed here\n"
          "    4 | const C: 0..3 = client(0).r;\n"
          "      |                 ^~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("held_by: its errors") {
    const std::string base =
        "type Dev = scalarset(2);\n"
        "var m: mutex;\n"
        "var n: 0..3;\n"
        "process client(d: Dev) { lock(m); unlock(m); }\n";
    CHECK(testing::diagnostics(base + "invariant i: held_by(m, client(5));\n") ==
          "test.mc:5:32: error: index 5 is out of range 0..1 of process 'client'\n"
          "    5 | invariant i: held_by(m, client(5));\n"
          "      |                                ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: held_by(m, n);\n") ==
          "test.mc:5:25: error: held_by() needs a process instance such as client(d), found 'n'\n"
          "    5 | invariant i: held_by(m, n);\n"
          "      |                         ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: held_by(n, client(0));\n") ==
          "test.mc:5:22: error: held_by() needs a mutex, found 0..3\n"
          "    5 | invariant i: held_by(n, client(0));\n"
          "      |                      ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "invariant i: held_by(m);\n") ==
          "test.mc:5:14: error: held_by() takes a mutex and a process instance: held_by(m, client(d))\n"
          "    5 | invariant i: held_by(m);\n"
          "      |              ^~~~~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics(base + "process p { await held_by(m, client(0)); }\n") ==
          "test.mc:5:19: error: held_by() can be used only in invariants, lemmas, liveness properties and metrics; "
          "inside a process, held(m) tests the process's own ownership\n"
          "    5 | process p { await held_by(m, client(0)); }\n"
          "      |                   ^~~~~~~~~~~~~~~~~~~~~\n"
          "1 error\n");
}

}  // TEST_SUITE
