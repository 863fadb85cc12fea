// SPDX-License-Identifier: MIT
/// @file The wait-cycle half of deadlock as a formula over one state: exactly
/// ir::TransitionSystem::wait_cycle() (checker/ir/lock_waits.cpp), for fixed mutexes and for
/// mutexes the state selects (`lock(group_mutex[dev_group[d]])`, a mutex behind a lifetime's
/// use-after-free checks), including the rule that a cycle counts only when no process outside
/// it may still redirect one of its waits (wait_breaks(), wait_breaker()).
///
/// Each process waits for at most one other (the owner of the mutex its pure lock selects), so
/// the waits form a functional graph f over process ids, -1 for "waits for nobody". p is on a
/// cycle when f^k(p) = p for some k in 1..n, and that cycle C is then {f^k(p) : k in 1..n};
/// the processes whose chain of waits runs into C are B = {r : f^n(r) in C}. The cycle counts
/// when no process outside C may still write a slot that selects a mutex of C ("may break"),
/// or when some process is in B but not in C and no process outside B may break B. Formula
/// size: O(n^3) comparisons for n processes, plus O(n * slots) for the breaking part.
#include <fmt/format.h>

#include "checker/symbolic/safety.hpp"
#include "checker/support/check.hpp"

namespace iomc::symbolic {

namespace {

/// An ir::Expr (a lock's index or a use-after-free check) over state s, as eval_in() in
/// lock_waits.cpp evaluates it: int64 arithmetic, and `error` where the interpreter would stop
/// (an index out of range or none, a division by zero), short-circuits included.
class ExprEncoder {
public:
    ExprEncoder(const Encoder& enc, const SymState& s) : enc_(enc), s_(s), c_(enc.ctx()) {}

    ExprValue value(const ir::Expr& e) {
        using ir::ExprOp;
        const z3::expr no = c_.bool_val(false);
        switch (e.op) {
            case ExprOp::constant: return {c_.bv_val(static_cast<std::uint64_t>(e.value), 64), no};
            case ExprOp::slot: return {enc_.value(s_, e.slot), no};
            case ExprOp::element: {
                const auto [slots, valid] = element(e);
                z3::expr out = c_.bv_val(0, 64);
                for (const auto& [at, slot] : slots) out = z3::ite(at, enc_.value(s_, slot), out);
                return {out, !valid};
            }
            case ExprOp::at_loc: {
                const z3::expr pc = enc_.value(s_, e.slot);
                z3::expr_vector any(c_);
                for (const auto l : e.locs) any.push_back(pc == c_.bv_val(l, 64));
                return {bool_value(z3::mk_or(any)), no};
            }
            case ExprOp::neg: {
                const auto a = value(e.kids[0]);
                return {-a.value, a.error};
            }
            case ExprOp::not_: {
                const auto a = value(e.kids[0]);
                return {bool_value(a.value == zero()), a.error};
            }
            case ExprOp::and_:
            case ExprOp::or_:
            case ExprOp::implies: {
                const auto a = value(e.kids[0]);
                const auto b = value(e.kids[1]);
                const z3::expr at = a.value != zero();
                // The second operand is evaluated only when the first does not decide.
                const z3::expr decides = e.op == ExprOp::or_ ? at : !at;
                const z3::expr decided = e.op == ExprOp::and_ ? zero() : one();
                return {z3::ite(decides, decided, bool_value(b.value != zero())), a.error || (!decides && b.error)};
            }
            case ExprOp::ite: {
                const auto a = value(e.kids[0]);
                const auto b = value(e.kids[1]);
                const auto d = value(e.kids[2]);
                const z3::expr at = a.value != zero();
                return {z3::ite(at, b.value, d.value), a.error || z3::ite(at, b.error, d.error)};
            }
            default: break;
        }
        const auto a = value(e.kids[0]);
        const auto b = value(e.kids[1]);
        const z3::expr err = a.error || b.error;
        switch (e.op) {
            case ExprOp::add: return {a.value + b.value, err};
            case ExprOp::sub: return {a.value - b.value, err};
            case ExprOp::mul: return {a.value * b.value, err};
            case ExprOp::div: return {z3::ite(b.value == zero(), zero(), a.value / b.value), err || b.value == zero()};
            case ExprOp::mod:
                return {z3::ite(b.value == zero(), zero(), z3::srem(a.value, b.value)), err || b.value == zero()};
            case ExprOp::eq: return {bool_value(a.value == b.value), err};
            case ExprOp::ne: return {bool_value(a.value != b.value), err};
            case ExprOp::lt: return {bool_value(z3::slt(a.value, b.value)), err};
            case ExprOp::le: return {bool_value(z3::sle(a.value, b.value)), err};
            case ExprOp::gt: return {bool_value(z3::sgt(a.value, b.value)), err};
            case ExprOp::ge: return {bool_value(z3::sge(a.value, b.value)), err};
            default: IOMC_UNREACHABLE("expression operator");
        }
    }

    /// The slots an lvalue may denote, each with when it does, and when its indices are valid
    /// (in range, evaluated without error). A plain slot: itself, always.
    std::pair<std::vector<std::pair<z3::expr, ir::SlotId>>, z3::expr> element(const ir::Expr& lv) {
        std::vector<std::pair<z3::expr, ir::SlotId>> out;
        if (lv.op == ir::ExprOp::slot) {
            out.emplace_back(c_.bool_val(true), lv.slot);
            return {out, c_.bool_val(true)};
        }
        IOMC_CHECK(lv.op == ir::ExprOp::element);
        z3::expr valid = c_.bool_val(true);
        std::vector<z3::expr> index;
        for (std::size_t d = 0; d < lv.dims.size(); ++d) {
            const auto i = value(lv.kids[d]);
            valid = valid && !i.error && z3::sge(i.value, zero()) &&
                    z3::slt(i.value, c_.bv_val(lv.dims[d].count, 64));
            index.push_back(i.value);
        }
        // Every combination of in-range indices, as the interpreter computes the slot.
        std::vector<std::pair<z3::expr, std::uint32_t>> combos{{c_.bool_val(true), ir::idx(lv.slot)}};
        for (std::size_t d = 0; d < lv.dims.size(); ++d) {
            std::vector<std::pair<z3::expr, std::uint32_t>> next;
            for (const auto& [cond, at] : combos)
                for (std::uint32_t k = 0; k < lv.dims[d].count; ++k)
                    next.emplace_back(cond && index[d] == c_.bv_val(k, 64), at + k * lv.dims[d].slot_stride);
            combos = std::move(next);
        }
        for (const auto& [cond, at] : combos) out.emplace_back(valid && cond, ir::SlotId{at});
        return {out, valid};
    }

private:
    z3::expr zero() const { return c_.bv_val(0, 64); }
    z3::expr one() const { return c_.bv_val(1, 64); }
    z3::expr bool_value(const z3::expr& b) const { return z3::ite(b, one(), zero()); }

    const Encoder& enc_;
    const SymState& s_;
    z3::context& c_;
};

}  // namespace

z3::expr wait_cycle(const Encoder& enc, const SymState& s) {
    const auto& ts = enc.ts();
    z3::context& c = enc.ctx();
    if (!ts.has_lock_waits()) return c.bool_val(false);
    const auto n = static_cast<std::uint32_t>(ts.processes().size());
    const z3::expr none = c.bv_val(static_cast<std::uint64_t>(std::int64_t{-1}), 64);
    const z3::expr zero = c.bv_val(0, 64);
    const auto id = [&](std::uint32_t q) { return c.bv_val(q, 64); };
    ExprEncoder ex(enc, s);
    const auto breaks = ts.wait_breaks().to_vector();

    // Per process: the process it waits for (waited_mutex()'s owner), or -1; and, per slot of
    // wait_breaks(), whether its wait reads it (brk) and whether it may still write it (writes).
    std::vector<z3::expr> waits;
    std::vector<std::vector<z3::expr>> brk(n), writes(n);
    for (std::uint32_t p = 0; p < n; ++p) {
        const auto& proc = ts.processes()[p];
        const z3::expr pc = enc.value(s, proc.pc);
        z3::expr w = none;
        std::vector<z3::expr_vector> reads_at(breaks.size(), z3::expr_vector(c)),
            writes_at(breaks.size(), z3::expr_vector(c));
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
            const z3::expr here = pc == c.bv_val(l, 64);
            if (!breaks.empty()) {
                const auto& may_write = ts.breaker_writes(ts.wait_breaker(p, l));
                for (std::size_t k = 0; k < breaks.size(); ++k)
                    if (may_write.contains(breaks[k])) writes_at[k].push_back(here);
            }
            const auto* lw = ts.pure_lock(p, l);
            if (lw == nullptr) continue;
            for (std::size_t k = 0; k < breaks.size(); ++k)
                if (lw->breaks.contains(breaks[k])) reads_at[k].push_back(here);
            const auto& code = ts.group(ir::GroupId{lw->group}).code.code;
            z3::expr blocks = here;
            for (const auto ck : lw->unless) {  // the step reports instead of blocking unless each is 0
                const auto v = ex.value(code[ck].a);
                blocks = blocks && !v.error && v.value == zero;
            }
            const auto [slots, valid] = ex.element(code[lw->lock].target);
            z3::expr owner = none;
            for (const auto& [at, slot] : slots) owner = z3::ite(at, enc.value(s, slot), owner);
            blocks = blocks && valid && z3::sge(owner, zero) && z3::slt(owner, id(n)) && owner != id(p);
            w = z3::ite(blocks, owner, w);
        }
        waits.push_back(w);
        for (std::size_t k = 0; k < breaks.size(); ++k) {
            brk[p].push_back(z3::mk_or(reads_at[k]));
            writes[p].push_back(z3::mk_or(writes_at[k]));
        }
    }
    auto follow = [&](const z3::expr& x) {
        z3::expr out = none;
        for (std::uint32_t q = n; q-- > 0;) out = z3::ite(x == id(q), waits[q], out);
        return out;
    };
    // walk[p][k-1] = f^k(p).
    std::vector<std::vector<z3::expr>> walk(n);
    for (std::uint32_t p = 0; p < n; ++p) {
        z3::expr x = id(p);
        for (std::uint32_t k = 0; k < n; ++k) walk[p].push_back(x = follow(x));
    }
    // Some process outside the set (membership per process) may write a slot that selects a
    // mutex one of the set's processes waits for.
    auto may_break = [&](const std::vector<z3::expr>& in) {
        z3::expr_vector any(c);
        for (std::size_t k = 0; k < breaks.size(); ++k) {
            z3::expr_vector read(c), written(c);
            for (std::uint32_t q = 0; q < n; ++q) {
                read.push_back(in[q] && brk[q][k]);
                written.push_back(!in[q] && writes[q][k]);
            }
            any.push_back(z3::mk_or(read) && z3::mk_or(written));
        }
        return z3::mk_or(any);
    };
    z3::expr_vector any(c);
    for (std::uint32_t p = 0; p < n; ++p) {
        z3::expr_vector back(c);
        for (const auto& x : walk[p]) back.push_back(x == id(p));
        const z3::expr on_cycle = z3::mk_or(back);
        if (breaks.empty()) {
            any.push_back(on_cycle);
            continue;
        }
        std::vector<z3::expr> cyc, blocked;
        for (std::uint32_t q = 0; q < n; ++q) {
            z3::expr_vector at(c);
            for (const auto& x : walk[p]) at.push_back(x == id(q));
            cyc.push_back(z3::mk_or(at));
        }
        z3::expr_vector more(c);
        for (std::uint32_t r = 0; r < n; ++r) {
            z3::expr_vector into(c);
            for (std::uint32_t q = 0; q < n; ++q) into.push_back(walk[r][n - 1] == id(q) && cyc[q]);
            blocked.push_back(z3::mk_or(into));
            more.push_back(blocked.back() && !cyc[r]);
        }
        any.push_back(on_cycle && (!may_break(cyc) || (z3::mk_or(more) && !may_break(blocked))));
    }
    return z3::mk_or(any);
}

}  // namespace iomc::symbolic
