// SPDX-License-Identifier: MIT
/// @file Exact storage of packed states: an arena of fixed-size states in discovery order and
/// an open-addressing hash table of 32-bit tags and 32-bit indices. No compaction: two states
/// are the same only if their bytes are.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace iomc::explore {

/// Not thread-safe. Indices are dense, in insertion order, and never change.
class StateStore {
public:
    explicit StateStore(std::size_t state_bytes);

    /// Inserts `s` (state_bytes bytes, followed by 8 readable bytes) unless present.
    /// Returns its index and whether it was new.
    std::pair<std::uint32_t, bool> insert(const std::uint8_t* s);

    /// The index of `s` if it is stored (same buffer requirements as insert).
    [[nodiscard]] std::optional<std::uint32_t> find(const std::uint8_t* s) const;
    /// True if `s` is stored.
    [[nodiscard]] bool contains(const std::uint8_t* s) const { return find(s).has_value(); }

    /// The stored state `i`; valid while the store lives (chunks never move). Followed by 8
    /// readable bytes, as the packed accessors need.
    [[nodiscard]] const std::uint8_t* get(std::uint32_t i) const {
        return chunks_[i >> chunk_shift].get() + static_cast<std::size_t>(i & chunk_mask) * bytes_;
    }
    [[nodiscard]] std::uint32_t size() const { return count_; }
    /// Bytes held: state arena plus hash table.
    [[nodiscard]] std::size_t memory_bytes() const;
    /// Upper bound on the number of states (indices are 32-bit).
    static constexpr std::uint64_t max_states = 0xFFFFFFF0ULL;

private:
    static constexpr std::uint32_t chunk_shift = 16;
    static constexpr std::uint32_t chunk_mask = (1U << chunk_shift) - 1;
    void grow();
    std::size_t bytes_;
    std::uint32_t count_ = 0;
    std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
    std::vector<std::uint64_t> table_;  ///< 0 = empty; else tag << 32 | (index + 1)
    std::size_t mask_ = 0;
};

}  // namespace iomc::explore
