// SPDX-License-Identifier: MIT
/// @file Every selected property of one variant: the safety properties by the explorer (with
/// its reductions), the liveness properties (checker/liveness/) and the lock order
/// (checker/graph/lock_order.hpp) on the whole state graph without reductions, merged into one
/// Result.
#pragma once

#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::cli {

/// What the whole-graph analyses add to a Result.
struct GraphFindings {
    bool ran = false;                 ///< a liveness property or lock_order was checked
    bool strong = false;              ///< liveness under strong fairness
    std::uint64_t states = 0, transitions = 0;
    double seconds = 0;
    std::string incomplete_reason;    ///< the whole-graph search stopped
    std::string lock_report;          ///< lockdep's words; empty when the order is clean or unchecked
    std::vector<std::string> notes;   ///< "liveness p holds vacuously: ..."
    std::string error;                ///< a model error with file:line:col (exit 2)
    /// "reductions: none for liveness and lock_order (...): N states, ..." as check prints it.
    [[nodiscard]] std::string text() const;
};

/// Checks every property `o` selects and merges the results in id order. An empty selection
/// means every property except lock_order, which is checked only when named.
/// `strong_fairness`: liveness under strong fairness per process (--fairness strong).
explore::Result check_all(const ir::TransitionSystem& ts, const explore::Options& o, GraphFindings* findings = nullptr,
                          bool strong_fairness = false);

}  // namespace iomc::cli
