// SPDX-License-Identifier: MIT
/// @file The counterexample with the fewest context switches (`--trace fewest-switches`):
/// among the runs that violate one property, one with the fewest preemptions, and among those
/// the fewest steps. A diagram of such a run has the fewest changes of column.
///
/// Cost. A context switch is a step whose process differs from the previous step's process;
/// the first step is free. A run costs the pair (switches, steps), compared lexicographically.
///
/// Search graph. What the next step costs depends on the state and on the process that took
/// the last step, so a search node is (state, last process), with "no process" for the initial
/// node. A step of process p from node (s, q) to (s', p) costs (1, 1) when q is a process other
/// than p, and (0, 1) otherwise. A violation is a node, or a node plus one reporting step:
///   - an invariant check of the property that fails (or cannot be evaluated) in the node's
///     state: the run ends at the node (violation kind in_state);
///   - an emission of the property with no successor (an assertion, mutex or kref report, a
///     runtime error): the run ends with that step, which is counted like any step (on_step);
///   - for ir::prop_deadlock, a state with no successor emission, some process not at a valid
///     end, and no path that ended in a stopping report (deadlock), as explore::check decides.
///
/// Algorithm. The cheapest violation is a shortest path with lexicographic (switches, steps)
/// weights, which is Dijkstra's algorithm over the ordered monoid of pairs: every edge weight
/// is positive (steps grows by one), pairs add componentwise, and addition preserves the
/// lexicographic order, so the usual argument applies. A plain 0-1 BFS (deque, switch edges
/// at the back) orders nodes by switches only: inside one switch level its FIFO order is not
/// the order of steps (a node from level k-1 with many steps can sit before one reached inside
/// level k with fewer), so it would need a second queue per level. This implementation uses one
/// binary heap on (switches, steps, node number) with lazy deletion: a node is pushed again
/// when its cost improves, and stale heap entries are skipped. The node number breaks ties, so
/// the result is deterministic.
///
/// Optimality. Nodes are popped in nondecreasing cost, and a popped node's cost is final. The
/// invariant and deadlock checks run when a node is popped; they cost the node's cost, the
/// smallest in the heap, so the first one found is optimal. An on-step report found while
/// expanding a node costs more than the node, so it is kept as the best candidate and the
/// search goes on until the smallest cost in the heap is at least the candidate's: every
/// violation not yet seen ends at or after some node still in the heap and costs at least as
/// much. Successor nodes whose cost is not below the best candidate's are not created.
///
/// Cost of the search: up to (processes + 1) nodes per state, each stored once (StateStore
/// holds the states; per node 32 bytes of cost, parent, step and a link to the next node of
/// the same state), and a heap with O(nodes log nodes) work.
#pragma once

#include <optional>
#include <string>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"

namespace iomc::explore {

/// A counterexample for `property` with the fewest context switches, and among those the
/// fewest steps (see the file comment). Nothing when the property holds in every reachable
/// state; nothing with `*incomplete_reason` set ("state limit 1000 reached", "time limit 5s
/// reached", "memory limit N bytes reached") when a limit stopped the search first.
/// `limits.max_states` counts search nodes, (state, last process) pairs, not states.
/// `incomplete_reason` may be null; when not, it is cleared on entry. `cancel` (may be null)
/// stops the search with "interrupted" (Ctrl-C). --max-memory counts every structure of the
/// search, growth included.
std::optional<traces::Counterexample> fewest_switches(const ir::TransitionSystem& ts,
                                                      ir::PropertyId property, const Limits& limits,
                                                      std::string* incomplete_reason,
                                                      const std::atomic<bool>* cancel = nullptr);

}  // namespace iomc::explore
