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
    return sel;
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
