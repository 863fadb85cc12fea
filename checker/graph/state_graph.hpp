// SPDX-License-Identifier: MIT
/// @file The whole reachable state graph of a transition system, explored breadth-first
/// without reductions and kept in memory with every edge: what the analyses that need more than
/// one path to a state work on (lock order over every path, SCCs for liveness). No partial-order
/// reduction and no symmetry: every interleaving is an edge, so the analyses need no provisos.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "checker/explore/memory_budget.hpp"
#include "checker/explore/search.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::graph {

/// One transition: to state `to` by `step` (12 bytes: the process is the step's group's,
/// StateGraph::process_of()).
struct Edge {
    std::uint32_t to = 0;
    ir::Step step;
};

class StateGraph {
public:
    /// Explores every state reachable from the initial state. Stops early (complete() false,
    /// incomplete_reason() set) at a limit or when `cancel` is set; every structure that grows
    /// reserves its bytes in budget() first, with limits.max_memory as its cap (the process's
    /// resident set now counts against it). `progress`, when set, is called about twice a second.
    StateGraph(const ir::TransitionSystem& ts, const explore::Limits& limits, const std::atomic<bool>* cancel,
               const std::function<void(const explore::Progress&)>& progress = nullptr);
    StateGraph(const StateGraph&) = delete;
    StateGraph& operator=(const StateGraph&) = delete;

    [[nodiscard]] std::uint32_t size() const { return store_.size(); }
    /// State i, followed by 8 readable bytes (the packed accessors' slack; not zero).
    [[nodiscard]] const std::uint8_t* state(std::uint32_t i) const { return store_.get(i); }
    /// The edges out of state i (empty for states not expanded when the search stopped).
    [[nodiscard]] std::span<const Edge> out(std::uint32_t i) const;
    /// The position of an edge that out() gave among all edges: 0 .. transitions() - 1, in the
    /// order of out(0), out(1), ...
    [[nodiscard]] std::uint64_t edge_index(const Edge& e) const { return static_cast<std::uint64_t>(&e - edges_.data()); }
    /// A shortest path from the initial state (0) to state i.
    [[nodiscard]] std::vector<ir::Step> path_to(std::uint32_t i) const;
    /// The state of the initial state's BFS tree that leads to i, and the step (i > 0).
    [[nodiscard]] std::uint32_t parent(std::uint32_t i) const { return parent_[i]; }
    [[nodiscard]] bool complete() const { return complete_; }
    [[nodiscard]] const std::string& incomplete_reason() const { return reason_; }
    [[nodiscard]] std::uint64_t transitions() const { return edges_.size(); }
    [[nodiscard]] std::uint64_t depth() const { return depth_; }
    [[nodiscard]] double seconds() const { return seconds_; }
    /// Bytes the graph holds (as reserved in budget()).
    [[nodiscard]] std::uint64_t memory() const { return budget_.used(); }
    [[nodiscard]] const ir::TransitionSystem& system() const { return ts_; }
    /// The process that takes edge `e`.
    [[nodiscard]] ir::ProcessId process_of(const Edge& e) const { return ts_.group(e.step.group).process; }
    /// The memory account of the graph, where the analyses on it reserve their working memory
    /// too (explore::Reservation): one cap for the graph and what runs on it.
    [[nodiscard]] explore::MemoryBudget& budget() const { return budget_; }
    /// The limits the graph was built with (the analyses' memory messages quote them).
    [[nodiscard]] const explore::Limits& limits() const { return limits_; }

private:
    /// Makes room, within the budget, for the per-state records of one more state.
    bool room_for_state();
    /// Records the parent and level of state `id`, just stored (room_for_state() made room).
    void discovered(std::uint32_t id, std::uint32_t parent, ir::Step step);

    const ir::TransitionSystem& ts_;
    explore::Limits limits_;
    mutable explore::MemoryBudget budget_;
    std::size_t bytes_, stride_;
    explore::StateStore store_;  ///< the states, numbered in BFS order
    std::vector<std::uint32_t> parent_;
    std::vector<ir::Step> parent_step_;
    std::vector<std::uint32_t> level_;
    std::vector<std::uint64_t> first_edge_;  ///< per expanded state, then one past the last
    std::vector<Edge> edges_;
    bool complete_ = false;
    std::string reason_;
    std::uint64_t depth_ = 0;
    double seconds_ = 0;
};

}  // namespace iomc::graph
