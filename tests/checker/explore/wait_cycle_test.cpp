// SPDX-License-Identifier: MIT
// Deadlocks as wait cycles (ir::TransitionSystem::wait_cycle): processes blocked at `lock` on
// mutexes held by each other are a deadlock even while other processes can still move, with
// every search (BFS, DFS, with and without partial-order reduction and its self-check), and the
// report names the cycle.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/interp.hpp"
#include "checker/reduce/por_check.hpp"
#include "tests/support/testing.hpp"
#include "tests/support/wait_cycle_models.hpp"
#include "traces/replay.hpp"
#include "traces/render_steps.hpp"
#include "traces/trace.hpp"

using namespace iomc;
using namespace iomc::testing::wait_models;
using explore::Strategy;
using explore::Verdict;

namespace {

/// Runs search `o` on `ts`, which must find a violation with no self-check breach.
explore::Result check_violated(const ir::TransitionSystem& ts, const explore::Options& o) {
    auto r = explore::check(ts, o);
    CHECK(r.self_check_failure.empty());
    CHECK(r.verdict == Verdict::violated);
    REQUIRE(r.counterexample.has_value());
    return r;
}

/// Runs search `o` on `ts`, which must report a wait cycle whose trace replays to a state where
/// wait_cycle() finds `cycle`; returns the result.
explore::Result check_wait_cycle(const ir::TransitionSystem& ts, const explore::Options& o,
                                 const std::vector<std::uint32_t>& cycle) {
    auto r = check_violated(ts, o);
    CHECK(r.counterexample->violation.wait_cycle);
    const auto rep = traces::replay(ts, r.counterexample->trace);
    REQUIRE(rep.ok);
    CHECK(ts.wait_cycle(rep.states.back().data()) == cycle);
    return r;
}

std::vector<explore::Options> all_searches() {
    std::vector<explore::Options> out;
    for (auto strategy : {Strategy::bfs, Strategy::dfs})
        for (bool por : {false, true}) {
            explore::Options o;
            o.strategy = strategy;
            o.por = por;
            o.por_check = por;
            out.push_back(o);
        }
    return out;
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("an ABBA deadlock beside a process that runs forever is a deadlock") {
    const auto ts = testing::compile(kAbbaBusy);
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        const auto r = check_violated(*ts, o);
        const auto& v = r.counterexample->violation;
        CHECK(v.property == ir::prop_deadlock);
        CHECK(v.kind == traces::ViolationKind::deadlock);
        CHECK(v.wait_cycle);
        CHECK(traces::describe(*ts, v) == "deadlock: processes wait for each other in a cycle");
        if (o.strategy == Strategy::bfs && !o.por) {
            // Shortest: t1 takes a, t2 takes b.
            traces::Replay rep;
            CHECK(!traces::confirm(*ts, *r.counterexample, rep).has_value());
            REQUIRE(rep.ok);
            CHECK(r.counterexample->trace.steps.size() == 2);
            CHECK(traces::render_violation(*ts, *r.counterexample, rep) ==
                  "violated: deadlock: processes wait for each other in a cycle\n"
                  "  t1 is blocked at test.mc:4: lock(b)\n"
                  "  t2 is blocked at test.mc:5: lock(a)\n"
                  "  b is held by t2\n"
                  "  a is held by t1\n");
        }
    }
}

TEST_CASE("locks taken in the same order beside a process that runs forever hold") {
    const auto ts = testing::compile(R"(var a: mutex;
var b: mutex;
var polls: 0..1;
process t1 { lock(a); lock(b); unlock(b); unlock(a); }
process t2 { lock(a); lock(b); unlock(b); unlock(a); }
process hw { while (true) { polls = 1 - polls; } }
)");
    for (const auto& o : all_searches()) {
        const auto r = explore::check(*ts, o);
        CHECK(r.self_check_failure.empty());
        CHECK(r.verdict == Verdict::holds);
    }
}

TEST_CASE("a cycle of three processes is found and the others are left out of the report") {
    const auto ts = testing::compile(R"(var a: mutex;
var b: mutex;
var c: mutex;
var x: 0..1;
process p { lock(a); lock(b); unlock(b); unlock(a); }
process q { lock(b); lock(c); unlock(c); unlock(b); }
process r { lock(c); lock(a); unlock(a); unlock(c); }
process idle { while (true) { x = 1 - x; } }
)");
    explore::Options o;
    o.strategy = Strategy::bfs;
    const auto res = explore::check(*ts, o);
    REQUIRE(res.counterexample.has_value());
    CHECK(res.counterexample->trace.steps.size() == 3);
    const auto rep = traces::replay(*ts, res.counterexample->trace);
    CHECK(ts->wait_cycle(rep.states.back().data()) == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(traces::render_violation(*ts, *res.counterexample, rep) ==
          "violated: deadlock: processes wait for each other in a cycle\n"
          "  p is blocked at test.mc:5: lock(b)\n"
          "  q is blocked at test.mc:6: lock(c)\n"
          "  r is blocked at test.mc:7: lock(a)\n"
          "  b is held by q\n"
          "  c is held by r\n"
          "  a is held by p\n");
}

TEST_CASE("deadlock not selected: a wait cycle is not reported") {
    const auto ts = testing::compile(kAbbaBusy);
    explore::Options o;
    o.properties = {ir::prop_assertions};
    CHECK(explore::check(*ts, o).verdict == Verdict::holds);
}

TEST_CASE("an ABBA between a device lock and the group mutex an index selects is a deadlock") {
    const auto ts = testing::compile(kIndexedAbba);
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        const auto r = check_violated(*ts, o);
        const auto& v = r.counterexample->violation;
        CHECK(v.property == ir::prop_deadlock);
        CHECK(v.wait_cycle);
        traces::Replay rep;
        CHECK(!traces::confirm(*ts, *r.counterexample, rep).has_value());
        REQUIRE(rep.ok);
        // Whatever the order, the cycle is client and walker over dev_mutex[0] and group_mutex[1].
        CHECK(ts->wait_cycle(rep.states.back().data()) == std::vector<std::uint32_t>{1, 2});
        if (o.strategy == Strategy::bfs && !o.por) {
            // Shortest: setup moves device 0 to group 1, client takes its device lock, walker
            // takes group 1's mutex.
            CHECK(r.counterexample->trace.steps.size() == 3);
            CHECK(traces::render_violation(*ts, *r.counterexample, rep) ==
                  "violated: deadlock: processes wait for each other in a cycle\n"
                  "  client is blocked at test.mc:6: lock(group_mutex[dev_group[0]])\n"
                  "  walker is blocked at test.mc:7: lock(dev_mutex[0])\n"
                  "  group_mutex[1] is held by walker\n"
                  "  dev_mutex[0] is held by client\n");
        }
    }
}

TEST_CASE("the same locks with device 0 left in group 0 never wait in a cycle") {
    // Without setup's move client takes group_mutex[0], which walker never touches.
    std::string text = kIndexedAbba;
    text.replace(text.find("dev_group[0] = 1;"), 17, "skip;");
    const auto ts = testing::compile(text);
    for (const auto& o : all_searches()) {
        const auto r = explore::check(*ts, o);
        CHECK(r.self_check_failure.empty());
        CHECK(r.verdict == Verdict::holds);
    }
}

TEST_CASE("a wait cycle that a process outside it can still open by moving the index is no deadlock") {
    const auto ts = testing::compile(kMoverBreaks);
    // mover may write dev_group[0] (what selects client's mutex) from its first two locations;
    // from its end, and hw and walker from anywhere, nothing of it.
    CHECK(ts->wait_breaker(2, 0) != 0);
    CHECK(ts->wait_breaker(2, 1) == ts->wait_breaker(2, 0));
    CHECK(ts->wait_breaker(2, 2) == 0);
    CHECK(ts->wait_breaker(1, 0) == 0);
    CHECK(ts->wait_breaker(3, 0) == 0);
    std::vector<std::string> names;
    for (const auto s : ts->wait_breaks().to_vector()) names.push_back(ts->layout().slot(s).name);
    CHECK(names == std::vector<std::string>{"dev_group[0]"});
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        const auto r = explore::check(*ts, o);
        CHECK(r.self_check_failure.empty());
        CHECK(r.verdict == Verdict::holds);
    }
}

TEST_CASE("the same cycle is a deadlock once no process can move the index any more") {
    const auto ts = testing::compile(mover_stays());
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        const auto r = check_wait_cycle(*ts, o, {0, 1});
        if (o.strategy == Strategy::bfs && !o.por) {
            // client takes its device lock, mover moves device 0, walker takes group 1's mutex.
            CHECK(r.counterexample->trace.steps.size() == 3);
        }
    }
}

/// The state after each process named fires its one outcome in turn (process ids).
std::vector<std::uint8_t> after(const ir::TransitionSystem& ts, std::initializer_list<std::uint32_t> procs) {
    ir::Interpreter interp(ts);
    std::vector<std::uint8_t> s(ts.state_buffer_size());
    ts.initial_state(s.data());
    for (const auto p : procs) {
        const auto& proc = ts.process(ir::ProcessId{p});
        const auto g = proc.group_at[static_cast<std::uint32_t>(ts.layout().read(s.data(), proc.pc))];
        std::vector<std::uint8_t> next;
        interp.fire(g, s.data(), [&](const ir::Emission& e) {
            if (e.next) next.assign(e.next, e.next + s.size());
        });
        REQUIRE(!next.empty());
        s = next;
    }
    return s;
}

TEST_CASE("a process that could open a wait cycle but waits for the cycle itself does not keep it open") {
    // mover would put device 0 back into group 0, but first takes dev_mutex[0], which client
    // holds in the cycle: mover waits for the cycle, and hw runs forever, so only the wait
    // cycle can report this deadlock.
    const auto ts = testing::compile(mover_waits());
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        check_wait_cycle(*ts, o, {0, 1});
    }
}

TEST_CASE("the self-check of a stable wait cycle names the step that would open it") {
    // client takes dev_mutex[0], mover moves device 0 to group 1, walker takes group_mutex[1]:
    // client and walker wait for each other, but mover may still move device 0 back. wait_cycle()
    // does not count that cycle; handed to the self-check as if it did, the check names mover.
    const auto ts = testing::compile(kMoverBreaks);
    const auto s = after(*ts, {0, 2, 1});
    CHECK(ts->wait_cycle(s.data()).empty());
    reduce::PorSelfCheck self(*ts);
    const auto report = self.check_wait_cycle(s.data(), {0, 1});
    CHECK(report.find("partial-order reduction self-check failed (a bug in iomc; please report): the wait cycle of "
                      "client, walker is taken as stable, but mover 'dev_group[0] = 0' (test.mc:7) opens it\n  state:") == 0);
    // With mover's second step gone the cycle counts, and no step opens it.
    const auto ts2 = testing::compile(mover_stays());
    const auto s2 = after(*ts2, {0, 2, 1});
    REQUIRE(ts2->wait_cycle(s2.data()) == std::vector<std::uint32_t>{0, 1});
    reduce::PorSelfCheck self2(*ts2);
    CHECK(self2.check_wait_cycle(s2.data(), {0, 1}).empty());
}

TEST_CASE("the wait-cycle check reads the whole mutex array and the index of a computed lock") {
    const auto ts = testing::compile(kIndexedAbba);
    std::vector<std::string> names;
    for (const auto s : ts->wait_reads().to_vector()) names.push_back(ts->layout().slot(s).name);
    CHECK(names == std::vector<std::string>{"dev_mutex[0]", "group_mutex[0]", "group_mutex[1]", "dev_group[0]"});
    // client's lock(group_mutex[dev_group[0]]) is at location 1: dynamic; its device lock and
    // walker's locks are of fixed mutexes; unlocks are no wait locations.
    std::uint32_t dev_mutex0 = 0;
    while (ts->layout().slots()[dev_mutex0].name != "dev_mutex[0]") ++dev_mutex0;
    CHECK(ts->wait_key(1, 0) == dev_mutex0);
    CHECK(ts->wait_key(1, 1) == ir::TransitionSystem::dynamic_lock_wait);
    CHECK(ts->wait_key(1, 2) == UINT32_MAX);
    CHECK(ts->lock_wait(1, 1) == UINT32_MAX);
}

TEST_CASE("a lock of a mutex in an object with a lifetime takes part in a cycle while the object lives") {
    // kLifetimeCycle: the cycle lasts while dom lives.
    const auto ts = testing::compile(kLifetimeCycle);
    for (const auto& o : all_searches()) {
        CAPTURE(static_cast<int>(o.strategy));
        CAPTURE(o.por);
        explore::Options oo = o;
        oo.properties = {ir::prop_deadlock};
        const auto r = check_violated(*ts, oo);
        CHECK(r.counterexample->violation.wait_cycle);
        if (o.strategy == Strategy::bfs && !o.por) {
            const auto rep = traces::replay(*ts, r.counterexample->trace);
            // Three steps, not two: until init has run, its kref_init may still write dom.refs,
            // which t1's use-after-free check reads, so the cycle is not yet known to last
            // (wait_breaker(): a static future, blind to the value written).
            CHECK(r.counterexample->trace.steps.size() == 3);
            CHECK(ts->group(r.counterexample->trace.steps.back().group).process == ir::ProcessId{3});
            CHECK(traces::render_violation(*ts, *r.counterexample, rep) ==
                  "violated: deadlock: processes wait for each other in a cycle\n"
                  "  t1 is blocked at test.mc:5: lock(dom.lock)\n"
                  "  t2 is blocked at test.mc:6: lock(a)\n"
                  "  dom.lock is held by t2\n"
                  "  a is held by t1\n");
        }
    }
}

}
