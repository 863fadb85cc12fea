// SPDX-License-Identifier: MIT
#include "checker/reduce/bool_locks.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace iomc::reduce {

namespace {

enum class Role : std::uint8_t { acquire, release, other };

/// `m` itself: the slot, or an element of an array whose indices are constants (`l[w]` in an
/// instance of `process worker(w: Wid)`, whose parameter is a constant there).
bool is_slot(const ir::Expr& e, std::uint32_t m) {
    if (e.op == ir::ExprOp::slot) return ir::idx(e.slot) == m;
    if (e.op != ir::ExprOp::element) return false;
    for (const auto& k : e.kids)
        if (!k.is_constant()) return false;
    ir::SlotSet one;
    ir::lvalue_slots(e, one);
    const auto v = one.to_vector();
    return v.size() == 1 && ir::idx(v[0]) == m;
}
bool is_const(const ir::Expr& e, std::int64_t v) { return e.op == ir::ExprOp::constant && e.value == v; }

/// `!m`, `m == false`, `false == m`.
bool is_free_test(const ir::Expr& e, std::uint32_t m) {
    if (e.op == ir::ExprOp::not_) return e.kids.size() == 1 && is_slot(e.kids[0], m);
    if (e.op == ir::ExprOp::eq && e.kids.size() == 2)
        return (is_slot(e.kids[0], m) && is_const(e.kids[1], 0)) || (is_const(e.kids[0], 0) && is_slot(e.kids[1], m));
    return false;
}

bool writes(const ir::Instr& in, std::uint32_t m) {
    ir::SlotSet w;
    ir::instr_writes(in, w);
    return w.contains(ir::SlotId{m});
}

/// What a step whose footprint may write bool m does to it: an acquire, a release, or something
/// else (`other`).
Role role(const ir::Fragment& f, std::uint32_t m) {
    const auto& code = f.code;
    std::size_t i = 0;
    auto skip_notes = [&] {
        while (i < code.size() && code[i].kind == ir::InstrKind::note) ++i;
    };
    auto no_other_write = [&](std::size_t except) {
        for (std::size_t k = 0; k < code.size(); ++k)
            if (k != except && writes(code[k], m)) return false;
        return true;
    };
    skip_notes();
    if (i < code.size() && code[i].kind == ir::InstrKind::guard && is_free_test(code[i].a, m)) {
        ++i;
        skip_notes();
        if (i < code.size() && code[i].kind == ir::InstrKind::assign && is_slot(code[i].target, m) &&
            is_const(code[i].a, 1) && no_other_write(i))
            return Role::acquire;
        return Role::other;
    }
    // A release: `m = false` before any instruction that could skip it.
    for (std::size_t k = 0; k < code.size(); ++k) {
        const auto& in = code[k];
        if (in.kind == ir::InstrKind::branch || in.kind == ir::InstrKind::jump || in.kind == ir::InstrKind::fork) break;
        if (in.kind == ir::InstrKind::assign && is_slot(in.target, m) && is_const(in.a, 0))
            return no_other_write(k) ? Role::release : Role::other;
        if (writes(in, m)) return Role::other;
    }
    return Role::other;
}

}  // namespace

BoolLocks::BoolLocks(const ir::TransitionSystem& ts) {
    const auto& layout = ts.layout();
    const auto procs = ts.processes();
    std::size_t total = 0;
    for (const auto& p : procs) {
        base_.push_back(total);
        total += p.locations.size();
    }
    acquire_.assign(total, UINT32_MAX);
    release_.assign(total, UINT32_MAX);
    held_.assign(total, 0);

    // Candidates: global bools, false initially, that some step writes.
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i) {
        const auto& sl = layout.slots()[i];
        if (sl.kind != ir::ValueKind::boolean || sl.process != UINT32_MAX || sl.init != 0) continue;
        bool written = false;
        for (const auto& g : ts.groups()) written = written || g.footprint.may_write.contains(ir::SlotId{i});
        if (written) candidates.push_back(i);
    }

    std::vector<std::uint32_t> acq(total), rel(total);
    std::vector<std::int8_t> holds(total);
    std::vector<std::uint32_t> work;
    for (const auto m : candidates) {
        if (slots_.size() == 64) break;
        const std::string& name = layout.slots()[m].name;
        std::string why;
        std::fill(acq.begin(), acq.end(), UINT32_MAX);
        std::fill(rel.begin(), rel.end(), UINT32_MAX);
        std::size_t acquires = 0;
        for (const auto& g : ts.groups()) {
            if (!g.footprint.may_write.contains(ir::SlotId{m})) continue;
            const std::size_t at = base_[ir::idx(g.process)] + g.location;
            switch (role(g.code, m)) {
                case Role::acquire: acq[at] = m; ++acquires; break;
                case Role::release: rel[at] = m; break;
                case Role::other:
                    if (why.empty())
                        why = fmt::format("`{}` writes it other than as `atomic {{ await !{}; {} = true; }}` or "
                                          "`{} = false` on every path",
                                          g.text, name, name, name);
                    break;
            }
        }
        if (acquires == 0) continue;  // never taken: a plain flag, nothing to report
        // Holding status per location, from each process's initial location: -1 not reached.
        std::fill(holds.begin(), holds.end(), std::int8_t{-1});
        for (std::uint32_t p = 0; p < procs.size() && why.empty(); ++p) {
            const auto& proc = procs[p];
            const auto start = static_cast<std::uint32_t>(layout.slots()[ir::idx(proc.pc)].init);
            holds[base_[p] + start] = 0;
            work.assign(1, start);
            while (!work.empty() && why.empty()) {
                const auto l = work.back();
                work.pop_back();
                const auto g = proc.group_at[l];
                if (g == ir::no_group) continue;
                const auto& grp = ts.group(g);
                const std::size_t at = base_[p] + l;
                std::int8_t out = holds[at];
                if (acq[at] != UINT32_MAX) {
                    if (holds[at] != 0) why = fmt::format("`{}` may take it while already holding it", grp.text);
                    out = 1;
                } else if (rel[at] != UINT32_MAX) {
                    if (holds[at] != 1) why = fmt::format("`{}` may clear it without holding it", grp.text);
                    out = 0;
                }
                for (const auto& in : grp.code.code) {
                    if (in.kind != ir::InstrKind::finish || !why.empty()) continue;
                    auto& h = holds[base_[p] + in.t1];
                    if (h == -1) {
                        h = out;
                        work.push_back(in.t1);
                    } else if (h != out) {
                        why = fmt::format("{} reaches one location both holding it and not", proc.name);
                    }
                }
            }
        }
        if (!why.empty()) {
            rejected_.push_back(fmt::format("{}: {}", name, why));
            continue;
        }
        const std::uint64_t bit = std::uint64_t{1} << slots_.size();
        slots_.push_back(m);
        for (std::size_t at = 0; at < total; ++at) {
            if (acq[at] != UINT32_MAX) acquire_[at] = m;
            if (rel[at] != UINT32_MAX) release_[at] = m;
            if (holds[at] == 1) held_[at] |= bit;
        }
    }
}

bool BoolLocks::is_lock(std::uint32_t slot) const { return std::find(slots_.begin(), slots_.end(), slot) != slots_.end(); }

}  // namespace iomc::reduce
