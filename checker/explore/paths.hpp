// SPDX-License-Identifier: MIT
/// @file Counterexamples from stored states: the searches keep a parent link per state, not the
/// step; these functions find the steps again by firing each parent. With symmetry reduction
/// the stored states are representatives, and the run is rebuilt as a run of the unreduced
/// model: from the real initial state, at each link the first successor whose representative is
/// the next stored state. So every trace names the devices a real run uses, and replays.
#pragma once

#include <cstdint>
#include <vector>

#include <functional>
#include <optional>

#include "checker/explore/chains.hpp"
#include "checker/explore/plan.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/reduce/symmetry.hpp"
#include "traces/trace.hpp"

namespace iomc::explore {

/// The stored states from the initial one to the one a counterexample ends in: their stored
/// forms, or with hash compaction (which keeps no states) their fingerprints.
struct StoredChain {
    std::vector<std::vector<std::uint8_t>> forms;
    std::vector<std::uint64_t> fingerprints;
    std::function<std::uint64_t(const std::uint8_t*)> fingerprint;  ///< set for fingerprints
    [[nodiscard]] std::size_t size() const { return fingerprint ? fingerprints.size() : forms.size(); }
    /// True when `form` (a stored form) is link k of the chain.
    [[nodiscard]] bool matches(std::size_t k, const std::uint8_t* form, std::size_t bytes) const;
};

/// The run through `chain`, from the real initial state. `canon` is null without symmetry
/// reduction. `last` receives the run's final state (state_buffer_size() bytes). `chains`
/// (null if the search followed none) passes through single-step states as the search did, for
/// a link that no one step reaches.
traces::Trace realize_path(const ir::TransitionSystem& ts, const StoredChain& chain, reduce::Canonicalizer* canon,
                           std::vector<std::uint8_t>& last, ChainFollower* chains = nullptr);

/// With symmetry reduction, a violation found on a representative names the representative's
/// invariant check or step; this re-finds them in the real final state `last` (the invariant
/// check that fails there; for a violation on a step, the first step of `last` that reports
/// the property, with the same message if one does, appended to the trace).
void realize_violation(const ir::TransitionSystem& ts, const std::uint8_t* last, traces::Counterexample& cx);

/// The violation a step reports through emission `e` (a failed assertion, a mutex or kref
/// misuse, a runtime error), and the deadlock of a state (no step, or a wait cycle).
traces::Violation step_violation(const ir::Emission& e);
traces::Violation deadlock_violation(bool wait_cycle);

/// The counterexample that reaches the last state of `chain` and ends in violation `v`; `step`
/// is the reporting step for an on_step violation, found on the stored state. Realized on the
/// unreduced model when the plan uses symmetry; re-found in the real final state when the
/// plan uses symmetry or hash compaction.
traces::Counterexample make_counterexample(const Plan& plan, const StoredChain& chain, const traces::Violation& v,
                                           std::optional<ir::Step> step = std::nullopt);

}  // namespace iomc::explore
