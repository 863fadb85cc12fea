// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/expander: what an Expander asks of its host (the search) for
// one state: self-loops counted, not stored; the cycle proviso's lookups handed to the store,
// and none with the static proviso.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "checker/explore/expander.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

TEST_CASE("a step that changes nothing is counted as a transition but never stored") {
    // The monitor's loop body is one step from its location back to itself: a self-loop in
    // every state. The writer takes two steps: 3 states; transitions: 3 (monitor) + 2 (writer).
    const auto ts = testing::compile(R"(
        var x: 0..2 = 0;
        process writer { x = 1; x = 2; }
        process monitor { while (true) { await x >= 0; } }
    )");
    explore::Options o;
    o.por = false;
    for (const auto strategy : {explore::Strategy::bfs, explore::Strategy::dfs}) {
        o.strategy = strategy;
        const auto r = explore::check(*ts, o);
        CHECK(r.verdict == explore::Verdict::holds);
        CHECK(r.stats.states == 3);
        CHECK(r.stats.transitions == 5);
    }

    // The expander hands the self-loops to the host as such, not as successors to store.
    const explore::Plan plan(*ts, o);
    explore::Expander ex(plan);
    const explore::ViolationLog log(plan);
    struct Host {
        int loops = 0, successors = 0;
        bool stopped() const { return false; }
        void report(const ir::Step&, const ir::Emission&) {}
        void deadlock(bool) {}
        static bool fetches_early() { return false; }
        void prefetch(const std::uint8_t*, explore::Lookup&) {}
        bool closes(const std::uint8_t*, explore::Lookup&) { return false; }
        void self_loop() { ++loops; }
        void successor(const std::uint8_t*, const explore::Lookup&) { ++successors; }
    } host;
    std::vector<std::uint8_t> init(ts->state_buffer_size(), 0);
    ts->initial_state(init.data());
    ex.expand(init.data(), log, host);
    CHECK(host.loops == 1);
    CHECK(host.successors == 1);
}

TEST_CASE("the lookup the cycle proviso made for a successor is handed to its store") {
    // Two independent writes: at the initial state the stubborn set {p} is chosen, its one
    // successor looked up by the cycle proviso (closes) and then stored (successor).
    const auto ts = testing::compile(R"(
        var a: 0..1 = 0;
        var b: 0..1 = 0;
        process p { a = 1; }
        process q { b = 1; }
    )");
    explore::Options o;
    o.por = true;
    o.proviso = reduce::Proviso::stored;
    const explore::Plan plan(*ts, o);
    REQUIRE(plan.por_tables);
    const explore::ViolationLog log(plan);
    struct Host {
        bool at_once = false;
        std::vector<std::string> calls;
        bool stopped() const { return false; }
        void report(const ir::Step&, const ir::Emission&) {}
        void deadlock(bool) {}
        bool fetches_early() const { return at_once; }
        void prefetch(const std::uint8_t*, explore::Lookup& l) {
            CHECK_FALSE(l.hashed);
            l.hashed = true;
            l.hash = 100 + calls.size();
            calls.push_back(fmt::format("prefetch {}", l.hash));
        }
        bool closes(const std::uint8_t*, explore::Lookup& l) {
            CHECK(l.hashed);
            l.looked = true;
            l.found = true;
            calls.push_back(fmt::format("closes {}", l.hash));
            return false;
        }
        void self_loop() {}
        void successor(const std::uint8_t*, const explore::Lookup& l) {
            calls.push_back(fmt::format("successor {} looked {} found {}", l.hash, l.looked, l.found));
        }
    };
    std::vector<std::uint8_t> init(ts->state_buffer_size(), 0);
    ts->initial_state(init.data());

    // A host that stores later: only the stubborn set's successor is fetched, just before the
    // proviso looks it up.
    explore::Expander later(plan);
    Host h1;
    later.expand(init.data(), log, h1);
    CHECK(h1.calls == std::vector<std::string>{"prefetch 100", "closes 100", "successor 100 looked true found true"});

    // A host that fetches early (one that stores at once): every successor is fetched as soon
    // as the steps have fired
    // (q's too), and the set's is not fetched again.
    explore::Expander at_once(plan);
    Host h2;
    h2.at_once = true;
    at_once.expand(init.data(), log, h2);
    CHECK(h2.calls ==
          std::vector<std::string>{"prefetch 100", "prefetch 101", "closes 100", "successor 100 looked true found true"});

    // The static proviso asks the host nothing: neither process loops, so {p} passes at once.
    // (Without single-step chains, which would pass through p's successor to the end state.)
    o.proviso = reduce::Proviso::static_loops;
    o.chains = false;
    const explore::Plan static_plan(*ts, o);
    const explore::ViolationLog static_log(static_plan);
    explore::Expander no_lookup(static_plan);
    Host h3;
    no_lookup.expand(init.data(), static_log, h3);
    CHECK(h3.calls == std::vector<std::string>{"successor 0 looked false found false"});
    explore::Expander no_lookup_early(static_plan);
    Host h4;
    h4.at_once = true;
    no_lookup_early.expand(init.data(), static_log, h4);
    CHECK(h4.calls ==
          std::vector<std::string>{"prefetch 100", "prefetch 101", "successor 100 looked false found false"});
}
