// SPDX-License-Identifier: MIT
/// @file The store of the breadth-first search, for one thread or many: states are split over
/// 2^shard_bits StateStores by hash, each behind its own mutex (none with one thread), with a
/// parent link per state. A reference packs the shard into its low bits. Levels are marked:
/// the cycle proviso asks whether a state was stored before the current level started.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "checker/explore/chunked.hpp"
#include "checker/explore/memory_budget.hpp"
#include "checker/explore/state_store.hpp"

namespace iomc::explore {

class ShardedStore {
public:
    using Ref = std::uint32_t;
    static constexpr Ref none = UINT32_MAX;

    /// `locking`: insert and find take the shard's mutex (more than one thread). `max_states`:
    /// 0 for no limit; an insert past it is refused as over the limit.
    ShardedStore(std::size_t state_bytes, unsigned shard_bits, bool locking, MemoryBudget& budget,
                 std::uint64_t max_states);

    struct Insert {
        Ref ref = none;
        bool fresh = false;
        bool refused = false;     ///< new, but the memory budget refused it
        bool over_limit = false;  ///< new, but the state limit is reached
        bool full = false;        ///< new, but the shard has no index left
    };
    /// Stores `s` with its parent unless present. Thread-safe.
    Insert insert(const std::uint8_t* s, Ref parent);
    /// The reference of `s` if stored. Thread-safe.
    [[nodiscard]] std::optional<Ref> find(const std::uint8_t* s) const;
    /// A stored state; `r` must come from a finished level or from this thread's own insert.
    [[nodiscard]] const std::uint8_t* get(Ref r) const { return shards_[r & mask_]->store.get(r >> bits_); }
    [[nodiscard]] Ref parent(Ref r) const { return shards_[r & mask_]->parents[r >> bits_]; }
    [[nodiscard]] std::uint64_t size() const { return count_.load(std::memory_order_relaxed); }
    /// Starts a new level: every state stored so far is of an earlier one. Not thread-safe.
    void mark_level();
    /// True when `r` was stored before the last mark_level().
    [[nodiscard]] bool earlier_level(Ref r) const { return (r >> bits_) < shards_[r & mask_]->level_start; }

private:
    struct Shard {
        Shard(std::size_t bytes, MemoryBudget* budget, std::uint64_t capacity)
            : store(bytes, budget, capacity), parents(capacity) {}
        mutable std::mutex lock;
        StateStore store;
        ChunkedVector parents;
        std::uint32_t level_start = 0;
    };
    std::size_t bytes_;
    unsigned bits_;
    std::uint32_t mask_;
    bool locking_;
    MemoryBudget& budget_;
    std::uint64_t max_states_;
    std::uint64_t shard_capacity_;
    std::atomic<std::uint64_t> count_{0};
    std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace iomc::explore
