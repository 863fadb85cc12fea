// SPDX-License-Identifier: MIT
/// @file The successors one thread of the parallel breadth-first search found for one shard
/// of the store during a level: records of (hash, parent reference, state bytes) in blocks
/// that are kept from level to level. Every block is reserved in the search's MemoryBudget
/// first. Not thread-safe: one writer, then (after the level's expansion has ended) one reader.
/// Aligned to a cache line, so that two threads' boxes never share one.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "checker/explore/memory_budget.hpp"

namespace iomc::explore {

class alignas(64) Outbox {
public:
    Outbox(std::size_t state_bytes, MemoryBudget& budget)
        : bytes_(state_bytes),
          record_((header + state_bytes + 7) / 8 * 8),
          per_block_(std::max<std::size_t>(1, block_bytes / record_)),
          budget_(budget) {}
    ~Outbox() { budget_.release(blocks_.size() * alloc_bytes()); }
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    /// Appends a record; false (nothing appended) when the budget refuses a new block.
    bool push(std::uint64_t hash, std::uint32_t parent, const std::uint8_t* s) {
        const std::size_t b = size_ / per_block_;
        if (b == blocks_.size()) {
            if (!budget_.reserve(alloc_bytes())) return false;
            // 8 bytes of slack after the last record: the store reads whole words.
            blocks_.push_back(std::make_unique<std::uint8_t[]>(alloc_bytes()));
        }
        std::uint8_t* p = blocks_[b].get() + (size_ % per_block_) * record_;
        std::memcpy(p, &hash, 8);
        std::memcpy(p + 8, &parent, 4);
        std::memcpy(p + header, s, bytes_);
        ++size_;
        return true;
    }
    [[nodiscard]] std::size_t size() const { return size_; }
    /// Record i: its hash, its parent, and its state (followed by 8 readable bytes).
    [[nodiscard]] std::uint64_t hash(std::size_t i) const {
        std::uint64_t h;
        std::memcpy(&h, at(i), 8);
        return h;
    }
    [[nodiscard]] std::uint32_t parent(std::size_t i) const {
        std::uint32_t r;
        std::memcpy(&r, at(i) + 8, 4);
        return r;
    }
    [[nodiscard]] const std::uint8_t* state(std::size_t i) const { return at(i) + header; }
    /// Empties the box for the next level; the blocks stay allocated.
    void clear() { size_ = 0; }

private:
    static constexpr std::size_t header = 16;
    /// Small enough for a box per thread and shard (16 threads x 64 shards: 64 MiB).
    static constexpr std::size_t block_bytes = std::size_t{1} << 16;
    [[nodiscard]] std::size_t alloc_bytes() const { return per_block_ * record_ + 8; }
    [[nodiscard]] const std::uint8_t* at(std::size_t i) const { return blocks_[i / per_block_].get() + (i % per_block_) * record_; }

    std::size_t bytes_, record_, per_block_;
    MemoryBudget& budget_;
    std::vector<std::unique_ptr<std::uint8_t[]>> blocks_;
    std::size_t size_ = 0;
};

}  // namespace iomc::explore
