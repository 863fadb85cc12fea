// SPDX-License-Identifier: MIT
/// @file The counterexample model: the model's identity and the steps from the initial state,
/// plus what was violated at the end. Renderers and replay re-run it through ir::Interpreter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::traces {

/// A run from the initial state, as (group, outcome) pairs.
struct Trace {
    std::uint64_t model_id = 0;
    std::vector<ir::Step> steps;
};

/// How the run ends in a violation.
enum class ViolationKind : std::uint8_t {
    on_step,    ///< the last step reported the property (assertion, mutex, kref, runtime error)
    in_state,   ///< the state after the last step breaks an invariant
    deadlock,   ///< no step is possible in the state after the last step, or processes wait
                ///< for each other in a cycle there (Violation::wait_cycle)
    /// A liveness violation: a lasso. steps[cycle_start..] is a cycle back to the state before
    /// step cycle_start (empty when cycle_start == steps.size(): the run ends in a state where no
    /// process can step), on which every process that stays enabled takes a step (weak
    /// fairness), and the goal (`check`) holds in no state from state trigger_at on.
    lasso,
};

struct Violation {
    ir::PropertyId property{0};
    ViolationKind kind = ViolationKind::in_state;
    std::uint32_t message = 0;    ///< on_step: message template
    std::int64_t value = 0;       ///< on_step: the value the message mentions
    std::uint32_t check = 0;      ///< in_state: which quantifier instance of the invariant
    bool eval_error = false;      ///< in_state: the invariant could not be evaluated (message, value)
    std::uint32_t cycle_start = 0;  ///< lasso: the state the cycle starts and ends in
    std::uint32_t trigger_at = 0;   ///< lasso: the state the trigger holds in (leads_to), else 0
    bool strong_fairness = false;   ///< lasso: under strong fairness (else weak)
    bool wait_cycle = false;      ///< deadlock: a cycle of processes blocked at `lock` while other
                                  ///< processes can still move (ir::TransitionSystem::wait_cycle)
};

/// A trace that ends in a violation.
struct Counterexample {
    Trace trace;
    Violation violation;
};

/// "deadlock", "assertion 'x == 1' failed", "invariant p (d = 1)": one line, no location.
std::string describe(const ir::TransitionSystem& ts, const Violation& v);

/// describe() of a lasso: "liveness p (d = 0): a fair run never reaches the goal".
std::string describe_lasso(const ir::TransitionSystem& ts, const Violation& v);

}  // namespace iomc::traces
