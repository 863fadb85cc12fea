// SPDX-License-Identifier: MIT
/// @file Partial-order reduction by strong stubborn sets over processes, computed per state
/// from footprints recorded at that state (an array element per index value) against the
/// static future footprints of the other processes, with mutex semantics: a step blocked on
/// `lock(m)` can only be enabled by a release of m, and a process waiting at a pure `lock(m)`
/// for a mutex that a stubborn process holds cannot move past it. Bools taken as locks
/// (bool_locks.hpp) are mutexes here, their owner read off the locations.
///
/// References: A. Valmari, "Stubborn sets for reduced state space generation" (1989) and
/// "The state explosion problem" (1998), conditions D0, D1, D2 and V; A. Laarman, E. Pater,
/// J. van de Pol, M. Weber, "Guard-based partial-order reduction" (SPIN 2013), necessary
/// enabling sets from guards; LTSmin's pins2lts POR layer (`por-check` mode).
///
/// Conditions the chosen set S of processes satisfies in state s (T = the current steps of S):
/// - D0: if some process can step, S contains one that can (the seed).
/// - D1/D2: for every step t in T that is enabled, no process outside S can, in any sequence of
///   steps outside T, write what t read or wrote at s, or read what t wrote: t commutes with
///   every such sequence and stays enabled after it (each enabled t is a key step).
/// - Necessary enabling: for every disabled t in T, no process outside S can write what t
///   read at s before it blocked; so no sequence outside T enables t.
/// - V: if an enabled t in T writes a slot a checked invariant reads, S contains every process
///   that may still write such a slot.
/// Reports (assertion, mutex, kref, runtime errors) need no visibility: they are steps whose
/// reachability D1, D2 and the cycle proviso preserve. The cycle proviso makes every cycle of
/// the reduced graph hold a fully expanded state (no step is put off forever), in one of two
/// ways (Proviso):
/// - static (the default): a reduced set holds no step along a back edge of its process's
///   control flow (PorTables::back_edge). In a cycle of states every process that moves comes
///   back to its location, so its steps walk a cycle of its locations, which holds a back edge
///   of any depth-first search of them (steps that increase a counter nothing decreases are on
///   no cycle of states and are left out of that search: monotone.hpp): some step of the state
///   cycle is a back-edge step, and the state it leaves was expanded fully. With symmetry the
///   cycle of canonical states lifts to one of concrete states (the permutation's power that is
///   the identity), and instances a permutation swaps have the same back edges. After Kurshan,
///   Levin, Minea, Peled and Yenigun, "Static partial order reduction" (TACAS 1998). It needs
///   no lookup of the successors, and the reduced graph is the same for BFS, DFS and the
///   parallel search.
/// - stored: a reduced set is emitted only if none of its successors was discovered no later
///   than the state itself; every cycle of the reduced graph holds such an edge. The search
///   supplies the test (an index comparison), sound for BFS, DFS and the parallel search, whose
///   indices grow with discovery. Fewer full expansions where processes loop a bounded number
///   of times on a bound the static test cannot see (it sees only counters that nothing
///   decreases: monotone.hpp), more where they do not loop.
/// Of the candidate sets (one per enabled seed process) the cheapest that passes is taken (after
/// Evangelista and Pajault, "Solving the ignoring problem for partial order reduction", STTT
/// 2010: try another set before widening).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "checker/ir/interp.hpp"
#include "checker/reduce/por_tables.hpp"

namespace iomc::reduce {

/// How one state was expanded.
struct Expansion {
    bool reduced = false;    ///< only the stubborn set's steps were emitted
    bool proviso = false;    ///< a reduced set was widened to all steps by the cycle proviso
    bool no_successor = false;  ///< widened because the stubborn steps gave no successor
};

/// Counts over a search.
struct PorStats {
    std::uint64_t expanded = 0;    ///< states expanded
    std::uint64_t reduced = 0;     ///< of those, with a proper subset of the enabled processes
    std::uint64_t proviso = 0;     ///< widened by the cycle proviso
    std::uint64_t no_successor = 0;  ///< widened: the stubborn steps had no successor
};

/// One process's current step in the state being expanded.
struct ProcessStep {
    ir::GroupId group = ir::no_group;
    bool enabled = false;       ///< fired at least one outcome (a successor or a report)
    bool visible = false;       ///< wrote a slot some checked invariant reads
    bool loops = false;         ///< a successor follows a back edge (static proviso only)
    std::vector<std::uint32_t> visible_checks;  ///< the checks whose slots it wrote
    std::uint32_t location = 0;
    ir::Access access;
    std::uint32_t first = 0;    ///< its emissions in the buffer
    std::uint32_t count = 0;
};

/// Computes stubborn sets and emits the reduced successors. One per search thread (it holds
/// the interpreter and scratch buffers); the tables are shared.
class StubbornSets {
public:
    /// `checks`: per checked invariant check (quantifier instance), the slots it reads, each a
    /// bitset over slots of tables.words() words, concatenated. `wait_check`: the last check is
    /// the wait-cycle part of deadlock (TransitionSystem::wait_cycle()), whose slots are
    /// TransitionSystem::wait_reads(); a step is visible to it also when it changes its process's
    /// TransitionSystem::wait_key(), and condition V for it takes each other process's whole
    /// future (a move onto a lock location that stays blocked is still visible).
    StubbornSets(const ir::TransitionSystem& ts, const PorTables& tables, ir::Interpreter& interp,
                 std::vector<std::uint64_t> checks, bool wait_check = false, Proviso proviso = Proviso::static_loops);

    /// Expands `s`. With the stored proviso, `closes(next)` says whether a successor would close
    /// a cycle of the reduced graph (it is stored already and was discovered no later than `s`);
    /// the static proviso never calls it. Among the stubborn sets (one per enabled seed
    /// process), the cheapest that passes the proviso (static: none of its steps follows a back
    /// edge; stored: none of its successors closes a cycle) is emitted; if none passes, or the
    /// stubborn steps give no successor, all steps are (full expansion: the cycle proviso).
    /// Calls emit(GroupId, const Emission&) for each emitted step, processes in id order;
    /// emissions are those of Interpreter::successors(). `recorded(n)`, if given, is called
    /// once the steps have been fired, with the number of successors buffered
    /// (successors_buffered()), before any closes() or emit().
    template <class Closes, class Emit>
    Expansion expand(const std::uint8_t* s, Closes&& closes, Emit&& emit) {
        return expand(s, closes, emit, [](std::size_t) {});
    }
    template <class Closes, class Emit, class Recorded>
    Expansion expand(const std::uint8_t* s, Closes&& closes, Emit&& emit, Recorded&& recorded) {
        record(s);
        recorded(successors_buffered());
        candidates(s);
        Expansion x;
        std::uint64_t chosen = all_;
        bool widened_by_cycle = false;
        for (const auto set : candidates_) {
            if (!any_successor(set)) continue;
            if (proviso_ == Proviso::static_loops ? loops(set) : closes_cycle(set, closes)) {
                widened_by_cycle = true;
                continue;
            }
            chosen = set;
            break;
        }
        x.reduced = (chosen & enabled_) != enabled_;
        x.proviso = !x.reduced && widened_by_cycle;
        x.no_successor = !x.reduced && !widened_by_cycle && !candidates_.empty();
        last_chosen_ = chosen;
        emit_set(chosen, emit);
        ++stats_.expanded;
        if (x.reduced) ++stats_.reduced;
        if (x.proviso) ++stats_.proviso;
        if (x.no_successor) ++stats_.no_successor;
        return x;
    }

    /// Whether `s` has (under the static proviso) a stubborn set that is one step of one
    /// process with one outcome, which has a successor, follows no back edge and is invisible
    /// (writes no slot a check reads, and moves no process on or off a wait): then that
    /// successor (in this object's buffer, valid until the next call) and, in `step`, the
    /// step; else null. Of several, the one of the lowest process: a function of the state.
    /// Only the seeds with such a step are closed, and no candidate is sorted. A search may
    /// pass through such a state without storing it, as if it were expanded with that set
    /// (single-step chains, checker/explore/chains.hpp). Counts nothing in stats(); sets
    /// last_chosen() (the set), and steps() for the processes it fired (every process with
    /// record_every_step()).
    const std::uint8_t* single_step(const std::uint8_t* s, ir::Step& step);
    /// Let single_step() fire every process, as expand() does (for the self-check, which reads
    /// steps()); by default it fires only those its seeds and closures reach.
    void record_every_step(bool on) { full_record_ = on; }
    /// During expand()'s emission: the process step whose emission is being emitted.
    [[nodiscard]] const ProcessStep& emitting() const { return *emitting_; }

    [[nodiscard]] const PorStats& stats() const { return stats_; }
    /// The processes the last expand() chose, as a bitmask over process ids.
    [[nodiscard]] std::uint64_t last_chosen() const { return last_chosen_; }
    /// Per process, the current step of the state last expanded.
    [[nodiscard]] const std::vector<ProcessStep>& steps() const { return steps_; }
    /// Bytes of the successor of buffered emission i (of the last expanded state).
    [[nodiscard]] const std::uint8_t* buffered_state(std::uint32_t i) const { return states_.data() + buffered_[i].state_at; }
    [[nodiscard]] const ir::Emission& buffered(std::uint32_t i) const { return buffered_[i].e; }
    /// Successors buffered for the last expanded state, and the slot (0 to that count) of one,
    /// given the pointer closes() and emit() passed for it.
    [[nodiscard]] std::size_t successors_buffered() const { return states_.size() / stride(); }
    [[nodiscard]] std::size_t successor_slot(const std::uint8_t* next) const {
        return static_cast<std::size_t>(next - states_.data()) / stride();
    }
    /// The buffered successor in slot k.
    [[nodiscard]] const std::uint8_t* successor_in(std::size_t k) const { return states_.data() + k * stride(); }
    /// The slots invariant check c reads (a bitset over slots).
    [[nodiscard]] Words check_reads(std::uint32_t c) const {
        return {checks_.data() + c * tables_.words(), tables_.words()};
    }
    /// The index of the wait-cycle check among the checks, or UINT32_MAX.
    [[nodiscard]] std::uint32_t wait_check() const { return wait_check_; }

    /// Tests of the self-check only: ignore condition V, so that the sets are wrong.
    void break_visibility_for_testing() { break_visibility_ = true; }

    /// Processes (at most this many) the reduction handles; more: every state is expanded fully.
    static constexpr std::size_t max_processes = 64;

private:
    struct Buffered {
        ir::Emission e;
        std::size_t state_at = 0;
    };

    /// Fires every process's current step with access recording and buffers the emissions.
    void record(const std::uint8_t* s);
    /// Reads every process's location and step at `s` and forgets what was fired.
    void locate(const std::uint8_t* s);
    /// Fires process p's current step at the located state, with access recording.
    void fire(std::uint32_t p);
    /// Fires every process not fired yet.
    void record_rest();
    /// Fills candidates_: the distinct proper stubborn sets, cheapest first (none when every
    /// set is the full one or the reduction is off).
    void candidates(const std::uint8_t* s);
    std::uint64_t closure(std::uint32_t seed);
    /// Fills owner_ for the mutexes of the tables at `s` (after locate(s): bool locks' owners
    /// come from the locations).
    void read_owners(const std::uint8_t* s);
    /// The number of emissions of the enabled processes of `set`.
    [[nodiscard]] std::uint64_t cost(std::uint64_t set) const;
    [[nodiscard]] bool any_successor(std::uint64_t set) const;
    /// Whether a step of `set` follows a back edge (the static proviso).
    [[nodiscard]] bool loops(std::uint64_t set) const {
        for (std::uint32_t p = 0; p < steps_.size(); ++p)
            if ((set >> p & 1U) != 0 && steps_[p].loops) return true;
        return false;
    }
    template <class Closes>
    bool closes_cycle(std::uint64_t set, Closes& closes) const {
        // A closes() that can prefetch is told every successor of the set first, so that the
        // cache misses of their lookups overlap instead of coming one after another.
        if constexpr (requires(const std::uint8_t* next) { closes.prefetch(next); }) {
            any_buffered(set, [&](const ProcessStep&, std::uint32_t k) {
                if (buffered_[k].e.next) closes.prefetch(buffered_state(k));
                return false;
            });
        }
        return any_buffered(set, [&](const ProcessStep&, std::uint32_t k) {
            return buffered_[k].e.next && closes(buffered_state(k));
        });
    }
    /// Calls f(step, k) for each buffered emission k of the processes in `set`, in process
    /// order, until f returns true; true if it did.
    template <class F>
    bool any_buffered(std::uint64_t set, F&& f) const {
        for (std::uint32_t p = 0; p < steps_.size(); ++p) {
            if ((set >> p & 1U) == 0) continue;
            const auto& ps = steps_[p];
            for (std::uint32_t k = ps.first; k < ps.first + ps.count; ++k)
                if (f(ps, k)) return true;
        }
        return false;
    }
    /// The future footprint of process q when the mutexes held by processes in `set` stay held.
    const Future& future_of(std::uint32_t q, std::uint64_t set);

    template <class Emit>
    void emit_set(std::uint64_t set, Emit& emit) {
        any_buffered(set, [&](const ProcessStep& ps, std::uint32_t k) {
            emitting_ = &ps;
            ir::Emission e = buffered_[k].e;
            if (e.next) e.next = buffered_state(k);
            emit(ps.group, e);
            return false;
        });
    }

    [[nodiscard]] std::size_t stride() const { return bytes_ + ir::StateLayout::slack; }

    const ir::TransitionSystem& ts_;
    const PorTables& tables_;
    ir::Interpreter& interp_;
    std::vector<std::uint64_t> checks_;     ///< per check, words each
    std::uint32_t n_checks_ = 0;
    std::uint32_t wait_check_ = UINT32_MAX;
    std::vector<std::uint64_t> visible_;    ///< union of the checks' slots
    std::size_t bytes_;
    bool active_ = true;
    Proviso proviso_;
    std::vector<ProcessStep> steps_;
    std::vector<Buffered> buffered_;
    std::vector<std::uint8_t> states_;
    std::uint64_t enabled_ = 0;
    std::uint64_t all_ = 0;                 ///< every process
    std::uint64_t last_chosen_ = 0;
    const ProcessStep* emitting_ = nullptr;
    std::vector<std::uint64_t> candidates_;
    const std::uint8_t* state_ = nullptr;   ///< the state located last
    std::uint64_t fired_ = 0;               ///< processes fired at state_ (the first 64)
    bool full_record_ = false;
    std::vector<std::uint64_t> rw_;         ///< per process: reads | writes, words each
    std::vector<std::int64_t> owner_;       ///< per mutex of tables_.mutexes(): owner or -1
    /// Cut futures by (process, location, cut), at most 32 lock targets a process.
    std::unordered_map<std::uint64_t, std::unique_ptr<Future>> cut_cache_;
    Future uncached_;
    PorStats stats_;
    bool break_visibility_ = false;
};

}  // namespace iomc::reduce
