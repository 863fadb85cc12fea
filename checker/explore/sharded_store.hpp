// SPDX-License-Identifier: MIT
/// @file The store of the breadth-first search, for one thread or many: states are split over
/// 2^shard_bits StateStores by hash, with a parent link per state. A reference packs the shard
/// into its low bits. There are no locks: in a level's store phase the parallel search gives
/// each shard to one thread that alone inserts into it, while no thread looks states up
/// (checker/explore/bfs.cpp). Levels are marked: the stored cycle proviso asks whether a state
/// was stored before the current level started.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "checker/explore/chunked.hpp"
#include "checker/explore/memory_budget.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/support/hash.hpp"

namespace iomc::explore {

class ShardedStore {
public:
    using Ref = std::uint32_t;
    static constexpr Ref none = UINT32_MAX;

    /// `max_states`: 0 for no limit; an insert past it is refused as over the limit.
    ShardedStore(std::size_t state_bytes, unsigned shard_bits, MemoryBudget& budget, std::uint64_t max_states);

    struct Insert {
        Ref ref = none;
        bool fresh = false;
        bool refused = false;     ///< new, but the memory budget refused it
        bool over_limit = false;  ///< new, but the state limit is reached
        bool full = false;        ///< new, but the shard has no index left
    };
    /// The hash insert() and find() use, and the shard it selects. They read only its lowest
    /// shard_bits (the shard) and its upper 32 bits (StateStore's tag and first slot): any hash
    /// that agrees with hash(s) there will do.
    [[nodiscard]] std::uint64_t hash(const std::uint8_t* s) const { return support::hash_bytes(s, bytes_); }
    [[nodiscard]] unsigned shard_of(std::uint64_t h) const { return static_cast<unsigned>(h) & mask_; }
    [[nodiscard]] unsigned shards() const { return mask_ + 1; }
    /// Stores `s` (followed by 8 readable bytes) with its parent unless present; `h` is hash(s).
    /// Safe while other threads insert into other shards, or read stored states and parents.
    Insert insert(const std::uint8_t* s, std::uint64_t h, Ref parent);
    Insert insert(const std::uint8_t* s, Ref parent) { return insert(s, hash(s), parent); }
    /// StateStore::prefetch in the shard of hash `h`.
    void prefetch(std::uint64_t h) const { shards_[shard_of(h)]->store.prefetch(h); }
    /// The reference of `s` if stored. Safe while no thread inserts into its shard.
    [[nodiscard]] std::optional<Ref> find(const std::uint8_t* s, std::uint64_t h) const;
    [[nodiscard]] std::optional<Ref> find(const std::uint8_t* s) const { return find(s, hash(s)); }
    /// A stored state; `r` must come from a finished level or from this thread's own insert.
    [[nodiscard]] const std::uint8_t* get(Ref r) const { return shards_[r & mask_]->store.get(r >> bits_); }
    [[nodiscard]] Ref parent(Ref r) const { return shards_[r & mask_]->parents[r >> bits_]; }
    /// States stored; safe from any thread (exact between levels).
    [[nodiscard]] std::uint64_t size() const;
    /// Starts a new level: every state stored so far is of an earlier one. Not thread-safe.
    void mark_level();
    /// True when `r` was stored before the last mark_level().
    [[nodiscard]] bool earlier_level(Ref r) const { return (r >> bits_) < shards_[r & mask_]->level_start; }

private:
    /// Aligned to a cache line: two threads storing into neighbouring shards write their counts.
    struct alignas(64) Shard {
        Shard(std::size_t bytes, MemoryBudget* budget, std::uint64_t capacity, PagePool* pool)
            : store(bytes, budget, capacity, pool), parents(capacity) {}
        StateStore store;
        ChunkedVector parents;
        std::uint32_t level_start = 0;
        std::atomic<std::uint32_t> count{0};  ///< store.size(), for readers on other threads
    };
    std::size_t bytes_;
    unsigned bits_;
    std::uint32_t mask_;
    MemoryBudget& budget_;
    std::uint64_t max_states_;
    std::uint64_t shard_capacity_;
    std::atomic<std::uint64_t> reserved_{0};  ///< with a state limit only: states stored or reserved
    PagePool pool_;  ///< the shards' tables and chunks, reused from one shard to another; charged to budget_
    std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace iomc::explore
