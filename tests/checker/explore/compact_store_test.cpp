// SPDX-License-Identifier: MIT
// Unit tests of checker/explore/compact_store: lossless tree compression and hash compaction,
// slots that move when the table grows (and the parents and references that follow them), and
// the widths of the packed fields.
#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <map>

#include "checker/explore/compact_store.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using explore::CompactStore;
using explore::StorageKind;

namespace {

/// A state of `n` bytes (plus slack) whose first 8 bytes are `v`.
std::vector<std::uint8_t> state_of(std::uint64_t v, std::size_t n) {
    std::vector<std::uint8_t> s(n + 8, 0);
    std::memcpy(s.data(), &v, std::min<std::size_t>(8, n));
    if (n > 8) s[n - 1] = static_cast<std::uint8_t>(v * 7);  // a last word that varies too
    return s;
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("compact storage keeps every state exactly and follows slots when the table grows") {
    // 4-byte states (the code is the state) and 20-byte states (a tree of 5 words). 5000
    // states grow the table from 1031 slots several times (by a fifth at 85 %): every growth
    // moves every slot; the refs kept here are mapped through on_move, and each state's parent
    // (the previous state) must still be the previous state's ref.
    for (const std::size_t bytes : {std::size_t{4}, std::size_t{20}}) {
        CAPTURE(bytes);
        explore::MemoryBudget budget;
        CompactStore store(bytes, StorageKind::compact, budget, 0);
        std::vector<CompactStore::Ref> refs;
        int moves = 0;
        store.on_move = [&](const std::vector<CompactStore::Ref>& map) {
            ++moves;
            for (auto& r : refs) r = map[r];
        };
        for (std::uint64_t i = 0; i < 5000; ++i) {
            const auto s = state_of(i * 2654435761ULL, bytes);
            const auto ins = store.insert(s.data(), refs.empty() ? CompactStore::none : refs.back());
            REQUIRE(ins.fresh);
            refs.push_back(ins.ref);
        }
        CHECK(moves >= 5);
        CHECK(store.size() == 5000);
        std::uint64_t wrong = 0;
        for (std::uint64_t i = 0; i < 5000; ++i) {
            const auto s = state_of(i * 2654435761ULL, bytes);
            const auto again = store.insert(s.data(), CompactStore::none);
            if (again.fresh || again.ref != refs[i]) ++wrong;
            if (std::memcmp(store.get(refs[i]), s.data(), bytes) != 0) ++wrong;
            if (store.parent(refs[i]) != (i == 0 ? CompactStore::none : refs[i - 1])) ++wrong;
            if (store.find(s.data()) != refs[i]) ++wrong;
        }
        CHECK(wrong == 0);
        const auto absent = state_of(12345, bytes);
        CHECK_FALSE(store.find(absent.data()).has_value());
    }
}

TEST_CASE("the level bit tells states of the current level from earlier ones") {
    explore::MemoryBudget budget;
    CompactStore store(4, StorageKind::compact, budget, 0);
    const auto a = state_of(1, 4), b = state_of(2, 4);
    const auto ra = store.insert(a.data(), CompactStore::none).ref;
    CHECK_FALSE(store.earlier_level(ra));  // stored during the current level
    std::vector<CompactStore::Ref> level{ra};
    store.mark_level(level);
    store.level_marked();
    CHECK(store.earlier_level(ra));
    const auto rb = store.insert(b.data(), ra).ref;
    CHECK_FALSE(store.earlier_level(rb));
}

TEST_CASE("a tree child table that outgrows its id width repacks the slots wider") {
    // 12-byte states: 3 words; the root's children are the pair (words 0-1, an id) and word 2.
    // 300 distinct first halves need ids past the first 8 bits: the slots are repacked, and
    // every state is still found at its ref.
    explore::MemoryBudget budget;
    CompactStore store(12, StorageKind::compact, budget, 0);
    std::vector<CompactStore::Ref> refs;
    for (std::uint64_t i = 0; i < 300; ++i) {
        const auto s = state_of(i * 0x100000001ULL, 12);
        refs.push_back(store.insert(s.data(), CompactStore::none).ref);
    }
    for (std::uint64_t i = 0; i < 300; ++i) {
        const auto s = state_of(i * 0x100000001ULL, 12);
        CHECK(store.find(s.data()) == refs[i]);
        CHECK(std::memcmp(store.get(refs[i]), s.data(), 12) == 0);
    }
}

TEST_CASE("hash compaction stores fingerprints and keeps the states of two levels") {
    explore::MemoryBudget budget;
    CompactStore store(16, StorageKind::hash, budget, 0);
    const auto a = state_of(10, 16), b = state_of(20, 16);
    const auto ra = store.insert(a.data(), CompactStore::none).ref;
    std::vector<CompactStore::Ref> level{ra};
    store.mark_level(level);
    store.level_marked();
    const auto rb = store.insert(b.data(), ra).ref;
    // Both levels' states are kept in full; the fingerprint is what the table holds.
    CHECK(std::memcmp(store.get(ra), a.data(), 16) == 0);
    CHECK(std::memcmp(store.get(rb), b.data(), 16) == 0);
    CHECK(store.stored_fingerprint(rb) == store.fingerprint_of(b.data()));
    // n = 2 states: n(n-1)/2^65.
    CHECK(store.omission_probability() == doctest::Approx(2.0 / 36893488147419103232.0));
}

TEST_CASE("compact and hash storage give the exact search's verdicts and counts") {
    // The locks-like model: 3 workers, their counters, two locks.
    const auto ts = testing::compile(R"(
        var m1: mutex;  var m2: mutex;  var total: 0..3;
        process w(i: 0..2) { var mine: 0..3; lock(m1); mine += 1; lock(m2); total = (total + 1) % 4; unlock(m2); unlock(m1); }
        invariant bounded: total < 4;)");
    const auto exact = explore::check(*ts, {.stop_at_first = false});
    for (const auto kind : {StorageKind::compact, StorageKind::hash}) {
        CAPTURE(explore::to_string(kind));
        const auto r = explore::check(*ts, {.stop_at_first = false, .storage = kind});
        CHECK(r.verdict == exact.verdict);
        CHECK(r.stats.states == exact.stats.states);
        CHECK(r.stats.transitions == exact.stats.transitions);
        CHECK(r.stats.storage == kind);
    }
}

}  // TEST_SUITE
