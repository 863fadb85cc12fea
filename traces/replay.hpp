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
    bool reports = false;              ///< a violation report, not a move (the trace's last step)
    ir::PropertyId reported = ir::no_property;
    std::uint32_t message = 0;
    std::int64_t value = 0;
};

struct Replay {
    bool ok = false;
    std::string error;                       ///< why not, for a human: "step 7: ..."
    std::vector<std::vector<std::uint8_t>> states;  ///< states[0] initial, states[i] after step i
    std::vector<ReplayedStep> steps;
};

/// Re-fires every step. Does not check the model id (callers do, to word the error).
Replay replay(const ir::TransitionSystem& ts, const Trace& t);

/// Checks that `cx` replays and that its violation holds at the end. Returns an error message,
/// or nothing when the violation reproduces.
std::optional<std::string> confirm(const ir::TransitionSystem& ts, const Counterexample& cx, Replay& r);

/// The variables whose values differ between two states, as "name: old -> new", pcs left out.
std::vector<std::string> changed_variables(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                           const std::uint8_t* after);

/// Slot ids that differ between two states, pcs left out.
std::vector<ir::SlotId> changed_slots(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                      const std::uint8_t* after);

/// How slot `s` reads in state `st`: its value, and for a pc the label or statement there.
std::string slot_value(const ir::TransitionSystem& ts, ir::SlotId s, const std::uint8_t* st);

}  // namespace iomc::traces
