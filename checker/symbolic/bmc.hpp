// SPDX-License-Identifier: MIT
/// @file Bounded model checking on Z3: the shortest run of at most `depth` steps (one step per
/// transition, as the explicit engine counts them; BmcOptions for merged steps and checked
/// depths) that violates a selected property, found by incremental solving over depths
/// 0..depth, and returned in the trace model (steps as (group, outcome), the outcomes recovered
/// by replaying the solver's states through ir::Interpreter). The public interface has no Z3
/// types: only checker/symbolic includes Z3.
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
    /// Merge local steps into the step before them (Encoder's merge_for, merge.cpp): a depth
    /// then counts merged steps, each a step and the local steps its process takes next, and
    /// the counterexample lists every step. Every violation of at most K steps is one of at
    /// most K merged steps, so "no violation up to depth K" stays true of plain steps.
    bool merge_local = false;
    /// Concurrent steps (Encoder's concurrent, concurrent.cpp): a depth counts steps each of
    /// which fires any set of steps of different processes that touch no slot another of them
    /// writes. Every run of at most K steps is one of at most K concurrent steps, so "no
    /// violation up to depth K" stays true of plain steps; the counterexample lists every step.
    bool concurrent = false;
    /// Under-approximation widening (with concurrent steps): rounds of BMC up to depth, the
    /// first with only the first instance of each process declaration taking steps (the others
    /// idle), each next round with one more instance of each, the last with every process. A
    /// violation found in an earlier round is a run of the whole model (idle processes only
    /// wait), not necessarily the shortest; "no violation up to depth K" comes only from the
    /// last round.
    bool widen = false;
    /// The first depth checked, and the distance between checked depths (depth itself is
    /// always checked). Past the default 0 and 1 the run may stutter at its end, so that each
    /// check covers every shorter run: fewer, larger queries. The counterexample is then one
    /// the solver picked among those of at most the checked depth, not necessarily the shortest.
    std::uint32_t from = 0;
    std::uint32_t step = 1;
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
    /// No violation of at most this depth (-1: not even depth 0 was decided).
    std::int64_t clean_to = -1;
    /// Violated: the depth of the check that found it (depth is the run's, in its steps or
    /// merged steps, at most this).
    std::uint32_t checked_at = 0;
    bool shortest = true;          ///< violated: no violation is shorter (every depth checked)
    std::size_t merged_groups = 0; ///< merge_local: groups absorbed (Encoder::merged_groups)
    std::size_t movers = 0;        ///< concurrent: processes that have a step (Encoder::movers)
    /// widen: the round that decided (1-based) and how many there are; the processes kept idle
    /// in it (none in the last round).
    std::uint32_t round = 0, rounds = 0;
    std::vector<ir::ProcessId> idle;
    std::string reason;            ///< unknown / unsupported: why
    double seconds = 0;
};

/// Runs BMC. Throws nothing for model constructs (verdict unsupported); a solver state that does
/// not replay through the interpreter is a bug in iomc: verdict unknown with the reason.
BmcResult bmc(const ir::TransitionSystem& ts, const BmcOptions& o);

/// "Z3 4.12.1": the solver's version, as reports print it.
std::string z3_version();

}  // namespace iomc::symbolic
