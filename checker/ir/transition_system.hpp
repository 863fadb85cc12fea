// SPDX-License-Identifier: MIT
/// @file The one interface between the language and the engines (in the spirit of LTSmin's
/// PINS): a fixed-size packed state vector, transition groups with footprints and source
/// locations, properties, and a deterministic successor function (ir::Interpreter).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "checker/ir/bytecode.hpp"
#include "checker/ir/expr.hpp"
#include "checker/ir/ids.hpp"
#include "checker/ir/state_layout.hpp"
#include "checker/ir/symmetry.hpp"
#include "checker/support/source.hpp"

namespace iomc::ir {

/// One step of a run: a group, and which of its outcomes (in fire order) happened.
struct Step {
    GroupId group{0};
    std::uint32_t outcome = 0;
    friend bool operator==(const Step&, const Step&) = default;
};

/// A control location of a process instance.
struct Location {
    support::SourceRange where;   ///< the statement that starts here
    std::string label;            ///< the .mc label naming it, if any
    bool valid_end = false;       ///< deadlock here is fine (process end, or an `end*` label)
    bool terminal = false;        ///< the process has finished
};

/// One process instance: `client(1)`.
struct Process {
    std::string name;             ///< instance name as traces print it
    std::string decl;             ///< the process declaration's name
    support::SourceRange where;
    SlotId pc{0};
    std::vector<Location> locations;
    std::vector<GroupId> group_at;  ///< per location; no_group where nothing can happen
};

/// A statement of the model, as traces name it.
struct Statement {
    support::SourceRange where;
    std::string text;             ///< "dev->iommu_group = group", one line
    std::string function;         ///< the enclosing procedure or process declaration
    /// The whole statement when `text` is shortened (an atomic block: `atomic { a; ... }`), for
    /// traces, which print everything; empty otherwise. Schedules match `text`.
    std::string full;
    [[nodiscard]] const std::string& shown() const { return full.empty() ? text : full; }
};

enum class PropertyKind : std::uint8_t {
    runtime_error,  ///< out-of-range value or index, null dereference: always checked
    deadlock,       ///< no step is possible and some process is not at a valid end
    assertion,      ///< `assert` statements (the unnamed ones together; named ones alone)
    mutex_misuse,   ///< recursive lock, unlock by a non-owner
    kref_misuse,    ///< get at zero (use after free), put at zero (underflow)
    invariant,      ///< `invariant` declarations
    use_after_free, ///< an access to an object with a lifetime after its kref dropped to zero
    liveness,       ///< `liveness` declarations: eventually, leads_to (checker/liveness/)
    lock_order,     ///< built-in, opt-in: lock classes taken in a cycle (checker/graph/lock_order.hpp)
};

/// The form of a liveness property (docs/language.md#liveness).
enum class LivenessForm : std::uint8_t {
    eventually,          ///< every fair run from the initial state reaches a goal state
    leads_to,            ///< every fair run from a trigger state reaches a goal state
    always_eventually,   ///< every fair run reaches goal states again and again
};

/// Fixed ids of the built-in properties; user properties follow.
inline constexpr PropertyId prop_runtime_error{0};
inline constexpr PropertyId prop_deadlock{1};
inline constexpr PropertyId prop_assertions{2};
inline constexpr PropertyId prop_mutex{3};
inline constexpr PropertyId prop_kref{4};
inline constexpr std::uint32_t builtin_property_count = 5;

/// One quantifier instance of an invariant: `forall d: Dev. p(d)` gives one per device.
struct InvariantCheck {
    std::string binding;          ///< "d = 1", empty without quantifiers
    Expr expr;
    Program program;
    SlotSet reads;
};

struct Property {
    PropertyId id{0};
    std::string name;
    PropertyKind kind = PropertyKind::invariant;
    std::optional<support::SourceRange> where;
    std::vector<InvariantCheck> checks;  ///< invariants only
    LivenessForm form = LivenessForm::eventually;  ///< liveness only
    /// Liveness: the goal per quantifier instance; `triggers` (leads_to only) is parallel to it.
    /// Kept out of `checks` so that the explorer and the reductions never see them.
    std::vector<InvariantCheck> goals, triggers;
    std::optional<support::SourceRange> trigger_where, goal_where;  ///< liveness: the two sides
};

/// A figure measured at the end states of complete runs: value, or value per denominator.
struct Metric {
    std::string name;
    std::optional<support::SourceRange> where;
    Expr value;
    std::optional<Expr> per;
    Program value_program;
    Program per_program;
};

/// One transition group: one location of one process instance.
struct TransitionGroup {
    GroupId id{0};
    ProcessId process{0};
    std::uint32_t location = 0;
    support::SourceRange where;
    std::string text;             ///< the statement at this location, as traces print it
    Footprint footprint;
    bool visible = false;         ///< writes a slot that some invariant reads
    Fragment code;
    Program program;              ///< the explorer's form (no statement notes)
    Program traced;               ///< the same with statement notes, for replay and traces
};

/// What was chosen to build this system: file, variant, constants.
struct ModelInfo {
    std::string file;             ///< the root .mc file as the user named it
    std::string variant;          ///< empty when the model declares none
    std::vector<std::pair<std::string, std::int64_t>> constants;  ///< after -D and the variant
    std::vector<char> constant_is_bool;  ///< parallel to constants: prints true/false
    /// Parallel to constants: how an enum, scalarset or none value prints ("naive", "Dev(1)",
    /// "none"); empty for integers and bools.
    std::vector<std::string> constant_names;
    std::vector<std::string> defines;    ///< the -D NAME=VALUE texts it was built with
    /// "3", "true": how constant i prints.
    [[nodiscard]] std::string constant_text(std::size_t i) const;
};

/// An immutable transition system. Build it by filling Data and calling the constructor, which
/// compiles every fragment and invariant, computes footprints and visibility and the model id.
/// Thread-safe for reading; firing needs an ir::Interpreter per thread.
class TransitionSystem {
public:
    struct Data {
        std::shared_ptr<const support::SourceManager> sources;
        ModelInfo info;
        StateLayout layout;
        std::vector<Process> processes;
        std::vector<TransitionGroup> groups;   ///< code filled; program/footprint computed
        std::vector<Property> properties;      ///< builtins first; invariant exprs filled
        std::vector<Statement> statements;
        std::vector<std::string> messages;
        std::vector<Metric> metrics;           ///< value exprs filled; programs compiled here
        Symmetry symmetry;                     ///< empty: no scalarsets (no symmetry reduction)
    };
    explicit TransitionSystem(Data d);

    [[nodiscard]] const StateLayout& layout() const { return d_.layout; }
    [[nodiscard]] std::span<const TransitionGroup> groups() const { return d_.groups; }
    [[nodiscard]] const TransitionGroup& group(GroupId g) const { return d_.groups[idx(g)]; }
    [[nodiscard]] std::span<const Property> properties() const { return d_.properties; }
    [[nodiscard]] const Property& property(PropertyId p) const { return d_.properties[idx(p)]; }
    [[nodiscard]] std::optional<PropertyId> find_property(std::string_view name) const;
    [[nodiscard]] std::span<const Process> processes() const { return d_.processes; }
    [[nodiscard]] const Process& process(ProcessId p) const { return d_.processes[idx(p)]; }
    [[nodiscard]] const Statement& statement(std::uint32_t s) const { return d_.statements[s]; }
    [[nodiscard]] const std::string& message(std::uint32_t m) const { return d_.messages[m]; }
    [[nodiscard]] std::span<const Metric> metrics() const { return d_.metrics; }
    [[nodiscard]] const Symmetry& symmetry() const { return d_.symmetry; }
    [[nodiscard]] const support::SourceManager& sources() const { return *d_.sources; }
    [[nodiscard]] std::shared_ptr<const support::SourceManager> sources_ptr() const { return d_.sources; }
    [[nodiscard]] const ModelInfo& info() const { return d_.info; }
    /// Hash of the IR, the variant and the constants: a trace replays only on the same id.
    [[nodiscard]] std::uint64_t model_id() const { return model_id_; }
    /// Bytes a state buffer needs: layout().bytes() plus slack for the packed accessors.
    [[nodiscard]] std::size_t state_buffer_size() const { return d_.layout.bytes() + StateLayout::slack; }
    /// Writes the initial state into `out` (state_buffer_size() bytes).
    void initial_state(std::uint8_t* out) const;
    /// True when every process is at a valid end location in `s`.
    [[nodiscard]] bool all_at_valid_end(const std::uint8_t* s) const;

    /// The mutex slot process p waits for at location l when its step there is a pure lock of a
    /// fixed mutex (the first thing every path does is `lock(m)` of a plain mutex variable m, so
    /// it cannot fire while another process holds m), or UINT32_MAX. The symbolic encoder reads
    /// it; wait_cycle() also sees the pure locks of a mutex the state selects (wait_key()).
    [[nodiscard]] std::uint32_t lock_wait(std::uint32_t p, std::uint32_t l) const {
        return lock_wait_[lock_base_[p] + l];
    }
    /// What the wait-cycle check reads of process p's pc at location l: lock_wait(p, l) at a pure
    /// lock of a fixed mutex; dynamic_lock_wait at a pure lock whose mutex the state selects (an
    /// element with a computed index, `lock(group_mutex[dev_group[d]])`, or a mutex in an object
    /// with a lifetime, whose use-after-free checks come first); UINT32_MAX elsewhere. A step
    /// that changes it moves its process onto or off a pure lock location (stubborn sets make
    /// such steps visible to the wait-cycle check).
    [[nodiscard]] std::uint32_t wait_key(std::uint32_t p, std::uint32_t l) const {
        const auto w = wait_at_[lock_base_[p] + l];
        if (w == UINT32_MAX) return UINT32_MAX;
        return waits_[w].fixed;
    }
    /// Everything the wait-cycle check reads of process p's pc at location l: wait_key() and
    /// wait_breaker(). A step that changes it is visible to that check.
    [[nodiscard]] std::uint64_t wait_view(std::uint32_t p, std::uint32_t l) const {
        return wait_key(p, l) | std::uint64_t{wait_breaker(p, l)} << 32;
    }
    /// The marker wait_key() gives for a pure lock of a mutex the state selects.
    static constexpr std::uint32_t dynamic_lock_wait = UINT32_MAX - 1;
    /// True when some step is a pure lock, so that processes can wait for each other in a cycle.
    [[nodiscard]] bool has_lock_waits() const { return !waits_.empty(); }
    /// The mutex slot process p waits for in `s`: p is at a pure lock location, its
    /// use-after-free checks (if any) pass and the lock's indices are in range, so the step
    /// blocks exactly while another process holds that slot. UINT32_MAX otherwise (the step
    /// would report instead of blocking, or p is elsewhere).
    [[nodiscard]] std::uint32_t waited_mutex(std::uint32_t p, const std::uint8_t* s) const;
    /// Processes that wait for each other in a cycle in `s` (a deadlock even while other
    /// processes can still move): each is at a pure lock of a mutex that the next one holds,
    /// and the last waits for a mutex the first holds (waited_mutex()). A held mutex is released
    /// only by its owner, and every owner in the cycle is blocked, so none of them can move
    /// again, unless a process outside the cycle changes which mutex one of them waits for: a
    /// cycle counts only when no other process may still, from its location, write a slot that
    /// the cycle's selected mutexes are chosen by (wait_breaks()), or when every process that
    /// may is itself blocked on a chain of waits into the cycle and no process outside cycle
    /// and chains may write what selects any of their mutexes. Empty when there is no such
    /// cycle; otherwise starts at the lowest process id.
    [[nodiscard]] std::vector<std::uint32_t> wait_cycle(const std::uint8_t* s) const;
    /// The slots wait_cycle() reads besides the pcs: every mutex a pure lock step can wait for
    /// (the whole array for a computed index), the slots its indices read and the slots its
    /// use-after-free checks read. Through wait_key() it also reads the pcs of the processes with
    /// such steps: a step changes its verdict only if it writes one of these slots or changes
    /// wait_key() of its process (the partial-order reduction makes exactly those steps visible
    /// to the check).
    [[nodiscard]] const SlotSet& wait_reads() const { return wait_reads_; }
    /// The slots of wait_reads() that other processes' steps can write to release a wait
    /// cycle through a mutex the state selects: its indices' slots and its use-after-free
    /// checks' slots (not the mutexes: only their owners release them).
    [[nodiscard]] const SlotSet& wait_breaks() const { return wait_breaks_; }
    /// Which of wait_breaks() process p may still write from location l (its future: every
    /// location its steps can reach), as a class number: two locations of p with the same
    /// class may write the same such slots. 0 where it may write none of them. A step that
    /// changes it can change wait_cycle()'s verdict (it is visible to the wait-cycle check).
    [[nodiscard]] std::uint32_t wait_breaker(std::uint32_t p, std::uint32_t l) const {
        return breaker_.empty() ? 0 : breaker_[lock_base_[p] + l];
    }

    /// A pure lock location: the lock's target and the use-after-free checks before it.
    struct LockWait {
        std::uint32_t fixed = dynamic_lock_wait;  ///< the mutex slot, or dynamic_lock_wait
        std::uint32_t group = 0;                  ///< the group, by index
        std::uint32_t lock = 0;                   ///< its `lock` instruction, by index
        std::vector<std::uint32_t> unless;        ///< its `check`s before it: the step reports if one holds
        SlotSet breaks;                           ///< the slots its index and checks read
    };
    /// The pure lock of process p at location l, or nullptr (the symbolic engines encode
    /// wait_cycle() from these).
    [[nodiscard]] const LockWait* pure_lock(std::uint32_t p, std::uint32_t l) const {
        const auto w = wait_at_[lock_base_[p] + l];
        return w == UINT32_MAX ? nullptr : &waits_[w];
    }
    /// The wait_breaks() slots a process of wait_breaker() class `cls` may still write.
    [[nodiscard]] const SlotSet& breaker_writes(std::uint32_t cls) const { return breaker_writes_[cls]; }

private:
    void find_lock_waits(const FixedSlots& fixed);
    void find_wait_breakers();
    /// True when a process outside `cycle` (processes that each wait at a pure lock in `s`)
    /// may still write a slot that selects the mutex one of them waits for.
    [[nodiscard]] bool cycle_may_break(const std::vector<std::uint32_t>& cycle, const std::uint8_t* s) const;

    Data d_;
    std::vector<std::size_t> lock_base_;        ///< per process: index of its location 0
    std::vector<std::uint32_t> lock_wait_;      ///< per (process, location)
    std::vector<std::uint32_t> wait_at_;        ///< per (process, location): index into waits_
    std::vector<LockWait> waits_;
    SlotSet wait_reads_;
    SlotSet wait_breaks_;
    std::vector<std::uint32_t> breaker_;        ///< per (process, location): wait_breaker()
    std::vector<SlotSet> breaker_writes_;       ///< per class: the wait_breaks() slots it may write
    std::uint64_t model_id_ = 0;
};

/// Formats a runtime message template ("{value}" is replaced by `value`).
std::string format_message(const std::string& tmpl, std::int64_t value);

}  // namespace iomc::ir
