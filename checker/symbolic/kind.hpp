// SPDX-License-Identifier: MIT
/// @file k-induction on Z3 for the selected safety properties, read as one state predicate P:
/// no selected invariant fails in the state, it is not deadlocked (when deadlock is selected),
/// and no step from it reports a selected property (runtime errors, assertions, mutex and kref
/// misuse). P holds in every reachable state iff no run violates a selected property.
///
/// Step case at k: k + 1 states t0..tk, each in the layout's ranges (slots and pcs), each a
/// transition from the one before, pairwise distinct (a simple path), P in t0..t(k-1), P false
/// in tk. Unsatisfiable: P is k-inductive. Solved incrementally, k = 1, 2, ... up to the bound;
/// the selected properties strengthen each other (P is their conjunction). The model's
/// `lemma`s are always among them (with_lemmas), selected or not: P is the conjunction of the
/// selected properties and every lemma, assumed in t0..t(k-1) and proved in tk, and the base
/// case checks the lemmas too, so a false lemma is reported as violated or blocks the proof,
/// never makes one (docs/symbolic.md, "Lemmas"). No facts come from the explicit engine.
///
/// Base case: bounded model checking (bmc.cpp) to depth k, with the same encoder, after the
/// step closes at k (or at the bound, when it does not close): every state reachable in fewer
/// than k steps satisfies P. A violation found there is a real counterexample, exactly as
/// --engine bmc returns it. Why the order is sound: if the step closes at k, no violation can
/// lie deeper than k steps (that would contradict the proof), so the base case finds any.
///
/// With the simple-path constraint k-induction is complete for finite systems: when P holds in
/// every reachable state, the step closes at the latest at the length of the longest simple
/// path through P-states.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"

namespace iomc::symbolic {

struct KindOptions {
    std::uint32_t depth = 10;  ///< the largest k tried (and the base case's depth without a proof)
    /// Properties to check; empty means all. runtime_error is always checked (as explicit).
    std::vector<ir::PropertyId> properties;
    double time_limit = 0;  ///< seconds, 0: none (Z3's timeout, per check; the total counts)
    /// The step's states pairwise distinct. Off only to show what it buys (tests): without it
    /// a P-state with a self-loop in front of a bad one defeats every k.
    bool simple_path = true;
};

enum class KindVerdict : std::uint8_t {
    holds,          ///< the step closed at k and the base case found no violation: a proof
    violated,       ///< the base case found a violation (counterexample set)
    not_inductive,  ///< no proof up to the bound and no violation up to it (hint set)
    unknown,        ///< Z3 gave up or the time limit ran out (reason set)
    unsupported,    ///< the encoding does not support a construct of the model (reason set)
    internal_error, ///< a solver state does not replay through the interpreter: a bug in iomc
};

/// A counterexample to induction: k + 1 states, a transition between each two, the first k
/// satisfying every checked property and the last breaking one. Its first state need not be
/// reachable: it is a hint about what the properties fail to exclude, not a run of the model.
struct InductionHint {
    std::vector<std::vector<std::uint8_t>> states;  ///< packed, as the interpreter stores them
    std::vector<ir::Step> steps;                    ///< steps[i] leads from states[i] to states[i + 1]
    traces::Violation violation;                    ///< what the last state breaks
    std::optional<ir::Step> reporting;              ///< on-step violations: the step that reports
};

struct KindResult {
    KindVerdict verdict = KindVerdict::unknown;
    std::uint32_t k = 0;           ///< holds: the k of the proof; otherwise the last k tried
    std::uint32_t base_depth = 0;  ///< the depth the base case searched (or the violation's)
    std::optional<traces::Counterexample> counterexample;  ///< violated
    std::optional<InductionHint> hint;                     ///< not_inductive
    std::string reason;            ///< unknown / unsupported / internal_error: why
    double seconds = 0;
};

/// The properties k-induction checks for `props` (empty: all, lemmas included): `props` and
/// every lemma of the model that `props` leaves out, in property order.
std::vector<ir::PropertyId> with_lemmas(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props);

/// Runs k-induction on with_lemmas(ts, o.properties). Throws nothing for model constructs
/// (verdict unsupported).
KindResult kind(const ir::TransitionSystem& ts, const KindOptions& o);

/// The hint as text: the first state's variables (name = value, pcs as labels), then each step
/// (process and statement) with the variables it changed, then what the last state breaks.
/// Every line is indented by two spaces.
std::string render_hint(const ir::TransitionSystem& ts, const InductionHint& h);

}  // namespace iomc::symbolic
