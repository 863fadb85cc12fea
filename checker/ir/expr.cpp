// SPDX-License-Identifier: MIT
#include "checker/ir/expr.hpp"

#include <algorithm>

namespace iomc::ir {

void SlotSet::merge(const SlotSet& o) {
    if (o.words_.size() > words_.size()) words_.resize(o.words_.size(), 0);
    for (std::size_t i = 0; i < o.words_.size(); ++i) words_[i] |= o.words_[i];
}

bool SlotSet::intersects(const SlotSet& o) const {
    const auto n = std::min(words_.size(), o.words_.size());
    for (std::size_t i = 0; i < n; ++i)
        if ((words_[i] & o.words_[i]) != 0) return true;
    return false;
}

std::vector<SlotId> SlotSet::to_vector() const {
    std::vector<SlotId> out;
    for (std::size_t i = 0; i < words_.size(); ++i)
        for (std::size_t b = 0; b < 64; ++b)
            if ((words_[i] >> b & 1U) != 0) out.push_back(SlotId{static_cast<std::uint32_t>(i * 64 + b)});
    return out;
}

bool SlotSet::empty() const {
    return std::all_of(words_.begin(), words_.end(), [](std::uint64_t w) { return w == 0; });
}

Expr Expr::unary(ExprOp op, Expr a) {
    Expr e;
    e.op = op;
    e.kids.push_back(std::move(a));
    return e;
}

Expr Expr::binary(ExprOp op, Expr a, Expr b) {
    Expr e;
    e.op = op;
    e.kids.push_back(std::move(a));
    e.kids.push_back(std::move(b));
    return e;
}

namespace {

void element_region(const Expr& lv, std::size_t dim, std::uint32_t base, SlotSet& out) {
    if (dim == lv.dims.size()) {
        out.insert(SlotId{base});
        return;
    }
    for (std::uint32_t i = 0; i < lv.dims[dim].count; ++i)
        element_region(lv, dim + 1, base + i * lv.dims[dim].slot_stride, out);
}

/// The value of `e` in every reachable state, when it reads only constants and fixed slots.
std::optional<std::int64_t> fixed_value(const Expr& e, const FixedSlots* fixed) {
    switch (e.op) {
        case ExprOp::constant: return e.value;
        case ExprOp::slot:
            if (fixed && idx(e.slot) < fixed->size()) return (*fixed)[idx(e.slot)];
            return std::nullopt;
        case ExprOp::neg: {
            const auto a = fixed_value(e.kids[0], fixed);
            return a ? std::optional<std::int64_t>(-*a) : std::nullopt;
        }
        case ExprOp::add:
        case ExprOp::sub:
        case ExprOp::mul: {
            const auto a = fixed_value(e.kids[0], fixed);
            const auto b = fixed_value(e.kids[1], fixed);
            if (!a || !b) return std::nullopt;
            return e.op == ExprOp::add ? *a + *b : e.op == ExprOp::sub ? *a - *b : *a * *b;
        }
        default: return std::nullopt;
    }
}

}  // namespace

void lvalue_slots(const Expr& lv, SlotSet& out, const FixedSlots* fixed) {
    if (lv.op == ExprOp::slot) {
        out.insert(lv.slot);
    } else if (lv.op == ExprOp::element) {
        std::uint32_t at = idx(lv.slot);
        for (std::size_t d = 0; d < lv.dims.size(); ++d) {
            const auto i = fixed_value(lv.kids[d], fixed);
            if (!i || *i < 0 || *i >= lv.dims[d].count) {
                element_region(lv, 0, idx(lv.slot), out);
                return;
            }
            at += static_cast<std::uint32_t>(*i) * lv.dims[d].slot_stride;
        }
        out.insert(SlotId{at});
    }
}

void expr_reads(const Expr& e, SlotSet& out, const FixedSlots* fixed) {
    switch (e.op) {
        case ExprOp::constant: return;
        case ExprOp::slot:
        case ExprOp::at_loc: out.insert(e.slot); return;
        case ExprOp::element:
            lvalue_slots(e, out, fixed);
            for (const auto& k : e.kids) expr_reads(k, out, fixed);
            return;
        default:
            for (const auto& k : e.kids) expr_reads(k, out, fixed);
    }
}

void instr_writes(const Instr& in, SlotSet& out, const FixedSlots* fixed) {
    switch (in.kind) {
        case InstrKind::assign:
        case InstrKind::choose:
        case InstrKind::lock:
        case InstrKind::unlock:
        case InstrKind::kref_init:
        case InstrKind::kref_get:
        case InstrKind::kref_put:
            lvalue_slots(in.target, out, fixed);
            if (in.has_result) lvalue_slots(in.result, out, fixed);
            break;
        default:
            break;
    }
}

Footprint fragment_footprint(const Fragment& f, SlotId pc, const FixedSlots* fixed) {
    Footprint fp;
    fp.reads.insert(pc);
    fp.may_write.insert(pc);
    fp.must_write.insert(pc);
    auto index_reads = [&](const Expr& lv) {
        for (const auto& k : lv.kids) expr_reads(k, fp.reads, fixed);
    };
    for (const auto& in : f.code) {
        switch (in.kind) {
            case InstrKind::guard:
            case InstrKind::branch:
            case InstrKind::check:
                expr_reads(in.a, fp.reads, fixed);
                break;
            case InstrKind::assign:
                expr_reads(in.a, fp.reads, fixed);
                index_reads(in.target);
                break;
            case InstrKind::choose:
                index_reads(in.target);
                break;
            case InstrKind::lock:
            case InstrKind::unlock:
            case InstrKind::kref_init:
            case InstrKind::kref_get:
            case InstrKind::kref_put:
                index_reads(in.target);
                lvalue_slots(in.target, fp.reads, fixed);
                if (in.has_result) index_reads(in.result);
                break;
            default:
                break;
        }
        instr_writes(in, fp.may_write, fixed);
    }
    // must_write: only the pc is written on every path for sure (a conservative choice that is
    // always sound; POR only uses must_write to strengthen, never to weaken, its conditions).
    return fp;
}

}  // namespace iomc::ir
