// SPDX-License-Identifier: MIT
#include "checker/explore/state_store.hpp"

#include <cstring>

#include "checker/support/check.hpp"

namespace iomc::explore {

StateStore::StateStore(std::size_t state_bytes, MemoryBudget* budget, std::uint64_t capacity, PagePool* pool)
    : bytes_(state_bytes),
      budget_(budget),
      capacity_(capacity),
      own_pool_(pool ? nullptr : std::make_unique<PagePool>(budget)),
      pool_(pool ? *pool : *own_pool_),
      chunks_(new Zeroed<std::uint8_t>[ChunkLayout::chunk(static_cast<std::uint32_t>(capacity - 1)) + 1]),
      table_(zeroed<std::uint64_t>(pool_, initial_slots)),
      slots_(initial_slots),
      mask_(initial_slots - 1) {
    // The first table is always allowed (it is tiny); it counts against the budget all the same.
    if (budget_) budget_->add(initial_slots * sizeof(std::uint64_t));
}

StateStore::~StateStore() {
    if (budget_) budget_->release(memory_bytes());
}

std::pair<std::uint32_t, bool> StateStore::insert(const std::uint8_t* s) {
    const auto r = insert(s, hash(s));
    return {r.index, r.fresh};
}

StateStore::Insert StateStore::insert(const std::uint8_t* s, std::uint64_t hash) {
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    std::size_t pos = tag & mask_;
    for (;;) {
        const std::uint64_t e = table_[pos];
        if (e == 0) break;
        if (static_cast<std::uint32_t>(e >> 32) == tag) {
            const auto i = static_cast<std::uint32_t>(e) - 1;
            if (std::memcmp(get(i), s, bytes_) == 0) return {i, false, false};
        }
        pos = (pos + 1) & mask_;
    }
    IOMC_CHECK(count_ < capacity_);
    // Grow before inserting, so that a refused growth leaves the store as it was.
    if (static_cast<std::size_t>(count_ + 1) * 4 >= slots_ * 3) {
        if (!grow()) return {0, false, true};
        pos = tag & mask_;
        while (table_[pos] != 0) pos = (pos + 1) & mask_;
    }
    const std::uint32_t i = count_;
    const auto k = ChunkLayout::chunk(i);
    if (!chunks_[k]) {
        const std::size_t n = std::size_t{ChunkLayout::size(k)} * bytes_ + 8;
        if (budget_ && !budget_->reserve(n)) return {0, false, true};
        chunks_[k] = zeroed<std::uint8_t>(pool_, n);
        arena_bytes_ += n;
    }
    ++count_;
    std::memcpy(chunks_[k].get() + static_cast<std::size_t>(ChunkLayout::offset(i)) * bytes_, s, bytes_);
    table_[pos] = static_cast<std::uint64_t>(tag) << 32 | (static_cast<std::uint64_t>(i) + 1);
    return {i, true, false};
}

std::optional<std::uint32_t> StateStore::find(const std::uint8_t* s) const { return find(s, hash(s)); }

std::optional<std::uint32_t> StateStore::find(const std::uint8_t* s, std::uint64_t hash) const {
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t pos = tag & mask_;; pos = (pos + 1) & mask_) {
        const std::uint64_t e = table_[pos];
        if (e == 0) return std::nullopt;
        const auto i = static_cast<std::uint32_t>(e) - 1;
        if (static_cast<std::uint32_t>(e >> 32) == tag && std::memcmp(get(i), s, bytes_) == 0) return i;
    }
}

bool StateStore::grow() {
    // Old and new tables live together while rehashing: reserve the new one first.
    const std::size_t new_bytes = slots_ * 2 * sizeof(std::uint64_t);
    if (budget_ && !budget_->reserve(new_bytes)) return false;
    const Zeroed<std::uint64_t> old = std::exchange(table_, zeroed<std::uint64_t>(pool_, slots_ * 2));
    const std::size_t old_slots = std::exchange(slots_, slots_ * 2);
    mask_ = slots_ - 1;
    for (std::size_t k = 0; k < old_slots; ++k) {
        const std::uint64_t e = old[k];
        if (e == 0) continue;
        std::size_t pos = static_cast<std::uint32_t>(e >> 32) & mask_;
        while (table_[pos] != 0) pos = (pos + 1) & mask_;
        table_[pos] = e;
    }
    if (budget_) budget_->release(old_slots * sizeof(std::uint64_t));
    return true;
}

}  // namespace iomc::explore
