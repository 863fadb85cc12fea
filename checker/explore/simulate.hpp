// SPDX-License-Identifier: MIT
/// @file Random walks (iomc simulate): for models too big to exhaust, run many random
/// interleavings, check the same properties on the way, and average the metrics over the runs
/// that end.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "traces/trace.hpp"

namespace iomc::explore {

struct SimulateOptions {
    std::uint64_t runs = 1000;
    std::uint64_t depth = 10000;      ///< steps per run at most
    std::uint64_t seed = 1;
    std::vector<ir::PropertyId> properties;  ///< empty: all
    const std::atomic<bool>* cancel = nullptr;
};

/// A metric over the runs that reached an end state.
struct SimulatedMetric {
    std::string name;
    std::uint64_t runs = 0;           ///< runs where it was defined at the end
    Ratio min, max;
    double mean = 0;                  ///< mean of the per-run values
};

struct SimulateResult {
    std::uint64_t runs = 0;           ///< runs done
    std::uint64_t ended = 0;          ///< runs that reached an end state (every process at a valid end)
    std::uint64_t cut = 0;            ///< runs stopped at the depth bound
    std::uint64_t steps = 0;          ///< steps taken in all runs
    std::optional<traces::Counterexample> counterexample;  ///< the first violation found
    std::uint64_t violating_run = 0;  ///< 1-based
    std::vector<SimulatedMetric> metrics;
    bool interrupted = false;
};

/// Runs random walks. Each step picks uniformly among the successors of all processes (a
/// violation report on a checked property ends the simulation with its trace). Deterministic
/// for a given seed. Not thread-safe with respect to `options.cancel` only.
SimulateResult simulate(const ir::TransitionSystem& ts, const SimulateOptions& options);

}  // namespace iomc::explore
