// SPDX-License-Identifier: MIT
/// @file The IR's transition relation in Z3, from the bytecode alone: every group's program is
/// executed symbolically (paths merged where they meet: execute.cpp), over one bit-vector per slot (the stored value minus the
/// slot's lowest value, in the slot's width). Stack values are 64-bit bit-vectors, so arithmetic,
/// comparisons and division wrap and truncate exactly as ir::Interpreter's int64 arithmetic.
/// Internal to checker/symbolic: only its .cpp files include Z3.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <z3++.h>

#include "checker/ir/interp.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::symbolic {

/// A construct the encoding does not support (yet): the engine stops with this text, exit 2.
struct Unsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The engine's time limit ran out while the encoding was being built: "time limit 5s reached
/// while encoding step 'x' of p". The engines make it an incomplete verdict with this reason.
struct TimeUp : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The engine's time limit, polled while the encoding is built (it can take long before the
/// solver, whose own timeout covers solving, ever runs).
class Deadline {
public:
    Deadline() = default;  ///< none
    /// `seconds` from `start`; 0: none.
    Deadline(std::chrono::steady_clock::time_point start, double seconds) : start_(start), seconds_(seconds) {}
    /// Throws TimeUp naming `what` (the program being encoded) once the limit is reached.
    void poll(const std::string& what) const;
    /// The limit is set and reached.
    [[nodiscard]] bool expired() const;
    /// When the limit is reached; nullopt when there is none.
    [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> when() const;

private:
    std::chrono::steady_clock::time_point start_{};
    double seconds_ = 0;
};

/// The solver of the unrolling engines (BMC, k-induction): Z3's solver for QF_BV, which
/// bit-blasts each new assertion once and gives the clauses to its incremental SAT solver
/// (push/pop as activation literals). Z3's default incremental solver (its SMT core, with lazy
/// bit-vector theory) took 100 s to reach depth 17 on a_66 at N_DEVS = 1 where this one finds the
/// race at depth 38 in 43 s (docs/symbolic.md). Every formula the encoder builds is QF_BV.
[[nodiscard]] z3::solver make_solver(z3::context& c);

/// A solver's reason_unknown() says it was stopped by the time limit: Z3's own timeout
/// ("timeout"), or Watchdog's interrupt ("canceled" from the SMT core, "interrupted" from the
/// SAT solver).
[[nodiscard]] bool stopped_by_limit(const std::string& why);

/// Interrupts Z3 (Z3_interrupt) on `c` when `deadline` passes, from a thread of its own: Z3
/// does not always honour its own timeout (preprocessing, simplification), and neither the
/// engines' polls nor Z3's timeout then stop a long call. Interrupted, a check returns unknown
/// ("canceled") and other calls throw z3::exception; the engines read both as the time limit.
class Watchdog {
public:
    Watchdog(z3::context& c, const Deadline& deadline);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// A Z3 context for one engine run. Z3_del_context on a solver that ran for minutes takes tens
/// of seconds (14 s after a 30 s BMC run on a_66 at N_DEVS = 6, loaded machine), which would
/// push a verdict reached at the time limit as far past it. release_if(true) makes the context
/// outlive the run instead (it is never deleted: the process, which prints the verdict and
/// exits, gives the memory back); the engines ask for it only when the time limit stopped a
/// solver that had run (never for the unit tests' tiny limits, which stop the encoding).
class EngineContext {
public:
    EngineContext() : c_(std::make_unique<z3::context>()) {}
    ~EngineContext() {
        if (keep_) abandon(std::move(c_));
    }
    EngineContext(const EngineContext&) = delete;
    EngineContext& operator=(const EngineContext&) = delete;
    [[nodiscard]] z3::context& get() { return *c_; }
    void release_if(bool keep) { keep_ = keep; }

private:
    /// Keeps `c` alive until the process exits, reachable from a static list (so that leak
    /// checkers do not report it, and a test process that hits many time limits can count
    /// them): deleting it is what takes the time.
    static void abandon(std::unique_ptr<z3::context> c);
    std::unique_ptr<z3::context> c_;
    bool keep_ = false;
};

/// One state: one expression per slot (a 1-bit zero for slots of width 0, which hold one value).
using SymState = std::vector<z3::expr>;

/// One outcome of a group's program over the encoder's current-state variables.
struct Outcome {
    explicit Outcome(z3::expr c) : cond(std::move(c)) {}
    z3::expr cond;                  ///< when this path runs (the group's location included)
    bool successor = false;         ///< true: `next` is the successor; false: a report
    SymState next;                  ///< successors only
    ir::PropertyId prop = ir::no_property;  ///< reports only
    bool stops = false;             ///< reports only: the path ends there
};

/// An expression program's value and when it cannot be evaluated (runtime error).
struct ExprValue {
    z3::expr value;
    z3::expr error;
};

class Encoder {
public:
    /// Executes every group's program symbolically; throws Unsupported, and TimeUp when
    /// `deadline` passes (also later, in check_fails()). `merge_for`: the selected properties
    /// (safety.hpp selection()) for which every successor outcome is extended with the local
    /// steps its process takes next (merge.cpp: local_steps(), merged()); empty: no merging,
    /// one outcome per step as the explicit engine counts them. `concurrent`: a step fires a set
    /// of outcomes of different processes that commute (concurrent.cpp), not one outcome.
    Encoder(z3::context& c, const ir::TransitionSystem& ts, Deadline deadline = {},
            const std::vector<char>& merge_for = {}, bool concurrent = false);

    [[nodiscard]] z3::context& ctx() const { return c_; }
    [[nodiscard]] const ir::TransitionSystem& ts() const { return ts_; }
    /// Fresh variables for one state: "<prefix><slot index>".
    [[nodiscard]] SymState fresh_state(const std::string& prefix) const;
    /// The outcomes of group g, over current().
    [[nodiscard]] const std::vector<Outcome>& outcomes(ir::GroupId g) const { return outcomes_[ir::idx(g)]; }
    /// `e` with the current-state variables replaced by `s`.
    [[nodiscard]] z3::expr at(const z3::expr& e, const SymState& s) const;

    /// The initial state.
    [[nodiscard]] z3::expr initial(const SymState& s) const;
    /// Every slot holds a value of its range.
    [[nodiscard]] z3::expr in_range(const SymState& s) const;
    /// One step from s to t (any group, any successor outcome). Each call names a fresh
    /// selector (which outcome the step takes): every slot of t is an if-then-else over the
    /// outcomes that change it, s's value otherwise, so that the formula grows with what the
    /// outcomes write, not with outcomes times slots. Concurrent: one selector per process that
    /// has a step, each naming one of its outcomes or none (at least one names an outcome).
    /// `sels`, if given, receives the step's selectors (for fired()).
    [[nodiscard]] z3::expr transition(const SymState& s, const SymState& t,
                                      std::vector<z3::expr>* sels = nullptr) const;
    /// transition(), or t == s (a stutter) when `stutter` holds.
    [[nodiscard]] z3::expr transition_or_stutter(const SymState& s, const SymState& t, const z3::expr& stutter,
                                                 std::vector<z3::expr>* sels = nullptr) const;
    /// Concurrent steps (concurrent.cpp)?
    [[nodiscard]] bool concurrent() const { return concurrent_; }
    /// One outcome a concurrent step fires: its process, and the slots it may write.
    struct Fired {
        ir::ProcessId proc;
        const std::vector<std::uint32_t>* writes;
    };
    /// The outcomes a concurrent step fires in model m, given the selectors transition() gave
    /// for it, in process order. Any order replays: they touch disjoint slots.
    [[nodiscard]] std::vector<Fired> fired(const z3::model& m, const std::vector<z3::expr>& sels) const;
    /// Concurrent: the step whose selectors are `sels` (from transition()) fires no outcome of
    /// a process marked in `idle` (per process).
    [[nodiscard]] z3::expr idle(const std::vector<z3::expr>& sels, const std::vector<char>& idle) const;
    /// Concurrent: the processes that have a step (each has a selector).
    [[nodiscard]] std::size_t movers() const { return movers_.size(); }
    /// Concurrent: the step whose selectors are `next` is canonical after the one whose
    /// selectors are `prev` (both from transition()): every outcome it fires depends on one the
    /// step before fired (same process, or a slot one writes and the other touches), so that it
    /// could not have fired a step earlier (concurrent.cpp: Foata normal form).
    [[nodiscard]] z3::expr canonical(const std::vector<z3::expr>& prev, const std::vector<z3::expr>& next) const;
    /// Is group g a local step that successor outcomes absorb (merge_for was given)? Then a
    /// successor outcome of its process that reaches its location goes on through it (bounded by
    /// max_merged_chain, never twice through one location).
    [[nodiscard]] bool merged(ir::GroupId g) const { return !local_.empty() && local_[ir::idx(g)] != 0; }
    [[nodiscard]] bool merging() const { return !local_.empty(); }
    /// Groups absorbed into their predecessors (merged()).
    [[nodiscard]] std::size_t merged_groups() const;
    /// Some step from s has a successor.
    [[nodiscard]] z3::expr enabled(const SymState& s) const;
    /// Some path from s ends in a report that stops it (a crash: no deadlock then).
    [[nodiscard]] z3::expr crashes(const SymState& s) const;
    /// Some step from s reports property p.
    [[nodiscard]] z3::expr reports(const SymState& s, ir::PropertyId p) const;
    /// Every process is at a valid end location.
    [[nodiscard]] z3::expr all_at_valid_end(const SymState& s) const;
    /// Invariant check `ck` fails in s: it is false or cannot be evaluated.
    [[nodiscard]] z3::expr check_fails(const SymState& s, const ir::InvariantCheck& ck) const;

    /// Slot value (stored value plus lo) as a 64-bit expression.
    [[nodiscard]] z3::expr value(const SymState& s, ir::SlotId slot) const;

private:
    void build_step();
    /// The concurrent step relation (concurrent.cpp), instead of build_step().
    void build_concurrent_step();
    /// The local steps (merge.cpp), and every successor outcome extended through them.
    void merge_local_steps(const std::vector<char>& sel);
    std::vector<Outcome> chain(const std::vector<std::vector<Outcome>>& base, const Outcome& o, const ir::Process& proc,
                               std::vector<std::uint32_t>& visited) const;

    z3::context& c_;
    const ir::TransitionSystem& ts_;
    Deadline deadline_;
    SymState cur_;
    z3::expr_vector cur_vec_;
    std::vector<std::vector<Outcome>> outcomes_;
    std::vector<char> local_;  ///< per group: merged(); empty without merging
    /// The step relation over cur_, nxt_ and the selector sel_ (transition()).
    SymState nxt_;
    z3::expr_vector nxt_vec_;
    std::optional<z3::expr> sel_;
    std::optional<z3::expr> step_;
    mutable std::uint64_t steps_made_ = 0;
    /// Concurrent steps: per process with a successor outcome, its outcomes (selector value k:
    /// outs[k]; outs.size(): none), the slots each may write, and its selector.
    struct Mover {
        ir::ProcessId proc;
        std::vector<const Outcome*> outs;
        std::vector<std::vector<std::uint32_t>> writes;
        std::vector<std::vector<std::uint32_t>> touches;  ///< read or may write
    };
    bool concurrent_ = false;
    std::vector<Mover> movers_;
    z3::expr_vector psel_;
    /// canonical() over psel_ (the later step) and prev_psel_ (the step before).
    z3::expr_vector prev_psel_;
    std::optional<z3::expr> canon_;
};

/// The most local steps one successor outcome absorbs (merge.cpp).
inline constexpr std::uint32_t max_merged_chain = 32;

/// The locations a concrete replay of a merged step goes through: from `u`, reached by a step
/// of process `proc` from location `from`, the local steps that follow (merged()). Appends
/// them to `steps` and leaves the final state in `u`.
void replay_merged(const ir::TransitionSystem& ts, ir::Interpreter& in, const Encoder& enc, ir::ProcessId proc,
                   std::uint32_t from, std::vector<std::uint8_t>& u, std::vector<ir::Step>& steps);

/// Executes one program symbolically over `s` (execute.cpp): fragments give outcomes under
/// `base`, expressions a value. `assume` (the slot ranges of `s`) prunes infeasible branches of
/// long paths. `what` names the program in an Unsupported or TimeUp error; `deadline` is polled
/// as the execution goes.
std::vector<Outcome> execute_fragment(z3::context& c, const ir::StateLayout& layout, const ir::Program& p,
                                      const SymState& s, const z3::expr& base, const z3::expr& assume,
                                      const std::string& what, const Deadline& deadline = {});
ExprValue execute_expression(z3::context& c, const ir::StateLayout& layout, const ir::Program& p,
                             const SymState& s, const z3::expr& assume, const std::string& what,
                             const Deadline& deadline = {});

}  // namespace iomc::symbolic
