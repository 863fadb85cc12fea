// SPDX-License-Identifier: MIT
/// @file The explorer's memory account: every structure that grows per state (state arenas,
/// hash tables, parent links, frontiers) reserves its bytes here before it allocates, so that
/// --max-memory holds with growth included (a table that would double past the limit stops
/// the search instead). For --max-memory the cap is on the whole process: what it already had
/// when the search began (the program, the compiled model, the allocator's arenas: its resident
/// set then) is taken off the room the structures get. Thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

#include "checker/explore/memory.hpp"

namespace iomc::explore {

class MemoryBudget {
public:
    /// cap 0: no limit (everything is only counted). `base`: bytes already in use that count
    /// against the cap (process_base()).
    explicit MemoryBudget(std::uint64_t cap = 0, std::uint64_t base = 0) : cap_(cap), base_(base) {}
    /// For a search's budget: the process's resident set now when there is a cap (issue 10:
    /// without it, peak RSS went past --max-memory), else 0.
    [[nodiscard]] static std::uint64_t process_base(std::uint64_t cap) { return cap ? current_rss_bytes() : 0; }
    /// Reserves `bytes`; false (and nothing reserved) when that would pass the cap.
    bool reserve(std::uint64_t bytes) {
        std::uint64_t cur = used_.load(std::memory_order_relaxed);
        do {
            if (cap_ && base_ + cur + bytes > cap_) {
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
    std::uint64_t base_;  ///< resident set when the search began
    std::atomic<std::uint64_t> used_{0};
    std::atomic<bool> refused_{false};
};

/// `bytes` reserved in a budget for as long as the reservation lives: the working memory of an
/// analysis, reserved before it allocates. ok() false: the budget refused it (and it holds
/// nothing).
class Reservation {
public:
    Reservation(MemoryBudget& budget, std::uint64_t bytes) : budget_(budget), ok_(budget.reserve(bytes)) {
        if (ok_) bytes_ = bytes;
    }
    ~Reservation() { budget_.release(bytes_); }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    [[nodiscard]] bool ok() const { return ok_; }

private:
    MemoryBudget& budget_;
    std::uint64_t bytes_ = 0;
    bool ok_;
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
