// SPDX-License-Identifier: MIT
/// @file Replays a trace through the interpreter alone: every step must be enabled, and the
/// violation it claims must reproduce. Renderers use the states it records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// One replayed step.
struct ReplayedStep {
    ir::Step step;
    ir::ProcessId process{0};
    std::uint32_t stmt = UINT32_MAX;   ///< the statement that ran
    /// A report: the statement that failed (inside an atomic block, the statement of the block
    /// that failed; the block itself for a path that never ends).
    std::uint32_t failed_stmt = UINT32_MAX;
    /// The variable a `choose` of the step set (the last one), printed even when unchanged.
    std::optional<ir::SlotId> chosen;
    bool reports = false;              ///< a violation report, not a move (the trace's last step)
    ir::PropertyId reported = ir::no_property;
    std::uint32_t message = 0;
    std::int64_t value = 0;
};

struct Replay {
    bool ok = false;
    std::string error;                       ///< why not, for a human: "step 7: ..."
    /// states[0] initial, states[i] after step i; after a report, the state as the step had
    /// it when it reported (its changes up to the failure).
    std::vector<std::vector<std::uint8_t>> states;
    std::vector<ReplayedStep> steps;
};

/// Re-fires every step. Does not check the model id (callers do, to word the error).
Replay replay(const ir::TransitionSystem& ts, const Trace& t);

/// Checks that `cx` replays and that its violation holds at the end. Returns an error message,
/// or nothing when the violation reproduces.
std::optional<std::string> confirm(const ir::TransitionSystem& ts, const Counterexample& cx, Replay& r);

/// The variables whose values differ between two states, as "name: old -> new", pcs and
/// compiler temporaries (ir::Slot::hidden) left out.
std::vector<std::string> changed_variables(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                           const std::uint8_t* after);

/// What step i of `r` changed (changed_variables), and the variable a `choose` of it set when
/// the value chosen is the one it had: "n: 0 (chosen, unchanged)".
std::vector<std::string> step_changes(const ir::TransitionSystem& ts, const Replay& r, std::size_t i);

/// Slot ids that differ between two states, pcs and compiler temporaries left out.
std::vector<ir::SlotId> changed_slots(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                      const std::uint8_t* after);

/// How slot `s` reads in state `st`: its value, and for a pc the label or statement there.
std::string slot_value(const ir::TransitionSystem& ts, ir::SlotId s, const std::uint8_t* st);

}  // namespace iomc::traces
