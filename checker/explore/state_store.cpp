// SPDX-License-Identifier: MIT
#include "checker/explore/state_store.hpp"

#include <cstring>

#include "checker/support/check.hpp"
#include "checker/support/hash.hpp"

namespace iomc::explore {

StateStore::StateStore(std::size_t state_bytes) : bytes_(state_bytes), table_(1U << 16, 0), mask_((1U << 16) - 1) {}

std::pair<std::uint32_t, bool> StateStore::insert(const std::uint8_t* s) {
    const std::uint64_t h = support::hash_bytes(s, bytes_);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t pos = tag & mask_;
    for (;;) {
        const std::uint64_t e = table_[pos];
        if (e == 0) break;
        if (static_cast<std::uint32_t>(e >> 32) == tag) {
            const auto i = static_cast<std::uint32_t>(e) - 1;
            if (std::memcmp(get(i), s, bytes_) == 0) return {i, false};
        }
        pos = (pos + 1) & mask_;
    }
    IOMC_CHECK(count_ < max_states);
    const std::uint32_t i = count_++;
    if ((i >> chunk_shift) >= chunks_.size()) {
        const std::size_t n = (std::size_t{1} << chunk_shift) * bytes_ + 8;
        chunks_.push_back(std::unique_ptr<std::uint8_t[]>(new std::uint8_t[n]()));
    }
    std::memcpy(chunks_[i >> chunk_shift].get() + static_cast<std::size_t>(i & chunk_mask) * bytes_, s, bytes_);
    table_[pos] = static_cast<std::uint64_t>(tag) << 32 | (static_cast<std::uint64_t>(i) + 1);
    if (static_cast<std::size_t>(count_) * 4 >= table_.size() * 3) grow();
    return {i, true};
}

std::optional<std::uint32_t> StateStore::find(const std::uint8_t* s) const {
    const std::uint64_t h = support::hash_bytes(s, bytes_);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t pos = tag & mask_;; pos = (pos + 1) & mask_) {
        const std::uint64_t e = table_[pos];
        if (e == 0) return std::nullopt;
        const auto i = static_cast<std::uint32_t>(e) - 1;
        if (static_cast<std::uint32_t>(e >> 32) == tag && std::memcmp(get(i), s, bytes_) == 0) return i;
    }
}

void StateStore::grow() {
    std::vector<std::uint64_t> old;
    old.swap(table_);
    table_.assign(old.size() * 2, 0);
    mask_ = table_.size() - 1;
    for (const std::uint64_t e : old) {
        if (e == 0) continue;
        std::size_t pos = static_cast<std::uint32_t>(e >> 32) & mask_;
        while (table_[pos] != 0) pos = (pos + 1) & mask_;
        table_[pos] = e;
    }
}

std::size_t StateStore::memory_bytes() const {
    return chunks_.size() * ((std::size_t{1} << chunk_shift) * bytes_ + 8) + table_.size() * sizeof(std::uint64_t);
}

}  // namespace iomc::explore
