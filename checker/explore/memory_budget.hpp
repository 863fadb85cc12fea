// SPDX-License-Identifier: MIT
/// @file The explorer's memory account: every structure that grows per state (state arenas,
/// hash tables, parent links, frontiers) reserves its bytes here before it allocates, so that
/// --max-memory holds with growth included (a table that would double past the limit stops
/// the search instead). Thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

namespace iomc::explore {

class MemoryBudget {
public:
    /// cap 0: no limit (everything is only counted).
    explicit MemoryBudget(std::uint64_t cap = 0) : cap_(cap) {}
    /// Reserves `bytes`; false (and nothing reserved) when that would pass the cap.
    bool reserve(std::uint64_t bytes) {
        std::uint64_t cur = used_.load(std::memory_order_relaxed);
        do {
            if (cap_ && cur + bytes > cap_) {
                refused_.store(true, std::memory_order_relaxed);
                return false;
            }
        } while (!used_.compare_exchange_weak(cur, cur + bytes, std::memory_order_relaxed));
        return true;
    }
    /// Counts `bytes` without asking (allocations too small to refuse, such as a first table).
    void add(std::uint64_t bytes) { used_.fetch_add(bytes, std::memory_order_relaxed); }
    void release(std::uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t used() const { return used_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t cap() const { return cap_; }
    /// A reservation was refused: the search must stop (memory limit reached).
    [[nodiscard]] bool refused() const { return refused_.load(std::memory_order_relaxed); }

private:
    std::uint64_t cap_;
    std::atomic<std::uint64_t> used_{0};
    std::atomic<bool> refused_{false};
};

/// Appends `v` to `vec` unless the growth that needs (the old and the doubled buffer both live
/// while the elements move) would pass the budget; false then, and nothing appended. The
/// vector's buffer stays counted in the budget: release vec.capacity() * sizeof(T) when done.
template <class T>
bool budget_push(std::vector<T>& vec, const T& v, MemoryBudget& budget) {
    if (vec.size() == vec.capacity()) {
        const std::size_t old_cap = vec.capacity();
        const std::size_t new_cap = std::max<std::size_t>(16, old_cap * 2);
        if (!budget.reserve(new_cap * sizeof(T))) return false;
        vec.reserve(new_cap);
        budget.release(old_cap * sizeof(T));
    }
    vec.push_back(v);
    return true;
}

}  // namespace iomc::explore
