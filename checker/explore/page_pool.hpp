// SPDX-License-Identifier: MIT
/// @file Zeroed memory for the state tables, on transparent huge pages where the kernel offers
/// them, and kept for reuse within a search. An open-addressing table is read at random: with
/// 4 KiB pages nearly every lookup also misses the TLB (a page walk, nested on a virtual
/// machine). Blocks of 2 MiB and more get a mapping of their own, 2 MiB-aligned and advised
/// MADV_HUGEPAGE (Debian's default THP mode is "madvise"; the part past the last whole 2 MiB
/// stays on small pages), returned to the system when freed.
/// Smaller blocks are cut from 32 MiB regions mapped the same way, and a freed one is kept for
/// the next request of its size. That serves the parallel search, whose store is 64 shards of
/// small tables and chunks (checker/explore/sharded_store.hpp): from malloc they sat on 4 KiB
/// pages, and glibc gave the memory of a shard's outgrown table back to the system, so that the
/// next shard's growth faulted it in again page by page (19.5 k minor faults against 4.9 k on
/// one thread, bench/README.md). Fresh mappings are zero already and are not cleared again; a
/// reused block is. A small block given back is still memory the process holds: it stays
/// charged to the search's MemoryBudget until it is taken again (the store charges blocks it
/// takes itself). Thread-safe: take() and give() lock (a store calls them once per new chunk or
/// table, a few thousand times a search).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checker/explore/memory_budget.hpp"

namespace iomc::explore {

class PagePool {
public:
    static constexpr std::size_t huge = std::size_t{2} << 20;
    static constexpr std::size_t region = std::size_t{32} << 20;

    /// `budget` (optional, outlives the pool) is charged the small blocks given back and kept.
    explicit PagePool(MemoryBudget* budget = nullptr) : budget_(budget) {}
    ~PagePool();
    PagePool(const PagePool&) = delete;
    PagePool& operator=(const PagePool&) = delete;

    /// `bytes` zeroed bytes, 64-byte aligned (2 MiB-aligned from 2 MiB up). Throws
    /// std::bad_alloc when the system refuses a mapping.
    void* take(std::size_t bytes);
    /// Gives back a block take(bytes) returned, with the same `bytes`.
    void give(void* p, std::size_t bytes);
    /// Bytes mapped now: regions and blocks of their own (for tests).
    [[nodiscard]] std::size_t mapped() const;

private:
    static std::size_t rounded(std::size_t bytes) { return (bytes + 63) / 64 * 64; }

    MemoryBudget* budget_;
    std::size_t kept_ = 0;  ///< bytes of the blocks in free_
    mutable std::mutex lock_;
    std::vector<std::pair<void*, std::size_t>> regions_;
    std::size_t own_ = 0;  ///< bytes of the blocks with a mapping of their own
    std::uint8_t* next_ = nullptr;  ///< the unused rest of the last region
    std::size_t left_ = 0;
    std::unordered_map<std::size_t, std::vector<void*>> free_;  ///< by rounded size
};

/// A deleter that gives a block back to its pool.
struct GiveBack {
    PagePool* pool = nullptr;
    std::size_t bytes = 0;
    void operator()(void* p) const {
        if (p) pool->give(p, bytes);
    }
};
template <class T>
using Zeroed = std::unique_ptr<T[], GiveBack>;

/// n zeroed elements of T (a trivial type) from `pool`.
template <class T>
Zeroed<T> zeroed(PagePool& pool, std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    return Zeroed<T>(static_cast<T*>(pool.take(bytes)), GiveBack{&pool, bytes});
}

}  // namespace iomc::explore
