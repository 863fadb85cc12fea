// SPDX-License-Identifier: MIT
/// @file The successors one thread of the parallel breadth-first search found for one shard
/// of the store during a level: records of (the hash's upper half, parent reference, state
/// bytes) in blocks that are kept from level to level. The store looks a state up by its hash's
/// upper half and picks the shard by its lowest bits, which the box's shard says (a record of
/// 8 bytes less than with the whole hash: the boxes are written and read once each per level,
/// and this workload is bound by memory). Every block is reserved in the search's MemoryBudget
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
          record_((header + state_bytes + 3) / 4 * 4),
          per_block_(std::max<std::size_t>(1, block_bytes / record_)),
          budget_(budget) {}
    ~Outbox() { budget_.release(blocks_.size() * alloc_bytes()); }
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    /// Appends a record of the upper half of `hash`; false (nothing appended) when the budget
    /// refuses a new block.
    bool push(std::uint64_t hash, std::uint32_t parent, const std::uint8_t* s) {
        if (cur_ == end_ && !next_block()) return false;
        std::uint8_t* p = cur_;
        const auto high = static_cast<std::uint32_t>(hash >> 32);
        std::memcpy(p, &high, 4);
        std::memcpy(p + 4, &parent, 4);
        std::memcpy(p + header, s, bytes_);
        cur_ += record_;
        // Fetch the line two ahead for writing now: a store that misses holds up every later
        // store of this thread (x86 commits them in order) until its line arrives, and the
        // boxes of a level are too large to stay in cache until the next (bench/README.md).
        if (end_ - cur_ > 128) __builtin_prefetch(cur_ + 128, 1);
        ++size_;
        return true;
    }
    [[nodiscard]] std::size_t size() const { return size_; }
    /// Record i: its hash's upper half (the lower half zero), its parent, and its state (followed
    /// by 8 readable bytes).
    [[nodiscard]] std::uint64_t hash(std::size_t i) const { return hash_at(at(i)); }
    [[nodiscard]] std::uint32_t parent(std::size_t i) const { return parent_at(at(i)); }
    [[nodiscard]] const std::uint8_t* state(std::size_t i) const { return at(i) + header; }
    /// Calls f(hash, parent, state) for each record in order until it returns false (then
    /// returns false), and before each, ahead(hash) with the hash of the record `distance`
    /// later, where there is one: the caller fetches where that one goes.
    template <class F, class Ahead>
    bool for_each(std::size_t distance, F&& f, Ahead&& ahead) const {
        Cursor lead(*this), here(*this);
        for (std::size_t i = 0; i < distance && i < size_; ++i) lead.next();
        for (std::size_t i = 0; i < size_; ++i) {
            if (i + distance < size_) {
                ahead(hash_at(lead.p));
                lead.next();
            }
            if (!f(hash_at(here.p), parent_at(here.p), here.p + header)) return false;
            here.next();
        }
        return true;
    }
    /// Empties the box for the next level; the blocks stay allocated.
    void clear() {
        size_ = 0;
        cur_ = end_ = nullptr;
    }

private:
    static constexpr std::size_t header = 8;
    /// Small enough for a box per thread and shard (16 threads x 64 shards: 64 MiB).
    static constexpr std::size_t block_bytes = std::size_t{1} << 16;
    [[nodiscard]] std::size_t alloc_bytes() const { return per_block_ * record_ + 8; }
    [[nodiscard]] const std::uint8_t* at(std::size_t i) const { return blocks_[i / per_block_].get() + (i % per_block_) * record_; }
    static std::uint64_t hash_at(const std::uint8_t* p) {
        std::uint32_t high;
        std::memcpy(&high, p, 4);
        return std::uint64_t{high} << 32;
    }
    static std::uint32_t parent_at(const std::uint8_t* p) {
        std::uint32_t r;
        std::memcpy(&r, p + 4, 4);
        return r;
    }
    /// Makes the block that record size_ goes in the one push() writes, allocating it if new.
    bool next_block() {
        const std::size_t b = size_ / per_block_;
        if (b == blocks_.size()) {
            if (!budget_.reserve(alloc_bytes())) return false;
            // 8 bytes of slack after the last record: the store reads whole words.
            blocks_.push_back(std::make_unique<std::uint8_t[]>(alloc_bytes()));
        }
        cur_ = blocks_[b].get();
        end_ = cur_ + per_block_ * record_;
        return true;
    }
    /// Reads the records in order, a block at a time.
    struct Cursor {
        explicit Cursor(const Outbox& of) : box(of) {
            if (!of.blocks_.empty()) set(0);
        }
        void next() {
            p += box.record_;
            if (p == end && block + 1 < box.blocks_.size()) set(block + 1);
        }
        void set(std::size_t b) {
            block = b;
            p = box.blocks_[b].get();
            end = p + box.per_block_ * box.record_;
        }
        const Outbox& box;
        std::size_t block = 0;
        const std::uint8_t* p = nullptr;
        const std::uint8_t* end = nullptr;
    };

    std::size_t bytes_, record_, per_block_;
    MemoryBudget& budget_;
    std::vector<std::unique_ptr<std::uint8_t[]>> blocks_;
    std::size_t size_ = 0;
    std::uint8_t* cur_ = nullptr;  ///< where push() writes next; == end_: in no block yet
    std::uint8_t* end_ = nullptr;  ///< the end of the records of cur_'s block
};

}  // namespace iomc::explore
