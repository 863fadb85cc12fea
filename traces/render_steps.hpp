// SPDX-License-Identifier: MIT
/// @file The numbered step list: process, file:line, statement and the variables each step
/// changed, then the violated property with the values that broke it.
#pragma once

#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// Renders a counterexample that `r` replayed. Plain ASCII, one step per entry. `marks`, when
/// not empty, has one string per step; a non-empty one is printed under its step as "<- mark"
/// (a schedule query marks the steps that matched its entries).
std::string render_steps(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                         const std::vector<std::string>& marks = {});

/// The closing lines about the violation: what broke and the values involved. Nothing when
/// the run claims no violation (cx.violation.property is ir::no_property: a schedule's run).
std::string render_violation(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

}  // namespace iomc::traces
