// SPDX-License-Identifier: MIT
/// @file Statements pass, procedure calls: binds arguments (a constant argument becomes a
/// constant in the body, any other one a parameter slot), inlines the body in the caller's mode
/// (CFG or atomic fragment), stores the return value, resets the procedure's locals on the way
/// out, and rejects recursion.
#include <fmt/format.h>

#include "checker/lang/statement_lowering.hpp"

namespace iomc::lang {

using support::SourceRange;

/// Checks arguments and binds parameters of a call; returns the assignments for
/// non-constant arguments.
const Symbol& StatementLowering::bind_call(const ast::Expr& call, ProcFrame& fr, Scope& scope,
                                           std::vector<ir::Instr>& assigns) {
    const Symbol* s = symbols_.find(ctx().module, call.name);
    if (!s || s->kind != SymKind::proc) {
        std::vector<std::string> cands;
        for (const auto& [name, sym] : symbols_.in(symbols_.resolve_module(ctx().module, call.name)))
            if (sym.kind == SymKind::proc) cands.push_back(name);
        unknown(sink_, "procedure", call.name.str(), call.name.where, cands);
    }
    const ast::Decl* d = s->decl;
    called_.insert(d);
    inlined_.insert(d->name);
    for (const auto& f : frames_)
        if (f.decl == d)
            fail(sink_, call.where,
                 fmt::format("recursive call to '{}' (procedures are inlined; recursion is not supported)", d->name));
    if (call.kids.size() != d->params.size())
        fail(sink_, call.where,
             fmt::format("'{}' takes {} argument{}, found {}", d->name, d->params.size(),
                         d->params.size() == 1 ? "" : "s", call.kids.size()));
    for (std::size_t i = 0; i < d->params.size(); ++i) {
        const Type* pt = types_.resolve(s->module, *d->params[i].type, exprs_);
        TExpr a = exprs_.lower(*call.kids[i], ctx());
        if (pt->kind == TypeKind::integer ? a.t->kind != TypeKind::integer : !assignable(pt, a.t))
            fail(
                sink_, call.kids[i]->where,
                fmt::format("argument {} of '{}' must be {}, found {}", i + 1, d->name, type_name(pt), type_name(a.t)));
        if (a.is_const()) {
            const auto dom = layout_.domain(pt);
            if (a.e.value < dom.lo || a.e.value > dom.hi)
                fail(sink_, call.kids[i]->where,
                     fmt::format("argument {} of '{}' is {}, outside {}", i + 1, d->name, a.e.value, type_name(pt)));
            scope[d->params[i].name] = Binding{true, Value{a.e.value, pt}, {}};
        } else {
            TExpr p =
                local_slot(&d->params[i], pt, d->name + "." + d->params[i].name, Initial{}, d->params[i].where);
            ir::Instr in;
            in.kind = ir::InstrKind::assign;
            in.target = p.e;
            in.a = std::move(a.e);
            in.what = d->params[i].name;
            assigns.push_back(std::move(in));
            scope[d->params[i].name] = Binding{false, {}, p};
            fr.resets.emplace_back(p, slot_init(p));
        }
    }
    fr.decl = d;
    fr.module = s->module;
    return *s;
}

void StatementLowering::call_cfg(const ast::Expr& call, std::optional<TExpr> target, std::uint32_t entry,
                                 std::uint32_t exit, const ast::Stmt& s) {
    ProcFrame fr;
    Scope scope;
    std::vector<ir::Instr> assigns;
    bind_call(call, fr, scope, assigns);
    if (target && !fr.decl->type)
        fail(sink_, call.where, fmt::format("procedure '{}' returns no value", fr.decl->name));
    if (target) {
        const Type* rt = types_.resolve(fr.module, *fr.decl->type, exprs_);
        if (!assignable(target->t, rt))
            fail(sink_, call.where,
                 fmt::format("'{}' returns {}, which cannot be stored in {}", fr.decl->name, type_name(rt),
                             type_name(target->t)));
    }
    fr.target = std::move(target);
    fr.exit = exit;
    std::uint32_t body_entry = entry;
    if (!assigns.empty()) {
        body_entry = new_node(call.where);
        ir::Fragment f;
        f.code.push_back(note(statement(s, text(call.where))));
        insert_uaf_checks(f.code, f.code.size());  // the objects the arguments read
        for (auto& in : assigns) f.code.push_back(std::move(in));
        add_resets(f.code);  // temporaries of nested calls are consumed here
        f.code.push_back(finish_to(body_entry));
        nodes_[entry].alts.push_back(std::move(f));
    }
    // The body runs in the procedure's own module, with only its parameters in scope.
    ExprContext inner;
    inner.module = fr.module;
    inner.self = ctx().self;
    inner.scopes.push_back(std::move(scope));
    ctx_stack_.push_back(std::move(inner));
    auto saved_resets = std::move(pending_resets_);
    pending_resets_.clear();
    auto saved_loops = std::move(loops_);
    loops_.clear();
    frames_.push_back(std::move(fr));
    // The body's nodes start with its labels' (a label names a location before the body's
    // statements make theirs): a step that leaves the body from a labelled last statement
    // resets the locals like any other. `fall` is among them, with no step of its own yet.
    const auto first_body_node = static_cast<std::uint32_t>(nodes_.size());
    collect_labels(frames_.back().decl->body, frames_.back().labels);
    try {
        const std::uint32_t fall = new_node(frames_.back().decl->where);
        block_cfg(frames_.back().decl->body, body_entry, fall);
        std::vector<ir::Instr> code;
        fall_off_code(frames_.back(), code);
        // A procedure without a result resets its locals in the steps that leave its body,
        // so running off the end costs no step of its own unless something jumps there
        // without a step (an epsilon edge, such as the one from `out: when (FLAG) unlock(m); }`
        // with FLAG false).
        bool eps_to_fall = body_entry == fall;
        for (std::uint32_t n : body_nodes(body_entry, first_body_node))
            for (auto e : nodes_[n].eps) eps_to_fall = eps_to_fall || e == fall;
        if (!frames_.back().decl->type && !code.empty() && !eps_to_fall) {
            for (std::uint32_t n : body_nodes(body_entry, first_body_node)) {
                for (auto& alt : nodes_[n].alts) {
                    std::vector<ir::Instr> out;
                    for (auto& in : alt.code) {
                        if (in.kind == ir::InstrKind::finish && in.t1 == fall)
                            for (const auto& r : code) out.push_back(r);
                        out.push_back(std::move(in));
                    }
                    alt.code = std::move(out);
                }
            }
            code.clear();
        }
        if (code.empty()) {
            nodes_[fall].eps.push_back(exit);
        } else {
            ir::Fragment f;
            f.code.push_back(note(
                synthetic_statement(frames_.back().decl->where, fmt::format("end of {}", frames_.back().decl->name))));
            for (auto& in : code) f.code.push_back(std::move(in));
            f.code.push_back(finish_to(exit));
            nodes_[fall].alts.push_back(std::move(f));
        }
    } catch (...) {
        frames_.pop_back();
        ctx_stack_.pop_back();
        loops_ = std::move(saved_loops);
        throw;
    }
    frames_.pop_back();
    ctx_stack_.pop_back();
    loops_ = std::move(saved_loops);
    pending_resets_ = std::move(saved_resets);
}

void StatementLowering::call_frag(const ast::Expr& call, std::optional<TExpr> target, std::vector<ir::Instr>& code) {
    ProcFrame fr;
    Scope scope;
    std::vector<ir::Instr> assigns;
    bind_call(call, fr, scope, assigns);
    if (target && !fr.decl->type)
        fail(sink_, call.where, fmt::format("procedure '{}' returns no value", fr.decl->name));
    fr.target = std::move(target);
    insert_uaf_checks(code, code.size());  // the objects the arguments read
    for (auto& in : assigns) code.push_back(std::move(in));
    std::vector<std::size_t> rets;
    fr.ret_fix = &rets;
    ExprContext inner;
    inner.module = fr.module;
    inner.self = ctx().self;
    inner.scopes.push_back(std::move(scope));
    ctx_stack_.push_back(std::move(inner));
    frames_.push_back(std::move(fr));
    frag_labels_.emplace_back();
    auto saved_loops = std::move(loops_);
    loops_.clear();
    try {
        for (const auto& s : frames_.back().decl->body) stmt_frag(*s, code);
        fall_off_code(frames_.back(), code);
    } catch (...) {
        loops_ = std::move(saved_loops);
        frag_labels_.pop_back();
        frames_.pop_back();
        ctx_stack_.pop_back();
        throw;
    }
    loops_ = std::move(saved_loops);
    auto labels = std::move(frag_labels_.back());
    frag_labels_.pop_back();
    for (const auto& [at, s] : labels.gotos) {
        auto it = labels.at.find(s->label);
        if (it == labels.at.end()) {
            sink_.error(s->label_where, fmt::format("unknown label '{}'", s->label));
            continue;
        }
        code[at].t1 = static_cast<std::uint32_t>(it->second);
    }
    for (auto x : rets) code[x].t1 = static_cast<std::uint32_t>(code.size());
    frames_.pop_back();
    ctx_stack_.pop_back();
}

void StatementLowering::return_code(const ast::Stmt& s, ProcFrame& fr, std::vector<ir::Instr>& code) {
    (void)exprs_.take_uaf();
    const std::size_t at = code.size();
    return_value_code(s, fr, code);
    insert_uaf_checks(code, at);  // the objects the return value reads
}

void StatementLowering::return_value_code(const ast::Stmt& s, ProcFrame& fr, std::vector<ir::Instr>& code) {
    const ast::Decl* d = fr.decl;
    if (s.rhs && !d->type) fail(sink_, s.rhs->where, fmt::format("procedure '{}' returns no value", d->name));
    if (!s.rhs && d->type) fail(sink_, s.where, fmt::format("procedure '{}' must return a value", d->name));
    if (s.rhs && fr.target) {
        TExpr v = exprs_.lower(*s.rhs, ctx());
        const Type* rt = types_.resolve(fr.module, *d->type, exprs_);
        if (!assignable(rt, v.t))
            fail(sink_, s.rhs->where,
                 fmt::format("returns {} from procedure '{}' declared to return {}", type_name(v.t), d->name,
                             type_name(rt)));
        if (!assignable(fr.target->t, v.t))
            fail(sink_, s.rhs->where,
                 fmt::format("the caller stores the result in a variable of type {}", type_name(fr.target->t)));
        ir::Instr in;
        in.kind = ir::InstrKind::assign;
        in.target = fr.target->e;
        in.a = std::move(v.e);
        in.what = "return value";
        code.push_back(std::move(in));
    } else if (s.rhs) {
        TExpr v = exprs_.lower(*s.rhs, ctx());  // type-check even when the caller ignores it
        (void)v;
    }
    emit_resets(fr.resets, "local", code);
}

/// What happens when a procedure body runs off its end: a procedure with a result reports a
/// runtime error; one with locals or parameters to reset takes a step to reset them.
void StatementLowering::fall_off_code(const ProcFrame& fr, std::vector<ir::Instr>& code) {
    if (fr.decl->type) {
        ir::Instr chk;
        chk.kind = ir::InstrKind::check;
        chk.a = ir::Expr::constant(1);
        chk.prop = ir::prop_runtime_error;
        chk.message = message(fmt::format("procedure '{}' reached its end without returning a value", fr.decl->name));
        chk.stop = true;
        code.push_back(std::move(chk));
        return;
    }
    emit_resets(fr.resets, "local", code);
}

/// The nodes of a procedure body: its entry and every node created while compiling it.
std::vector<std::uint32_t> StatementLowering::body_nodes(std::uint32_t entry, std::uint32_t first) const {
    std::vector<std::uint32_t> out{entry};
    for (auto n = first; n < nodes_.size(); ++n)
        if (n != entry) out.push_back(n);
    return out;
}

void StatementLowering::record_uncalled(std::vector<UncalledProc>& out) const {
    if (sink_.has_errors()) return;  // an error may have stopped before the call
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
        for (const auto& d : symbols_.mod(mi).ast.decls)
            if (d.kind == ast::DeclKind::proc && !called_.count(&d) && symbols_.mod(mi).is_root)
                out.push_back({d.name, d.name_where});
}

}  // namespace iomc::lang
