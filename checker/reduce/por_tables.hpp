// SPDX-License-Identifier: MIT
/// @file What partial-order reduction knows about a model before the search starts: each
/// process's control-flow graph over its locations, the slots each process may still touch
/// from each location (its future footprint), the mutex each pure `lock` step waits for, and
/// which mutexes a process can release before it takes them again. Bools used as locks
/// (bool_locks.hpp) count as mutexes whose owner is read off the locations. Built once from the
/// IR's groups and footprints; read-only afterwards and shared by every search thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/reduce/bool_locks.hpp"

namespace iomc::reduce {

/// The cycle proviso of partial-order reduction (checker/reduce/stubborn_set.hpp).
enum class Proviso : std::uint8_t {
    static_loops,  ///< "static": no reduced set holds a step along a back edge of its process
    stored,        ///< "stored": no reduced set has a successor the search stored before
};

/// "static", "stored".
const char* proviso_name(Proviso p);

/// A bitset over slots, `words` 64-bit words long, inside some flat array.
using Words = std::span<const std::uint64_t>;

inline bool intersects(Words a, Words b) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] & b[i]) != 0) return true;
    return false;
}

/// The future footprint of a process from a location: every slot any step it can still take
/// may read or write (`touch`), and may write (`writes`).
struct Future {
    std::vector<std::uint64_t> touch;
    std::vector<std::uint64_t> writes;
};

/// Static tables for one transition system. Immutable; thread-safe for reading.
class PorTables {
public:
    explicit PorTables(const ir::TransitionSystem& ts);

    /// 64-bit words in one slot bitset.
    [[nodiscard]] std::size_t words() const { return words_; }
    /// Locations reachable in one step of process p from location l (its group's finish targets).
    [[nodiscard]] std::span<const std::uint32_t> next(std::uint32_t p, std::uint32_t l) const;
    /// The future footprint of process p from location l, nothing cut.
    [[nodiscard]] const Future& future(std::uint32_t p, std::uint32_t l) const { return future_[base_[p] + l]; }
    /// The mutex slot a pure lock step waits for (the group's first action is `lock(m)` with m a
    /// fixed slot, or the acquire of a bool lock, so the step cannot fire while another process
    /// holds m), or UINT32_MAX.
    [[nodiscard]] std::uint32_t lock_target(std::uint32_t p, std::uint32_t l) const { return lock_target_[base_[p] + l]; }
    /// The distinct mutex slots process p's pure lock steps wait for (at most 64; further ones
    /// are never cut at, which only over-approximates).
    [[nodiscard]] std::span<const std::uint32_t> lock_targets(std::uint32_t p) const { return lock_targets_[p]; }
    /// Mutex slots process p may unlock (a bool lock: release) from location l before it next
    /// takes them with a pure lock step (a bitset over slots): the mutexes it could free for a
    /// waiter.
    [[nodiscard]] Words may_release(std::uint32_t p, std::uint32_t l) const {
        return {release_.data() + (base_[p] + l) * words_, words_};
    }
    /// The future footprint of p from l when every pure lock step on a mutex of `cut` (a bitset
    /// over lock_targets(p)) stays blocked: steps behind such a lock are unreachable.
    [[nodiscard]] Future cut_future(std::uint32_t p, std::uint32_t l, std::uint64_t cut) const;
    /// Whether a step of process p from location l to location `to` follows a back edge of p's
    /// control flow (the static cycle proviso's loop steps): every cycle of p's locations holds
    /// one. Back edges of one depth-first search of the locations of all instances of p's
    /// declaration together, so that instances a symmetry permutes have the same ones. Steps
    /// that strictly increase a counter nothing decreases (monotone.hpp) are on no cycle of
    /// states and are left out of the search: a bounded `while (n < K) ... n += 1;` loop has
    /// no back edge.
    [[nodiscard]] bool back_edge(std::uint32_t p, std::uint32_t l, std::uint32_t to) const;
    /// Whether location l of process p has a back edge at all.
    [[nodiscard]] bool loops_at(std::uint32_t p, std::uint32_t l) const { return !back_[base_[p] + l].empty(); }
    /// Mutex slots and bool-lock slots, in slot order.
    [[nodiscard]] std::span<const std::uint32_t> mutexes() const { return mutexes_; }
    /// Whether mutexes()[k] is a bool lock (its slot holds true or false, not the owner).
    [[nodiscard]] bool is_bool_lock(std::size_t k) const { return bool_lock_[k] != 0; }
    /// The bools used as locks.
    [[nodiscard]] const BoolLocks& bool_locks() const { return bool_locks_; }
    /// The positions in mutexes() of the bool locks process p holds at location l, as a bitmask
    /// over bool_locks().slots(); bool_lock_index(k) maps bit k to its position.
    [[nodiscard]] std::uint64_t bool_locks_held(std::uint32_t p, std::uint32_t l) const { return bool_locks_.held(p, l); }
    [[nodiscard]] std::uint32_t bool_lock_index(std::uint32_t k) const { return bool_lock_index_[k]; }
    /// The position of mutex slot `slot` in mutexes().
    [[nodiscard]] std::uint32_t mutex_index(std::uint32_t slot) const { return mutex_index_[slot]; }

private:
    void mark_back_edges();

    const ir::TransitionSystem& ts_;
    std::size_t words_ = 0;
    std::vector<std::size_t> base_;                      ///< per process: index of its location 0
    std::vector<std::vector<std::uint32_t>> next_;       ///< per (process, location)
    std::vector<Future> future_;                         ///< per (process, location)
    std::vector<std::vector<std::uint32_t>> back_;       ///< per (process, location): back-edge targets
    /// per (process, location): the targets whose step strictly increases a monotone counter
    std::vector<std::vector<std::uint32_t>> increasing_;
    std::vector<std::uint32_t> lock_target_;             ///< per (process, location)
    std::vector<std::vector<std::uint32_t>> lock_targets_;  ///< per process
    std::vector<std::uint64_t> release_;                 ///< per (process, location), words_ each
    std::vector<std::uint32_t> mutexes_;
    std::vector<std::uint32_t> mutex_index_;             ///< per slot
    BoolLocks bool_locks_;
    std::vector<char> bool_lock_;                        ///< per mutex: a bool lock
    std::vector<std::uint32_t> bool_lock_index_;         ///< per bool lock: its position in mutexes_
};

}  // namespace iomc::reduce
