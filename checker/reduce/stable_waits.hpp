// SPDX-License-Identifier: MIT
/// @file Whether the wait-cycle part of `deadlock` is a stable predicate of a model, so that the
/// partial-order reduction can preserve it without making any step visible.
///
/// A wait cycle (ir::TransitionSystem::wait_cycle) is processes at pure `lock` steps, each
/// waiting for a mutex the next one holds, where no process outside the cycle may still write
/// what selects those mutexes. If a held mutex changes only by its owner's `unlock`, none of
/// the cycle's processes can move again and nothing else frees their mutexes or redirects
/// their waits: the cycle holds in every state reachable from there (the predicate is stable).
/// Stubborn sets (D1, D2) with the cycle proviso reach, from any state whose full-graph run
/// reaches a state s, a state s' that s reaches (the run's steps are all taken, plus steps
/// independent of them, which commute to after s); a stable predicate true in s is true in s'.
/// iomc's provisos have that property: every cycle of the reduced graph holds a fully
/// expanded state (static: a step along a back edge of its process's control flow is never in
/// a reduced set; stored: a reduced expansion leads only to states stored after the current BFS
/// level, DFS: after the state itself), so no step can be put off forever.
///
/// Two things can break stability. An `unlock` by a process that does not hold the mutex (the
/// interpreter reports it as mutex misuse and frees the mutex anyway): the search watches for
/// one (a report needs no visibility to be reached) and runs again with the check visible if
/// it sees one (explore::check). And a write of a waited-for mutex by anything but lock and
/// unlock, which wait_cycles_unstable() looks for in the code.
#pragma once

#include <string>

#include "checker/ir/transition_system.hpp"

namespace iomc::reduce {

/// Empty when only an unlock by a non-owner can break the wait-cycle predicate's stability in
/// `ts` (see the file comment); otherwise why not, naming the first instruction that breaks it
/// ("reset (m.mc:7): a write of waited-for mutex 'm' other than lock and unlock").
std::string wait_cycles_unstable(const ir::TransitionSystem& ts);

}  // namespace iomc::reduce
