// SPDX-License-Identifier: MIT
#include "checker/explore/sharded_store.hpp"

#include "checker/support/hash.hpp"

namespace iomc::explore {

ShardedStore::ShardedStore(std::size_t state_bytes, unsigned shard_bits, bool locking, MemoryBudget& budget,
                           std::uint64_t max_states)
    : bytes_(state_bytes),
      bits_(shard_bits),
      mask_((1U << shard_bits) - 1),
      locking_(locking),
      budget_(budget),
      max_states_(max_states),
      shard_capacity_(std::min<std::uint64_t>(StateStore::max_states, (std::uint64_t{1} << (32 - shard_bits)) - 16)) {
    for (std::uint32_t k = 0; k <= mask_; ++k) shards_.push_back(std::make_unique<Shard>(bytes_, &budget_, shard_capacity_));
}

ShardedStore::Insert ShardedStore::insert(const std::uint8_t* s, Ref parent) {
    const std::uint64_t h = support::hash_bytes(s, bytes_);
    const auto k = static_cast<std::uint32_t>(h) & mask_;
    Shard& sh = *shards_[k];
    std::unique_lock<std::mutex> guard(sh.lock, std::defer_lock);
    if (locking_) guard.lock();
    Insert out;
    if (sh.store.size() + 1 >= shard_capacity_) {
        out.full = true;
        return out;
    }
    // Near the state limit, look first and reserve a place before storing, so that threads never
    // overshoot it; far from it (the common case), one probe does both.
    const bool near_limit = max_states_ && count_.load(std::memory_order_relaxed) + 4096 >= max_states_;
    if (near_limit) {
        if (const auto found = sh.store.find(s, h)) {
            out.ref = (*found << bits_) | k;
            return out;
        }
        if (count_.fetch_add(1, std::memory_order_relaxed) >= max_states_) {
            count_.fetch_sub(1, std::memory_order_relaxed);
            out.over_limit = true;
            return out;
        }
    }
    const auto r = sh.store.insert(s, h);
    if (!r.fresh && !r.refused) {
        if (near_limit) count_.fetch_sub(1, std::memory_order_relaxed);
        out.ref = (r.index << bits_) | k;
        return out;
    }
    if (r.refused || !sh.parents.push_back(parent, &budget_)) {
        if (near_limit) count_.fetch_sub(1, std::memory_order_relaxed);
        // The search stops at a refusal; a state stored without its parent link is never read.
        out.refused = true;
        return out;
    }
    if (!near_limit) count_.fetch_add(1, std::memory_order_relaxed);
    out.ref = (r.index << bits_) | k;
    out.fresh = true;
    return out;
}

std::optional<ShardedStore::Ref> ShardedStore::find(const std::uint8_t* s) const {
    const std::uint64_t h = support::hash_bytes(s, bytes_);
    const auto k = static_cast<std::uint32_t>(h) & mask_;
    const Shard& sh = *shards_[k];
    std::unique_lock<std::mutex> guard(sh.lock, std::defer_lock);
    if (locking_) guard.lock();
    const auto found = sh.store.find(s, h);
    if (!found) return std::nullopt;
    return (*found << bits_) | k;
}

void ShardedStore::mark_level() {
    for (auto& sh : shards_) sh->level_start = sh->store.size();
}

}  // namespace iomc::explore
