// SPDX-License-Identifier: MIT
/// @file The column diagram: the form kernel developers argue races in on the mailing lists.
/// One column per process instance that acts (in order of first action), time running down,
/// each step numbered with the procedure it is in, the statement, the mutexes the process holds
/// after it as [lock, ...], and the variables it changed; the violation and the values that
/// broke it at the bottom. Plain ASCII, wrapped to a width, fit for a plain-text email.
#pragma once

#include <cstddef>
#include <string>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// Renders a counterexample that `r` replayed as a column diagram at most `width` characters
/// wide (columns get an equal share; at least 24 characters each, so many columns may exceed
/// the width rather than become unreadable).
std::string render_columns(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                           std::size_t width = 100);

}  // namespace iomc::traces
