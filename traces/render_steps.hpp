// SPDX-License-Identifier: MIT
/// @file The numbered step list: process, file:line, statement and the variables each step
/// changed, then the violated property with the values that broke it.
#pragma once

#include <string>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// Renders a counterexample that `r` replayed. Plain ASCII, one step per entry.
std::string render_steps(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

/// The closing lines about the violation: what broke and the values involved.
std::string render_violation(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

}  // namespace iomc::traces
