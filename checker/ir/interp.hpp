// SPDX-License-Identifier: MIT
/// @file The successor function: runs a group's bytecode on a packed state and reports each
/// outcome in a fixed order. Same inputs, same calls: replay and the differential tests rely on it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::ir {

/// One outcome of firing a group.
struct Emission {
    std::uint32_t index = 0;            ///< position in fire order: the Step's outcome
    const std::uint8_t* next = nullptr; ///< the successor, or null for a violation report
    PropertyId prop = no_property;      ///< set for violation reports
    std::uint32_t message = 0;          ///< message template (see format_message)
    std::int64_t value = 0;             ///< the value the message mentions
    std::uint32_t stmt = UINT32_MAX;    ///< the statement that ran (first note on the path)
    bool stops = false;                 ///< the violating path had no successor
    /// Violation reports (traced programs): the state as the path had it when it reported
    /// (valid during the callback), and the last statement noted before, the one that failed
    /// (inside an atomic block, the statement of the block, not the block).
    const std::uint8_t* at = nullptr;
    std::uint32_t at_stmt = UINT32_MAX;
    /// Traced programs: the bit offset of the variable the path's last `choose` set, or -1.
    std::int32_t chose_bit = -1;
};

/// Outcome of evaluating an invariant check.
struct EvalResult {
    bool ok = true;                     ///< false: a runtime error (index out of range, none)
    std::int64_t value = 0;
    std::uint32_t message = 0;
    std::int64_t detail = 0;
};

/// The slots one firing of a group read and wrote, over all its paths, as bitsets over slot
/// indices (64 per word). Exact for the state it was recorded in: element accesses name the
/// element the index selected. The reductions compute stubborn sets from it.
struct Access {
    std::vector<std::uint64_t> reads;
    std::vector<std::uint64_t> writes;
    [[nodiscard]] static bool has(const std::vector<std::uint64_t>& set, SlotId s) {
        return (set[idx(s) / 64] >> (idx(s) % 64) & 1U) != 0;
    }
};

/// A lock or an unlock one path of a step ran (fire_locks), in the order of the path: the mutex,
/// whether it was released (`unlock`) or taken, the lockdep subclass of the `lock`/`lock_nested`
/// that took it, and the statement it is in (inside an atomic block, the statement of the block).
/// A lock that blocks or is recursive ends its path, so it is never listed.
struct LockEvent {
    SlotId mutex{0};
    std::uint8_t subclass = 0;
    bool unlock = false;
    std::uint32_t stmt = UINT32_MAX;
};

/// Runs groups and expressions. Holds scratch buffers: not thread-safe, one per thread.
/// The `next` buffer of an emission is valid only during the callback. A callback may call
/// eval() (it has its own stack) but must not call fire() or successors() on the same
/// interpreter.
class Interpreter {
public:
    explicit Interpreter(const TransitionSystem& ts);

    /// Calls f(const Emission&) once per outcome of `g` in `s`, in a fixed order; nothing if the
    /// process is not at the group's location or every path blocks. Emissions name the statement
    /// that ran (Emission::stmt).
    template <class F>
    void fire(GroupId g, const std::uint8_t* s, F&& f) {
        const auto& grp = ts_.group(g);
        const auto& proc = ts_.process(grp.process);
        if (static_cast<std::uint32_t>(ts_.layout().read(s, proc.pc)) != grp.location) return;
        run(grp.traced, s, &call<F>, &f);
    }

    /// Calls f(GroupId, const Emission&) for every outcome of every process in `s`, processes in
    /// id order. Returns the number of emissions with a successor. The explorer's fast path:
    /// Emission::stmt is not set. Outcome indices are the same as fire()'s.
    template <class F>
    std::uint32_t successors(const std::uint8_t* s, F&& f) {
        std::uint32_t n = 0;
        for (const auto& p : ts_.processes()) {
            const auto loc = static_cast<std::uint32_t>(ts_.layout().read(s, p.pc));
            const GroupId g = p.group_at[loc];
            if (g == no_group) continue;
            current_group_ = g;
            auto wrap = [&](const Emission& e) {
                if (e.next) ++n;
                f(current_group_, e);
            };
            run(ts_.group(g).program, s, &call<decltype(wrap)>, &wrap);
        }
        return n;
    }

    /// fire() on the explorer's fast program that also records in `acc` every slot read or
    /// written on any path (the acting process's pc included). Emissions are as successors()
    /// gives them (Emission::stmt is not set); `acc` is resized and cleared first.
    template <class F>
    void fire_recorded(GroupId g, const std::uint8_t* s, Access& acc, F&& f) {
        const auto& grp = ts_.group(g);
        const auto& proc = ts_.process(grp.process);
        const std::size_t words = (ts_.layout().slots().size() + 63) / 64;
        acc.reads.assign(words, 0);
        acc.writes.assign(words, 0);
        mark(acc.reads, static_cast<std::uint32_t>(idx(proc.pc)));
        if (static_cast<std::uint32_t>(ts_.layout().read(s, proc.pc)) != grp.location) return;
        access_ = &acc;
        current_group_ = g;
        exec<true, true>(grp.program, s, &call<F>, &f);
        access_ = nullptr;
    }

    /// Runs `g` in `s` (the traced program, whose outcome indices are fire()'s) and gives, per
    /// outcome, the locks and unlocks its path ran, in path order: f(const Emission&,
    /// std::span<const LockEvent>), the span valid during the callback. The lock order
    /// (checker/graph) uses it: which mutexes one step takes and drops in which order, and at which
    /// subclass, is not in the states before and after it.
    template <class F>
    void fire_locks(GroupId g, const std::uint8_t* s, F&& f) {
        const auto& grp = ts_.group(g);
        const std::size_t words = (ts_.layout().slots().size() + 63) / 64;
        scratch_.reads.assign(words, 0);
        scratch_.writes.assign(words, 0);
        if (static_cast<std::uint32_t>(ts_.layout().read(s, ts_.process(grp.process).pc)) != grp.location) return;
        events_.clear();
        locks_ = &events_;
        access_ = &scratch_;
        current_group_ = g;
        auto wrap = [&](const Emission& e) { f(e, std::span<const LockEvent>(events_)); };
        exec<true, true>(grp.traced, s, &call<decltype(wrap)>, &wrap);
        access_ = nullptr;
        locks_ = nullptr;
    }

    /// Evaluates an expression program (an invariant check) in `s`.
    EvalResult eval(const Program& p, const std::uint8_t* s);

private:
    using EmitFn = void (*)(void*, const Emission&);
    template <class F>
    static void call(void* f, const Emission& e) { (*static_cast<std::remove_reference_t<F>*>(f))(e); }
    void run(const Program& p, const std::uint8_t* s, EmitFn fn, void* ctx);
    /// The one bytecode loop: a fragment (Frag) emits through fn; an expression returns its value.
    /// Record: also note each slot touched in *access_ (fire_recorded).
    template <bool Frag, bool Record = false>
    EvalResult exec(const Program& p, const std::uint8_t* s, EmitFn fn, void* ctx);
    static void mark(std::vector<std::uint64_t>& set, std::uint32_t slot) { set[slot / 64] |= std::uint64_t{1} << (slot % 64); }

    struct Pending {
        std::uint32_t ip;
        std::uint32_t stack_size;
        std::uint32_t stmt;
        std::uint32_t last_stmt;
        std::int32_t chose_bit;
        std::size_t state_at;
        std::size_t locks_at;     ///< fire_locks: the path's lock events so far
        std::size_t stack_at;
        std::int64_t push_value;
        std::int32_t store_off;   ///< >= 0: store push_value at this bit offset (choose)
        std::uint8_t store_width;
        std::int32_t store_lo;
        bool push;
    };

    const TransitionSystem& ts_;
    std::size_t bytes_;  ///< packed state size (buffers have StateLayout::slack more)
    std::vector<std::uint8_t> state_;
    std::vector<std::int64_t> stack_;
    std::vector<std::int64_t> eval_stack_;
    std::vector<Pending> pending_;
    std::vector<std::uint8_t> saved_states_;
    std::vector<std::int64_t> saved_stacks_;
    GroupId current_group_{0};
    Access* access_ = nullptr;
    std::vector<LockEvent>* locks_ = nullptr;  ///< fire_locks: the current path's lock events
    std::vector<LockEvent> events_;
    Access scratch_;
    std::vector<std::uint32_t> slot_at_bit_;  ///< the slot that starts at each bit offset
};

}  // namespace iomc::ir
