// SPDX-License-Identifier: MIT
/// @file What each step of the whole state graph does with mutexes, for the lock order
/// (lock_order.hpp): per edge, the locks and unlocks of the step's path in path order (the
/// interpreter's fire_locks(): one atomic step may take and drop several mutexes, which the
/// states before and after it do not show), and which lockdep subclass (`lock_nested(m, n)`) each
/// held mutex was taken at. The state does not record the subclass, so it is followed along the
/// graph: per state and mutex, a bitmask of the subclasses of the paths that reach it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checker/graph/state_graph.hpp"
#include "checker/ir/interp.hpp"

namespace iomc::graph {

/// True when some lock of `ts` is a `lock_nested` at a subclass other than 0. Static (reads the
/// groups' code) and cheap: without one, every mutex is taken at subclass 0.
bool uses_lock_nested(const ir::TransitionSystem& ts);

/// The lock events of every step of a state graph and the subclasses of every held mutex. Built
/// once per analysis; the masks only when the model uses `lock_nested` (else every mask is
/// subclass 0).
class LockSubclasses {
public:
    /// `mutexes`: every mutex slot of the layout, in slot order.
    LockSubclasses(const StateGraph& g, const std::vector<ir::SlotId>& mutexes);
    [[nodiscard]] bool nested() const { return nested_; }
    /// The locks and unlocks of the step on `e`, in the order of its path. Empty for a step whose
    /// group has no `lock`.
    [[nodiscard]] std::span<const ir::LockEvent> events(const Edge& e) const;
    /// The subclasses (a bitmask) mutex `m` (held in state s) may have been taken at, over the
    /// paths to s.
    [[nodiscard]] std::uint8_t held(std::uint32_t s, ir::SlotId m) const;

private:
    const StateGraph& g_;
    std::size_t n_;
    std::vector<std::uint32_t> index_;              ///< slot -> position in mutexes
    std::vector<ir::LockEvent> events_;             ///< every edge's lock events, edge after edge
    std::vector<std::uint64_t> first_event_;        ///< per edge, then one past the last
    std::vector<std::uint8_t> mask_;                ///< per state and mutex
    bool nested_ = false;
};

}  // namespace iomc::graph
