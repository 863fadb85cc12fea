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

TEST_CASE("an outbox keeps the hash's upper half, parent and state of a record, its blocks in the budget") {
    explore::MemoryBudget budget;
    const auto hash = [](std::uint32_t i) { return std::uint64_t{i} * 0x9e3779b97f4a7c15ULL; };
    const auto high = [&](std::uint32_t i) { return hash(i) & 0xFFFF'FFFF'0000'0000ULL; };
    {
        explore::Outbox box(5, budget);
        CHECK(box.size() == 0);
        CHECK(budget.used() == 0);
        // 16-byte records (8 of header, 5 of state, padded to 4) in blocks of 64 KiB: 4,096 per
        // block, so 25 blocks for 100,000 records.
        const auto fill = [&](std::uint32_t n, std::uint32_t salt) {
            for (std::uint32_t i = 0; i < n; ++i) {
                std::uint8_t s[13] = {};
                const std::uint32_t v = i ^ salt;
                std::memcpy(s, &v, 4);
                s[4] = static_cast<std::uint8_t>(i * 7);
                REQUIRE(box.push(hash(i), i + 1, s));
            }
        };
        fill(100'000, 0);
        CHECK(box.size() == 100'000);
        const std::uint64_t block = 4'096 * 16 + 8;
        CHECK(budget.used() == 25 * block);
        for (std::uint32_t i : {0U, 4'095U, 4'096U, 99'999U}) {
            CAPTURE(i);
            CHECK(box.hash(i) == high(i));
            CHECK(box.parent(i) == i + 1);
            std::uint32_t v = 0;
            std::memcpy(&v, box.state(i), 4);
            CHECK(v == i);
            CHECK(box.state(i)[4] == static_cast<std::uint8_t>(i * 7));
        }

        // Read in order, across blocks, with the hash of the record 8 later before each.
        std::uint32_t seen = 0, aheads = 0;
        bool in_order = true;
        CHECK(box.for_each(
            8,
            [&](std::uint64_t h, std::uint32_t parent, const std::uint8_t* s) {
                std::uint32_t v = 0;
                std::memcpy(&v, s, 4);
                in_order = in_order && h == high(seen) && parent == seen + 1 && v == seen;
                ++seen;
                return true;
            },
            [&](std::uint64_t h) {
                in_order = in_order && h == high(seen + 8);
                ++aheads;
            }));
        CHECK(in_order);
        CHECK(seen == 100'000);
        CHECK(aheads == 100'000 - 8);

        // A reader that stops: for_each says so, and reads no further.
        seen = 0;
        const auto count_to_5000 = [&](std::uint64_t, std::uint32_t, const std::uint8_t*) { return ++seen < 5'000; };
        CHECK_FALSE(box.for_each(8, count_to_5000, [](std::uint64_t) {}));
        CHECK(seen == 5'000);

        // Emptied for the next level, the blocks are kept and written again from the first.
        box.clear();
        CHECK(box.size() == 0);
        CHECK(budget.used() == 25 * block);  // kept for the next level
        const auto refuse = [](std::uint64_t, std::uint32_t, const std::uint8_t*) { return false; };
        CHECK(box.for_each(8, refuse, [](std::uint64_t) {}));  // no record to refuse
        fill(5'000, 0xABCD);
        CHECK(box.size() == 5'000);
        CHECK(budget.used() == 25 * block);
        std::uint32_t v = 0;
        std::memcpy(&v, box.state(4'999), 4);
        CHECK(v == (4'999U ^ 0xABCDU));
        seen = 0;
        const auto count = [&](std::uint64_t, std::uint32_t, const std::uint8_t*) { return ++seen > 0; };
        CHECK(box.for_each(100'000, count, [](std::uint64_t) { FAIL("no record is 100,000 later"); }));
        CHECK(seen == 5'000);
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
