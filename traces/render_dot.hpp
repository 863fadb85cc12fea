// SPDX-License-Identifier: MIT
/// @file DOT output of a counterexample: a message-sequence style graph with one lane (a
/// cluster) per process that acts, steps numbered in time order, and the violation at the end.
/// Graphviz renders it (`dot -Tsvg`); iomc only writes the text.
#pragma once

#include <string>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

/// The DOT text of a counterexample that `r` replayed.
std::string render_dot(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r);

}  // namespace iomc::traces
