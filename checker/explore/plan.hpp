// SPDX-License-Identifier: MIT
/// @file What one search checks and how it reduces, decided once before it starts and shared
/// read-only by its threads: the selected properties and invariants, the partial-order
/// reduction's static tables and invariant checks, which scalarsets symmetry reduction covers.
/// Also the log of violations found, shared by the threads under a lock, and the assembly of
/// the Result.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/reduce/por_tables.hpp"
#include "checker/reduce/symmetry.hpp"

namespace iomc::explore {

class Plan {
public:
    /// `unstable`: why wait cycles must be checked with visible steps although the model may
    /// keep them stable ("" to decide from the model: check() passes the reason when it runs
    /// again after a search that took them as stable saw an unlock by a non-owner).
    Plan(const ir::TransitionSystem& ts, const Options& o, std::string unstable = {});

    const ir::TransitionSystem& ts;
    const Options& options;
    std::vector<char> selected;                     ///< per property
    std::vector<const ir::Property*> invariants;    ///< the selected invariants
    bool check_deadlock = false;
    std::unique_ptr<reduce::PorTables> por_tables;  ///< null: no partial-order reduction
    std::vector<std::uint64_t> por_checks;          ///< per invariant check, the slots it reads
    bool por_wait_check = false;                    ///< the last of por_checks is the wait-cycle check
    bool chains = false;                            ///< single-step chains (chains.hpp) are followed
    /// Wait cycles are taken as stable provided no process unlocks a mutex it does not hold:
    /// the search notes such an unlock (ViolationLog::note_unowned_unlock) and check() then
    /// runs again with the wait-cycle check visible.
    bool watch_unowned_unlocks = false;
    Reductions reductions;                          ///< what is used (counts filled at the end)
    /// The canonicalizer's bound on ties (hash compaction needs exact forms without fallback:
    /// its counterexamples are matched by the fingerprints of the stored forms).
    std::uint64_t symmetry_candidates = reduce::Canonicalizer::default_max_candidates;
};

/// The violations found so far; thread-safe.
class ViolationLog {
public:
    explicit ViolationLog(const Plan& plan);
    /// True while property p is selected and has no counterexample yet (a racy hint for the
    /// hot loop; record() decides).
    [[nodiscard]] bool wanted(ir::PropertyId p) const {
        return plan_.selected[ir::idx(p)] && !found_[ir::idx(p)].load(std::memory_order_relaxed);
    }
    /// Records the first counterexample of its property. Returns true when the search is done
    /// (stop at the first violation, or every selected property violated).
    bool record(traces::Counterexample cx);
    [[nodiscard]] bool done() const { return done_.load(std::memory_order_relaxed); }
    void stop() { done_.store(true, std::memory_order_relaxed); }
    /// A step unlocked a mutex its process does not hold (a mutex report that does not stop).
    void note_unowned_unlock() const { unowned_unlock_.store(true, std::memory_order_relaxed); }
    /// Fills r.properties, r.counterexample and r.verdict from the log and `complete`.
    void fill(Result& r, bool complete) const;

private:
    const Plan& plan_;
    mutable std::mutex lock_;
    std::unique_ptr<std::atomic<bool>[]> found_;
    std::vector<traces::Counterexample> violations_;
    std::size_t remaining_ = 0;
    std::atomic<bool> done_{false};
    mutable std::atomic<bool> unowned_unlock_{false};
};

}  // namespace iomc::explore
