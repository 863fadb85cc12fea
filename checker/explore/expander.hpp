// SPDX-License-Identifier: MIT
/// @file One search thread's expansion of a state: fire the steps (all, or a stubborn set's),
/// map successors to their stored form (the representative under symmetry), report violations
/// and deadlocks, measure metrics at end states. Holds the thread's interpreter and the
/// reductions' per-thread state; not thread-safe: one per thread. The search that owns it
/// supplies the storage through a Host.
#pragma once

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore/plan.hpp"
#include "checker/explore/scalarset_use.hpp"
#include "checker/ir/interp.hpp"
#include "checker/reduce/por_check.hpp"
#include "checker/reduce/stubborn_set.hpp"
#include "checker/reduce/symmetry.hpp"

namespace iomc::explore {

class Expander {
public:
    explicit Expander(const Plan& plan);

    /// The form state `s` is stored in: its representative with symmetry reduction, else `s`.
    /// Valid until the next call.
    const std::uint8_t* stored_form(const std::uint8_t* s) {
        if (!canon_) return s;
        canon_->canonicalize(s, form_.data());
        return form_.data();
    }

    /// For each selected invariant the log still wants, its first check that fails (or cannot
    /// be evaluated) in `s`.
    std::vector<traces::Violation> check_invariants(const std::uint8_t* s, const ViolationLog& log);

    /// Expands stored state `s`. Host: `bool stopped()`, `void report(const ir::Step&, const
    /// ir::Emission&)` for a violation the log still wants, `void successor(const std::uint8_t*
    /// stored_form)`, `void self_loop()` for a successor equal to `s`, `bool closes(const
    /// std::uint8_t* stored_form)` (the cycle proviso: the state was stored before the current
    /// one was reached), `void deadlock(bool wait_cycle)` (no step is possible, or processes wait
    /// for each other in a cycle).
    template <class Host>
    void expand(const std::uint8_t* s, const ViolationLog& log, Host& host) {
        std::memcpy(scratch_.data(), s, bytes_);
        use.observe(scratch_.data());
        bool any = false;
        bool crashed = false;  // a path ended in a runtime error or a hang: not a deadlock
        auto on_emission = [&](ir::GroupId g, const ir::Emission& e) {
            if (host.stopped()) return;
            if (e.next == nullptr) {
                crashed = crashed || e.stops;
                if (e.prop == ir::prop_mutex && !e.stops && plan_.watch_unowned_unlocks) log.note_unowned_unlock();
                if (log.wanted(e.prop)) host.report(ir::Step{g, e.index}, e);
                return;
            }
            any = true;
            // A step that changes nothing (a DMA that only checks, a monitor) leads back to the
            // state itself: counted, not stored or hashed again.
            if (std::memcmp(e.next, scratch_.data(), bytes_) == 0) return host.self_loop();
            host.successor(por_ ? cached_form(e.next) : stored_form(e.next));
        };
        if (por_) {
            // The cycle proviso and the emission ask for the same successors' forms: each
            // buffered successor is canonicalized once.
            cache_.clear();
            auto closes = [&](const std::uint8_t* next) { return host.closes(cached_form(next)); };
            por_->expand(scratch_.data(), closes, on_emission);
            if (check_) {
                auto failure = check_->check(*por_, scratch_.data());
                if (!failure.empty() && self_check_failure.empty()) self_check_failure = std::move(failure);
            }
        } else {
            interp_.successors(scratch_.data(), on_emission);
        }
        if (any && plan_.check_deadlock && plan_.ts.has_lock_waits() && log.wanted(ir::prop_deadlock) &&
            !host.stopped()) {
            if (const auto cycle = plan_.ts.wait_cycle(scratch_.data()); !cycle.empty()) {
                // Processes wait for each other in a cycle while others can still move.
                if (check_ && plan_.watch_unowned_unlocks) {
                    auto failure = check_->check_wait_cycle(scratch_.data(), cycle);
                    if (!failure.empty() && self_check_failure.empty()) self_check_failure = std::move(failure);
                }
                host.deadlock(true);
                return;
            }
        }
        if (any || crashed) return;
        const bool at_end = plan_.ts.all_at_valid_end(scratch_.data());
        if (at_end && !metrics.empty()) measure(scratch_.data());
        if (!at_end && plan_.check_deadlock && log.wanted(ir::prop_deadlock) && !host.stopped()) host.deadlock(false);
    }

    std::uint64_t transitions = 0;         ///< successors generated (the host counts them)
    std::vector<MetricResult> metrics;     ///< this thread's end states
    ScalarsetUseCounter use;               ///< the scalarset values this thread's states use
    std::string self_check_failure;        ///< the first --por-check breach
    [[nodiscard]] reduce::PorStats por_stats() const { return por_ ? por_->stats() : reduce::PorStats{}; }
    [[nodiscard]] reduce::SymmetryStats symmetry_stats() const { return canon_ ? canon_->stats() : reduce::SymmetryStats{}; }
    /// Adds this thread's reduction counts and its first self-check breach to `r`.
    void add_counts_to(Result& r) const {
        const auto por = por_stats();
        r.reductions.por_expanded += por.expanded;
        r.reductions.por_reduced += por.reduced;
        r.reductions.por_proviso += por.proviso;
        r.reductions.sym_heuristic += symmetry_stats().heuristic;
        if (r.self_check_failure.empty()) r.self_check_failure = self_check_failure;
    }

private:
    void measure(const std::uint8_t* s);
    /// stored_form() of a successor buffered by the stubborn sets, computed once per expansion
    /// (the pointers are stable while one state is expanded). Valid until the next call.
    const std::uint8_t* cached_form(const std::uint8_t* next) {
        if (!canon_) return next;
        for (const auto& [p, at] : cache_)
            if (p == next) return forms_.data() + at;
        const std::size_t at = cache_.size() * form_.size();
        if (at + form_.size() > forms_.size()) forms_.resize(at + form_.size());
        canon_->canonicalize(next, forms_.data() + at);
        cache_.emplace_back(next, at);
        return forms_.data() + at;
    }

    const Plan& plan_;
    std::size_t bytes_;
    ir::Interpreter interp_;
    std::unique_ptr<reduce::StubbornSets> por_;
    std::unique_ptr<reduce::PorSelfCheck> check_;
    std::unique_ptr<reduce::Canonicalizer> canon_;
    std::vector<std::uint8_t> scratch_, form_;
    std::vector<std::pair<const std::uint8_t*, std::size_t>> cache_;  ///< successor -> offset in forms_
    std::vector<std::uint8_t> forms_;
};

/// Merges a thread's metrics into the total.
void merge_metrics(std::vector<MetricResult>& total, const std::vector<MetricResult>& part);

}  // namespace iomc::explore
