// SPDX-License-Identifier: MIT
/// @file The wait-cycle half of deadlock (issue 10): which steps are pure locks, which mutex a
/// process at one waits for in a state, and the cycles of processes waiting for each other.
/// Part of ir::TransitionSystem (transition_system.hpp); split from transition_system.cpp.
#include <algorithm>
#include <map>
#include <optional>

#include "checker/ir/reach.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/support/check.hpp"

namespace iomc::ir {

namespace {

/// The value of `e` in `s`, or nullopt where the interpreter would stop with a runtime error
/// (an index out of range or none, a division by zero). Short-circuits as the bytecode does.
std::optional<std::int64_t> eval_in(const StateLayout& layout, const Expr& e, const std::uint8_t* s);

/// The slot an lvalue denotes in `s`, or nullopt where an index is out of range (or none).
std::optional<std::uint32_t> lvalue_in(const StateLayout& layout, const Expr& lv, const std::uint8_t* s) {
    if (lv.op == ExprOp::slot) return idx(lv.slot);
    IOMC_CHECK(lv.op == ExprOp::element);
    std::uint32_t at = idx(lv.slot);
    for (std::size_t d = 0; d < lv.dims.size(); ++d) {
        const auto i = eval_in(layout, lv.kids[d], s);
        if (!i || *i < 0 || *i >= lv.dims[d].count) return std::nullopt;
        at += static_cast<std::uint32_t>(*i) * lv.dims[d].slot_stride;
    }
    return at;
}

std::optional<std::int64_t> eval_in(const StateLayout& layout, const Expr& e, const std::uint8_t* s) {
    switch (e.op) {
        case ExprOp::constant: return e.value;
        case ExprOp::slot: return layout.read(s, e.slot);
        case ExprOp::element: {
            const auto at = lvalue_in(layout, e, s);
            if (!at) return std::nullopt;
            return layout.read(s, SlotId{*at});
        }
        case ExprOp::at_loc: {
            const auto l = layout.read(s, e.slot);
            return std::find(e.locs.begin(), e.locs.end(), static_cast<std::uint32_t>(l)) != e.locs.end() ? 1 : 0;
        }
        case ExprOp::neg:
        case ExprOp::not_: {
            const auto a = eval_in(layout, e.kids[0], s);
            if (!a) return std::nullopt;
            return e.op == ExprOp::neg ? -*a : static_cast<std::int64_t>(*a == 0);
        }
        case ExprOp::and_:
        case ExprOp::or_:
        case ExprOp::implies: {
            const auto a = eval_in(layout, e.kids[0], s);
            if (!a) return std::nullopt;
            if (e.op == ExprOp::and_ && *a == 0) return 0;
            if (e.op == ExprOp::or_ && *a != 0) return 1;
            if (e.op == ExprOp::implies && *a == 0) return 1;
            const auto b = eval_in(layout, e.kids[1], s);
            if (!b) return std::nullopt;
            return static_cast<std::int64_t>(*b != 0);
        }
        case ExprOp::ite: {
            const auto c = eval_in(layout, e.kids[0], s);
            if (!c) return std::nullopt;
            return eval_in(layout, e.kids[*c != 0 ? 1 : 2], s);
        }
        default: break;
    }
    const auto a = eval_in(layout, e.kids[0], s);
    const auto b = eval_in(layout, e.kids[1], s);
    if (!a || !b) return std::nullopt;
    switch (e.op) {
        case ExprOp::add: return *a + *b;
        case ExprOp::sub: return *a - *b;
        case ExprOp::mul: return *a * *b;
        case ExprOp::div: return *b == 0 ? std::nullopt : std::optional<std::int64_t>(*a / *b);
        case ExprOp::mod: return *b == 0 ? std::nullopt : std::optional<std::int64_t>(*a % *b);
        case ExprOp::eq: return static_cast<std::int64_t>(*a == *b);
        case ExprOp::ne: return static_cast<std::int64_t>(*a != *b);
        case ExprOp::lt: return static_cast<std::int64_t>(*a < *b);
        case ExprOp::le: return static_cast<std::int64_t>(*a <= *b);
        case ExprOp::gt: return static_cast<std::int64_t>(*a > *b);
        case ExprOp::ge: return static_cast<std::int64_t>(*a >= *b);
        default: IOMC_UNREACHABLE("expression operator");
    }
}

}  // namespace

void TransitionSystem::find_lock_waits(const FixedSlots& fixed) {
    wait_reads_ = SlotSet(d_.layout.slots().size());
    for (const auto& p : d_.processes) {
        lock_base_.push_back(lock_wait_.size());
        for (std::uint32_t l = 0; l < p.locations.size(); ++l) {
            std::uint32_t m = UINT32_MAX;
            std::uint32_t w = UINT32_MAX;
            if (p.group_at[l] != no_group) {
                // A pure lock: every path starts with the use-after-free checks of the lock's
                // object (if any) and then `lock`, so the step blocks while another process
                // holds the mutex and the checks pass.
                const auto& code = d_.groups[idx(p.group_at[l])].code.code;
                LockWait lw;
                lw.group = idx(p.group_at[l]);
                for (std::uint32_t i = 0; i < code.size(); ++i) {
                    const auto& in = code[i];
                    if (in.kind == InstrKind::note) continue;
                    if (in.kind == InstrKind::check) {
                        lw.unless.push_back(i);
                        continue;
                    }
                    if (in.kind != InstrKind::lock || !in.target.is_lvalue()) break;
                    lw.lock = i;
                    if (in.target.op == ExprOp::slot && lw.unless.empty()) lw.fixed = m = idx(in.target.slot);
                    // What deciding "p waits for which mutex" reads: the mutex (the whole array
                    // when the index can change), the index slots and the checks' slots.
                    lvalue_slots(in.target, wait_reads_, &fixed);
                    lw.breaks = SlotSet(d_.layout.slots().size());
                    for (const auto& k : in.target.kids) expr_reads(k, lw.breaks, &fixed);
                    for (const auto c : lw.unless) expr_reads(code[c].a, lw.breaks, &fixed);
                    wait_reads_.merge(lw.breaks);
                    w = static_cast<std::uint32_t>(waits_.size());
                    waits_.push_back(std::move(lw));
                    break;
                }
            }
            lock_wait_.push_back(m);
            wait_at_.push_back(w);
        }
    }
    wait_breaks_ = SlotSet(d_.layout.slots().size());
    for (const auto& lw : waits_) wait_breaks_.merge(lw.breaks);
    if (!wait_breaks_.empty()) find_wait_breakers();
}

void TransitionSystem::find_wait_breakers() {
    // Each location's own writes of wait_breaks(), then its future's: the union over every
    // location its steps' finish targets reach.
    const auto n_slots = d_.layout.slots().size();
    std::vector<SlotSet> own;
    std::vector<std::vector<std::uint32_t>> next;
    for (const auto& p : d_.processes)
        for (std::uint32_t l = 0; l < p.locations.size(); ++l) {
            own.emplace_back(n_slots);
            next.emplace_back();
            if (p.group_at[l] == no_group) continue;
            const auto& g = d_.groups[idx(p.group_at[l])];
            for (const auto slot : g.footprint.may_write.to_vector())
                if (wait_breaks_.contains(slot)) own.back().insert(slot);
            for (const auto& in : g.code.code)
                if (in.kind == InstrKind::finish) next.back().push_back(in.t1);
        }
    std::map<std::vector<SlotId>, std::uint32_t> classes{{{}, 0}};
    breaker_writes_.assign(1, SlotSet(n_slots));
    breaker_.assign(own.size(), 0);
    std::vector<char> seen;
    std::vector<std::uint32_t> stack;
    for (std::uint32_t p = 0; p < d_.processes.size(); ++p) {
        const auto base = lock_base_[p];
        const auto n = static_cast<std::uint32_t>(d_.processes[p].locations.size());
        for (std::uint32_t l = 0; l < n; ++l) {
            SlotSet future(n_slots);
            for_each_reachable(
                n, l, [&](std::uint32_t x) -> const auto& { return next[base + x]; },
                [&](std::uint32_t x) {
                    future.merge(own[base + x]);
                    return true;
                },
                seen, stack);
            const auto [it, added] =
                classes.emplace(future.to_vector(), static_cast<std::uint32_t>(breaker_writes_.size()));
            if (added) breaker_writes_.push_back(std::move(future));
            breaker_[base + l] = it->second;
        }
    }
}

std::uint32_t TransitionSystem::waited_mutex(std::uint32_t p, const std::uint8_t* s) const {
    const auto& proc = d_.processes[p];
    const auto loc = static_cast<std::uint32_t>(d_.layout.read(s, proc.pc));
    const auto w = wait_at_[lock_base_[p] + loc];
    if (w == UINT32_MAX) return UINT32_MAX;
    const auto& lw = waits_[w];
    if (lw.fixed != dynamic_lock_wait) return lw.fixed;
    const auto& code = d_.groups[lw.group].code.code;
    for (const auto c : lw.unless) {
        const auto v = eval_in(d_.layout, code[c].a, s);
        if (!v || *v != 0) return UINT32_MAX;  // the step reports (or fails) instead of blocking
    }
    return lvalue_in(d_.layout, code[lw.lock].target, s).value_or(UINT32_MAX);
}

bool TransitionSystem::cycle_may_break(const std::vector<std::uint32_t>& cycle, const std::uint8_t* s) const {
    if (wait_breaks_.empty()) return false;
    SlotSet breaks(d_.layout.slots().size());
    for (const auto p : cycle) {  // every one waits at a pure lock
        const auto loc = static_cast<std::uint32_t>(d_.layout.read(s, d_.processes[p].pc));
        breaks.merge(waits_[wait_at_[lock_base_[p] + loc]].breaks);
    }
    if (breaks.empty()) return false;
    for (std::uint32_t q = 0; q < d_.processes.size(); ++q) {
        if (std::find(cycle.begin(), cycle.end(), q) != cycle.end()) continue;
        const auto loc = static_cast<std::uint32_t>(d_.layout.read(s, d_.processes[q].pc));
        if (breaker_writes_[wait_breaker(q, loc)].intersects(breaks)) return true;
    }
    return false;
}

std::vector<std::uint32_t> TransitionSystem::wait_cycle(const std::uint8_t* s) const {
    if (waits_.empty()) return {};
    const auto n = static_cast<std::uint32_t>(d_.processes.size());
    // Each process waits for at most one other: follow the edges from each process; a walk
    // that comes back to a process it visited found a cycle. A cycle needs two waiting
    // processes: most states have fewer, and are answered without allocating (single-step
    // chains ask at every state they pass through).
    std::uint32_t waiting = 0;
    for (std::uint32_t p = 0; p < n && waiting < 2; ++p)
        if (wait_at_[lock_base_[p] + static_cast<std::uint32_t>(d_.layout.read(s, d_.processes[p].pc))] != UINT32_MAX)
            ++waiting;
    if (waiting < 2) return {};
    std::vector<std::int64_t> waits_for(n, -1);
    waiting = 0;
    for (std::uint32_t p = 0; p < n; ++p) {
        const auto m = waited_mutex(p, s);
        if (m == UINT32_MAX) continue;
        const auto owner = d_.layout.read(s, SlotId{m});
        if (owner >= 0 && owner < n && owner != p) {
            waits_for[p] = owner;
            ++waiting;
        }
    }
    if (waiting < 2) return {};
    std::vector<std::uint32_t> seen(n, UINT32_MAX);  // the walk that visited each process
    for (std::uint32_t start = 0; start < n; ++start) {
        std::int64_t q = start;
        while (q >= 0 && seen[static_cast<std::size_t>(q)] == UINT32_MAX) {
            seen[static_cast<std::size_t>(q)] = start;
            q = waits_for[static_cast<std::size_t>(q)];
        }
        if (q < 0 || seen[static_cast<std::size_t>(q)] != start) continue;
        // q is on a cycle: collect it, starting at its lowest process id.
        std::vector<std::uint32_t> cycle;
        auto c = static_cast<std::uint32_t>(q);
        do {
            cycle.push_back(c);
            c = static_cast<std::uint32_t>(waits_for[c]);
        } while (c != static_cast<std::uint32_t>(q));
        // A process outside it may still change which mutex one of them waits for: not yet,
        // unless that process waits for the cycle itself (a chain of waits that ends in it)
        // and no process outside cycle and chains may redirect any of their waits.
        if (cycle_may_break(cycle, s)) {
            std::vector<std::uint32_t> blocked = cycle;
            for (std::uint32_t r = 0; r < n; ++r) {
                std::int64_t x = r;
                for (std::uint32_t hops = 0; x >= 0 && hops <= n; ++hops) {
                    if (std::find(cycle.begin(), cycle.end(), static_cast<std::uint32_t>(x)) != cycle.end()) break;
                    x = waits_for[static_cast<std::size_t>(x)];
                }
                const bool into = x >= 0 && std::find(cycle.begin(), cycle.end(), static_cast<std::uint32_t>(x)) != cycle.end();
                if (into && std::find(cycle.begin(), cycle.end(), r) == cycle.end()) blocked.push_back(r);
            }
            if (blocked.size() == cycle.size() || cycle_may_break(blocked, s)) continue;
        }
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        return cycle;
    }
    return {};
}

}  // namespace iomc::ir
