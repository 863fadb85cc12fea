// SPDX-License-Identifier: MIT
/// @file Bools used as locks. Promela has no mutex type, and models written after it (or after
/// kernel code with a bit lock or a `test_and_set` flag) take a lock with one atomic step
/// `atomic { await !m; m = true; }` and free it with `m = false`. Partial-order reduction can
/// give such a bool the semantics it gives a `mutex` (stubborn_set.hpp: a waiter cannot move
/// past the acquire while the holder stays put) when the model proves that the bool is one.
///
/// A global bool m (a variable, or an element of a global array named with constant indices,
/// as `l[w]` in an instance of `process worker(w: Wid)`), false in the initial state, is
/// inferred a lock when every step that may write it is one of:
/// - an acquire: its first action is `await !m` (also `m == false`), followed, with nothing
///   between, by `m = true`, and nothing else in the step writes m;
/// - a release: `m = false` on every path of the step (no branch, jump or fork before it), and
///   nothing else in the step writes m;
/// and each process's control flow, walked from its initial location, splits its locations
/// into holding m and not holding it, consistently: an acquire leaves from a location that does
/// not hold m (to ones that do), a release from one that does (to ones that do not), every
/// other step keeps the holding status. Then, in every reachable state, m is true exactly when
/// one process is at a location that holds it, and no two processes are (induction over the
/// steps: only an acquire sets m, and only when it is false, so nobody holds it; only the
/// holder clears it). Its owner is read off the processes' locations.
///
/// A bool that fails any of these is an ordinary variable to the reduction: the inference
/// never changes a verdict, it only lets the reduction cut more.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::reduce {

/// The bool locks of a transition system and where each process holds them.
class BoolLocks {
public:
    explicit BoolLocks(const ir::TransitionSystem& ts);

    /// The inferred lock slots, in slot order (at most 64).
    [[nodiscard]] std::span<const std::uint32_t> slots() const { return slots_; }
    /// Whether slot `slot` is one of them.
    [[nodiscard]] bool is_lock(std::uint32_t slot) const;
    /// The lock slot the step of process p at location l acquires, or UINT32_MAX.
    [[nodiscard]] std::uint32_t acquires(std::uint32_t p, std::uint32_t l) const { return acquire_[base_[p] + l]; }
    /// The lock slot the step of process p at location l releases, or UINT32_MAX.
    [[nodiscard]] std::uint32_t releases(std::uint32_t p, std::uint32_t l) const { return release_[base_[p] + l]; }
    /// The locks process p holds at location l, a bitmask over slots().
    [[nodiscard]] std::uint64_t held(std::uint32_t p, std::uint32_t l) const { return held_[base_[p] + l]; }
    /// For each bool that writes like a lock but is not one, why (for `--verbose` and tests):
    /// "m1: <reason>".
    [[nodiscard]] const std::vector<std::string>& rejected() const { return rejected_; }

private:
    std::vector<std::uint32_t> slots_;
    std::vector<std::size_t> base_;      ///< per process: index of its location 0
    std::vector<std::uint32_t> acquire_;  ///< per (process, location)
    std::vector<std::uint32_t> release_;  ///< per (process, location)
    std::vector<std::uint64_t> held_;     ///< per (process, location)
    std::vector<std::string> rejected_;
};

}  // namespace iomc::reduce
