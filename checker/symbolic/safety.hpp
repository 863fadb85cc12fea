// SPDX-License-Identifier: MIT
/// @file The selected safety properties as formulas over one state, shared by bounded model
/// checking (bmc.cpp) and k-induction (kind.cpp), and the interpreter's side of the same
/// question: which step a concrete state takes to the next one, and which violation a concrete
/// state has. Internal to checker/symbolic (includes Z3 through encoder.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/symbolic/encoder.hpp"
#include "traces/trace.hpp"

namespace iomc::symbolic {

/// The selected properties, as the explicit engine selects them (runtime errors always;
/// liveness and lock order never: they are not safety properties of one state).
std::vector<char> selection(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props);

/// Processes wait for each other in a cycle in s: exactly ir::TransitionSystem::wait_cycle(),
/// for fixed mutexes and mutexes the state selects alike (wait_cycle.cpp).
z3::expr wait_cycle(const Encoder& enc, const SymState& s);

/// A selected property breaks in state s: an invariant, or a deadlock.
z3::expr bad_state(const Encoder& enc, const std::vector<char>& sel, const SymState& s);

/// Some step from s reports a selected property.
z3::expr bad_step(const Encoder& enc, const std::vector<char>& sel, const SymState& s);

/// The model's value of state s, packed.
std::vector<std::uint8_t> concrete(const ir::TransitionSystem& ts, const z3::model& m, const SymState& s);

/// The first step (group order, then outcome order) that leads from `from` to `to`.
std::optional<ir::Step> step_between(const ir::TransitionSystem& ts, ir::Interpreter& in, const std::uint8_t* from,
                                     const std::uint8_t* to);

/// The first step from `st` that reports a selected property, with the violation it reports.
std::optional<ir::Step> reporting_step(ir::Interpreter& in, const std::vector<char>& sel, const std::uint8_t* st,
                                       traces::Violation& v);

/// The first selected invariant (then the deadlock) that state `st` breaks, as the explicit
/// engine reports it; false if none.
bool state_violation(const ir::TransitionSystem& ts, ir::Interpreter& in, const std::vector<char>& sel,
                     const std::uint8_t* st, traces::Violation& v);

/// BMC over an encoder already built (bmc.cpp): bmc() and k-induction's base case. `start`:
/// when the engine started (the time limit and the result's seconds count from there).
/// `idle` (concurrent steps only; per process, empty: none): processes that take no step.
BmcResult bmc_run(const Encoder& enc, const std::vector<char>& sel, const BmcOptions& o,
                  std::chrono::steady_clock::time_point start, const std::vector<char>& idle = {});

}  // namespace iomc::symbolic
