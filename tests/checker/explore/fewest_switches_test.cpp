// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/fewest_switches: on small models whose runs are drawn by hand,
// the shortest counterexample (explore::check, BFS) against the one with the fewest context
// switches; a brute-force oracle over every run up to a depth; limits; properties that hold.
//
// In the drawings each column is a process and each row a step, top to bottom; a switch is a
// row whose process differs from the row above.
#include <doctest/doctest.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "checker/explore/fewest_switches.hpp"
#include "checker/ir/interp.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

using namespace iomc;

namespace {

/// (switches, steps): what a run costs, compared in that order.
struct Cost {
    std::uint32_t switches = 0;
    std::uint32_t steps = 0;
    friend auto operator<=>(const Cost&, const Cost&) = default;
};

std::ostream& operator<<(std::ostream& os, const Cost& c) {
    return os << "(" << c.switches << " switches, " << c.steps << " steps)";
}

std::string read_fixture(const std::string& relative) {
    std::ifstream f(testing::source_path(relative));
    REQUIRE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

ir::PropertyId property(const ir::TransitionSystem& ts, const std::string& name) {
    const auto id = ts.find_property(name);
    REQUIRE(id.has_value());
    return *id;
}

/// The processes of the steps, space-separated: "a a b b".
std::string who(const ir::TransitionSystem& ts, const traces::Trace& t) {
    std::string out;
    for (const auto& st : t.steps) {
        if (!out.empty()) out += ' ';
        out += ts.process(ts.group(st.group).process).name;
    }
    return out;
}

Cost cost_of(const ir::TransitionSystem& ts, const traces::Trace& t) {
    Cost c;
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        ++c.steps;
        if (i > 0 && ts.group(t.steps[i].group).process != ts.group(t.steps[i - 1].group).process)
            ++c.switches;
    }
    return c;
}

/// The counterexample must replay and reproduce its violation.
void check_replays(const ir::TransitionSystem& ts, const traces::Counterexample& cx) {
    traces::Replay r;
    const auto error = traces::confirm(ts, cx, r);
    CHECK_MESSAGE(!error.has_value(), error.value_or(""));
    CHECK(cx.trace.model_id == ts.model_id());
}

/// The shortest counterexample for `p`, as iomc check finds it (BFS, stop at the first).
traces::Counterexample shortest(const ir::TransitionSystem& ts, ir::PropertyId p) {
    explore::Options o;
    o.properties = {p};
    const auto r = explore::check(ts, o);
    REQUIRE(r.verdict == explore::Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    REQUIRE(r.counterexample->violation.property == p);
    check_replays(ts, *r.counterexample);
    return *r.counterexample;
}

/// The fewest-switch counterexample for `p`, which must exist, replay, and be no worse in
/// switches (and no shorter) than the shortest one.
traces::Counterexample fewest(const ir::TransitionSystem& ts, ir::PropertyId p) {
    std::string reason = "not cleared";
    const auto cx = explore::fewest_switches(ts, p, {}, &reason);
    CHECK(reason.empty());
    REQUIRE(cx.has_value());
    CHECK(cx->violation.property == p);
    check_replays(ts, *cx);
    const auto bfs = shortest(ts, p);
    CHECK(cost_of(ts, cx->trace).switches <= cost_of(ts, bfs.trace).switches);
    CHECK(cost_of(ts, cx->trace).steps >= cost_of(ts, bfs.trace).steps);
    return *cx;
}

/// Brute force: every run of at most `depth` steps, by DFS over Interpreter::fire from the
/// initial state, with the violations decided as the docs define them (invariant in a state,
/// a report of the property on a step, deadlock). Returns the cheapest violating run's cost
/// and counts the violating runs.
class Oracle {
public:
    Oracle(const ir::TransitionSystem& ts, ir::PropertyId p, std::uint32_t depth)
        : ts_(ts), p_(p), depth_(depth), in_(ts) {}

    std::optional<Cost> run() {
        std::vector<std::uint8_t> s(ts_.state_buffer_size());
        ts_.initial_state(s.data());
        visit(s, UINT32_MAX, Cost{});
        return best_;
    }
    [[nodiscard]] std::uint64_t violating_runs() const { return runs_; }

private:
    struct Outcome {
        ir::Step step;
        std::uint32_t process = 0;
        std::vector<std::uint8_t> next;  ///< empty for a report
        ir::PropertyId prop = ir::no_property;
        bool stops = false;
    };

    const ir::TransitionSystem& ts_;
    ir::PropertyId p_;
    std::uint32_t depth_;
    ir::Interpreter in_;
    std::optional<Cost> best_;
    std::uint64_t runs_ = 0;

    void found(Cost c) {
        ++runs_;
        if (!best_ || c < *best_) best_ = c;
    }

    void visit(const std::vector<std::uint8_t>& s, std::uint32_t last, Cost cost) {
        const auto& prop = ts_.property(p_);
        if (prop.kind == ir::PropertyKind::invariant) {
            for (const auto& check : prop.checks) {
                const auto r = in_.eval(check.program, s.data());
                if (!r.ok || r.value == 0) {
                    found(cost);
                    return;  // a longer run through here costs more
                }
            }
        }
        std::vector<Outcome> outs;
        for (const auto& proc : ts_.processes()) {
            const auto loc = static_cast<std::uint32_t>(ts_.layout().read(s.data(), proc.pc));
            const auto g = proc.group_at[loc];
            if (g == ir::no_group) continue;
            in_.fire(g, s.data(), [&](const ir::Emission& e) {
                Outcome o;
                o.step = ir::Step{g, e.index};
                o.process = ir::idx(ts_.group(g).process);
                if (e.next) o.next.assign(e.next, e.next + ts_.state_buffer_size());
                o.prop = e.prop;
                o.stops = e.stops;
                outs.push_back(std::move(o));
            });
        }
        const bool moves =
            std::any_of(outs.begin(), outs.end(), [](const Outcome& o) { return !o.next.empty(); });
        const bool crashed =
            std::any_of(outs.begin(), outs.end(), [](const Outcome& o) { return o.stops; });
        if (p_ == ir::prop_deadlock && !moves && !crashed && !ts_.all_at_valid_end(s.data()))
            found(cost);
        if (cost.steps == depth_) return;
        for (const auto& o : outs) {
            Cost next = cost;
            ++next.steps;
            if (last != UINT32_MAX && last != o.process) ++next.switches;
            if (o.next.empty()) {
                if (o.prop == p_) found(next);
                continue;
            }
            visit(o.next, o.process, next);
        }
    }
};

/// Runs the oracle to `depth` (at least the result's length) and checks that no run is cheaper
/// than fewest_switches' result and that the result's cost is reached by some run.
void check_against_oracle(const ir::TransitionSystem& ts, ir::PropertyId p, std::uint32_t depth) {
    std::string reason;
    const auto cx = explore::fewest_switches(ts, p, {}, &reason);
    REQUIRE(cx.has_value());
    check_replays(ts, *cx);
    const Cost got = cost_of(ts, cx->trace);
    REQUIRE(got.steps <= depth);
    Oracle oracle(ts, p, depth);
    const auto best = oracle.run();
    REQUIRE(best.has_value());
    CAPTURE(oracle.violating_runs());
    CHECK(best->switches == got.switches);
    CHECK(best->steps == got.steps);
}

// c alone reaches hit in 4 steps, d alone in 6; a needs b first (3 steps, 1 switch).
const char* const handoff = R"(
    var ready: bool;
    var hit: bool;
    process a { await ready; hit = true; }
    process b { ready = true; }
    process c { skip; skip; skip; hit = true; }
    process d { skip; skip; skip; skip; skip; hit = true; }
    invariant no_hit: !hit;)";

// a and b pass t back and forth (8 steps, 3 switches); c sets it alone after 8 skips.
const char* const ping_pong = R"(
    var t: 0..4;
    process a { await t == 0; t = 1; await t == 2; t = 3; }
    process b { await t == 1; t = 2; await t == 3; t = 4; }
    process c { skip; skip; skip; skip; skip; skip; skip; skip; t = 4; }
    invariant below_four: t != 4;)";

// b waits for x == 1 and asserts after a moved on to 2; c asserts x != 0 alone.
const char* const calm = R"(
    var x: 0..2;
    process a { x = 1; x = 2; }
    process b { await x == 1; skip; assert calm: x != 2; }
    process c { skip; skip; skip; skip; skip; assert calm: x != 0; })";

// thief unlocks the mutex owner took (4 steps, 1 switch); slow unlocks it free, alone.
const char* const thief = R"(
    var m: mutex;
    var handed: bool;
    process owner { lock(m); handed = true; }
    process thief { await handed; unlock(m); }
    process slow { skip; skip; skip; skip; unlock(m); })";

// ABBA: each takes its first mutex and waits for the other's.
const char* const abba = R"(
    var a: mutex;
    var b: mutex;
    process t1 { lock(a); lock(b); unlock(b); unlock(a); }
    process t2 { lock(b); lock(a); unlock(a); unlock(b); })";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("an invariant broken after a handoff is broken with no switch by one process alone") {
    // Shortest (BFS), 3 steps, 1 switch: the only 3-step run (c needs 4, d needs 6).
    //     a              b              c    d
    //                    ready = true
    //     await ready                                   <- switch
    //     hit = true
    // Fewest switches: a run of one process has no switch. a alone blocks at its await, b
    // alone never sets hit, c alone sets it at its 4th step, d at its 6th: 0 switches, and of
    // the two the shorter, c's 4 steps.
    //     c: skip, skip, skip, hit = true
    const auto ts = testing::compile(handoff);
    const auto p = property(*ts, "no_hit");
    const auto bfs = shortest(*ts, p);
    CHECK(who(*ts, bfs.trace) == "b a a");
    CHECK(cost_of(*ts, bfs.trace) == Cost{1, 3});
    const auto cx = fewest(*ts, p);
    CHECK(who(*ts, cx.trace) == "c c c c");
    CHECK(cost_of(*ts, cx.trace) == Cost{0, 4});
    CHECK(cx.violation.kind == traces::ViolationKind::in_state);
    CHECK(traces::describe(*ts, cx.violation) == "invariant no_hit");
}

TEST_CASE("a ping pong of two processes takes 3 switches where a third process needs none") {
    // Shortest (BFS), 8 steps, 3 switches. Each await of a and b needs the other's last write,
    // so their 8 steps have one order; c needs 9 steps to write t = 4.
    //     a              b
    //     await t == 0
    //     t = 1
    //                    await t == 1               <- switch
    //                    t = 2
    //     await t == 2                              <- switch
    //     t = 3
    //                    await t == 3               <- switch
    //                    t = 4
    // Fewest switches: a alone stops at its second await, b alone at its first; c alone writes
    // t = 4 at its 9th step: 0 switches, 9 steps.
    const auto ts = testing::compile(ping_pong);
    const auto p = property(*ts, "below_four");
    const auto bfs = shortest(*ts, p);
    CHECK(who(*ts, bfs.trace) == "a a b b a a b b");
    CHECK(cost_of(*ts, bfs.trace) == Cost{3, 8});
    const auto cx = fewest(*ts, p);
    CHECK(who(*ts, cx.trace) == "c c c c c c c c c");
    CHECK(cost_of(*ts, cx.trace) == Cost{0, 9});
}

TEST_CASE("a named assertion that BFS breaks with 3 switches breaks with none in one more step") {
    // States (i, j): steps taken by a and b (c stays at 0 on the short runs). b's await needs
    // x == 1, which holds only at i = 1, and its assert fails only at i = 2. The 5-step runs
    // are a b a b b and a b b a b, 3 switches each. BFS discovers (2, 2) first from (2, 1)
    // (level 3 is expanded in the order (2, 1), (1, 2)), whose parent is (1, 1):
    //     a              b
    //     x = 1
    //                    await x == 1               <- switch
    //     x = 2                                     <- switch
    //                    skip                       <- switch
    //                    assert calm: x != 2   (reports)
    // Fewest switches: a alone never asserts, b alone blocks, c alone fails its assert x != 0
    // at its 6th step: 0 switches, 6 steps, the report being the last step.
    const auto ts = testing::compile(calm);
    const auto p = property(*ts, "calm");
    const auto bfs = shortest(*ts, p);
    CHECK(who(*ts, bfs.trace) == "a b a b b");
    CHECK(cost_of(*ts, bfs.trace) == Cost{3, 5});
    const auto cx = fewest(*ts, p);
    CHECK(who(*ts, cx.trace) == "c c c c c c");
    CHECK(cost_of(*ts, cx.trace) == Cost{0, 6});
    CHECK(cx.violation.kind == traces::ViolationKind::on_step);
    CHECK(traces::describe(*ts, cx.violation) == "calm: assertion 'x != 0' failed");
}

TEST_CASE("a report found early costing a switch is not kept when a run without switches exists") {
    // While the search expands a's first node (0 switches, 1 step) it sees b's assertion fail
    // at (1 switch, 2 steps): the shortest run, which BFS returns.
    //     a              b
    //     x = 1
    //                    assert early: x == 0   (reports)     <- switch
    // It must not stop there: the heap still holds nodes of 0 switches, and a alone fails its
    // own assertion at its 5th step. b alone passes its assertion (x == 0) and finishes.
    //     a: x = 1, skip, skip, skip, assert early: x == 0   (reports)
    const auto ts = testing::compile(R"(
        var x: 0..1;
        process a { x = 1; skip; skip; skip; assert early: x == 0; }
        process b { assert early: x == 0; })");
    const auto p = property(*ts, "early");
    const auto bfs = shortest(*ts, p);
    CHECK(who(*ts, bfs.trace) == "a b");
    CHECK(cost_of(*ts, bfs.trace) == Cost{1, 2});
    const auto cx = fewest(*ts, p);
    CHECK(who(*ts, cx.trace) == "a a a a a");
    CHECK(cost_of(*ts, cx.trace) == Cost{0, 5});
    check_against_oracle(*ts, p, 7);
}

TEST_CASE("an unlock by a non owner is found with no switch by a process unlocking a free mutex") {
    // Shortest (BFS), 4 steps, 1 switch; slow needs 5 steps.
    //     owner          thief          slow
    //     lock(m)
    //     handed = true
    //                    await handed               <- switch
    //                    unlock(m)   (reports: m is held by owner)
    // Fewest switches: owner alone misuses nothing, thief alone blocks, slow alone unlocks the
    // free mutex at its 5th step: 0 switches, 5 steps.
    const auto ts = testing::compile(thief);
    const auto bfs = shortest(*ts, ir::prop_mutex);
    CHECK(who(*ts, bfs.trace) == "owner owner thief thief");
    CHECK(cost_of(*ts, bfs.trace) == Cost{1, 4});
    const auto cx = fewest(*ts, ir::prop_mutex);
    CHECK(who(*ts, cx.trace) == "slow slow slow slow slow");
    CHECK(cost_of(*ts, cx.trace) == Cost{0, 5});
    CHECK(cx.violation.kind == traces::ViolationKind::on_step);
    CHECK(traces::describe(*ts, cx.violation) ==
          "unlock of 'm' by a process that does not hold it");
}

TEST_CASE("an ABBA deadlock needs one switch and both searches find the same two steps") {
    // Each process alone runs to its end, so a deadlock needs both to move: at least 1 switch,
    // and each must hold its first mutex: at least 2 steps. Both searches give
    //     t1             t2
    //     lock(a)
    //                    lock(b)                    <- switch
    // (the fewest-switch search reaches the same state by t2 then t1 at the same cost, but
    // creates the node through t1 first, and the node number breaks the tie).
    const auto ts = testing::compile(abba);
    const auto bfs = shortest(*ts, ir::prop_deadlock);
    CHECK(who(*ts, bfs.trace) == "t1 t2");
    CHECK(cost_of(*ts, bfs.trace) == Cost{1, 2});
    const auto cx = fewest(*ts, ir::prop_deadlock);
    CHECK(who(*ts, cx.trace) == "t1 t2");
    CHECK(cost_of(*ts, cx.trace) == Cost{1, 2});
    CHECK(cx.violation.kind == traces::ViolationKind::deadlock);
}

TEST_CASE("an invariant false in the initial state gives the empty trace") {
    const auto ts = testing::compile(R"(
        var x: 0..1 = 1;
        process p { x = 0; }
        invariant zero: x == 0;)");
    const auto cx = explore::fewest_switches(*ts, property(*ts, "zero"), {}, nullptr);
    REQUIRE(cx.has_value());
    CHECK(cx->trace.steps.empty());
    CHECK(cx->violation.kind == traces::ViolationKind::in_state);
    check_replays(*ts, *cx);
}

TEST_CASE("properties that hold in Peterson's algorithm give no counterexample") {
    const auto ts = testing::compile(read_fixture("tests/fixtures/peterson.mc"));
    for (const auto* name : {"mutual_exclusion", "excl", "deadlock", "mutex_misuse"}) {
        CAPTURE(name);
        std::string reason = "not cleared";
        CHECK_FALSE(explore::fewest_switches(*ts, property(*ts, name), {}, &reason).has_value());
        CHECK(reason.empty());
    }
}

TEST_CASE("the node limit and the time limit stop the search with a reason") {
    // The nodes of ping_pong the search creates: every successor of a node popped before the
    // violation (0 switches, 9 steps), since none of them costs (0, 9) or more, is created.
    // A node is (state, last process); a1 is a after one step.
    //   0 switches: the initial node, a1, a2 (then a blocks), c1 ... c9 (c9 breaks it)   12
    //   1 switch, from the 0-switch nodes popped before c9:
    //     a1 -> c1 (c's skip); a2 -> b's await, c's skip; c1 ... c8 -> a's await        11
    // 23 nodes: a limit of 22 stops the search, 23 lets it finish.
    const auto ts = testing::compile(ping_pong);
    const auto p = property(*ts, "below_four");
    std::string reason;
    CHECK_FALSE(explore::fewest_switches(*ts, p, {.max_states = 22}, &reason).has_value());
    CHECK(reason == "state limit 22 reached");
    CHECK(explore::fewest_switches(*ts, p, {.max_states = 23}, &reason).has_value());
    CHECK(reason.empty());
    // The limits are polled at the first node already.
    CHECK_FALSE(explore::fewest_switches(*ts, p, {.time_limit = 1e-9}, &reason).has_value());
    CHECK(reason.starts_with("time limit"));
}

TEST_CASE("no run up to the depth bound has fewer switches than the result on five tiny models") {
    // The oracle enumerates every run, so the bound is kept small: each model has at most three
    // processes and the cheapest violation is at most 9 steps long.
    SUBCASE("handoff without d") {
        std::string text = handoff;
        text.erase(text.find("process d"), text.find("invariant") - text.find("process d"));
        const auto ts = testing::compile(text);
        check_against_oracle(*ts, property(*ts, "no_hit"), 6);
    }
    SUBCASE("named assertion") {
        const auto ts = testing::compile(calm);
        check_against_oracle(*ts, property(*ts, "calm"), 7);
    }
    SUBCASE("mutex misuse") {
        const auto ts = testing::compile(thief);
        check_against_oracle(*ts, ir::prop_mutex, 6);
    }
    SUBCASE("deadlock") {
        const auto ts = testing::compile(abba);
        check_against_oracle(*ts, ir::prop_deadlock, 8);
    }
    SUBCASE("ping pong") {
        const auto ts = testing::compile(ping_pong);
        check_against_oracle(*ts, property(*ts, "below_four"), 9);
    }
}

}  // TEST_SUITE
