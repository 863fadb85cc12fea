// SPDX-License-Identifier: MIT
/// @file Statements pass, inside atomic blocks: an `atomic { }` is one step, so its statements
/// (and the bodies of the procedures it calls) become one fragment of instructions, with
/// branches, jumps and forks inside it instead of CFG nodes.
#include <fmt/format.h>

#include "checker/lang/statement_lowering.hpp"
#include "checker/support/check.hpp"

namespace iomc::lang {

void StatementLowering::atomic_body(const std::vector<ast::StmtPtr>& body, std::vector<ir::Instr>& code) {
    frag_labels_.emplace_back();
    auto saved_loops = std::move(loops_);
    loops_.clear();
    const auto depth = ctx().scopes.size();
    ctx().scopes.emplace_back();
    try {
        for (const auto& s : body) stmt_frag(*s, code);
    } catch (...) {
        // An error abandons the whole block: the statements around it get their loops and
        // scopes back (a `for` around the block pops its frame after the error is reported).
        ctx().scopes.resize(depth);
        loops_ = std::move(saved_loops);
        frag_labels_.pop_back();
        throw;
    }
    ctx().scopes.pop_back();
    loops_ = std::move(saved_loops);
    auto labels = std::move(frag_labels_.back());
    frag_labels_.pop_back();
    for (const auto& [at, s] : labels.gotos) {
        auto it = labels.at.find(s->label);
        if (it == labels.at.end()) {
            std::vector<std::string> cands;
            for (const auto& [l, _] : labels.at) cands.push_back(l);
            auto& d = sink_.error(s->label_where, fmt::format("unknown label '{}' in this atomic block", s->label));
            d.notes.push_back({std::nullopt, "goto inside an atomic block can only reach labels in the same block"});
            continue;
        }
        code[at].t1 = static_cast<std::uint32_t>(it->second);
    }
}

std::size_t StatementLowering::emit_jump(std::vector<ir::Instr>& code) {
    ir::Instr j;
    j.kind = ir::InstrKind::jump;
    code.push_back(std::move(j));
    return code.size() - 1;
}

void StatementLowering::stmt_frag(const ast::Stmt& s, std::vector<ir::Instr>& code) {
    using K = ast::StmtKind;
    auto here = [&] { return static_cast<std::uint32_t>(code.size()); };
    const StepEmitter emit{
        [&](const ast::Expr* e, bool skip_top) { hoist_frag(e, code, skip_top); },
        [&](const ast::Expr& call, std::optional<TExpr> target) { call_frag(call, std::move(target), code); },
        [&](const ast::Stmt& step) { lower_simple(step, code); },
    };
    // Which statement of the block runs, for traces: a failure names it (Emission::at_stmt).
    if (s.kind != K::block) {
        ir::Instr inner = note(statement(s));
        inner.t1 = 1;
        code.push_back(std::move(inner));
    }
    if (step_stmt(s, emit)) return;
    switch (s.kind) {
        case K::block:
            ctx().scopes.emplace_back();
            for (const auto& b : s.body) stmt_frag(*b, code);
            ctx().scopes.pop_back();
            return;
        case K::var_decl: declare_local(*s.decl); return;
        case K::if_:
        case K::when: {
            hoist_frag(s.cond.get(), code);
            TExpr cond = exprs_.lower(*s.cond, ctx());
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("condition must be bool, found {}", type_name(cond.t)));
            if (s.kind == K::when && !cond.is_const())
                fail(sink_, s.cond->where, "'when' needs a constant bool condition (such as variant(x) or a constant)");
            if (cond.is_const()) {
                decisions_.push_back(Decision{&s, cond.e.value != 0});
                if (cond.e.value) stmt_frag(*s.body[0], code);
                else if (s.else_part) stmt_frag(*s.else_part, code);
                return;
            }
            insert_uaf_checks(code, code.size());
            ir::Instr br;
            br.kind = ir::InstrKind::branch;
            br.a = std::move(cond.e);
            code.push_back(std::move(br));
            const std::size_t b = code.size() - 1;
            code[b].t1 = here();
            stmt_frag(*s.body[0], code);
            const std::size_t j = emit_jump(code);
            code[b].t2 = here();
            if (s.else_part) stmt_frag(*s.else_part, code);
            code[j].t1 = here();
            return;
        }
        case K::while_: {
            const std::uint32_t head = here();
            hoist_frag(s.cond.get(), code);
            TExpr cond = exprs_.lower(*s.cond, ctx());
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("while needs a bool condition, found {}", type_name(cond.t)));
            std::vector<std::size_t> brk, cont;
            std::size_t b = SIZE_MAX;
            if (!cond.is_const() || !cond.e.value) {
                insert_uaf_checks(code, code.size());
                ir::Instr br;
                br.kind = ir::InstrKind::branch;
                br.a = std::move(cond.e);
                code.push_back(std::move(br));
                b = code.size() - 1;
                code[b].t1 = here();
            }
            loops_.push_back(LoopFrame{0, 0, &brk, &cont});
            stmt_frag(*s.body[0], code);
            loops_.pop_back();
            const std::size_t back = emit_jump(code);
            code[back].t1 = head;
            if (b != SIZE_MAX) code[b].t2 = here();
            for (auto x : brk) code[x].t1 = here();
            for (auto x : cont) code[x].t1 = head;
            return;
        }
        case K::for_: {
            const Symbol* sym = symbols_.find(ctx().module, s.for_type);
            if (!sym || sym->kind != SymKind::type) unknown(sink_, "type", s.for_type.str(), s.for_type.where, {});
            const Type* t = types_.named(*sym, exprs_);
            // Over a scalarset: where each iteration's code is, for the order check at the end
            // of the atomic block (check_loop_orders).
            UnrolledLoop unrolled{&s, t->kind == TypeKind::scalarset ? t->ss : nullptr, code.size(), {}};
            std::vector<std::size_t> brk;
            const std::int64_t n = count_unrolled(s, t);
            const ExpansionCounter::Scope unrolling(unrolled_, n);
            for (std::int64_t i = 0; i < n; ++i) {
                if (unrolled_.exceeded()) throw Abandon{};  // a loop inside went past the limit
                std::vector<std::size_t> cont;
                ctx().scopes.emplace_back();
                ctx().scopes.back()[s.label] =
                    Binding{true, Value{t->kind == TypeKind::integer ? t->lo + i : i, t}, {}};
                loops_.push_back(LoopFrame{0, 0, &brk, &cont});
                stmt_frag(*s.body[0], code);
                loops_.pop_back();
                ctx().scopes.pop_back();
                for (auto x : cont) code[x].t1 = here();
                unrolled.ends.push_back(code.size());
            }
            for (auto x : brk) code[x].t1 = here();
            if (unrolled.scalarset) atomic_loops_.push_back(std::move(unrolled));
            return;
        }
        case K::either: {
            ir::Instr fk;
            fk.kind = ir::InstrKind::fork;
            code.push_back(std::move(fk));
            const std::size_t f = code.size() - 1;
            std::vector<std::size_t> ends;
            for (const auto& br : s.branches) {
                code[f].targets.push_back(here());
                ctx().scopes.emplace_back();
                for (const auto& b : br) stmt_frag(*b, code);
                ctx().scopes.pop_back();
                ends.push_back(emit_jump(code));
            }
            for (auto x : ends) code[x].t1 = here();
            return;
        }
        case K::atomic:
            ctx().scopes.emplace_back();
            for (const auto& b : s.body) stmt_frag(*b, code);
            ctx().scopes.pop_back();
            return;
        case K::return_: {
            if (!frames_.empty() && frames_.back().ret_fix) {
                // Returns from a procedure the block called: jump past its inlined body.
                hoist_frag(s.rhs.get(), code);
                return_code(s, frames_.back(), code);
                frames_.back().ret_fix->push_back(emit_jump(code));
                return;
            }
            // Returns from the procedure (or ends the process) whose body holds the block: the
            // block's step ends here and goes to the procedure's exit (the process's end).
            if (frames_.empty()) {
                if (s.rhs) fail(sink_, s.rhs->where, "a process cannot return a value");
                add_resets(code);
                code.push_back(finish_to(process_end_));
                return;
            }
            hoist_frag(s.rhs.get(), code);
            return_code(s, frames_.back(), code);
            add_resets(code);
            code.push_back(finish_to(frames_.back().exit));
            return;
        }
        case K::goto_: frag_labels_.back().gotos.emplace_back(emit_jump(code), &s); return;
        case K::break_:
        case K::continue_:
            if (loops_.empty() || !loops_.back().brk_fix)
                fail(sink_, s.where, fmt::format("'{}' outside a loop", s.kind == K::break_ ? "break" : "continue"));
            (s.kind == K::break_ ? loops_.back().brk_fix : loops_.back().cont_fix)->push_back(emit_jump(code));
            return;
        case K::labeled:
            if (!frag_labels_.back().at.emplace(s.label, code.size()).second)
                sink_.error(s.label_where, fmt::format("label '{}' is declared twice", s.label));
            stmt_frag(*s.body[0], code);
            return;
        default: IOMC_UNREACHABLE("a one-step statement that step_stmt() does not lower");
    }
}

/// Lowers the calls inside `e` into temporaries, in fragment mode.
void StatementLowering::hoist_frag(const ast::Expr* e, std::vector<ir::Instr>& code, bool skip_top) {
    if (!e) return;
    std::vector<const ast::Expr*> calls;
    find_calls(*e, calls, ctx());
    for (const ast::Expr* call : calls) {
        if (skip_top && call == e) continue;
        const Type* rt = call_result_type(*call);
        TExpr tmp = local_slot(call, rt, fmt::format("tmp{}", temp_counter_++), Initial{}, call->where, true);
        call_frag(*call, tmp, code);
        ctx().hoisted[call] = tmp;
        pending_resets_.emplace_back(tmp, slot_init(tmp));
    }
}

}  // namespace iomc::lang
