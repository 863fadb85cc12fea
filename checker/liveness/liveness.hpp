// SPDX-License-Identifier: MIT
/// @file Liveness under weak fairness per process instance, on the whole state graph
/// (graph::StateGraph: no partial-order reduction, no symmetry, so no liveness proviso is
/// needed). `P leads_to Q` is violated exactly when a reachable state satisfies P and not Q and
/// from it a fair run stays in not-Q forever: it reaches a not-Q state where no process can step
/// (the run ends there), or a strongly connected component of the not-Q subgraph that is fair:
/// every process enabled in all of its states takes a step inside it. (Under weak fairness an
/// SCC that fails this has no fair run in any part of it: the process is enabled everywhere in
/// the part too and never steps there.) `eventually Q` is `init leads_to Q`; `always eventually
/// Q` is `true leads_to Q`. The SCCs are graph::strong_components, on compressed rows: the
/// analysis's working memory (about working_bytes()) is reserved in the graph's budget first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/graph/state_graph.hpp"
#include "traces/trace.hpp"

namespace iomc::liveness {

struct Outcome {
    explore::Verdict verdict = explore::Verdict::incomplete;
    std::optional<traces::Counterexample> counterexample;  ///< a lasso when violated
    /// leads_to whose trigger no reachable state satisfies: holds, but only vacuously.
    bool vacuous = false;
    std::string note;   ///< why vacuous, or the incomplete reason
    /// leads_to that holds, with instances (forall bindings, "d = 1") whose trigger no reachable
    /// state satisfies while others' does: those hold only vacuously. `note` says where the side is.
    std::vector<std::string> vacuous_for;
    /// A model error, with file:line:col: a side that reads nothing (a constant), or a model in
    /// which no process takes a step (fairness has nothing to act on).
    std::string error;
};

/// Checks liveness property `p` on `g` (which must come from p's system). `strong`: strong
/// fairness per process instead of weak (a process enabled again and again eventually steps:
/// a waiter at `lock`/`await` is not starved by others taking the mutex or flipping the
/// condition), by the Emerson-Lei refinement of the components.
/// Incomplete, with the memory limit in `note`, when the graph's budget cannot hold the
/// analysis's working memory.
Outcome check(const graph::StateGraph& g, const ir::Property& p, bool strong = false);

/// An upper bound on the bytes one goal instance's analysis allocates on a graph of `states`
/// states and `transitions` transitions (per state: flags, ids, component and depth-first
/// arrays; per transition: the subgraph's and its reverse's compressed rows).
std::uint64_t working_bytes(std::uint64_t states, std::uint64_t transitions);

}  // namespace iomc::liveness
