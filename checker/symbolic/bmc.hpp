// SPDX-License-Identifier: MIT
/// @file Bounded model checking on Z3: the shortest run of at most `depth` steps (one step per
/// transition, as the explicit engine counts them) that violates a selected property, found by
/// incremental solving over depths 0..depth, and returned in the trace model (steps as (group,
/// outcome), the outcomes recovered by replaying the solver's states through ir::Interpreter).
/// The public interface has no Z3 types: only checker/symbolic includes Z3.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"

namespace iomc::symbolic {

struct BmcOptions {
    std::uint32_t depth = 10;
    /// Properties to check; empty means all. runtime_error is always checked (as explicit).
    std::vector<ir::PropertyId> properties;
    double time_limit = 0;  ///< seconds, 0: none (Z3's timeout, per check)
};

enum class BmcVerdict : std::uint8_t {
    violated,     ///< counterexample set
    no_violation, ///< no violation of depth <= depth: bounded, not a proof
    unknown,      ///< Z3 gave up (reason set)
    unsupported,  ///< the encoding does not support a construct of the model (reason set)
    internal_error, ///< the solver's run does not replay through the interpreter: a bug in iomc
};

struct BmcResult {
    BmcVerdict verdict = BmcVerdict::unknown;
    std::optional<traces::Counterexample> counterexample;
    std::uint32_t depth = 0;       ///< the depth reached (the violation's, or the bound)
    std::string reason;            ///< unknown / unsupported: why
    double seconds = 0;
};

/// Runs BMC. Throws nothing for model constructs (verdict unsupported); a solver state that does
/// not replay through the interpreter is a bug in iomc: verdict unknown with the reason.
BmcResult bmc(const ir::TransitionSystem& ts, const BmcOptions& o);

/// "Z3 4.12.1": the solver's version, as reports print it.
std::string z3_version();

}  // namespace iomc::symbolic
