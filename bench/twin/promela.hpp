// SPDX-License-Identifier: MIT
/// @file A Promela twin of a compiled model, for SPIN beside iomc (bench/README.md, "A Promela
/// twin of the scenario"). The twin is written from the IR, so that it has iomc's transition
/// system step for step: one `d_step` per outcome of each step, guarded by the condition under
/// which that outcome reaches its `finish` (the weakest precondition of the step's code,
/// computed here by substitution, because a `d_step` may block only at its first statement),
/// and a Promela label per control location, so that SPIN's process counters are iomc's pcs.
/// Without reductions SPIN stores as many states as iomc; the bench checks that before it
/// prints a ratio.
///
/// What the twin checks: the model's assertions, invariants (asserted after every step that
/// writes a slot they read; not in the initial state), mutex and kref misuse, values out of a
/// slot's range and deadlocks (SPIN's invalid end states: the processes that wait for each other
/// in a cycle while others still move, which iomc reports as a deadlock, are not). An index out
/// of range inside a guard is not reported. A `while` loop inside a step is run forwards, one
/// path per value of the slots its condition reads at its head (wp.hpp). A construct the
/// translation does not handle (a choice inside a loop, a loop that does not end within 10,000
/// instructions, more than 20,000 paths through one, an index over more than 4,096 elements)
/// throws Error naming the step: never a twin with other behaviour. A process whose location
/// an expression tests (`p@label`) keeps it in a global variable as well, which SPIN's
/// partial-order reduction counts as a global write in each of its steps.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::bench::twin {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    /// The properties the twin asserts (their checks are `assert`s; a stopping check of a
    /// property left out still ends its path, as in iomc). Empty: every property.
    std::vector<ir::PropertyId> properties;
};

/// Figures of a twin, for the bench's notes.
struct Stats {
    std::size_t options = 0;    ///< d_steps written (outcomes of steps that can happen)
    std::size_t locals = 0;     ///< slots written as a process's local variables
    std::size_t globals = 0;
};

/// The Promela text of the twin of `ts`. Throws Error.
std::string write_promela(const ir::TransitionSystem& ts, const Options& options, Stats* stats = nullptr);

}  // namespace iomc::bench::twin
