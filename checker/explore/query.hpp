// SPDX-License-Identifier: MIT
/// @file Schedule queries (`iomc query MODEL --schedule FILE`): is there a run that takes the
/// schedule's steps in its order?
///
/// Meaning. A run follows a schedule of entries e1..en when it has steps s1 < ... < sn with
/// s_i matching e_i, where s_i is the first step after s_{i-1} that matches e_i, and no step
/// before s_i matches a later entry e_j (j > i). In words: the entries happen in that order,
/// each at its first occurrence after the previous one, and nothing the schedule puts later
/// happens early. Any other step may come in the gaps. With `violates P`, the run then goes on
/// (any steps) until P is violated.
///
/// Search. BFS over nodes (state, k), k the number of entries matched so far. From (s, k) a
/// step to s' that matches entry k+1 leads to (s', k+1); one that matches a later entry is cut
/// (it would break the order); any other leads to (s', k). The first node with k = n (or, with
/// `violates`, the first violation found from such nodes) ends the search, so the run found is
/// a shortest one.
///
/// Infeasible. When every node is expanded and none has k = n, the first entry never matched is
/// e_{K+1}, K the largest k reached. The explanation looks at the nodes with k = K: where the
/// entry's process is when it is at the step but cannot take it (which mutex is held, by whom,
/// or a false guard), and where it is in the nodes from which no allowed step leads on (the
/// process has finished, or waits), with the steps of other processes the schedule held back
/// there and a shortest run to one such node.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "traces/schedule.hpp"
#include "traces/trace.hpp"

namespace iomc::explore {

enum class QueryVerdict : std::uint8_t { feasible, infeasible, incomplete };

/// One way the entry's process stands still, with how many nodes show it.
struct Situation {
    std::string text;            ///< "client(0) waits at f.mc:12: lock(m): m is held by a"
    std::uint64_t nodes = 0;
    std::uint32_t first_node = 0;  ///< the first such node found (BFS: one of the closest)
};

struct QueryResult {
    QueryVerdict verdict = QueryVerdict::incomplete;
    std::string incomplete_reason;
    std::uint64_t nodes = 0;       ///< (state, entries matched) pairs stored
    std::uint64_t transitions = 0;
    double seconds = 0;
    std::uint64_t memory = 0;

    /// feasible: the run; violation.property is ir::no_property without `violates`.
    traces::Counterexample run;
    std::vector<std::size_t> entry_steps;  ///< feasible: per entry, the index of its step in the run

    /// infeasible: the first entry no run reaches (entries.size() when every entry is reached
    /// but the `violates` property never breaks after them), how many nodes matched the entries
    /// before it, and why.
    std::size_t unreached = 0;
    std::uint64_t nodes_before = 0;
    std::vector<Situation> at_step;    ///< the process is at a matching step that cannot fire
    std::vector<Situation> stopped;    ///< where the process is when no allowed step leads on
    std::vector<std::string> held_back;  ///< "smmu_probe: `text` (entry 5)" cut by the order
    bool runs_forever = false;          ///< some node of the last layer has allowed steps forever
    /// A shortest run to the node the explanation shows (at_step's first, else stopped's first),
    /// and what every process is doing at its end.
    traces::Trace example;
    std::vector<std::string> example_state;
};

/// Answers `schedule` on `ts`. Limits as for explore::check (max_states counts nodes).
QueryResult query(const ir::TransitionSystem& ts, const traces::Schedule& schedule, const Limits& limits,
                  const std::atomic<bool>* cancel = nullptr);

/// Why process `p` can take no step in `s`: "has finished", "waits at f.mc:3: lock(m): m is
/// held by a", "waits at f.mc:4: await x: the condition is false", or "is at f.mc:5: ..." when
/// it can move.
std::string process_situation(const ir::TransitionSystem& ts, ir::ProcessId p, const std::uint8_t* s);

}  // namespace iomc::explore
