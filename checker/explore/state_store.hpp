// SPDX-License-Identifier: MIT
/// @file Exact storage of packed states: an arena of fixed-size states in discovery order (in
/// chunks that never move, checker/explore/chunked.hpp) and an open-addressing hash table of
/// 32-bit tags and 32-bit indices. No compaction: two states are the same only if their bytes
/// are. With a MemoryBudget, every allocation is reserved first, and an insert that would need
/// memory past the budget is refused.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "checker/explore/chunked.hpp"
#include "checker/explore/memory_budget.hpp"
#include "checker/explore/page_pool.hpp"
#include "checker/support/hash.hpp"

namespace iomc::explore {

/// Not thread-safe, except that get() of a published index may run while another thread
/// inserts. Indices are dense, in insertion order, and never change.
class StateStore {
public:
    /// `budget` (optional, outlives the store) accounts for and may refuse its allocations;
    /// `capacity` bounds the number of states (it sizes the table of arena chunks); `pool`
    /// (optional, outlives the store; else the store has its own) gives its table and chunks.
    explicit StateStore(std::size_t state_bytes, MemoryBudget* budget = nullptr, std::uint64_t capacity = max_states,
                        PagePool* pool = nullptr);
    ~StateStore();
    StateStore(const StateStore&) = delete;
    StateStore& operator=(const StateStore&) = delete;

    struct Insert {
        std::uint32_t index = 0;
        bool fresh = false;     ///< the state was not stored before
        bool refused = false;   ///< it was new, but storing it would pass the memory budget
    };
    /// Inserts `s` (state_bytes bytes, followed by 8 readable bytes) unless present; `hash` is
    /// support::hash_bytes(s, state_bytes).
    Insert insert(const std::uint8_t* s, std::uint64_t hash);
    /// The same, hashing `s` itself; never refused without a budget.
    std::pair<std::uint32_t, bool> insert(const std::uint8_t* s);

    /// The hash insert() and find() take: support::hash_bytes(s, state_bytes). They, and
    /// prefetch(), read only its upper 32 bits.
    [[nodiscard]] std::uint64_t hash(const std::uint8_t* s) const { return support::hash_bytes(s, bytes_); }

    /// Asks the CPU to fetch the table slot where a state of this hash is looked up first.
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(&table_[static_cast<std::uint32_t>(hash >> 32) & mask_]); }

    /// The index of `s` if it is stored (same buffer requirements as insert).
    [[nodiscard]] std::optional<std::uint32_t> find(const std::uint8_t* s, std::uint64_t hash) const;
    [[nodiscard]] std::optional<std::uint32_t> find(const std::uint8_t* s) const;
    /// True if `s` is stored.
    [[nodiscard]] bool contains(const std::uint8_t* s) const { return find(s).has_value(); }

    /// The stored state `i`; valid while the store lives (chunks never move). Followed by 8
    /// readable bytes, as the packed accessors need.
    [[nodiscard]] const std::uint8_t* get(std::uint32_t i) const {
        return chunks_[ChunkLayout::chunk(i)].get() + static_cast<std::size_t>(ChunkLayout::offset(i)) * bytes_;
    }
    [[nodiscard]] std::uint32_t size() const { return count_; }
    /// Bytes held: state arena plus hash table.
    [[nodiscard]] std::size_t memory_bytes() const { return arena_bytes_ + slots_ * sizeof(std::uint64_t); }
    /// Upper bound on the number of states (indices are 32-bit).
    static constexpr std::uint64_t max_states = 0xFFFFFFF0ULL;
    /// Slots of a fresh table.
    static constexpr std::size_t initial_slots = 256;

private:
    bool grow();
    std::size_t bytes_;
    MemoryBudget* budget_;
    std::uint64_t capacity_;
    std::uint32_t count_ = 0;
    std::uint64_t arena_bytes_ = 0;
    std::unique_ptr<PagePool> own_pool_;  ///< without a pool given
    PagePool& pool_;
    std::unique_ptr<Zeroed<std::uint8_t>[]> chunks_;  ///< fixed size: never moves
    Zeroed<std::uint64_t> table_;  ///< 0 = empty; else tag << 32 | (index + 1)
    std::size_t slots_ = 0;
    std::size_t mask_ = 0;
};

}  // namespace iomc::explore
