// SPDX-License-Identifier: MIT
#include "checker/ir/bytecode.hpp"

#include <fmt/format.h>

#include "checker/support/check.hpp"

namespace iomc::ir {

std::uint32_t CompileContext::message(std::string text) {
    for (std::size_t i = 0; i < messages.size(); ++i)
        if (messages[i] == text) return static_cast<std::uint32_t>(i);
    messages.push_back(std::move(text));
    return static_cast<std::uint32_t>(messages.size() - 1);
}

namespace {

class Compiler {
public:
    Compiler(CompileContext& ctx, Program& p, bool with_notes = true) : ctx_(ctx), p_(p), with_notes_(with_notes) {}

    std::uint32_t here() const { return static_cast<std::uint32_t>(p_.code.size()); }

    std::uint32_t emit(Bc op, std::int32_t a = 0, std::int32_t b = 0, std::int32_t c = 0,
                       std::uint8_t w = 0, std::int32_t d = 0) {
        p_.code.push_back(BInstr{op, w, a, b, c, d});
        return here() - 1;
    }

    void depth(int delta) {
        cur_ += delta;
        if (cur_ > static_cast<int>(p_.max_stack)) p_.max_stack = static_cast<std::uint32_t>(cur_);
    }

    /// Pushes the bit offset of an element lvalue; returns its base slot.
    const Slot& address(const Expr& lv, const std::string& what) {
        const Slot& base = ctx_.layout.slot(lv.slot);
        emit(Bc::push, static_cast<std::int32_t>(base.bit_offset));
        depth(1);
        for (std::size_t i = 0; i < lv.dims.size(); ++i) {
            expr(lv.kids[i]);
            const auto& d = lv.dims[i];
            const auto msg = ctx_.message(fmt::format("index {{value}} out of range 0..{} in '{}'", d.count - 1, what));
            // c: for an optional index, 1 + the message for none (a null dereference).
            std::int32_t none_msg = 0;
            if (d.optional_index)
                none_msg = 1 + static_cast<std::int32_t>(
                                   ctx_.message(fmt::format("'{}' is indexed with none (a null dereference)", what)));
            emit(Bc::index, static_cast<std::int32_t>(d.count), static_cast<std::int32_t>(d.bit_stride), none_msg,
                 0, static_cast<std::int32_t>(msg));
            depth(-1);
        }
        return base;
    }

    void expr(const Expr& e) {
        switch (e.op) {
            case ExprOp::constant:
                emit(Bc::push, static_cast<std::int32_t>(e.value));
                depth(1);
                return;
            case ExprOp::slot: {
                const Slot& s = ctx_.layout.slot(e.slot);
                emit(Bc::load, static_cast<std::int32_t>(s.bit_offset), s.lo, 0, s.width);
                depth(1);
                return;
            }
            case ExprOp::element: {
                const Slot& s = address(e, e.name);
                emit(Bc::load_at, 0, s.lo, 0, s.width);
                return;
            }
            case ExprOp::at_loc: {
                const Slot& s = ctx_.layout.slot(e.slot);
                emit(Bc::load, static_cast<std::int32_t>(s.bit_offset), s.lo, 0, s.width);
                depth(1);
                std::vector<std::uint64_t> bits((static_cast<std::size_t>(s.hi) + 64) / 64, 0);
                for (auto l : e.locs) bits[l / 64] |= std::uint64_t{1} << (l % 64);
                p_.sets.push_back(std::move(bits));
                emit(Bc::in_set, static_cast<std::int32_t>(p_.sets.size() - 1));
                return;
            }
            case ExprOp::neg:
            case ExprOp::not_:
                expr(e.kids[0]);
                emit(e.op == ExprOp::neg ? Bc::neg : Bc::not_);
                return;
            case ExprOp::and_:
            case ExprOp::or_:
            case ExprOp::implies: {
                // Short-circuit: the right operand may index with a value the left one rules out.
                expr(e.kids[0]);
                const auto j = emit(e.op == ExprOp::or_ ? Bc::jnz : Bc::jz);
                depth(-1);
                expr(e.kids[1]);
                const auto j_end = emit(Bc::jmp);
                depth(-1);
                p_.code[j].a = static_cast<std::int32_t>(here());
                emit(Bc::push, e.op == ExprOp::and_ ? 0 : 1);
                depth(1);
                p_.code[j_end].a = static_cast<std::int32_t>(here());
                return;
            }
            case ExprOp::ite: {
                expr(e.kids[0]);
                const auto j = emit(Bc::jz);
                depth(-1);
                expr(e.kids[1]);
                const auto j_end = emit(Bc::jmp);
                depth(-1);
                p_.code[j].a = static_cast<std::int32_t>(here());
                expr(e.kids[2]);
                p_.code[j_end].a = static_cast<std::int32_t>(here());
                return;
            }
            default: break;
        }
        expr(e.kids[0]);
        if (e.kids[1].is_constant() && e.kids[1].value >= INT32_MIN && e.kids[1].value <= INT32_MAX &&
            !((e.op == ExprOp::div || e.op == ExprOp::mod) && e.kids[1].value == 0)) {
            Bc iop = Bc::add_i;
            switch (e.op) {
                case ExprOp::add: iop = Bc::add_i; break;
                case ExprOp::sub: iop = Bc::sub_i; break;
                case ExprOp::mul: iop = Bc::mul_i; break;
                case ExprOp::div: iop = Bc::div_i; break;
                case ExprOp::mod: iop = Bc::mod_i; break;
                case ExprOp::eq: iop = Bc::eq_i; break;
                case ExprOp::ne: iop = Bc::ne_i; break;
                case ExprOp::lt: iop = Bc::lt_i; break;
                case ExprOp::le: iop = Bc::le_i; break;
                case ExprOp::gt: iop = Bc::gt_i; break;
                case ExprOp::ge: iop = Bc::ge_i; break;
                default: IOMC_UNREACHABLE("binary operator");
            }
            emit(iop, static_cast<std::int32_t>(e.kids[1].value));
            return;
        }
        expr(e.kids[1]);
        Bc op = Bc::add;
        switch (e.op) {
            case ExprOp::add: op = Bc::add; break;
            case ExprOp::sub: op = Bc::sub; break;
            case ExprOp::mul: op = Bc::mul; break;
            case ExprOp::div: op = Bc::div; break;
            case ExprOp::mod: op = Bc::mod; break;
            case ExprOp::eq: op = Bc::eq; break;
            case ExprOp::ne: op = Bc::ne; break;
            case ExprOp::lt: op = Bc::lt; break;
            case ExprOp::le: op = Bc::le; break;
            case ExprOp::gt: op = Bc::gt; break;
            case ExprOp::ge: op = Bc::ge; break;
            default: IOMC_UNREACHABLE("binary operator");
        }
        std::int32_t msg = 0;
        if (op == Bc::div || op == Bc::mod) msg = static_cast<std::int32_t>(ctx_.message("division by zero"));
        emit(op, msg);
        depth(-1);
    }

    /// Pushes the bit offset of `lv` (constant for a plain slot); returns the slot describing it.
    const Slot& lvalue_offset(const Expr& lv, const std::string& what) {
        if (lv.op == ExprOp::slot) {
            const Slot& s = ctx_.layout.slot(lv.slot);
            emit(Bc::push, static_cast<std::int32_t>(s.bit_offset));
            depth(1);
            return s;
        }
        IOMC_CHECK(lv.op == ExprOp::element);
        return address(lv, what);
    }

    void store(const Expr& lv, const std::string& what) {
        // Value is on the stack.
        if (lv.op == ExprOp::slot) {
            const Slot& s = ctx_.layout.slot(lv.slot);
            const auto msg = ctx_.message(range_message(s, what));
            emit(Bc::store, static_cast<std::int32_t>(s.bit_offset), s.lo, s.hi, s.width,
                 static_cast<std::int32_t>(msg));
            depth(-1);
            return;
        }
        // store_at wants the offset below the value: compute it, then swap by recomputing order.
        // We evaluate the value first, so emit the address afterwards and use store_at with the
        // operands reversed (value below offset): the interpreter pops offset first.
        const Slot& s = address(lv, what);
        const auto msg = ctx_.message(range_message(s, what));
        emit(Bc::store_at, 0, s.lo, s.hi, s.width, static_cast<std::int32_t>(msg));
        depth(-2);
    }

    static std::string range_message(const Slot& s, const std::string& what) {
        if (s.kind == ValueKind::kref) return fmt::format("kref '{}' exceeds its bound {}", what, s.hi);
        if (s.lo == -1 && (s.kind == ValueKind::scalarset || s.kind == ValueKind::enumeration))
            return fmt::format("value {{value}} out of range for '{}'", what);
        return fmt::format("value {{value}} out of range {}..{} of '{}'", s.lo, s.hi, what);
    }

    void fragment(const Fragment& f, SlotId pc) {
        const Slot& pcs = ctx_.layout.slot(pc);
        std::vector<std::uint32_t> start(f.code.size() + 1, 0);
        struct Fixup { std::uint32_t at; std::uint32_t target; bool table; std::uint32_t slot; };
        std::vector<Fixup> fix;
        for (std::size_t i = 0; i < f.code.size(); ++i) {
            start[i] = here();
            const Instr& in = f.code[i];
            cur_ = 0;
            switch (in.kind) {
                case InstrKind::note:
                    if (with_notes_) emit(Bc::note, static_cast<std::int32_t>(in.stmt));
                    break;
                case InstrKind::guard:
                    expr(in.a);
                    emit(Bc::guard);
                    depth(-1);
                    break;
                case InstrKind::assign:
                    expr(in.a);
                    store(in.target, in.what);
                    break;
                case InstrKind::choose: {
                    const Slot& s = lvalue_offset(in.target, in.what);
                    emit(Bc::choose, 0, s.lo, s.hi, s.width);
                    depth(-1);
                    break;
                }
                case InstrKind::branch:
                    expr(in.a);
                    fix.push_back({emit(Bc::jz), in.t2, false, 0});
                    depth(-1);
                    fix.push_back({emit(Bc::jmp), in.t1, false, 0});
                    break;
                case InstrKind::jump:
                    fix.push_back({emit(Bc::jmp), in.t1, false, 0});
                    break;
                case InstrKind::fork: {
                    p_.fork_tables.push_back(in.targets);  // fixed up below
                    const auto t = static_cast<std::uint32_t>(p_.fork_tables.size() - 1);
                    fix.push_back({emit(Bc::fork, static_cast<std::int32_t>(t)), 0, true, t});
                    break;
                }
                case InstrKind::check:
                    expr(in.a);
                    emit(Bc::check, static_cast<std::int32_t>(idx(in.prop)),
                         static_cast<std::int32_t>(in.message), 0, in.stop ? 1 : 0);
                    depth(-1);
                    break;
                case InstrKind::lock:
                case InstrKind::unlock: {
                    const Slot& s = lvalue_offset(in.target, in.what);
                    const auto msg = ctx_.message(
                        in.kind == InstrKind::lock
                            ? fmt::format("recursive lock of '{}' (already held by this process)", in.what)
                            : fmt::format("unlock of '{}' by a process that does not hold it", in.what));
                    emit(in.kind == InstrKind::lock ? Bc::lock : Bc::unlock, static_cast<std::int32_t>(in.self), s.lo,
                         in.kind == InstrKind::lock ? in.subclass : 0, s.width, static_cast<std::int32_t>(msg));
                    depth(-1);
                    break;
                }
                case InstrKind::kref_init: {
                    const Slot& s = lvalue_offset(in.target, in.what);
                    emit(Bc::kref_init, 0, s.lo, s.hi, s.width);
                    depth(-1);
                    break;
                }
                case InstrKind::kref_get: {
                    const Slot& s = lvalue_offset(in.target, in.what);
                    const auto msg = ctx_.message(fmt::format("kref_get on '{}' at zero: use after free", in.what));
                    emit(Bc::kref_get, static_cast<std::int32_t>(ctx_.message(range_message(s, in.what))),
                         s.lo, s.hi, s.width, static_cast<std::int32_t>(msg));
                    depth(-1);
                    break;
                }
                case InstrKind::kref_put: {
                    const Slot& s = lvalue_offset(in.target, in.what);
                    const auto msg = ctx_.message(fmt::format("kref_put on '{}' at zero: underflow", in.what));
                    emit(Bc::kref_put, 0, s.lo, s.hi, s.width, static_cast<std::int32_t>(msg));
                    if (in.has_result) {
                        store(in.result, "kref_put result");
                    } else {
                        emit(Bc::pop);
                        depth(-1);
                    }
                    break;
                }
                case InstrKind::finish:
                    emit(Bc::finish, static_cast<std::int32_t>(pcs.bit_offset), static_cast<std::int32_t>(in.t1),
                         0, pcs.width);
                    break;
            }
        }
        start[f.code.size()] = here();
        for (const auto& fx : fix) {
            if (fx.table) {
                for (auto& t : p_.fork_tables[fx.slot]) t = start[t];
            } else {
                p_.code[fx.at].a = static_cast<std::int32_t>(start[fx.target]);
            }
        }
    }

private:
    CompileContext& ctx_;
    Program& p_;
    bool with_notes_;
    int cur_ = 0;
};

}  // namespace

Program compile_fragment(const Fragment& f, SlotId pc, CompileContext& ctx, bool with_notes) {
    Program p;
    Compiler c(ctx, p, with_notes);
    c.fragment(f, pc);
    p.max_stack += 4;
    return p;
}

Program compile_expr(const Expr& e, CompileContext& ctx) {
    Program p;
    Compiler c(ctx, p);
    c.expr(e);
    c.emit(Bc::halt);
    p.max_stack += 4;
    return p;
}

}  // namespace iomc::ir
