// SPDX-License-Identifier: MIT
// Deadlocks as wait cycles (ir::TransitionSystem::wait_cycle): processes blocked at `lock` on
// mutexes held by each other are a deadlock even while other processes can still move, with
// every search (BFS, DFS, with and without partial-order reduction and its self-check), and the
// report names the cycle.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/testing.hpp"
#include "traces/replay.hpp"
#include "traces/render_steps.hpp"
#include "traces/trace.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

// hw toggles forever, so there is no state without a step: the old check said "holds".
const char* const kAbbaBusy = R"(var a: mutex;
var b: mutex;
var polls: 0..1;
process t1 { lock(a); lock(b); unlock(b); unlock(a); }
process t2 { lock(b); lock(a); unlock(a); unlock(b); }
process hw { while (true) { polls = 1 - polls; } }
)";

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
        const auto r = explore::check(*ts, o);
        CHECK(r.self_check_failure.empty());
        CHECK(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample.has_value());
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

}
