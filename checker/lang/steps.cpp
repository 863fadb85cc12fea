// SPDX-License-Identifier: MIT
/// @file Statements pass, the one-step statements (assignment, await, assert, choose, skip, and
/// the built-in operations, which primitives.cpp lowers) in both lowering modes, and what both
/// modes share: statements and messages for traces, local slots, and finding the calls an
/// expression makes.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "checker/lang/primitives.hpp"
#include "checker/lang/statement_lowering.hpp"

namespace iomc::lang {

using support::SourceRange;

std::uint32_t StatementLowering::statement(const ast::Stmt& s, std::string text_override) {
    ir::Statement st;
    st.where = s.where;
    st.text = text_override.empty() ? stmt_text(s) : text_override;
    st.function = frames_.empty() ? process_decl_->name : frames_.back().decl->name;
    statements_.push_back(std::move(st));
    return static_cast<std::uint32_t>(statements_.size() - 1);
}

std::uint32_t StatementLowering::synthetic_statement(SourceRange where, std::string text) {
    ir::Statement st;
    st.where = where;
    st.text = std::move(text);
    st.function = frames_.empty() ? process_decl_->name : frames_.back().decl->name;
    statements_.push_back(std::move(st));
    return static_cast<std::uint32_t>(statements_.size() - 1);
}

std::string StatementLowering::stmt_text(const ast::Stmt& s) const {
    std::string t = text(s.where);
    if (t.size() > 1 && t.back() == ';') t.pop_back();
    if (t.size() > 90) t = t.substr(0, 87) + "...";
    return t;
}

ir::Instr StatementLowering::note(std::uint32_t stmt) {
    ir::Instr in;
    in.kind = ir::InstrKind::note;
    in.stmt = stmt;
    return in;
}

ir::Instr StatementLowering::finish_to(std::uint32_t node) {
    ir::Instr in;
    in.kind = ir::InstrKind::finish;
    in.t1 = node;
    return in;
}

/// Appends `lv = initial value` for each (lvalue, value) pair: dead locals and temporaries
/// go back to their initial values so that states do not differ by them.
void StatementLowering::emit_resets(const std::vector<std::pair<TExpr, std::int64_t>>& resets, const char* what,
                                    std::vector<ir::Instr>& code) {
    for (const auto& [lv, v] : resets) {
        ir::Instr in;
        in.kind = ir::InstrKind::assign;
        in.target = lv.e;
        in.a = ir::Expr::constant(v);
        in.what = what;
        code.push_back(std::move(in));
    }
}

void StatementLowering::add_resets(std::vector<ir::Instr>& code) {
    emit_resets(pending_resets_, "temporary", code);
}

std::uint32_t StatementLowering::message(std::string m) {
    for (std::size_t i = 0; i < messages_.size(); ++i)
        if (messages_[i] == m) return static_cast<std::uint32_t>(i);
    messages_.push_back(std::move(m));
    return static_cast<std::uint32_t>(messages_.size() - 1);
}

/// Allocates a process-local slot (or reuses the one of an earlier call site).
TExpr StatementLowering::local_slot(const void* key, const Type* t, const std::string& name, const Initial& init,
                                    SourceRange where, bool hidden) {
    if (auto it = locals_.find(key); it != locals_.end()) return it->second;
    if (t->kind == TypeKind::mutex) fail(sink_, where, "a mutex must be a global variable (locals are private)");
    const auto first = layout_.alloc(t, instance_name_ + "." + name, init, instance_, where, key, hidden);
    TExpr x = LayoutBuilder::storage(t, first);
    locals_[key] = x;
    if (!hidden) named_locals_[name].push_back(x);
    return x;
}

std::int64_t StatementLowering::slot_init(const TExpr& lv) const {
    return layout_.initial(lv.e.slot);
}

void StatementLowering::bind_local(const std::string& name, TExpr lv, SourceRange where) {
    auto& sc = ctx().scopes.back();
    if (sc.count(name)) fail(sink_, where, fmt::format("'{}' is already declared in this scope", name));
    sc[name] = Binding{false, {}, std::move(lv)};
}

void StatementLowering::declare_local(const ast::VarDecl& d) {
    if (!loops_.empty())
        // Reported, and the variable is still declared so its uses do not cascade.
        sink_.error(d.where, fmt::format("'{}' is declared inside a loop; locals are initialized once (when the "
                                         "process starts, or when the procedure is entered) so declare it before "
                                         "the loop",
                                         d.name));
    const Type* t = types_.resolve(ctx().module, *d.type, exprs_);
    const std::string name = frames_.empty() ? d.name : frames_.back().decl->name + "." + d.name;
    TExpr lv = locals_.count(&d) ? locals_.at(&d)
                                 : local_slot(&d, t, name, layout_.initializer(d.init.get(), t, name, ctx().module, exprs_),
                                              d.where);
    bind_local(d.name, lv, d.where);
    if (!frames_.empty()) {
        if (t->kind == TypeKind::structure || t->kind == TypeKind::array) {
            // Reset every leaf of an aggregate local.
            for (std::uint32_t k = 0; k < leaf_count(t); ++k) {
                TExpr leaf = lv;
                leaf.e.slot = ir::SlotId{ir::idx(lv.e.slot) + k};
                frames_.back().resets.emplace_back(leaf, layout_.initial(leaf.e.slot));
            }
        } else {
            frames_.back().resets.emplace_back(lv, slot_init(lv));
        }
    }
}

/// Collects calls (user procedures, kref_put) inside an expression, innermost first.
void StatementLowering::find_calls(const ast::Expr& e, std::vector<const ast::Expr*>& out, const ExprContext& c) {
    for (const auto& k : e.kids) find_calls(*k, out, c);
    if (e.kind != ast::ExprKind::call) return;
    if (is_builtin(e.name)) {
        if (is_builtin_with_result(e)) out.push_back(&e);
        return;
    }
    const Symbol* s = nullptr;
    try {
        s = symbols_.find(c.module, e.name);
    } catch (const Abandon&) {
        return;
    }
    if (s && s->kind == SymKind::proc) out.push_back(&e);
}

/// A call to a user procedure (not a built-in, not a scalarset conversion like Dev(0)).
bool StatementLowering::is_proc_call(const ast::Expr& e) {
    if (e.kind != ast::ExprKind::call || is_builtin(e.name)) return false;
    const Symbol* sym = symbols_.find(ctx().module, e.name);
    return !sym || sym->kind == SymKind::proc;  // unknown names are reported by bind_call
}

/// A call the statement itself performs: a procedure call or kref_put as the whole right side.
bool StatementLowering::handles_top_call(const ast::Expr& e) {
    return is_proc_call(e) || is_builtin_with_result(e);
}

void StatementLowering::reject_calls_in_await(const ast::Stmt& s) {
    std::vector<const ast::Expr*> calls;
    find_calls(*s.cond, calls, ctx());
    if (!calls.empty())
        fail(sink_, calls.front()->where,
             "await cannot call a procedure or kref_put (await re-evaluates its condition "
             "until it holds); call it before the await and test the result");
}

const Type* StatementLowering::call_result_type(const ast::Expr& call) {
    if (is_builtin(call.name)) return builtin_result_type(types_.arena());
    const Symbol* s = symbols_.find(ctx().module, call.name);
    if (!s->decl->type) fail(sink_, call.where, fmt::format("procedure '{}' returns no value", call.name.str()));
    return types_.resolve(s->module, *s->decl->type, exprs_);
}

/// The one-step statements: each lowers the procedure calls in its expressions first (through
/// `emit.hoist`, innermost first), then performs its own step (`emit.step`) or, when its right
/// side is a procedure call, inlines the call (`emit.call`). Returns false for the statements
/// that steer control (if, while, for, either, atomic, return, goto, labels, blocks).
bool StatementLowering::step_stmt(const ast::Stmt& s, const StepEmitter& emit) {
    switch (s.kind) {
        case ast::StmtKind::assign:
            emit.hoist(s.rhs.get(), handles_top_call(*s.rhs));
            emit.hoist(s.lhs.get(), false);
            if (is_proc_call(*s.rhs)) {
                TExpr lhs = exprs_.lower(*s.lhs, ctx());
                if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot assign to '{}'", text(s.lhs->where)));
                emit.call(*s.rhs, lhs);
                return true;
            }
            emit.step(s);
            return true;
        case ast::StmtKind::await:
            // await re-evaluates its condition until it holds: no calls in it.
            reject_calls_in_await(s);
            emit.step(s);
            return true;
        case ast::StmtKind::choose:
            emit.hoist(s.lhs.get(), false);
            emit.step(s);
            return true;
        case ast::StmtKind::skip: emit.step(s); return true;
        case ast::StmtKind::assert_:
            emit.hoist(s.cond.get(), false);
            emit.step(s);
            return true;
        case ast::StmtKind::call:
            emit.hoist(s.rhs.get(), true);
            if (is_builtin(s.rhs->name)) {
                emit.step(s);
                return true;
            }
            emit.call(*s.rhs, std::nullopt);
            return true;
        default: return false;
    }
}

void StatementLowering::insert_uaf_checks(std::vector<ir::Instr>& code, std::size_t at) {
    std::vector<ir::Instr> checks;
    std::vector<std::string> objects;
    for (auto& u : exprs_.take_uaf()) {
        if (std::find(objects.begin(), objects.end(), u.object) != objects.end()) continue;  // one per object
        objects.push_back(u.object);
        ir::Instr in;
        in.kind = ir::InstrKind::check;
        in.a = std::move(u.freed);
        in.prop = properties_.use_after_free();
        in.message = message(
            fmt::format("use after free: '{}' is used after '{}' was freed (its count reached zero)", u.access, u.object));
        in.stop = true;
        checks.push_back(std::move(in));
    }
    code.insert(code.begin() + static_cast<std::ptrdiff_t>(at), std::make_move_iterator(checks.begin()),
                std::make_move_iterator(checks.end()));
}

/// Lowers a simple statement (one step) into instructions, after the use-after-free checks of
/// the objects it accesses. Returns false if `s` is not simple.
bool StatementLowering::lower_simple(const ast::Stmt& s, std::vector<ir::Instr>& code) {
    (void)exprs_.take_uaf();  // left over from an expression whose statement had an error
    const std::size_t at = code.size();
    const bool simple = lower_simple_step(s, code);
    insert_uaf_checks(code, at);
    return simple;
}

bool StatementLowering::lower_simple_step(const ast::Stmt& s, std::vector<ir::Instr>& code) {
    ExprContext& c = ctx();
    switch (s.kind) {
        case ast::StmtKind::assign: {
            TExpr lhs = exprs_.lower(*s.lhs, c);
            if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot assign to '{}'", text(s.lhs->where)));
            if (auto why = primitive_assign_error(lhs.t, text(s.lhs->where))) fail(sink_, s.lhs->where, *why);
            if (lhs.t->kind == TypeKind::structure || lhs.t->kind == TypeKind::array)
                fail(sink_, s.lhs->where,
                     fmt::format("cannot assign a whole {}; assign its elements", type_name(lhs.t)));
            if (is_builtin_with_result(*s.rhs)) {
                if (lhs.t->kind != TypeKind::boolean)
                    fail(sink_, s.lhs->where,
                         fmt::format("{}() gives a bool, but '{}' is {}", s.rhs->name.last(), text(s.lhs->where),
                                     type_name(lhs.t)));
                lower_builtin_stmt(*s.rhs, c, exprs_, code, &lhs, sink_);
                return true;
            }
            TExpr rhs = exprs_.lower(*s.rhs, c);
            if (s.assign_op != ast::AssignOp::set) {
                if (lhs.t->kind != TypeKind::integer || rhs.t->kind != TypeKind::integer)
                    fail(sink_, s.where,
                         fmt::format("'{}' needs integers", s.assign_op == ast::AssignOp::add ? "+=" : "-="));
                rhs = exprs_.binary_fold(s.assign_op == ast::AssignOp::add ? ir::ExprOp::add : ir::ExprOp::sub, lhs,
                                         std::move(rhs), types_.arena().integer(), s.where);
            } else if (!assignable(lhs.t, rhs.t)) {
                fail(sink_, s.rhs->where,
                     fmt::format("cannot assign a value of type {} to '{}' of type {}", type_name(rhs.t),
                                 text(s.lhs->where), type_name(lhs.t)));
            }
            if (rhs.is_const()) {
                const auto d = layout_.domain(lhs.t);
                if (rhs.e.value < d.lo || rhs.e.value > d.hi)
                    fail(sink_, s.rhs->where,
                         fmt::format("value {} is out of range {} of '{}'", rhs.e.value, type_name(lhs.t),
                                     text(s.lhs->where)));
            }
            ir::Instr in;
            in.kind = ir::InstrKind::assign;
            in.target = std::move(lhs.e);
            in.a = std::move(rhs.e);
            in.what = text(s.lhs->where);
            code.push_back(std::move(in));
            return true;
        }
        case ast::StmtKind::await: {
            TExpr cond = exprs_.lower(*s.cond, c);
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("await needs a bool condition, found {}", type_name(cond.t)));
            ir::Instr in;
            in.kind = ir::InstrKind::guard;
            in.a = std::move(cond.e);
            code.push_back(std::move(in));
            return true;
        }
        case ast::StmtKind::assert_: {
            TExpr cond = exprs_.lower(*s.cond, c);
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("assert needs a bool condition, found {}", type_name(cond.t)));
            ir::Instr in;
            in.kind = ir::InstrKind::check;
            in.a = cond.is_const() ? ir::Expr::constant(!cond.e.value)
                                   : ir::Expr::unary(ir::ExprOp::not_, std::move(cond.e));
            in.prop = properties_.assertion(s, ctx().module);
            in.message = message(fmt::format("assertion '{}' failed", text(s.cond->where)));
            code.push_back(std::move(in));
            return true;
        }
        case ast::StmtKind::choose: {
            TExpr lhs = exprs_.lower(*s.lhs, c);
            if (!lhs.lvalue)
                fail(sink_, s.lhs->where, fmt::format("cannot choose a value for '{}'", text(s.lhs->where)));
            if (is_primitive(lhs.t) || lhs.t->kind == TypeKind::structure || lhs.t->kind == TypeKind::array)
                fail(sink_, s.lhs->where, fmt::format("choose needs a scalar variable, found {}", type_name(lhs.t)));
            ir::Instr in;
            in.kind = ir::InstrKind::choose;
            in.target = std::move(lhs.e);
            in.what = text(s.lhs->where);
            code.push_back(std::move(in));
            return true;
        }
        case ast::StmtKind::call: {
            if (!is_builtin(s.rhs->name)) return false;
            lower_builtin_stmt(*s.rhs, c, exprs_, code, nullptr, sink_);
            return true;
        }
        case ast::StmtKind::skip: return true;
        default: return false;
    }
}

}  // namespace iomc::lang
