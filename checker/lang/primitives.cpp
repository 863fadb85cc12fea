// SPDX-License-Identifier: MIT
#include "checker/lang/primitives.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "checker/lang/expr_lowering.hpp"
#include "checker/support/check.hpp"

namespace iomc::lang {

namespace {

/// How a built-in may be used.
enum class Form : std::uint8_t {
    statement,    ///< acts: lock(m)
    with_result,  ///< acts and gives a bool: b = kref_put(r)
    test,         ///< a value: locked(m)
};

struct Builtin {
    const char* name;
    Form form;
};

constexpr Builtin builtins[] = {
    {"lock", Form::statement},     {"unlock", Form::statement},     {"kref_init", Form::statement},
    {"kref_get", Form::statement}, {"kref_put", Form::with_result}, {"locked", Form::test},
    {"held", Form::test},          {"lock_nested", Form::statement}, {"held_by", Form::test},
};

const Builtin* find_builtin(const ast::Name& n) {
    if (n.parts.size() != 1) return nullptr;
    for (const auto& b : builtins)
        if (n.last() == b.name) return &b;
    return nullptr;
}

TExpr constant(std::int64_t v, const Type* t) {
    TExpr x;
    x.e = ir::Expr::constant(v);
    x.t = t;
    return x;
}

/// kref_init(r), kref_get(r), kref_put(r) [into `result`].
void kref_op(const ast::Expr& call, ExprContext& c, ExprLowering& exprs, std::vector<ir::Instr>& code,
             const TExpr* result, support::DiagnosticSink& sink) {
    const auto& f = call.name.last();
    if (call.kids.size() != 1) fail(sink, call.where, fmt::format("{}() takes one kref", f));
    TExpr r = exprs.lower(*call.kids[0], c);
    if (r.t->kind != TypeKind::kref)
        fail(sink, call.kids[0]->where,
             fmt::format("{}() needs a kref, found '{}' of type {}", f, exprs.text(call.kids[0]->where),
                         type_name(r.t)));
    ir::Instr in;
    in.kind = f == "kref_init"  ? ir::InstrKind::kref_init
              : f == "kref_get" ? ir::InstrKind::kref_get
                                : ir::InstrKind::kref_put;
    const ir::Expr count = r.e;
    in.target = std::move(r.e);
    in.what = exprs.text(call.kids[0]->where);
    if (result) {
        in.result = result->e;
        in.has_result = true;
    }
    code.push_back(std::move(in));
    // The object this kref is the lifetime of: freed when a put leaves the count at zero, alive
    // again after kref_init.
    if (const TExpr* flag = exprs.lifetime_flag(call.kids[0].get()); flag && f != "kref_get") {
        ir::Instr set;
        set.kind = ir::InstrKind::assign;
        set.target = flag->e;
        set.a = f == "kref_init" ? ir::Expr::constant(0)
                                 : ir::Expr::binary(ir::ExprOp::or_, flag->e,
                                                    ir::Expr::binary(ir::ExprOp::eq, count, ir::Expr::constant(0)));
        set.what = exprs.text(call.kids[0]->where);
        code.push_back(std::move(set));
    }
}

}  // namespace

bool is_primitive(const Type* t) {
    return t->kind == TypeKind::mutex || t->kind == TypeKind::kref;
}

const Type* resolve_primitive(const ast::TypeExpr& te, std::size_t module, TypeArena& arena, ConstantEvaluator& eval,
                              support::DiagnosticSink& sink) {
    if (te.kind == ast::TypeKind::mutex) return arena.make(Type{TypeKind::mutex});
    IOMC_CHECK(te.kind == ast::TypeKind::kref);
    const auto bound = eval.const_int(*te.hi, module, "a kref bound");
    if (bound < 1 || bound > 255) fail(sink, te.hi->where, fmt::format("kref bound {} is outside 1..255", bound));
    return arena.make(Type{TypeKind::kref, 0, bound});
}

SlotDomain primitive_domain(const Type* t, std::int64_t instance_count) {
    switch (t->kind) {
        case TypeKind::mutex: return {-1, std::max<std::int64_t>(instance_count - 1, 0), ir::ValueKind::mutex};
        case TypeKind::kref: return {0, t->hi, ir::ValueKind::kref};
        default: IOMC_UNREACHABLE("not a scalar type");
    }
}

void check_primitive_init(const Type* t, const Value& init, support::SourceRange where, support::DiagnosticSink& sink) {
    if (t->kind == TypeKind::mutex) fail(sink, where, "a mutex cannot have an initializer; it starts free");
    if (init.t->kind != TypeKind::integer)
        fail(sink, where, fmt::format("a kref starts at an integer count, found {}", type_name(init.t)));
}

const Type* primitive_read_type(const Type* t, TypeArena& arena) {
    return t->kind == TypeKind::kref ? arena.integer() : nullptr;
}

std::optional<std::string> primitive_assign_error(const Type* t, const std::string& target) {
    if (t->kind == TypeKind::mutex) return fmt::format("cannot assign to mutex '{}'; use lock() and unlock()", target);
    if (t->kind == TypeKind::kref)
        return fmt::format("cannot assign to kref '{}'; use kref_init, kref_get or kref_put", target);
    return std::nullopt;
}

bool is_builtin(const ast::Name& n) {
    return find_builtin(n) != nullptr;
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> out;
    for (const auto& b : builtins) out.emplace_back(b.name);
    return out;
}

bool is_builtin_with_result(const ast::Expr& e) {
    if (e.kind != ast::ExprKind::call) return false;
    const Builtin* b = find_builtin(e.name);
    return b && b->form == Form::with_result;
}

const Type* builtin_result_type(TypeArena& arena) {
    return arena.boolean();
}

TExpr lower_builtin_value(const ast::Expr& call, ExprContext& c, ExprLowering& exprs, support::DiagnosticSink& sink) {
    const Builtin* b = find_builtin(call.name);
    IOMC_CHECK(b != nullptr);
    const auto& f = call.name.last();
    TypeArena& arena = exprs.arena();
    if (f == "held_by") return exprs.held_by(call, c);
    if (b->form == Form::test) {
        if (call.kids.size() != 1) fail(sink, call.where, fmt::format("{}() takes one mutex", f));
        TExpr m = exprs.lower(*call.kids[0], c);
        if (m.t->kind != TypeKind::mutex)
            fail(sink, call.kids[0]->where, fmt::format("{}() needs a mutex, found {}", f, type_name(m.t)));
        if (f == "held") {
            if (c.self < 0) fail(sink, call.where, "held() can only be used inside a process or procedure");
            return exprs.binary_fold(ir::ExprOp::eq, std::move(m), constant(c.self, arena.integer()), arena.boolean(),
                                     call.where);
        }
        return exprs.binary_fold(ir::ExprOp::ne, std::move(m), constant(-1, arena.integer()), arena.boolean(),
                                 call.where);
    }
    if (b->form == Form::with_result)
        fail(sink, call.where, fmt::format("{}() can be used in an expression only inside a process or procedure", f));
    fail(sink, call.where, fmt::format("{}() is a statement, not a value", f));
}

void lower_builtin_stmt(const ast::Expr& call, ExprContext& c, ExprLowering& exprs, std::vector<ir::Instr>& code,
                        const TExpr* result, support::DiagnosticSink& sink) {
    const Builtin* b = find_builtin(call.name);
    IOMC_CHECK(b != nullptr);
    const auto& f = call.name.last();
    if (b->form == Form::test) fail(sink, call.where, fmt::format("{}() is a test; use it in a condition", f));
    if (f == "kref_init" || f == "kref_get" || f == "kref_put") {
        kref_op(call, c, exprs, code, result, sink);
        return;
    }
    const bool nested = f == "lock_nested";
    if (nested && call.kids.size() != 2)
        fail(sink, call.where, "lock_nested() takes a mutex and a subclass: lock_nested(m, 1)");
    if (!nested && call.kids.size() != 1) fail(sink, call.where, fmt::format("{}() takes one mutex", f));
    TExpr m = exprs.lower(*call.kids[0], c);
    if (m.t->kind != TypeKind::mutex)
        fail(sink, call.kids[0]->where,
             fmt::format("{}() needs a mutex, found '{}' of type {}", f, exprs.text(call.kids[0]->where),
                         type_name(m.t)));
    ir::Instr in;
    if (nested) {
        // mutex_lock_nested(lock, subclass): lockdep's subclasses 0..MAX_LOCKDEP_SUBCLASSES - 1
        // (include/linux/lockdep_types.h: 8), a constant at the call site in the kernel too.
        TExpr sub = exprs.lower(*call.kids[1], c);
        if (sub.t->kind != TypeKind::integer || !sub.is_const() || sub.e.value < 0 || sub.e.value > ir::max_lock_subclass)
            fail(sink, call.kids[1]->where,
                 fmt::format("lock_nested() needs a constant subclass 0..{}, found '{}'", ir::max_lock_subclass,
                             exprs.text(call.kids[1]->where)));
        in.subclass = static_cast<std::uint8_t>(sub.e.value);
    }
    in.kind = f == "unlock" ? ir::InstrKind::unlock : ir::InstrKind::lock;
    in.target = std::move(m.e);
    in.self = c.self;
    in.what = exprs.text(call.kids[0]->where);
    code.push_back(std::move(in));
}

}  // namespace iomc::lang
