// SPDX-License-Identifier: MIT
/// @file Lock order over every path, as lockdep records it but for every interleaving: for each
/// mutex acquisition on every edge of the whole state graph, the mutexes the acquiring process
/// holds at that point give dependencies "held class --> acquired class". The acquisitions, and
/// what is held at each, are read from the step's path in order (LockSubclasses::events): one
/// atomic step that takes a, then b gives a --> b; a mutex it takes and drops again is an
/// acquisition all the same; one it drops before taking the next is not held then. Lock classes:
/// every element of a mutex array is one class (`group_mutex[]`), as lockdep keys `group->mutex`
/// by its static site. Cycles in the class graph (Boost.Graph strong components) are reported in
/// lockdep's words, each dependency with the step that first took it and a shortest run reaching
/// it, and whether a deadlock state of the cycle is reachable in this instance, or every
/// occurrence is guarded by a common outer lock, or a dependency of the cycle is only ever taken
/// inside one atomic step (this instance does not interleave it; the kernel code it abstracts is
/// not atomic, and lockdep reports the cycle all the same). Acquiring a second instance of a
/// class while holding one is lockdep's "possible recursive locking", within a step as across
/// steps. `lock_nested(m, n)` takes m at subclass n, and a class at each subclass is a class of
/// its own ("m[]/1"), as lockdep keys subclasses apart; which subclass a held mutex was taken at
/// is followed along the graph's edges (lock_subclasses.hpp). Subclasses of one class that form
/// a cycle among themselves contradict the annotation: LockOrder::error, also on its own
/// (lock_nested_error), which every check of a model that uses `lock_nested` runs, whatever
/// properties it checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/graph/state_graph.hpp"

namespace iomc::graph {

/// A dependency between lock classes, with the first (shortest) step that took it.
struct LockDep {
    std::uint32_t from = 0, to = 0;   ///< class indices
    std::uint32_t state = 0;          ///< the state the acquiring step starts from
    Edge edge;                        ///< the acquiring step
    ir::SlotId held{0}, taken{0};     ///< the instances involved in that first step
    /// The statement of the lock that took `taken` in that step (inside an atomic block, the
    /// statement of the block), or UINT32_MAX.
    std::uint32_t stmt = UINT32_MAX;
    std::uint64_t count = 0;          ///< edges of the state graph that take it
    /// Mutexes (outside the two classes) held by the acquiring process on every occurrence, at
    /// the point of its path where it takes the second (also those taken earlier in its step).
    std::vector<ir::SlotId> always_held;
    /// Every occurrence takes both inside one step (an atomic block takes `held`, then `taken`):
    /// no state of this instance has the first held by a process that waits for the second.
    bool in_one_step = true;
};

struct LockCycle {
    std::vector<std::size_t> deps;    ///< indices into LockOrder::deps, chain order, closing
    std::optional<std::uint32_t> deadlock_state;  ///< a reachable state where the cycle's holders are stuck
    std::vector<ir::SlotId> guards;   ///< held on every occurrence of every dependency of the cycle
    /// The dependencies of the cycle (indices into LockOrder::deps) that are in_one_step: no
    /// process of this instance holds the first class of one while it waits for the second.
    std::vector<std::size_t> atomic;
};

struct LockOrder {
    std::vector<std::string> classes;  ///< "a", "core::group_mutex[]", "core::group_mutex[]/1"
    std::vector<LockDep> deps;
    std::vector<LockCycle> cycles;     ///< one per strongly connected set of classes
    std::vector<std::size_t> recursive;  ///< dependencies of a class on itself
    /// A model error, with file:line:col at a `lock_nested`: subclasses of one class taken in a
    /// cycle among themselves (the annotation orders nothing). Empty otherwise.
    std::string error;
    [[nodiscard]] bool violated() const { return !cycles.empty() || !recursive.empty(); }
};

/// Analyzes a complete state graph.
LockOrder analyze_lock_order(const StateGraph& g);

/// LockOrder::error alone, without the cycles and their deadlock states: empty when the model has no
/// `lock_nested` (nothing is computed then) or its subclasses are consistent. On an incomplete
/// graph, an error found is real (every state of the graph is reachable); none found proves
/// nothing about the states not explored.
std::string lock_nested_error(const StateGraph& g);

/// An upper bound on the bytes analyze_lock_order() and lock_nested_error() allocate on `g`
/// besides it: per transition, where its lock events start and two events (LockSubclasses);
/// per state and mutex, the subclass mask; per state, the held set's bookkeeping.
std::uint64_t lock_order_working_bytes(const StateGraph& g);

/// The report in lockdep's words (see the file comment); empty when nothing is found.
std::string render_lock_order(const StateGraph& g, const LockOrder& lo);

}  // namespace iomc::graph
