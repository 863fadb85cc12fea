// SPDX-License-Identifier: MIT
// The parallel breadth-first search (checker/explore/bfs.cpp): each level is expanded by every
// thread into per-owner outboxes, then each thread stores its own shards. Counts, limits and
// shortest counterexamples must be those of the search on one thread.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "checker/explore/memory_budget.hpp"
#include "checker/explore/outbox.hpp"
#include "checker/explore/workers.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::Verdict;

namespace {

/// Four independent counters to 10. One counter alone has 22 states (x = 0..10 at the test,
/// x = 0..9 at the increment, the end) and needs 21 steps to end; four have 22^4 = 234,256
/// states and 4 * 21 * 22^3 = 894,432 transitions (every state steps each counter not at its
/// end), depth 4 * 21 = 84. The middle levels hold thousands of states and more successors,
/// past the size at which the store phase runs on threads of its own.
constexpr const char* counters = R"(
    var a: 0..10 = 0;  var b: 0..10 = 0;  var c: 0..10 = 0;  var d: 0..10 = 0;
    process pa { while (a < 10) { a += 1; } }
    process pb { while (b < 10) { b += 1; } }
    process pc { while (c < 10) { c += 1; } }
    process pd { while (d < 10) { d += 1; } })";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("the parallel search stores the same states as one thread") {
    const auto ts = testing::compile(counters);
    for (unsigned threads : {1U, 2U, 3U, 4U}) {
        CAPTURE(threads);
        const auto r = explore::check(*ts, {.threads = threads});
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.complete);
        CHECK(r.stats.states == 234'256);
        CHECK(r.stats.transitions == 894'432);
        CHECK(r.stats.depth == 84);
        CHECK(r.stats.threads == threads);
    }
}

TEST_CASE("the parallel search stops exactly at a state limit") {
    // The store phase reserves each new state before storing it: no thread overshoots.
    const auto ts = testing::compile(counters);
    for (unsigned threads : {1U, 2U, 4U}) {
        CAPTURE(threads);
        const auto r = explore::check(*ts, {.limits = {.max_states = 100'000}, .threads = threads});
        CHECK(r.verdict == Verdict::incomplete);
        CHECK(r.stats.states == 100'000);
        CHECK(r.incomplete_reason == "state limit 100000 reached");
    }
}

TEST_CASE("the parallel search finds a shortest counterexample") {
    // The sum of the counters reaches 30 after 30 increments, each behind its own test: 60
    // steps at least, and BFS on any number of threads finds a run of exactly 60.
    const auto ts = testing::compile(std::string(counters) + "\ninvariant below_30: a + b + c + d < 30;");
    for (unsigned threads : {1U, 2U, 4U}) {
        CAPTURE(threads);
        const auto r = explore::check(*ts, {.threads = threads});
        CHECK(r.verdict == Verdict::violated);
        REQUIRE(r.counterexample.has_value());
        CHECK(r.counterexample->trace.steps.size() == 60);
    }
}

TEST_CASE("the parallel search stops at a memory limit") {
    const auto ts = testing::compile(counters);
    const auto r = explore::check(*ts, {.limits = {.max_memory = 4'000'000}, .threads = 2});
    CHECK(r.verdict == Verdict::incomplete);
    CHECK(r.stats.states < 234'256);
    CHECK(r.incomplete_reason == "memory limit 4000000 bytes reached");
}

}  // TEST_SUITE

TEST_CASE("an outbox keeps hash, parent and state of each record, and its blocks in the budget") {
    explore::MemoryBudget budget;
    {
        explore::Outbox box(5, budget);
        CHECK(box.size() == 0);
        CHECK(budget.used() == 0);
        // 24-byte records (16 of header, 5 of state, padded) in blocks of 64 KiB: 2,730 per block,
        // so 37 blocks for 100,000 records.
        for (std::uint32_t i = 0; i < 100'000; ++i) {
            std::uint8_t s[13] = {};
            std::memcpy(s, &i, 4);
            s[4] = static_cast<std::uint8_t>(i * 7);
            REQUIRE(box.push(std::uint64_t{i} * 0x9e3779b97f4a7c15ULL, i + 1, s));
        }
        CHECK(box.size() == 100'000);
        const std::uint64_t block = 2'730 * 24 + 8;
        CHECK(budget.used() == 37 * block);
        for (std::uint32_t i : {0U, 2'729U, 2'730U, 99'999U}) {
            CAPTURE(i);
            CHECK(box.hash(i) == std::uint64_t{i} * 0x9e3779b97f4a7c15ULL);
            CHECK(box.parent(i) == i + 1);
            std::uint32_t v = 0;
            std::memcpy(&v, box.state(i), 4);
            CHECK(v == i);
            CHECK(box.state(i)[4] == static_cast<std::uint8_t>(i * 7));
        }
        box.clear();
        CHECK(box.size() == 0);
        CHECK(budget.used() == 37 * block);  // kept for the next level
    }
    CHECK(budget.used() == 0);
}

TEST_CASE("an outbox whose budget refuses a block appends nothing") {
    explore::MemoryBudget budget(1000);
    explore::Outbox box(5, budget);
    const std::uint8_t s[13] = {};
    CHECK_FALSE(box.push(1, 2, s));
    CHECK(box.size() == 0);
    CHECK(budget.refused());
}

TEST_CASE("the search's workers run a task once on each worker, worker 0 on the caller, and are reused") {
    for (const unsigned n : {1U, 3U}) {
        CAPTURE(n);
        std::vector<std::set<std::thread::id>> threads(n);
        {
            explore::Workers w(n);
            for (int round = 0; round < 50; ++round) {
                std::vector<std::atomic<int>> calls(n);
                w.run([&](unsigned t) {
                    calls[t].fetch_add(1);
                    threads[t].insert(std::this_thread::get_id());
                });
                for (unsigned t = 0; t < n; ++t) CHECK(calls[t].load() == 1);
            }
        }  // joins the threads
        // One thread per worker through all 50 runs, and worker 0 is this thread.
        for (unsigned t = 0; t < n; ++t) CHECK(threads[t].size() == 1);
        CHECK(*threads[0].begin() == std::this_thread::get_id());
        if (n == 3) CHECK(*threads[1].begin() != *threads[2].begin());
    }
}

TEST_CASE("an exception in a worker's task reaches run() once every worker is done, and the workers go on") {
    explore::Workers w(3);
    std::atomic<int> finished{0};
    const auto task = [&](unsigned t) {
        if (t == 2) throw std::runtime_error("worker 2 failed");
        finished.fetch_add(1);
    };
    CHECK_THROWS_WITH_AS(w.run(task), "worker 2 failed", std::runtime_error);
    CHECK(finished.load() == 2);
    std::atomic<int> calls{0};
    w.run([&](unsigned) { calls.fetch_add(1); });
    CHECK(calls.load() == 3);
}

TEST_CASE("workers that never ran a task start no thread and stop at once") {
    explore::Workers w(4);
}
