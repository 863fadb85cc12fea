// SPDX-License-Identifier: MIT
#include "checker/explore/page_pool.hpp"

#include <sys/mman.h>

#include <cstring>
#include <new>

namespace iomc::explore {

namespace {

/// A private anonymous mapping of `bytes` (a multiple of 4 KiB), 2 MiB-aligned, advised
/// MADV_HUGEPAGE: a larger one is mapped and the ends that do not fit are unmapped. The kernel
/// backs with a huge page only a 2 MiB extent the mapping covers whole, so the tail of a block
/// past its last 2 MiB boundary stays on small pages, touched only as far as it is used.
void* map_huge(std::size_t bytes) {
    const std::size_t over = bytes + PagePool::huge;
    void* p = mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t aligned = (at + PagePool::huge - 1) & ~std::uintptr_t{PagePool::huge - 1};
    if (aligned > at) munmap(p, aligned - at);
    if (const std::uintptr_t tail = at + over - (aligned + bytes); tail > 0)
        munmap(reinterpret_cast<void*>(aligned + bytes), tail);
    void* q = reinterpret_cast<void*>(aligned);
    madvise(q, bytes, MADV_HUGEPAGE);
    return q;
}

std::size_t page_multiple(std::size_t bytes) { return (bytes + 4095) / 4096 * 4096; }

}  // namespace

PagePool::~PagePool() {
    if (budget_) budget_->release(kept_);
    for (const auto& [p, bytes] : regions_) munmap(p, bytes);
}

void* PagePool::take(std::size_t bytes) {
    bytes = rounded(bytes > 0 ? bytes : 1);
    if (bytes >= huge) {
        void* p = map_huge(page_multiple(bytes));
        const std::lock_guard hold(lock_);
        own_ += page_multiple(bytes);
        return p;
    }
    const std::lock_guard hold(lock_);
    if (auto it = free_.find(bytes); it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        kept_ -= bytes;
        if (budget_) budget_->release(bytes);
        std::memset(p, 0, bytes);
        return p;
    }
    if (left_ < bytes) {
        // The rest of the last region (less than one block) stays unused.
        next_ = static_cast<std::uint8_t*>(map_huge(region));
        regions_.emplace_back(next_, region);
        left_ = region;
    }
    void* p = next_;
    next_ += bytes;
    left_ -= bytes;
    return p;
}

void PagePool::give(void* p, std::size_t bytes) {
    bytes = rounded(bytes > 0 ? bytes : 1);
    if (bytes >= huge) {
        munmap(p, page_multiple(bytes));
        const std::lock_guard hold(lock_);
        own_ -= page_multiple(bytes);
        return;
    }
    const std::lock_guard hold(lock_);
    free_[bytes].push_back(p);
    kept_ += bytes;
    if (budget_) budget_->add(bytes);
}

std::size_t PagePool::mapped() const {
    const std::lock_guard hold(lock_);
    return own_ + regions_.size() * region;
}

}  // namespace iomc::explore
