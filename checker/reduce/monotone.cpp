// SPDX-License-Identifier: MIT
#include "checker/reduce/monotone.hpp"

#include <algorithm>

namespace iomc::reduce {

namespace {

/// The constant c of `v = v + c` (also `c + v`, `v - (-c)`) when `in` is that assignment to a
/// plain slot v, with c >= 0; else -1.
std::int64_t increment(const ir::Instr& in) {
    if (in.kind != ir::InstrKind::assign || in.target.op != ir::ExprOp::slot) return -1;
    const auto& a = in.a;
    if (a.kids.size() != 2) return -1;
    const auto self = [&](const ir::Expr& e) { return e.op == ir::ExprOp::slot && e.slot == in.target.slot; };
    std::int64_t c = -1;
    if (a.op == ir::ExprOp::add) {
        if (self(a.kids[0]) && a.kids[1].is_constant()) c = a.kids[1].value;
        else if (a.kids[0].is_constant() && self(a.kids[1])) c = a.kids[0].value;
    } else if (a.op == ir::ExprOp::sub && self(a.kids[0]) && a.kids[1].is_constant() &&
               a.kids[1].value > INT64_MIN) {
        c = -a.kids[1].value;
    }
    return c >= 0 ? c : -1;
}

}  // namespace

std::vector<char> monotone_slots(const ir::TransitionSystem& ts) {
    const auto n = ts.layout().slots().size();
    std::vector<char> mono(n, 1);
    for (const auto& p : ts.processes()) mono[ir::idx(p.pc)] = 0;
    for (const auto& g : ts.groups()) {
        ir::SlotSet seen(n);
        for (const auto& in : g.code.code) {
            ir::SlotSet w(n);
            ir::instr_writes(in, w);
            seen.merge(w);
            if (increment(in) >= 0) continue;  // writes only its own slot, upwards
            for (const auto s : w.to_vector()) mono[ir::idx(s)] = 0;
        }
        // Anything the footprint says the step writes that no instruction above accounts for
        // (the pc, or a write this analysis does not know): not monotone.
        for (const auto s : g.footprint.may_write.to_vector())
            if (!seen.contains(s)) mono[ir::idx(s)] = 0;
    }
    return mono;
}

std::vector<std::uint32_t> increasing_targets(const ir::Fragment& f, const std::vector<char>& monotone) {
    // The strict increments of monotone slots in f, one bit each (at most 64; more are ignored,
    // which only marks fewer steps increasing).
    const auto& code = f.code;
    std::vector<std::uint64_t> gen(code.size(), 0);
    std::vector<ir::SlotId> bits;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (increment(code[i]) < 1 || monotone[ir::idx(code[i].target.slot)] == 0) continue;
        auto at = std::find(bits.begin(), bits.end(), code[i].target.slot);
        if (at == bits.end()) {
            if (bits.size() == 64) continue;
            at = bits.insert(bits.end(), code[i].target.slot);
        }
        gen[i] = std::uint64_t{1} << (at - bits.begin());
    }
    if (bits.empty()) return {};
    // Must analysis: in[i] = the increments run on every path from instruction 0 to i.
    constexpr std::uint64_t top = ~std::uint64_t{0};
    std::vector<std::uint64_t> in(code.size(), top);
    std::vector<char> reached(code.size(), 0);
    in[0] = 0;
    reached[0] = 1;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < code.size(); ++i) {
            if (!reached[i]) continue;
            const std::uint64_t out = in[i] | gen[i];
            auto flow = [&](std::size_t j) {
                if (j >= code.size()) return;
                const std::uint64_t meet = reached[j] ? (in[j] & out) : out;
                if (!reached[j] || meet != in[j]) {
                    in[j] = meet;
                    reached[j] = 1;
                    changed = true;
                }
            };
            const auto& x = code[i];
            switch (x.kind) {
                case ir::InstrKind::finish: break;
                case ir::InstrKind::jump: flow(x.t1); break;
                case ir::InstrKind::branch:
                    flow(x.t1);
                    flow(x.t2);
                    break;
                case ir::InstrKind::fork:
                    for (const auto t : x.targets) flow(t);
                    break;
                default: flow(i + 1); break;
            }
        }
    }
    std::vector<std::uint32_t> yes, no;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (code[i].kind != ir::InstrKind::finish || !reached[i]) continue;
        (in[i] != 0 ? yes : no).push_back(code[i].t1);
    }
    std::vector<std::uint32_t> out;
    for (const auto t : yes)
        if (std::find(no.begin(), no.end(), t) == no.end()) out.push_back(t);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace iomc::reduce
