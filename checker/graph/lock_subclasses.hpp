// SPDX-License-Identifier: MIT
/// @file Which lockdep subclass (`lock_nested(m, n)`) each held mutex was taken at, for the lock
/// order (lock_order.hpp). The state does not record it, so it is followed along the whole state
/// graph: per edge, which lock instruction of the step took which mutex (the interpreter's
/// fire_locks(), so one atomic step that takes several mutexes at different subclasses gives each
/// its own), and per state and mutex, a bitmask of the subclasses of the paths that reach it.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/graph/state_graph.hpp"
#include "checker/ir/interp.hpp"

namespace iomc::graph {

/// True when some lock of `ts` is a `lock_nested` at a subclass other than 0. Static (reads the
/// groups' code) and cheap: without one, every mutex is taken at subclass 0.
bool uses_lock_nested(const ir::TransitionSystem& ts);

/// The subclasses of every acquisition and every held mutex of a state graph. Built once per
/// analysis; stores nothing when the model has no `lock_nested` (every mask is subclass 0).
class LockSubclasses {
public:
    /// `mutexes`: every mutex slot of the layout, in slot order.
    LockSubclasses(const StateGraph& g, const std::vector<ir::SlotId>& mutexes);
    [[nodiscard]] bool nested() const { return nested_; }
    /// The subclasses (a bitmask) at which the step on `e` took `m`: the subclass of the last lock
    /// of m on the step's path. Subclass 0 when the step has no lock of m.
    [[nodiscard]] std::uint8_t taken(const Edge& e, ir::SlotId m) const;
    /// The subclasses mutex `m` (held in state s) may have been taken at, over the paths to s.
    [[nodiscard]] std::uint8_t held(std::uint32_t s, ir::SlotId m) const;

private:
    const StateGraph& g_;
    std::size_t n_;
    std::vector<std::uint32_t> index_;              ///< slot -> position in mutexes
    std::vector<ir::TakenLock> taken_;              ///< every edge's locks, edge after edge
    std::vector<std::uint64_t> first_taken_;        ///< per edge, then one past the last
    std::vector<std::uint8_t> mask_;                ///< per state and mutex
    bool nested_ = false;
};

}  // namespace iomc::graph
