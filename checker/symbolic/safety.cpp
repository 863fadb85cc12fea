// SPDX-License-Identifier: MIT
#include "checker/symbolic/safety.hpp"

#include <cstring>

#include <fmt/format.h>

namespace iomc::symbolic {

std::vector<char> selection(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props) {
    std::vector<char> sel(ts.properties().size(), props.empty() ? 1 : 0);
    for (const auto p : props) sel[ir::idx(p)] = 1;
    sel[ir::idx(ir::prop_runtime_error)] = 1;
    // Liveness and lock order are not bounded safety properties (checker/liveness, checker/graph).
    for (const auto& p : ts.properties())
        if (p.kind == ir::PropertyKind::liveness || p.kind == ir::PropertyKind::lock_order) sel[ir::idx(p.id)] = 0;
    if (props.empty() && !deadlock_unencodable(ts).empty()) sel[ir::idx(ir::prop_deadlock)] = 0;
    return sel;
}

std::string deadlock_unencodable(const ir::TransitionSystem& ts) {
    // A pure lock of a mutex the state selects (lock(group_mutex[dev_group[d]])) waits for a
    // mutex wait_cycle() below does not compute: a cycle through it would be missed, and
    // k-induction could prove a claim that is false.
    const auto procs = ts.processes();
    for (std::uint32_t p = 0; p < procs.size(); ++p)
        for (std::uint32_t l = 0; l < procs[p].locations.size(); ++l)
            if (ts.wait_key(p, l) == ir::TransitionSystem::dynamic_lock_wait)
                return fmt::format("deadlock: {} waits at a lock of a mutex the state selects ({}); the symbolic "
                                   "engines' wait-cycle check covers fixed mutexes only",
                                   procs[p].name, ts.sources().file_line(ts.group(procs[p].group_at[l]).where));
    return {};
}

/// Processes wait for each other in a cycle in s (ir::TransitionSystem::wait_cycle): each is at
/// a pure lock of a mutex the next one holds. Each process waits for at most one other, so a
/// cycle through p comes back to p within n steps of following the waits.
z3::expr wait_cycle(const Encoder& enc, const SymState& s) {
    const auto& ts = enc.ts();
    z3::context& c = enc.ctx();
    if (!ts.has_lock_waits()) return c.bool_val(false);
    const auto n = static_cast<std::uint32_t>(ts.processes().size());
    if (auto why = deadlock_unencodable(ts); !why.empty())
        throw Unsupported(why + " (check deadlock with --engine explicit, or leave it out with --property)");
    const z3::expr none = c.bv_val(static_cast<std::uint64_t>(std::int64_t{-1}), 64);
    const z3::expr zero = c.bv_val(0, 64);
    std::vector<z3::expr> waits;  // per process: the owner it waits for, or -1
    for (std::uint32_t p = 0; p < n; ++p) {
        const auto& proc = ts.processes()[p];
        const z3::expr pc = enc.value(s, proc.pc);
        z3::expr w = none;
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
            const auto m = ts.lock_wait(p, l);
            if (m == UINT32_MAX) continue;
            const z3::expr owner = enc.value(s, ir::SlotId{m});
            w = z3::ite(pc == c.bv_val(l, 64) && z3::sge(owner, zero) && owner != c.bv_val(p, 64), owner, w);
        }
        waits.push_back(w);
    }
    auto follow = [&](const z3::expr& x) {
        z3::expr out = none;
        for (std::uint32_t q = n; q-- > 0;) out = z3::ite(x == c.bv_val(q, 64), waits[q], out);
        return out;
    };
    z3::expr_vector any(c);
    for (std::uint32_t p = 0; p < n; ++p) {
        z3::expr x = c.bv_val(p, 64);
        for (std::uint32_t k = 0; k < n; ++k) {
            x = follow(x);
            any.push_back(x == c.bv_val(p, 64));
        }
    }
    return z3::mk_or(any);
}

/// A selected property breaks in state s: an invariant, or a deadlock.
z3::expr bad_state(const Encoder& enc, const std::vector<char>& sel, const SymState& s) {
    z3::expr_vector any(enc.ctx());
    for (const auto& p : enc.ts().properties()) {
        if (!sel[ir::idx(p.id)] || p.kind != ir::PropertyKind::invariant) continue;
        for (const auto& ck : p.checks) any.push_back(enc.check_fails(s, ck));
    }
    if (sel[ir::idx(ir::prop_deadlock)])
        any.push_back((!enc.enabled(s) && !enc.crashes(s) && !enc.all_at_valid_end(s)) || wait_cycle(enc, s));
    return z3::mk_or(any);
}

/// Some step from s reports a selected property.
z3::expr bad_step(const Encoder& enc, const std::vector<char>& sel, const SymState& s) {
    z3::expr_vector any(enc.ctx());
    for (const auto& p : enc.ts().properties()) {
        if (!sel[ir::idx(p.id)] || p.kind == ir::PropertyKind::invariant || p.kind == ir::PropertyKind::deadlock)
            continue;
        any.push_back(enc.reports(s, p.id));
    }
    return z3::mk_or(any);
}

/// The model's value of state s, packed.
std::vector<std::uint8_t> concrete(const ir::TransitionSystem& ts, const z3::model& m, const SymState& s) {
    std::vector<std::uint8_t> buf(ts.state_buffer_size(), 0);
    const auto slots = ts.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) continue;
        std::uint64_t raw = 0;
        if (!m.eval(s[i], true).is_numeral_u64(raw)) throw std::runtime_error("a state value is not a numeral");
        ir::store_bits(buf.data(), slots[i].bit_offset, slots[i].width, raw);
    }
    return buf;
}

std::optional<ir::Step> step_between(const ir::TransitionSystem& ts, ir::Interpreter& in, const std::uint8_t* from,
                                     const std::uint8_t* to) {
    const std::size_t bytes = ts.layout().bytes();
    std::optional<ir::Step> found;
    in.successors(from, [&](ir::GroupId g, const ir::Emission& e) {
        if (!found && e.next && std::memcmp(e.next, to, bytes) == 0) found = ir::Step{g, e.index};
    });
    return found;
}

std::optional<ir::Step> reporting_step(ir::Interpreter& in, const std::vector<char>& sel, const std::uint8_t* st,
                                       traces::Violation& v) {
    std::optional<ir::Step> step;
    in.successors(st, [&](ir::GroupId g, const ir::Emission& e) {
        if (step || e.next || !sel[ir::idx(e.prop)]) return;
        step = ir::Step{g, e.index};
        v = traces::Violation{e.prop, traces::ViolationKind::on_step, e.message, e.value};
    });
    return step;
}

bool state_violation(const ir::TransitionSystem& ts, ir::Interpreter& in, const std::vector<char>& sel,
                     const std::uint8_t* st, traces::Violation& v) {
    for (const auto& p : ts.properties()) {
        if (!sel[ir::idx(p.id)] || p.kind != ir::PropertyKind::invariant) continue;
        for (std::uint32_t c = 0; c < p.checks.size(); ++c) {
            const auto r = in.eval(p.checks[c].program, st);
            if (r.ok && r.value != 0) continue;
            v = traces::Violation{p.id, traces::ViolationKind::in_state};
            v.check = c;
            if (!r.ok) {
                v.eval_error = true;
                v.message = r.message;
                v.value = r.detail;
            }
            return true;
        }
    }
    if (sel[ir::idx(ir::prop_deadlock)]) {
        bool any = false;
        in.successors(st, [&](ir::GroupId, const ir::Emission& e) { any = any || e.next || e.stops; });
        if (!any && !ts.all_at_valid_end(st)) {
            v = traces::Violation{ir::prop_deadlock, traces::ViolationKind::deadlock};
            return true;
        }
        if (any && !ts.wait_cycle(st).empty()) {
            v = traces::Violation{ir::prop_deadlock, traces::ViolationKind::deadlock};
            v.wait_cycle = true;
            return true;
        }
    }
    return false;
}

}  // namespace iomc::symbolic
