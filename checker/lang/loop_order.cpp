// SPDX-License-Identifier: MIT
#include "checker/lang/loop_order.hpp"

#include <map>
#include <set>

namespace iomc::lang {

namespace {

bool same_expr(const ir::Expr& a, const ir::Expr& b) {
    if (a.op != b.op || a.value != b.value || a.slot != b.slot || a.locs != b.locs || a.kids.size() != b.kids.size() ||
        a.dims.size() != b.dims.size())
        return false;
    for (std::size_t i = 0; i < a.dims.size(); ++i)
        if (a.dims[i].count != b.dims[i].count || a.dims[i].slot_stride != b.dims[i].slot_stride ||
            a.dims[i].optional_index != b.dims[i].optional_index)
            return false;
    for (std::size_t i = 0; i < a.kids.size(); ++i)
        if (!same_expr(a.kids[i], b.kids[i])) return false;
    return true;
}

/// For `x = x + c` or `x = x - c` on one slot: +1 when it counts up (or stays), -1 down; else 0.
int counter_direction(const ir::Instr& in) {
    if (in.kind != ir::InstrKind::assign || in.target.op != ir::ExprOp::slot) return 0;
    const ir::Expr& a = in.a;
    if ((a.op != ir::ExprOp::add && a.op != ir::ExprOp::sub) || a.kids.size() != 2) return 0;
    if (a.kids[0].op != ir::ExprOp::slot || a.kids[0].slot != in.target.slot || !a.kids[1].is_constant()) return 0;
    const std::int64_t c = a.op == ir::ExprOp::add ? a.kids[1].value : -a.kids[1].value;
    return c >= 0 ? 1 : -1;
}

/// What the iterations do to one slot.
struct SlotUse {
    std::set<std::size_t> written_in, read_in;  ///< iterations
    std::vector<const ir::Instr*> writes;
};

std::string slot_name(const ir::StateLayout& layout, std::uint32_t x) {
    const ir::Slot& s = layout.slots()[x];
    if (s.process == UINT32_MAX) return s.name;
    // A local: leave out the instance ("client(0).") that every instance would print differently.
    const auto dot = s.name.find('.');
    return dot == std::string::npos ? s.name : s.name.substr(dot + 1);
}

}  // namespace

std::optional<std::string> order_dependence(const std::vector<ir::Instr>& code, const UnrolledLoop& loop,
                                            const ir::StateLayout& layout) {
    std::map<std::uint32_t, SlotUse> uses;
    auto note = [&](const ir::SlotSet& s, std::size_t k, bool write, const ir::Instr* in) {
        for (const auto x : s.to_vector()) {
            SlotUse& u = uses[ir::idx(x)];
            if (write) {
                u.written_in.insert(k);
                u.writes.push_back(in);
            } else {
                u.read_in.insert(k);
            }
        }
    };
    auto reads = [&](const ir::Expr& e, std::size_t k) {
        ir::SlotSet s;
        ir::expr_reads(e, s);
        note(s, k, false, nullptr);
    };
    auto index_reads = [&](const ir::Expr& lv, std::size_t k) {
        for (const auto& i : lv.kids) reads(i, k);
    };
    auto writes = [&](const ir::Expr& lv, std::size_t k, const ir::Instr& in) {
        ir::SlotSet s;
        ir::lvalue_slots(lv, s);
        note(s, k, true, &in);
    };
    for (std::size_t k = 0; k < loop.ends.size(); ++k) {
        const std::size_t b = k == 0 ? loop.begin : loop.ends[k - 1];
        const std::size_t e = loop.ends[k];
        auto leaves = [&](std::size_t t) { return t < b || t > e; };
        for (std::size_t i = b; i < e; ++i) {
            const ir::Instr& in = code[i];
            switch (in.kind) {
                case ir::InstrKind::jump:
                    if (leaves(in.t1)) return "it can leave early (break, return or goto)";
                    break;
                case ir::InstrKind::branch:
                    if (leaves(in.t1) || leaves(in.t2)) return "it can leave early (break, return or goto)";
                    reads(in.a, k);
                    break;
                case ir::InstrKind::fork:
                    for (const auto t : in.targets)
                        if (leaves(t)) return "it can leave early (break, return or goto)";
                    break;
                case ir::InstrKind::guard:
                case ir::InstrKind::check: reads(in.a, k); break;
                case ir::InstrKind::assign:
                    if (counter_direction(in) == 0) {
                        reads(in.a, k);
                        index_reads(in.target, k);
                    }
                    writes(in.target, k, in);
                    break;
                case ir::InstrKind::choose:
                    index_reads(in.target, k);
                    writes(in.target, k, in);
                    break;
                case ir::InstrKind::lock:
                case ir::InstrKind::unlock:
                case ir::InstrKind::kref_init:
                case ir::InstrKind::kref_get:
                case ir::InstrKind::kref_put: {
                    index_reads(in.target, k);
                    ir::SlotSet s;
                    ir::lvalue_slots(in.target, s);
                    note(s, k, false, nullptr);
                    writes(in.target, k, in);
                    if (in.has_result) {
                        index_reads(in.result, k);
                        writes(in.result, k, in);
                    }
                    break;
                }
                default: break;
            }
        }
    }
    ir::SlotSet written;
    for (const auto& [x, u] : uses)
        if (!u.written_in.empty()) written.insert(ir::SlotId{x});
    for (const auto& [x, u] : uses) {
        if (u.written_in.empty()) continue;
        std::set<std::size_t> touching = u.written_in;
        touching.insert(u.read_in.begin(), u.read_in.end());
        if (touching.size() <= 1) continue;
        const std::string name = slot_name(layout, x);
        if (!u.read_in.empty()) return "an iteration reads '" + name + "', which another one writes";
        const ir::Instr& first = *u.writes.front();
        bool uniform = true;
        bool counter = true;
        for (const ir::Instr* in : u.writes) {
            const bool plain = in->kind == ir::InstrKind::assign && in->target.op == ir::ExprOp::slot;
            uniform = uniform && plain && first.kind == ir::InstrKind::assign && same_expr(in->a, first.a);
            counter = counter && counter_direction(*in) != 0 && counter_direction(*in) == counter_direction(first);
        }
        if (uniform) {
            ir::SlotSet value_reads;
            ir::expr_reads(first.a, value_reads);
            uniform = !value_reads.intersects(written);
        }
        if (!uniform && !counter) return "several iterations write '" + name + "'";
    }
    return std::nullopt;
}

}  // namespace iomc::lang
