// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/state_store: exact deduplication, dense indices in insertion
// order, growth of the hash table and the arena past one 65536-state chunk, stable pointers.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "checker/explore/chunked.hpp"
#include "checker/explore/memory_budget.hpp"
#include "checker/explore/page_pool.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/support/hash.hpp"

using namespace iomc;
using explore::StateStore;

namespace {

/// A 4-byte state holding `v`, followed by the 8 bytes of slack the store may read.
std::array<std::uint8_t, 12> state_of(std::uint32_t v) {
    std::array<std::uint8_t, 12> s{};
    std::memcpy(s.data(), &v, sizeof v);
    return s;
}

std::uint32_t value_at(const StateStore& store, std::uint32_t i) {
    std::uint32_t v = 0;
    std::memcpy(&v, store.get(i), sizeof v);
    return v;
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("the store gives dense indices in insertion order and finds duplicates") {
    StateStore store(4);
    CHECK(store.size() == 0);
    const auto a = state_of(7);
    const auto b = state_of(3);
    CHECK(store.insert(a.data()) == std::pair<std::uint32_t, bool>{0, true});
    CHECK(store.insert(b.data()) == std::pair<std::uint32_t, bool>{1, true});
    CHECK(store.insert(a.data()) == std::pair<std::uint32_t, bool>{0, false});
    CHECK(store.insert(b.data()) == std::pair<std::uint32_t, bool>{1, false});
    CHECK(store.size() == 2);
    CHECK(value_at(store, 0) == 7);
    CHECK(value_at(store, 1) == 3);
}

TEST_CASE("states that differ in one bit are different states") {
    StateStore store(4);
    for (std::uint32_t bit = 0; bit < 32; ++bit) {
        const auto s = state_of(std::uint32_t{1} << bit);
        CHECK(store.insert(s.data()).second);
    }
    const auto zero = state_of(0);
    CHECK(store.insert(zero.data()) == std::pair<std::uint32_t, bool>{32, true});
    CHECK(store.size() == 33);
}

TEST_CASE("the store grows past one chunk and keeps indices and pointers stable") {
    // 200000 states of 4 bytes. Chunks of 1K, 2K, 4K, 8K, 16K, 32K states (64512 in all), then
    // 64K each: 135488 more states take 3 of those, so 9 chunks, each with 8 bytes of slack:
    // 64512 * 4 + 6 * 8 + 3 * (65536 * 4 + 8) = 258096 + 786456 = 1044552 bytes.
    // The table starts with 256 slots and doubles before an insert that would fill it to 3/4:
    // 200000 states need more than 266667 slots, so it ends at 524288 slots = 4194304 bytes.
    // memory = 1044552 + 4194304 = 5238856 bytes.
    constexpr std::uint32_t n = 200000;
    StateStore store(4);
    const auto first = state_of(0x9E3779B9U);
    REQUIRE(store.insert(first.data()).first == 0);
    const std::uint8_t* p0 = store.get(0);
    std::uint32_t misplaced = 0;
    for (std::uint32_t i = 1; i < n; ++i) {
        const auto s = state_of(i * 2654435761U);  // distinct: the multiplier is odd
        const auto [index, fresh] = store.insert(s.data());
        if (!fresh || index != i)
            ++misplaced;
    }
    CHECK(misplaced == 0);
    CHECK(store.size() == n);
    CHECK(store.get(0) == p0);  // chunks never move
    CHECK(value_at(store, 0) == 0x9E3779B9U);
    CHECK(store.memory_bytes() == 5238856);
    // Every state is found again at its index after all the growth.
    std::uint32_t wrong = 0;
    for (std::uint32_t i = 1; i < n; ++i) {
        const auto s = state_of(i * 2654435761U);
        const auto [index, fresh] = store.insert(s.data());
        if (fresh || index != i || value_at(store, i) != i * 2654435761U)
            ++wrong;
    }
    CHECK(wrong == 0);
    CHECK(store.size() == n);
}

TEST_CASE("states of odd sizes are compared on every byte") {
    // 3-byte states straddle the 4-byte words a hash might read: 0x010203 and 0x010204 differ
    // only in the last byte.
    StateStore store(3);
    std::array<std::uint8_t, 11> a{1, 2, 3};
    std::array<std::uint8_t, 11> b{1, 2, 4};
    std::array<std::uint8_t, 11> a_with_other_slack{1, 2, 3, 99, 99};
    CHECK(store.insert(a.data()).second);
    CHECK(store.insert(b.data()).second);
    // The slack after the state is not part of it.
    CHECK(store.insert(a_with_other_slack.data()) == std::pair<std::uint32_t, bool>{0, false});
    CHECK(store.get(1)[2] == 4);
}

TEST_CASE("zeroed arrays are zero, and from 2 MiB up aligned to 2 MiB for huge pages") {
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    explore::PagePool pool;
    for (const std::size_t n : {std::size_t{1}, std::size_t{1000}, (huge / 8) - 1, huge / 8, 3 * huge / 8 + 5}) {
        CAPTURE(n);
        const auto a = explore::zeroed<std::uint64_t>(pool, n);
        REQUIRE(a != nullptr);
        CHECK(reinterpret_cast<std::uintptr_t>(a.get()) % 64 == 0);
        if (n * 8 >= huge) CHECK(reinterpret_cast<std::uintptr_t>(a.get()) % huge == 0);
        bool zero = true;
        for (std::size_t i = 0; i < n; ++i) zero = zero && a[i] == 0;
        CHECK(zero);
        a[n - 1] = 7;  // the whole array is writable
        CHECK(a[n - 1] == 7);
    }
}

TEST_CASE("the page pool: small blocks are cut from one region and reused zeroed; big ones are unmapped when given back") {
    constexpr std::size_t huge = std::size_t{2} << 20;
    explore::MemoryBudget budget(0);
    explore::PagePool pool(&budget);
    CHECK(pool.mapped() == 0);
    auto* a = static_cast<std::uint8_t*>(pool.take(100));  // rounded up to 128 bytes
    auto* b = static_cast<std::uint8_t*>(pool.take(64));
    CHECK(pool.mapped() == explore::PagePool::region);
    CHECK(b == a + 128);
    std::memset(a, 0xAB, 100);
    pool.give(a, 100);
    // A block given back is kept, and charged to the budget until it is taken again.
    CHECK(budget.used() == 128);
    // The next block of the same rounded size is the one given back, cleared.
    auto* c = static_cast<std::uint8_t*>(pool.take(128));
    CHECK(c == a);
    CHECK(budget.used() == 0);
    CHECK(std::all_of(c, c + 128, [](std::uint8_t x) { return x == 0; }));
    // Another size is cut from the region.
    auto* d = static_cast<std::uint8_t*>(pool.take(256));
    CHECK(d == b + 64);
    // A block of 2 MiB or more has a mapping of its own, released when given back.
    void* big = pool.take(huge + 1);
    CHECK(pool.mapped() == explore::PagePool::region + huge + 4096);
    pool.give(big, huge + 1);
    CHECK(pool.mapped() == explore::PagePool::region);
    CHECK(budget.used() == 0);
    // A region that cannot hold the next block leaves its rest unused and maps another.
    std::vector<void*> blocks;
    for (std::size_t k = 0; k < explore::PagePool::region / (huge / 2); ++k) blocks.push_back(pool.take(huge / 2));
    CHECK(pool.mapped() == 2 * explore::PagePool::region);
    for (void* p : blocks) pool.give(p, huge / 2);
    pool.give(b, 64);
    pool.give(c, 128);
    pool.give(d, 256);
    CHECK(budget.used() == 32 * (huge / 2) + 64 + 128 + 256);
}

TEST_CASE("a fresh store holds only its first hash table") {
    // 256 slots of 8 bytes, no chunk yet.
    StateStore store(16);
    CHECK(store.memory_bytes() == 256 * 8);
}

TEST_CASE("a memory budget refuses the growth that would pass it and leaves the store as it was") {
    // 4-byte states, budget 4000 bytes: the first table (2048) is counted; the first chunk
    // (1024 * 4 + 8 = 4104) does not fit: the very first insert is refused.
    {
        explore::MemoryBudget budget(4000);
        StateStore store(4, &budget);
        const auto s = state_of(1);
        const auto r = store.insert(s.data(), support::hash_bytes(s.data(), 4));
        CHECK(r.refused);
        CHECK_FALSE(r.fresh);
        CHECK(store.size() == 0);
        CHECK(budget.used() == 2048);
    }
    // Budget 2048 + 4104 + 4096 = 10248: the first chunk fits; the table grows from 256 to 512
    // slots before the 192nd insert (192 * 4 >= 256 * 3), which needs 4096 more bytes while
    // the old table is still held: that fits exactly. The next growth (at 384 states) needs
    // 8192: refused, and the 384th state is not stored.
    explore::MemoryBudget budget(10248);
    StateStore store(4, &budget);
    std::uint32_t stored = 0;
    for (std::uint32_t i = 0; i < 1000; ++i) {
        const auto s = state_of(i * 2654435761U);
        const auto r = store.insert(s.data(), support::hash_bytes(s.data(), 4));
        if (r.refused) break;
        ++stored;
    }
    CHECK(stored == 383);
    CHECK(store.size() == 383);
    // The old table went back to the store's page pool, which keeps it for reuse: still charged.
    CHECK(budget.used() == 2048 + 4104 + 4096);
    CHECK(budget.refused());
}

TEST_CASE("a cleared chunked vector keeps its chunks and fills again from index 0") {
    explore::MemoryBudget budget(0);
    explore::ChunkedVector v;
    for (std::uint32_t i = 0; i < 5000; ++i) REQUIRE(v.push_back(i * 3, &budget));
    // Chunks of 1K, 2K and 4K elements: 7K in all, 4 bytes each.
    CHECK(v.memory_bytes() == 7 * 1024 * 4);
    CHECK(budget.used() == 7 * 1024 * 4);
    v.clear();
    CHECK(v.size() == 0);
    CHECK(v.memory_bytes() == 7 * 1024 * 4);
    for (std::uint32_t i = 0; i < 3000; ++i) REQUIRE(v.push_back(i + 1, &budget));
    CHECK(v.size() == 3000);
    CHECK(v[0] == 1);
    CHECK(v[2999] == 3000);
    CHECK(budget.used() == 7 * 1024 * 4);
}

}  // TEST_SUITE
