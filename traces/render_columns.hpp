// SPDX-License-Identifier: MIT
/// @file The column diagram: the form kernel developers argue races in on the mailing lists.
/// One column per process instance that acts (in order of first action), time running down.
/// Each entry is one step, or (folded, the default) one run of a process inside one procedure:
/// numbered "5)" or "5-9)", with the procedure, the statements, the mutexes the process holds
/// after it as [lock, ...], and the variables it changed; the violation and the values that
/// broke it at the bottom. Plain ASCII, wrapped to a width, fit for a plain-text email.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::traces {

struct ColumnOptions {
    /// The diagram is at most this wide: columns get an equal share, at least 24 characters
    /// each (so many columns may exceed the width rather than become unreadable).
    std::size_t width = 100;
    /// Merge each run of one process inside one procedure (consecutive steps, no other process
    /// in between) into one entry "a-b) proc(): s1; s2" with the run's net changes, and leave
    /// out the changes of procedure locals. False: one entry per step, every change shown.
    bool fold = true;
    /// Per step, optional: empty, or one string per step ("" for no mark). A marked step gets a
    /// line "<- MARK" under its entry ("<- MARK (step N)" inside a folded run of several steps).
    std::vector<std::string> marks;
};

/// Renders a counterexample that `r` replayed as a column diagram.
std::string render_columns(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                           const ColumnOptions& options = {});

}  // namespace iomc::traces
