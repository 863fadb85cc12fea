// SPDX-License-Identifier: MIT
// Limits of checker/explore/search: a state, memory or time limit or a cancel flag gives
// `incomplete` with how far the search got, never `holds`.
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "checker/explore/memory.hpp"
#include "checker/explore/memory_budget.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

/// x = 1; x = 2; x = 3; x = 4 in one process: 5 states in a line, 4 transitions.
constexpr const char* line5 = R"(
    var x: 0..4 = 0;
    process p { x = 1; x = 2; x = 3; x = 4; })";

/// A counter: locations 0 (the test), 1 (x += 1), 2 (end). States: x = 0..1000 at the test
/// (1001), x = 0..999 at the increment (1000), the end (1): 2002; each but the end has one
/// successor: 2001 transitions.
constexpr const char* counter = R"(
    var x: 0..1000 = 0;
    process p { while (x < 1000) { x += 1; } })";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("the counter model has 2002 states without limits") {
    const auto ts = testing::compile(counter);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.stats.states == 2002);
        CHECK(r.stats.transitions == 2001);
        CHECK(r.stats.depth == 2001);
    }
}

TEST_CASE("a state limit below the state count gives incomplete with the count reached") {
    // Each expansion of the line adds one state. States 0, 1, 2 are stored (2 transitions);
    // expanding state 2 finds a new state 3 past the limit, so the search is incomplete.
    const auto ts = testing::compile(line5);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(strategy));
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_states = 3}});
        CHECK(r.verdict == Verdict::incomplete);
        CHECK_FALSE(r.complete);
        CHECK(r.stats.states == 3);
        CHECK(r.stats.transitions == 2);
        CHECK(r.incomplete_reason == "state limit 3 reached");
        CHECK_FALSE(r.counterexample.has_value());
        for (const auto& p : r.properties) CHECK(p.verdict == Verdict::incomplete);
    }
}

// Issue 10: `--max-states 1` stored 2 states (the limit was not applied to the initial state).
TEST_CASE("a state limit of one stores only the initial state") {
    // The line's initial state fills the limit; expanding it finds state 1 past the limit: 1
    // state stored, no transition counted, incomplete.
    const auto ts = testing::compile(line5);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(strategy));
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_states = 1}});
        CHECK(r.verdict == Verdict::incomplete);
        CHECK(r.stats.states == 1);
        CHECK(r.stats.transitions == 0);
        CHECK(r.incomplete_reason == "state limit 1 reached");
    }
}

TEST_CASE("a state limit equal to the state count still lets the search finish") {
    // All 5 states are stored; the limit stops storing new states, but every state is still
    // expanded and none has a successor that is not stored already, so the search is complete.
    const auto ts = testing::compile(line5);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_states = 5}});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.complete);
        CHECK(r.stats.states == 5);
        CHECK(r.incomplete_reason.empty());
    }
}

TEST_CASE("a state limit above the state count lets the search finish") {
    const auto ts = testing::compile(line5);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_states = 6}});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.complete);
        CHECK(r.stats.states == 5);
        CHECK(r.incomplete_reason.empty());
    }
}

TEST_CASE("a violation found before the state limit is violated not incomplete") {
    // The assertion fails on step 2, before 4 states are stored.
    const auto ts = testing::compile(R"(
        var x: 0..4 = 0;
        process p { x = 1; assert x == 0; x = 2; x = 3; x = 4; })");
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_states = 4}});
        CHECK(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample.has_value());
        CHECK(r.counterexample->trace.steps.size() == 2);
    }
}

TEST_CASE(
    "a state limit with stop_at_first false keeps found violations and marks the rest "
    "incomplete") {
    // b's unlock is misuse at depth 0; the limit of 2 states stops before the rest.
    const auto ts = testing::compile(R"(
        var m: mutex;  var x: 0..4 = 0;
        process a { x = 1; x = 2; x = 3; x = 4; }
        process b { unlock(m); })");
    explore::Options o;
    o.stop_at_first = false;
    o.limits.max_states = 2;
    const auto r = explore::check(*ts, o);
    CHECK(r.verdict == Verdict::violated);
    CHECK_FALSE(r.complete);
    CHECK(r.properties[ir::idx(ir::prop_mutex)].verdict == Verdict::violated);
    CHECK(r.properties[ir::idx(ir::prop_deadlock)].verdict == Verdict::incomplete);
    CHECK(r.properties[ir::idx(ir::prop_assertions)].verdict == Verdict::incomplete);
}

TEST_CASE("a time limit of zero means no time limit") {
    const auto ts = testing::compile(counter);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.time_limit = 0}});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.stats.states == 2002);
    }
}

TEST_CASE("a state limit of zero means no state limit") {
    const auto ts = testing::compile(counter);
    const auto r = explore::check(*ts, {.limits = {.max_states = 0, .max_memory = 0}});
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 2002);
}

TEST_CASE("a tiny memory limit gives incomplete") {
    const auto ts = testing::compile(counter);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy, .limits = {.max_memory = 1}});
        CHECK(r.verdict == Verdict::incomplete);
        CHECK(r.stats.states < 2002);
        CHECK(r.incomplete_reason == "memory limit 1 bytes reached");
    }
}

TEST_CASE("the cancel flag stops the search with incomplete") {
    const auto ts = testing::compile(counter);
    const std::atomic<bool> cancel{true};
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
        CAPTURE(static_cast<int>(strategy));
        const auto r = explore::check(*ts, {.strategy = strategy, .cancel = &cancel});
        CHECK(r.verdict == Verdict::incomplete);
        CHECK_FALSE(r.complete);
        CHECK(r.stats.states < 2002);
        CHECK(r.incomplete_reason == "interrupted");
    }
}

TEST_CASE("a cancel flag that stays false changes nothing") {
    const auto ts = testing::compile(counter);
    const std::atomic<bool> cancel{false};
    const auto r = explore::check(*ts, {.cancel = &cancel});
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.stats.states == 2002);
}

TEST_CASE("verdicts print as the JSON does") {
    CHECK(std::string(explore::to_string(Verdict::holds)) == "holds");
    CHECK(std::string(explore::to_string(Verdict::violated)) == "violated");
    CHECK(std::string(explore::to_string(Verdict::incomplete)) == "incomplete");
}

}  // TEST_SUITE

// Issue 10: peak RSS went past --max-memory; the budget of a search now starts from what the
// process already has (its resident set), so the structures get only the rest.
TEST_CASE("a memory budget counts the bytes in use before it against the cap") {
    explore::MemoryBudget b(10'000, 6'000);
    CHECK(b.reserve(4'000));
    CHECK_FALSE(b.reserve(1));
    CHECK(b.refused());
    CHECK(b.used() == 4'000);  // what the search's structures reserved, as reports print it
    CHECK(explore::MemoryBudget::process_base(0) == 0);
    CHECK(explore::MemoryBudget::process_base(1) > 0);  // this process's resident set
}

TEST_CASE("a reservation holds its bytes while it lives, and holds nothing when refused") {
    explore::MemoryBudget b(10'000);
    {
        const explore::Reservation r(b, 7'000);
        CHECK(r.ok());
        CHECK(b.used() == 7'000);
        const explore::Reservation more(b, 4'000);
        CHECK_FALSE(more.ok());
        CHECK(b.used() == 7'000);
    }
    CHECK(b.used() == 0);
}

// Without a default cap a search too large for the machine ended in the OOM killer: no verdict,
// no statistics. The default is 3/4 of the tightest bound.
TEST_CASE("the default memory cap is three quarters of the tightest bound on the process") {
    constexpr std::uint64_t gib = std::uint64_t{1} << 30, mib = std::uint64_t{1} << 20;
    CHECK(explore::default_memory_cap({}) == 0);  // nothing known: no cap
    CHECK(explore::default_memory_cap({.physical = 16 * gib}) == 12 * gib);
    // A cgroup's memory.max below the RAM.
    CHECK(explore::default_memory_cap({.physical = 16 * gib, .cgroup = 4 * gib}) == 3 * gib);
    // A v1 cgroup without a limit reports a huge number: the RAM is tighter.
    CHECK(explore::default_memory_cap({.physical = 16 * gib, .cgroup = std::uint64_t{1} << 62}) == 12 * gib);
    // ulimit -v 2 GiB with 512 MiB of address space taken and 64 MiB resident: 1.5 GiB of room
    // for new allocations, plus the 64 MiB the budget already counts as resident.
    CHECK(explore::default_memory_cap({.physical = 16 * gib,
                                       .address_space = 2 * gib,
                                       .virtual_now = 512 * mib,
                                       .resident_now = 64 * mib}) == (1536 + 64) * mib / 4 * 3);
    // No address space left: a cap below what is resident, so the first reservation stops.
    CHECK(explore::default_memory_cap({.physical = 16 * gib, .address_space = gib, .virtual_now = 2 * gib,
                                       .resident_now = 400}) == 300);
    // This machine: some figure, no larger than its RAM.
    const auto here = explore::memory_bounds();
    CHECK(here.physical > 0);
    CHECK(explore::default_memory_limit() <= here.physical);
}

TEST_CASE("a search at the default memory cap says it is the default and how to change it") {
    const auto ts = testing::compile(counter);
    const auto r = explore::check(*ts, {.limits = {.max_memory = 1, .memory_default = true}});
    CHECK(r.verdict == Verdict::incomplete);
    CHECK(r.incomplete_reason == "memory limit 1 bytes reached (the default: 3/4 of the memory this process may use; "
                                 "--max-memory sets another, 0 for none)");
}

TEST_SUITE("explore") {

TEST_CASE("a follow-up search gets the rest of the time limit, or none") {
    const explore::Limits none{.max_states = 7, .max_memory = 9};
    const auto same = explore::remaining_after(none, 1e6);
    REQUIRE(same);
    CHECK(same->time_limit == 0);
    CHECK(same->max_states == 7);
    CHECK(same->max_memory == 9);
    const explore::Limits ten{.max_states = 7, .max_memory = 9, .time_limit = 10};
    const auto left = explore::remaining_after(ten, 4);
    REQUIRE(left);
    CHECK(left->time_limit == doctest::Approx(6));
    CHECK(left->max_states == 7);
    CHECK(left->max_memory == 9);
    CHECK_FALSE(explore::remaining_after(ten, 10));
    CHECK_FALSE(explore::remaining_after(ten, 12.5));
}

}  // TEST_SUITE
