// SPDX-License-Identifier: MIT
/// @file Lasso counterexamples of liveness properties (ViolationKind::lasso): the replay check
/// (the cycle returns to its first state, weak fairness holds on it, the goal never holds) and
/// the closing block the text renderers print.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// Checks a replayed lasso: the trigger holds at state trigger_at (leads_to), the goal holds in
/// no state from there on, no step reports a violation, and either the cycle returns to state
/// cycle_start with every process that is enabled in all of its states taking a step in it
/// (weak fairness), or (an empty cycle) no process can step in the last state. Returns the
/// first breach, or nothing.
std::optional<std::string> confirm_lasso(const ir::TransitionSystem& ts, const Violation& v, const Replay& r);

/// True when process `p` can take a step in `s` (some outcome of its step has a successor).
bool process_enabled(const ir::TransitionSystem& ts, ir::ProcessId p, const std::uint8_t* s);

/// "violated: liveness ... (file:line)", where the cycle starts and the goal's variables there.
std::string render_lasso(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

/// Per step, the marks a lasso puts in step lists and column diagrams: "trigger holds after this
/// step", "the cycle starts here" on its first step, "back to the state before step N" on its last.
std::vector<std::string> lasso_marks(const Counterexample& cx);

}  // namespace iomc::traces
