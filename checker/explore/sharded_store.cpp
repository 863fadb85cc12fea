// SPDX-License-Identifier: MIT
#include "checker/explore/sharded_store.hpp"

namespace iomc::explore {

ShardedStore::ShardedStore(std::size_t state_bytes, unsigned shard_bits, MemoryBudget& budget, std::uint64_t max_states)
    : bytes_(state_bytes),
      bits_(shard_bits),
      mask_((1U << shard_bits) - 1),
      budget_(budget),
      max_states_(max_states),
      shard_capacity_(std::min<std::uint64_t>(StateStore::max_states, (std::uint64_t{1} << (32 - shard_bits)) - 16)),
      pool_(&budget) {
    for (std::uint32_t k = 0; k <= mask_; ++k) shards_.push_back(std::make_unique<Shard>(bytes_, &budget_, shard_capacity_, &pool_));
}

ShardedStore::Insert ShardedStore::insert(const std::uint8_t* s, std::uint64_t h, Ref parent) {
    const auto k = shard_of(h);
    Shard& sh = *shards_[k];
    Insert out;
    if (sh.store.size() + 1 >= shard_capacity_) {
        out.full = true;
        return out;
    }
    // With a state limit, look first and reserve a place before storing, so that threads never
    // overshoot it; without one (the common case), one probe does both and no counter is shared.
    if (max_states_) {
        if (const auto found = sh.store.find(s, h)) {
            out.ref = (*found << bits_) | k;
            return out;
        }
        if (reserved_.fetch_add(1, std::memory_order_relaxed) >= max_states_) {
            reserved_.fetch_sub(1, std::memory_order_relaxed);
            out.over_limit = true;
            return out;
        }
    }
    const auto r = sh.store.insert(s, h);
    if (!r.fresh && !r.refused) {
        out.ref = (r.index << bits_) | k;
        return out;
    }
    if (r.refused || !sh.parents.push_back(parent, &budget_)) {
        if (max_states_) reserved_.fetch_sub(1, std::memory_order_relaxed);
        // The search stops at a refusal; a state stored without its parent link is never read.
        out.refused = true;
        return out;
    }
    sh.count.store(sh.store.size(), std::memory_order_relaxed);
    out.ref = (r.index << bits_) | k;
    out.fresh = true;
    return out;
}

std::optional<ShardedStore::Ref> ShardedStore::find(const std::uint8_t* s, std::uint64_t h) const {
    const auto k = shard_of(h);
    const auto found = shards_[k]->store.find(s, h);
    if (!found) return std::nullopt;
    return (*found << bits_) | k;
}

std::uint64_t ShardedStore::size() const {
    std::uint64_t n = 0;
    for (const auto& sh : shards_) n += sh->count.load(std::memory_order_relaxed);
    return n;
}

void ShardedStore::mark_level() {
    for (auto& sh : shards_) sh->level_start = sh->store.size();
}

}  // namespace iomc::explore
