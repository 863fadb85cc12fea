// SPDX-License-Identifier: MIT
/// @file One variant's counterexample replayed on another variant (iomc replay --variant, iomc
/// compare): steps are matched by process and statement, since group ids differ between builds.
#pragma once

#include <optional>
#include <string>

#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"
#include "traces/trace_json.hpp"

namespace iomc::cli {

/// Replays the stored steps on `ts`: each step is found again by its process and its statement
/// (text and place). Returns the trace in `ts`'s ids, or nothing with `why` set to the first
/// step that cannot fire and the reason ("step 24: client(0) 'return r' (file:line) cannot fire
/// here; client(0) is at ...; m is held by p").
std::optional<traces::Trace> translate(const ir::TransitionSystem& ts, const traces::StoredTrace& st,
                                       std::string& why);

}  // namespace iomc::cli
