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

#include "checker/explore/chains.hpp"
#include "checker/explore/plan.hpp"
#include "checker/explore/scalarset_use.hpp"
#include "checker/ir/interp.hpp"
#include "checker/reduce/por_check.hpp"
#include "checker/reduce/stubborn_set.hpp"
#include "checker/reduce/symmetry.hpp"

namespace iomc::explore {

/// What the host learnt of a successor when the cycle proviso looked it up (Host::closes), so
/// that storing it (Host::successor) need not hash it or look it up again. The host fills it.
struct Lookup {
    bool hashed = false;  ///< `hash` is set
    bool looked = false;  ///< looked up: `found` and `ref` are set
    bool found = false;   ///< it was stored already (states are never removed: it still is)
    std::uint32_t ref = 0;  ///< the host's reference of the stored state, if found
    std::uint64_t hash = 0;

    /// Store: `hash(s)` and `find(s, hash)` (an optional reference). The hash of `s`, computed
    /// the first time it is asked for.
    template <class Store>
    std::uint64_t hash_in(const Store& store, const std::uint8_t* s) {
        hash = hash_of(store, s);
        hashed = true;
        return hash;
    }
    /// The same, without keeping it.
    template <class Store>
    [[nodiscard]] std::uint64_t hash_of(const Store& store, const std::uint8_t* s) const {
        return hashed ? hash : store.hash(s);
    }
    /// Whether `s` is stored, looked up the first time it is asked for (`ref` then says where).
    template <class Store>
    bool stored_in(const Store& store, const std::uint8_t* s) {
        if (!looked) {
            const auto r = store.find(s, hash_in(store, s));
            looked = true;
            found = r.has_value();
            if (r) ref = *r;
        }
        return found;
    }
};

class alignas(64) Expander {
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
    /// stored_form, const Lookup&)`, `void self_loop()` for a successor equal to `s`, `bool
    /// closes(const std::uint8_t* stored_form, Lookup&)` (the stored cycle proviso: the state
    /// was stored before the current one was reached; the static proviso never calls it),
    /// `void deadlock(bool wait_cycle)` (no step is possible, or processes wait for each other
    /// in a cycle), and `void prefetch(const
    /// std::uint8_t* stored_form, Lookup&)`, called for every successor of a stubborn set
    /// before closes() is for any of them, so that their lookups' cache misses overlap, and,
    /// when `bool fetches_early()` (say, successor() stores the state before it returns), for
    /// every successor as soon as the steps have fired. The Lookup that prefetch() and closes()
    /// filled for a successor is the one successor() gets for it; a successor they did not see
    /// gets an empty one.
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
            if (!por_) return host.successor(stored_form(e.next), Lookup{});
            if (chain_ && !por_->emitting().visible) {
                // Pass through the single-step states that follow (chains.hpp); store the first
                // that is not one. Its lookup is not the buffered successor's.
                const auto visit = [&](const std::uint8_t* x, const reduce::StubbornSets& sets) {
                    use.observe(x);
                    if (check_) keep_first_failure(check_->check(sets, x));
                };
                const std::uint8_t* end = chain_->follow(e.next, visit);
                if (end != e.next) return host.successor(stored_form(end), Lookup{});
            }
            const std::size_t k = por_->successor_slot(e.next);
            host.successor(cached_form(k, e.next), lookups_[k]);
        };
        if (por_) {
            // The cycle proviso and the emission ask for the same successors: each buffered
            // successor is canonicalized once, and the host's lookup is kept for its store.
            Closes<Host> closes{*this, host};
            por_->expand(scratch_.data(), closes, on_emission, [&](std::size_t n) {
                reset_cache(n);
                // Without symmetry a successor's stored form is itself: a host that asks for it
                // (one that stores successors as they come) fetches where each goes while the
                // stubborn sets are computed.
                if (!canon_ && host.fetches_early())
                    for (std::size_t k = 0; k < n; ++k) host.prefetch(por_->successor_in(k), lookups_[k]);
            });
            if (check_) keep_first_failure(check_->check(*por_, scratch_.data()));
        } else {
            interp_.successors(scratch_.data(), on_emission);
        }
        if (any && plan_.check_deadlock && plan_.ts.has_lock_waits() && log.wanted(ir::prop_deadlock) &&
            !host.stopped()) {
            if (const auto cycle = plan_.ts.wait_cycle(scratch_.data()); !cycle.empty()) {
                // Processes wait for each other in a cycle while others can still move.
                if (check_ && plan_.watch_unowned_unlocks)
                    keep_first_failure(check_->check_wait_cycle(scratch_.data(), cycle));
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
        if (chain_) r.reductions.por_chained += chain_->passed;
        r.reductions.sym_heuristic += symmetry_stats().heuristic;
        if (r.self_check_failure.empty()) r.self_check_failure = self_check_failure;
    }

private:
    /// The cycle proviso's question for reduce::StubbornSets, on the host, about a buffered
    /// successor's stored form.
    template <class Host>
    struct Closes {
        Expander& x;
        Host& host;
        bool operator()(const std::uint8_t* next) {
            const std::size_t k = x.por_->successor_slot(next);
            return host.closes(x.cached_form(k, next), x.lookups_[k]);
        }
        void prefetch(const std::uint8_t* next) {
            const std::size_t k = x.por_->successor_slot(next);
            if (x.lookups_[k].hashed) return;  // fetched already, as the steps fired
            host.prefetch(x.cached_form(k, next), x.lookups_[k]);
        }
    };

    void measure(const std::uint8_t* s);
    /// Keeps a --por-check breach ("" for none) unless one is kept already.
    void keep_first_failure(std::string failure) {
        if (!failure.empty() && self_check_failure.empty()) self_check_failure = std::move(failure);
    }
    /// Forgets the last expansion's forms and lookups; `n` successors are buffered now.
    void reset_cache(std::size_t n) {
        lookups_.assign(n, Lookup{});
        if (!canon_) return;
        formed_.assign(n, 0);
        if (forms_.size() < n * form_.size()) forms_.resize(n * form_.size());
    }
    /// stored_form() of buffered successor `k` (`next`), computed once per expansion. Valid
    /// until the next expansion.
    const std::uint8_t* cached_form(std::size_t k, const std::uint8_t* next) {
        if (!canon_) return next;
        std::uint8_t* at = forms_.data() + k * form_.size();
        if (!formed_[k]) {
            canon_->canonicalize(next, at);
            formed_[k] = 1;
        }
        return at;
    }

    const Plan& plan_;
    std::size_t bytes_;
    ir::Interpreter interp_;
    std::unique_ptr<reduce::StubbornSets> por_;
    std::unique_ptr<reduce::PorSelfCheck> check_;
    std::unique_ptr<ChainFollower> chain_;  ///< Plan::chains only
    std::unique_ptr<reduce::Canonicalizer> canon_;
    std::vector<std::uint8_t> scratch_, form_;
    std::vector<std::uint8_t> formed_;  ///< per buffered successor: its form is in forms_
    std::vector<std::uint8_t> forms_;   ///< the forms, form_.size() bytes per buffered successor
    std::vector<Lookup> lookups_;       ///< per buffered successor
};

/// Merges a thread's metrics into the total.
void merge_metrics(std::vector<MetricResult>& total, const std::vector<MetricResult>& part);

}  // namespace iomc::explore
