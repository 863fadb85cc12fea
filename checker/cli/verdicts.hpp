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
#include "checker/lang/frontend.hpp"

namespace iomc::cli {

/// What the whole-graph analyses add to a Result.
struct GraphFindings {
    bool ran = false;                 ///< a liveness property or lock_order was checked
    /// Only the lock_nested annotations were checked on the whole graph (the model uses
    /// lock_nested, and neither lock_order nor a liveness property was selected).
    bool nested_only = false;
    bool strong = false;              ///< liveness under strong fairness
    std::uint64_t states = 0, transitions = 0;
    double seconds = 0;
    std::string incomplete_reason;    ///< the whole-graph search, or an analysis on it, stopped
    bool graph_stopped = false;       ///< the whole-graph search stopped (incomplete_reason says why)
    /// The lock_nested annotations were not checked: the analysis had no room in the memory
    /// limit (incomplete_reason says so).
    bool nested_unchecked = false;
    std::string lock_report;          ///< lockdep's words; empty when the order is clean or unchecked
    /// lockdep's headline of lock_report: "possible circular locking dependency" when a cycle
    /// of classes was found, else "possible recursive locking"; empty with lock_report.
    std::string lock_summary;
    std::vector<std::string> notes;   ///< "liveness p holds vacuously: ..."
    std::string error;                ///< a model error with file:line:col (exit 2)
    /// "reductions: none for liveness and lock_order (...): N states, ..." as check prints it.
    [[nodiscard]] std::string text() const;
};

/// Checks every property `o` selects and merges the results in id order. An empty selection
/// means every property except lock_order, which is checked only when named. A model that uses
/// `lock_nested` also has its annotations checked on the whole state graph, whatever the
/// selection (findings->error when they contradict themselves).
/// `strong_fairness`: liveness under strong fairness per process (--fairness strong).
explore::Result check_all(const ir::TransitionSystem& ts, const explore::Options& o, GraphFindings* findings = nullptr,
                          bool strong_fairness = false);

/// A warning about a search's result: its text without "warning: ", and FILE:LINE:COL of the
/// declaration it is about ("" when there is none).
struct ResultWarning {
    std::string message;
    std::string location;
};

/// After a complete search: one warning per scalarset of size > 1 whose values no explored state
/// uses all at once ("types::N_GROUPS = 2, but only Group(0) is ever used: ..."), located at
/// the size constant's declaration. None after an incomplete search.
std::vector<ResultWarning> unused_size_warnings(const lang::Model& model, const explore::Result& r);

}  // namespace iomc::cli
