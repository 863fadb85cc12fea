// SPDX-License-Identifier: MIT
/// @file Growable arrays in chunks that never move: small chunks first (so that many small
/// stores, as the sharded store has, cost little), then 64 K entries each. No 2x slack and no
/// copying on growth; an element's address stays valid for the container's life.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>

#include "checker/explore/memory_budget.hpp"

namespace iomc::explore {

/// Where element i lives: chunk k holds 1024 << k elements for k < 6, then 65536 each.
struct ChunkLayout {
    static constexpr std::uint32_t first = 1024;
    static constexpr std::uint32_t small_chunks = 6;                 ///< 1K, 2K, ... 32K
    static constexpr std::uint32_t small_total = first * ((1U << small_chunks) - 1);  ///< 64,512
    static constexpr std::uint32_t big = 65536;
    static std::uint32_t chunk(std::uint32_t i) {
        if (i < small_total) return static_cast<std::uint32_t>(std::bit_width((i / first) + 1)) - 1;
        return small_chunks + (i - small_total) / big;
    }
    static std::uint32_t offset(std::uint32_t i) {
        if (i < small_total) return i - first * ((1U << chunk(i)) - 1);
        return (i - small_total) % big;
    }
    static std::uint32_t size(std::uint32_t k) { return k < small_chunks ? first << k : big; }
};

/// A growable array of uint32_t for at most `capacity` elements. Appending is not
/// thread-safe; reading an element is safe while another thread appends (the chunk table is
/// allocated up front and never moves), once the element's write is published. Aligned to a
/// cache line: the parallel search gives each thread its own, and one thread's appends must not
/// write a line another thread's vector shares.
class alignas(64) ChunkedVector {
public:
    explicit ChunkedVector(std::uint64_t capacity = std::uint64_t{1} << 32)
        : chunks_(new std::unique_ptr<std::uint32_t[]>[ChunkLayout::chunk(static_cast<std::uint32_t>(capacity - 1)) + 1]) {}
    ~ChunkedVector() {
        if (budget_) budget_->release(bytes_);
    }
    ChunkedVector(const ChunkedVector&) = delete;
    ChunkedVector& operator=(const ChunkedVector&) = delete;

    /// Appends v; false (nothing appended) when `budget` refuses a new chunk. The budget is
    /// released when the vector dies, so it must outlive it.
    bool push_back(std::uint32_t v, MemoryBudget* budget = nullptr) {
        const auto k = ChunkLayout::chunk(size_);
        if (!chunks_[k]) {
            const std::uint64_t bytes = std::uint64_t{ChunkLayout::size(k)} * 4;
            if (budget && !budget->reserve(bytes)) return false;
            if (budget) budget_ = budget;
            // Not zeroed: an element is written before size_ covers it.
            chunks_[k] = std::make_unique_for_overwrite<std::uint32_t[]>(ChunkLayout::size(k));
            bytes_ += bytes;
        }
        chunks_[k][ChunkLayout::offset(size_)] = v;
        ++size_;
        return true;
    }
    std::uint32_t operator[](std::uint32_t i) const { return chunks_[ChunkLayout::chunk(i)][ChunkLayout::offset(i)]; }
    void set(std::uint32_t i, std::uint32_t v) { chunks_[ChunkLayout::chunk(i)][ChunkLayout::offset(i)] = v; }
    [[nodiscard]] std::uint32_t size() const { return size_; }
    [[nodiscard]] std::uint64_t memory_bytes() const { return bytes_; }
    /// Empties the vector; its chunks stay allocated (and counted) for the next appends.
    void clear() { size_ = 0; }

private:
    std::unique_ptr<std::unique_ptr<std::uint32_t[]>[]> chunks_;
    std::uint32_t size_ = 0;
    std::uint64_t bytes_ = 0;
    MemoryBudget* budget_ = nullptr;
};

}  // namespace iomc::explore
