// SPDX-License-Identifier: MIT
#include "checker/lang/expr_lowering.hpp"

#include <optional>
#include <set>

#include <fmt/format.h>

#include "checker/graph/dominators.hpp"
#include "checker/lang/primitives.hpp"
#include "checker/support/check.hpp"

namespace iomc::lang {

using support::SourceRange;

Value ExprLowering::eval_const(const ast::Expr& e, std::size_t module) {
    ExprContext c;
    c.module = module;
    c.const_only = true;
    TExpr t = lower(e, c);
    if (!t.is_const()) fail(sink_, e.where, "expected a constant expression");
    return Value{t.e.value, t.t};
}

std::int64_t ExprLowering::const_int(const ast::Expr& e, std::size_t module, const char* what) {
    Value v = eval_const(e, module);
    if (v.t->kind != TypeKind::integer)
        fail(sink_, e.where, fmt::format("{} must be an integer constant, found {}", what, type_name(v.t)));
    return v.v;
}

std::vector<std::string> ExprLowering::visible_names(const ExprContext& c) const {
    std::vector<std::string> out;
    for (const auto& s : c.scopes)
        for (const auto& [n, _] : s) out.push_back(n);
    for (const auto& [n, sym] : symbols_.in(c.module))
        if (sym.kind == SymKind::constant || sym.kind == SymKind::enumerator || sym.kind == SymKind::var)
            out.push_back(n);
    return out;
}

ir::ExprOp ExprLowering::to_ir(ast::Op op) {
    switch (op) {
        case ast::Op::neg: return ir::ExprOp::neg;
        case ast::Op::not_: return ir::ExprOp::not_;
        case ast::Op::add: return ir::ExprOp::add;
        case ast::Op::sub: return ir::ExprOp::sub;
        case ast::Op::mul: return ir::ExprOp::mul;
        case ast::Op::div: return ir::ExprOp::div;
        case ast::Op::mod: return ir::ExprOp::mod;
        case ast::Op::eq: return ir::ExprOp::eq;
        case ast::Op::ne: return ir::ExprOp::ne;
        case ast::Op::lt: return ir::ExprOp::lt;
        case ast::Op::le: return ir::ExprOp::le;
        case ast::Op::gt: return ir::ExprOp::gt;
        case ast::Op::ge: return ir::ExprOp::ge;
        case ast::Op::and_: return ir::ExprOp::and_;
        case ast::Op::or_: return ir::ExprOp::or_;
        case ast::Op::implies: return ir::ExprOp::implies;
    }
    return ir::ExprOp::add;
}

const char* ExprLowering::op_text(ast::Op op) {
    switch (op) {
        case ast::Op::neg: return "-";
        case ast::Op::not_: return "!";
        case ast::Op::add: return "+";
        case ast::Op::sub: return "-";
        case ast::Op::mul: return "*";
        case ast::Op::div: return "/";
        case ast::Op::mod: return "%";
        case ast::Op::eq: return "==";
        case ast::Op::ne: return "!=";
        case ast::Op::lt: return "<";
        case ast::Op::le: return "<=";
        case ast::Op::gt: return ">";
        case ast::Op::ge: return ">=";
        case ast::Op::and_: return "&&";
        case ast::Op::or_: return "||";
        case ast::Op::implies: return "=>";
    }
    return "?";
}

TExpr ExprLowering::constant(std::int64_t v, const Type* t) {
    TExpr x;
    x.e = ir::Expr::constant(v);
    x.t = t;
    return x;
}

TExpr ExprLowering::binary_fold(ir::ExprOp op, TExpr a, TExpr b, const Type* t, SourceRange where) {
    if (a.is_const() && b.is_const()) {
        const auto x = a.e.value, y = b.e.value;
        std::int64_t r = 0;
        switch (op) {
            case ir::ExprOp::add: r = x + y; break;
            case ir::ExprOp::sub: r = x - y; break;
            case ir::ExprOp::mul: r = x * y; break;
            case ir::ExprOp::div:
            case ir::ExprOp::mod:
                if (y == 0) fail(sink_, where, "division by zero in a constant expression");
                r = op == ir::ExprOp::div ? x / y : x % y;
                break;
            case ir::ExprOp::eq: r = x == y; break;
            case ir::ExprOp::ne: r = x != y; break;
            case ir::ExprOp::lt: r = x < y; break;
            case ir::ExprOp::le: r = x <= y; break;
            case ir::ExprOp::gt: r = x > y; break;
            case ir::ExprOp::ge: r = x >= y; break;
            case ir::ExprOp::and_: r = x && y; break;
            case ir::ExprOp::or_: r = x || y; break;
            case ir::ExprOp::implies: r = !x || y; break;
            default: IOMC_UNREACHABLE("binary op");
        }
        if (r > INT32_MAX || r < INT32_MIN) fail(sink_, where, "constant expression overflows 32 bits");
        return constant(r, t);
    }
    // Boolean short cuts with one constant side keep expressions small.
    if (op == ir::ExprOp::and_ && a.is_const()) return a.e.value ? retype(std::move(b), t) : constant(0, t);
    if (op == ir::ExprOp::or_ && a.is_const()) return a.e.value ? constant(1, t) : retype(std::move(b), t);
    if (op == ir::ExprOp::implies && a.is_const()) return a.e.value ? retype(std::move(b), t) : constant(1, t);
    TExpr out;
    out.e = ir::Expr::binary(op, std::move(a.e), std::move(b.e));
    out.t = t;
    return out;
}

/// A field of an object with a lifetime: its lifetime kref names the freed flag (for kref_put
/// and kref_init), any other field is an access that must not come after the free.
void ExprLowering::lifetime_access(const ast::Expr& e, const TExpr& object, int field, const ExprContext& c) {
    const StructInfo& st = *object.t->st;
    std::uint32_t off = 0;
    for (std::size_t i = 0; i + 1 < st.fields.size(); ++i) off += leaf_count(st.fields[i].type);
    TExpr flag = object;
    flag.e.slot = ir::SlotId{ir::idx(object.e.slot) + off};
    flag.t = arena_.boolean();
    if (field == st.lifetime) {
        lifetime_flags_[&e] = flag;
        return;
    }
    if (c.in_invariant || c.const_only) return;  // an invariant may look at a freed object
    uaf_.push_back(UafCheck{flag.e, text(e.where), text(e.kids[0]->where)});
}

const TExpr* ExprLowering::lifetime_flag(const ast::Expr* e) const {
    auto it = lifetime_flags_.find(e);
    return it == lifetime_flags_.end() ? nullptr : &it->second;
}

TExpr ExprLowering::retype(TExpr x, const Type* t) {
    x.t = t;
    x.lvalue = false;
    return x;
}

TExpr ExprLowering::lower(const ast::Expr& e, ExprContext& c) {
    if (auto it = c.hoisted.find(&e); it != c.hoisted.end()) return it->second;
    switch (e.kind) {
        case ast::ExprKind::int_lit: return constant(e.value, arena_.integer());
        case ast::ExprKind::bool_lit: return constant(e.value, arena_.boolean());
        case ast::ExprKind::none_lit: return constant(-1, arena_.none());
        case ast::ExprKind::self: fail(sink_, e.where, "'self' is reserved; use held(m) to test mutex ownership");
        case ast::ExprKind::elements:
            fail(sink_, e.where, "an element list { key: value, ... } can only initialize an array variable");
        case ast::ExprKind::wildcard: fail(sink_, e.where, "'_' stands only as the default key of an element list");
        case ast::ExprKind::variant_test: {
            bool known = false;
            std::vector<std::string> names;
            for (const auto& v : symbols_.model().variants()) {
                names.push_back(v.name);
                if (v.name == e.member) known = true;
            }
            if (!known) unknown(sink_, "variant", e.member, e.member_where, names);
            return constant(e.member == constants_.variant() ? 1 : 0, arena_.boolean());
        }
        case ast::ExprKind::name: return name_expr(e, c);
        case ast::ExprKind::index: {
            TExpr base = lower(*e.kids[0], c);
            if (base.t->kind != TypeKind::array)
                fail(sink_, e.kids[0]->where,
                     fmt::format("'{}' is not an array (its type is {})", text(e.kids[0]->where), type_name(base.t)));
            TExpr ix = lower(*e.kids[1], c);
            check_index(base.t->index, ix, *e.kids[1]);
            return index_into(std::move(base), std::move(ix), e);
        }
        case ast::ExprKind::field: {
            if (auto local = process_local(e, c)) return *local;
            return field_of(lower(*e.kids[0], c), e, c);
        }
        case ast::ExprKind::unary: {
            TExpr a = lower(*e.kids[0], c);
            if (e.op == ast::Op::not_) {
                if (a.t->kind != TypeKind::boolean)
                    fail(sink_, e.kids[0]->where, fmt::format("operator '!' needs bool, found {}", type_name(a.t)));
                if (a.is_const()) return constant(!a.e.value, arena_.boolean());
                return TExpr{ir::Expr::unary(ir::ExprOp::not_, std::move(a.e)), arena_.boolean()};
            }
            if (a.t->kind != TypeKind::integer)
                fail(sink_, e.kids[0]->where, fmt::format("operator '-' needs an integer, found {}", type_name(a.t)));
            if (a.is_const()) return constant(-a.e.value, arena_.integer());
            return TExpr{ir::Expr::unary(ir::ExprOp::neg, std::move(a.e)), arena_.integer()};
        }
        case ast::ExprKind::binary: return binary_expr(e, c);
        case ast::ExprKind::ternary: {
            TExpr cond = lower(*e.kids[0], c);
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, e.kids[0]->where, fmt::format("condition must be bool, found {}", type_name(cond.t)));
            // Both branches are type-checked; one that a constant condition drops names nothing.
            auto branch = [&](std::size_t k) {
                const bool dead = cond.is_const() && (cond.e.value != 0) != (k == 1);
                if (!dead) return lower(*e.kids[k], c);
                const BreachLog::Quiet quiet(breaches_);
                return lower(*e.kids[k], c);
            };
            TExpr a = branch(1);
            TExpr b = branch(2);
            const Type* t = a.t->kind == TypeKind::none ? b.t : a.t;
            const bool with_none = a.t->kind == TypeKind::none || b.t->kind == TypeKind::none;
            if (with_none && (t->kind == TypeKind::enumeration || t->kind == TypeKind::scalarset)) {
                // `c ? dma : none` has the optional type Dom?.
                if (!t->optional) {
                    Type o = *t;
                    o.optional = true;
                    t = arena_.make(o);
                }
            } else if (t->kind == TypeKind::array || t->kind == TypeKind::structure || t->kind == TypeKind::mutex) {
                fail(sink_, e.where, fmt::format("'?:' cannot choose between values of type {}", type_name(t)));
            } else if (!comparable(rvalue(a).t, rvalue(b).t)) {
                fail(sink_, e.where,
                     fmt::format("branches of '?:' have different types {} and {}", type_name(a.t), type_name(b.t)));
            }
            if (t->kind == TypeKind::integer) t = arena_.integer();
            if (cond.is_const()) return retype(cond.e.value ? std::move(a) : std::move(b), t);
            TExpr out;
            out.e.op = ir::ExprOp::ite;
            out.e.kids.push_back(std::move(cond.e));
            out.e.kids.push_back(std::move(a.e));
            out.e.kids.push_back(std::move(b.e));
            out.t = t;
            return out;
        }
        case ast::ExprKind::call: return call_expr(e, c);
        case ast::ExprKind::quant: {
            const Symbol* s = symbols_.find(c.module, e.name);
            if (!s || s->kind != SymKind::type) unknown(sink_, "type", e.name.str(), e.name.where, {});
            const Type* t = types_.named(*s, *this);
            if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration && t->kind != TypeKind::integer &&
                t->kind != TypeKind::boolean)
                fail(sink_, e.name.where, fmt::format("cannot quantify over {}", type_name(t)));
            const std::int64_t n = domain_size(t);
            bindings_.count(sink_, e.where, quantifier_text(e), n);
            const ExpansionCounter::Scope expanding(bindings_, n);
            TExpr acc = constant(e.forall ? 1 : 0, arena_.boolean());
            for (std::int64_t i = 0; i < n; ++i) {
                if (bindings_.exceeded()) throw Abandon{};  // a quantifier inside went past the limit
                c.scopes.emplace_back();
                c.scopes.back()[e.member] = Binding{true, Value{t->kind == TypeKind::integer ? t->lo + i : i, t}, {}};
                TExpr body = lower(*e.kids[0], c);
                c.scopes.pop_back();
                if (body.t->kind != TypeKind::boolean)
                    fail(sink_, e.kids[0]->where,
                         fmt::format("a quantifier's body must be bool, found {}", type_name(body.t)));
                acc = binary_fold(e.forall ? ir::ExprOp::and_ : ir::ExprOp::or_, std::move(acc), std::move(body),
                                  arena_.boolean(), e.where);
            }
            return acc;
        }
        case ast::ExprKind::at_label:
        case ast::ExprKind::past_label: return location_expr(e, c);
    }
    IOMC_UNREACHABLE("expression kind");
}

TExpr ExprLowering::field_of(TExpr base, const ast::Expr& e, const ExprContext& c) {
    if (base.t->kind != TypeKind::structure)
        fail(sink_, e.kids[0]->where,
             fmt::format("'{}' is not a struct (its type is {}); it has no field '{}'", text(e.kids[0]->where),
                         type_name(base.t), e.member));
    std::uint32_t off = 0;
    const StructInfo& st = *base.t->st;
    for (std::size_t i = 0; i < st.fields.size(); ++i) {
        const auto& f = st.fields[i];
        if (f.name == e.member) {
            if (st.lifetime >= 0) lifetime_access(e, base, static_cast<int>(i), c);
            base.e.slot = ir::SlotId{ir::idx(base.e.slot) + off};
            base.t = f.type;
            return base;
        }
        off += leaf_count(f.type);
    }
    std::vector<std::string> names;
    for (const auto& f : base.t->st->fields)
        if (f.name != freed_field) names.push_back(f.name);
    auto& diag =
        sink_.error(e.member_where, fmt::format("unknown field '{}' of {}", e.member, base.t->st->name));
    if (auto best = support::closest_name(e.member, names))
        diag.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
    throw Abandon{};
}

void ExprLowering::check_index(const Type* ix_type, const TExpr& ix, const ast::Expr& where) {
    bool ok = false;
    switch (ix_type->kind) {
        case TypeKind::integer: ok = ix.t->kind == TypeKind::integer; break;
        case TypeKind::boolean: ok = ix.t->kind == TypeKind::boolean; break;
        case TypeKind::enumeration: ok = ix.t->kind == TypeKind::enumeration && ix.t->en == ix_type->en; break;
        case TypeKind::scalarset: ok = ix.t->kind == TypeKind::scalarset && ix.t->ss == ix_type->ss; break;
        default: break;
    }
    if (!ok)
        fail(sink_, where.where,
             fmt::format("index '{}' has type {}, but the array is indexed by {}", text(where.where), type_name(ix.t),
                         type_name(ix_type)));
}

TExpr ExprLowering::index_into(TExpr base, TExpr ix, const ast::Expr& e) {
    const Type* arr = base.t;
    const std::uint32_t stride = leaf_count(arr->elem);
    const std::int64_t n = domain_size(arr->index);
    const std::int64_t lo = arr->index->kind == TypeKind::integer ? arr->index->lo : 0;
    if (ix.is_const()) {
        const std::int64_t i = ix.e.value - lo;
        if (i < 0 || i >= n) {
            if (ix.e.value == -1 && ix.t->optional)
                fail(sink_, e.kids[1]->where, fmt::format("'{}' indexes with none", text(e.kids[1]->where)));
            fail(sink_, e.kids[1]->where,
                 fmt::format("index {} is out of range {} of '{}'", ix.e.value, type_name(arr->index),
                             text(e.kids[0]->where)));
        }
        if (base.e.op == ir::ExprOp::slot) {
            base.e.slot = ir::SlotId{ir::idx(base.e.slot) + static_cast<std::uint32_t>(i) * stride};
        } else {
            // A constant index under a dynamic one: shift the base slot, keep the dims.
            base.e.slot = ir::SlotId{ir::idx(base.e.slot) + static_cast<std::uint32_t>(i) * stride};
        }
        base.t = arr->elem;
        return base;
    }
    if (!base.lvalue) fail(sink_, e.where, "only variables can be indexed");
    if (base.e.op == ir::ExprOp::slot) {
        base.e.op = ir::ExprOp::element;
        base.e.name = text(e.kids[0]->where);
    }
    ir::Dim d;
    d.count = static_cast<std::uint32_t>(n);
    d.slot_stride = stride;
    d.bit_stride = layout_.type_bits(arr->elem);
    d.optional_index = ix.t->optional;
    base.e.dims.push_back(d);
    ir::Expr index = std::move(ix.e);
    if (lo != 0) index = ir::Expr::binary(ir::ExprOp::sub, std::move(index), ir::Expr::constant(lo));
    base.e.kids.push_back(std::move(index));
    base.e.name = text(e.where);
    base.t = arr->elem;
    return base;
}

TExpr ExprLowering::name_expr(const ast::Expr& e, ExprContext& c) {
    if (e.name.parts.size() == 1) {
        for (std::size_t i = c.scopes.size(); i-- > 0;) {
            auto it = c.scopes[i].find(e.name.last());
            if (it == c.scopes[i].end()) continue;
            if (it->second.is_value) return constant(it->second.val.v, it->second.val.t);
            if (c.const_only)
                fail(sink_, e.where, fmt::format("'{}' is a variable; a constant is needed here", e.name.str()));
            return it->second.lv;
        }
    }
    const Symbol* s = symbols_.find(c.module, e.name);
    if (!s) {
        if (e.name.parts.size() == 1) unknown(sink_, "name", e.name.str(), e.name.where, visible_names(c));
        // A qualified name: suggest the values of that namespace, qualified the same way.
        std::string prefix;
        for (std::size_t i = 0; i + 1 < e.name.parts.size(); ++i) prefix += e.name.parts[i] + "::";
        std::vector<std::string> cands;
        for (const auto& [n, sym] : symbols_.in(symbols_.resolve_module(c.module, e.name)))
            if (sym.kind == SymKind::constant || sym.kind == SymKind::enumerator || sym.kind == SymKind::var)
                cands.push_back(prefix + n);
        unknown(sink_, "name", e.name.str(), e.name.where, cands);
    }
    switch (s->kind) {
        case SymKind::constant: {
            Value v = constants_.value(s->decl, s->module, *this);
            return constant(v.v, v.t);
        }
        case SymKind::enumerator: return constant(s->enum_index, types_.named(*s, *this));
        case SymKind::var: {
            if (c.const_only)
                fail(sink_, e.where, fmt::format("'{}' is a variable; a constant is needed here", e.name.str()));
            const TExpr* g = layout_.global(s->decl);
            if (!g) throw Abandon{};  // its declaration had an error
            return *g;
        }
        case SymKind::type: fail(sink_, e.where, fmt::format("'{}' is a type, not a value", e.name.str()));
        case SymKind::proc: fail(sink_, e.where, fmt::format("'{}' is a procedure; call it with ()", e.name.str()));
        case SymKind::process:
            fail(sink_, e.where,
                 fmt::format("'{}' is a process; test its location with '{}@label'", e.name.str(), e.name.str()));
        case SymKind::invariant:
            fail(sink_, e.where, fmt::format("'{}' is a property or metric, not a value", e.name.str()));
    }
    IOMC_UNREACHABLE("symbol kind");
}

TExpr ExprLowering::rvalue(TExpr x) {
    if (const Type* read = primitive_read_type(x.t, arena_)) {
        x.t = read;
        x.lvalue = false;
    }
    return x;
}

TExpr ExprLowering::binary_expr(const ast::Expr& e, ExprContext& c) {
    TExpr a = rvalue(lower(*e.kids[0], c));
    const auto op = e.op;
    // `false && b`, `true || b`, `false -> b`: b is type-checked, then folded away.
    const bool dead = a.is_const() && ((op == ast::Op::and_ && a.e.value == 0) ||
                                       (op == ast::Op::or_ && a.e.value != 0) ||
                                       (op == ast::Op::implies && a.e.value == 0));
    std::optional<BreachLog::Quiet> quiet;
    if (dead) quiet.emplace(breaches_);
    TExpr b = rvalue(lower(*e.kids[1], c));
    quiet.reset();
    auto need = [&](TypeKind k, const TExpr& x, const ast::Expr& ae) {
        if (x.t->kind != k)
            fail(sink_, ae.where,
                 fmt::format("operator '{}' needs {}, found {}", op_text(op),
                             k == TypeKind::boolean ? "bool operands" : "integer operands", type_name(x.t)));
    };
    switch (op) {
        case ast::Op::add:
        case ast::Op::sub:
        case ast::Op::mul:
        case ast::Op::div:
        case ast::Op::mod:
        case ast::Op::lt:
        case ast::Op::le:
        case ast::Op::gt:
        case ast::Op::ge: {
            need(TypeKind::integer, a, *e.kids[0]);
            need(TypeKind::integer, b, *e.kids[1]);
            const bool cmp = op == ast::Op::lt || op == ast::Op::le || op == ast::Op::gt || op == ast::Op::ge;
            return binary_fold(to_ir(op), std::move(a), std::move(b), cmp ? arena_.boolean() : arena_.integer(),
                               e.where);
        }
        case ast::Op::eq:
        case ast::Op::ne:
            if (!comparable(a.t, b.t))
                fail(sink_, e.where, fmt::format("cannot compare {} with {}", type_name(a.t), type_name(b.t)));
            return binary_fold(to_ir(op), std::move(a), std::move(b), arena_.boolean(), e.where);
        case ast::Op::and_:
        case ast::Op::or_:
        case ast::Op::implies:
            need(TypeKind::boolean, a, *e.kids[0]);
            need(TypeKind::boolean, b, *e.kids[1]);
            return binary_fold(to_ir(op), std::move(a), std::move(b), arena_.boolean(), e.where);
        default: IOMC_UNREACHABLE("binary operator");
    }
}

TExpr ExprLowering::call_expr(const ast::Expr& e, ExprContext& c) {
    const auto& n = e.name;
    if (is_builtin(n)) return lower_builtin_value(e, c, *this, sink_);
    const Symbol* s = symbols_.find(c.module, n);
    if (s && s->kind == SymKind::type) {
        const Type* t = types_.named(*s, *this);
        if (t->kind != TypeKind::scalarset || e.kids.size() != 1)
            fail(sink_, e.where, fmt::format("only scalarset types convert an integer: {}(0)", n.str()));
        TExpr k = lower(*e.kids[0], c);
        if (!k.is_const() || k.t->kind != TypeKind::integer)
            fail(sink_, e.kids[0]->where, fmt::format("{}(...) needs an integer constant", n.str()));
        if (k.e.value < 0 || k.e.value >= t->ss->size)
            fail(sink_, e.kids[0]->where,
                 fmt::format("{}({}) is out of range 0..{}", n.str(), k.e.value, t->ss->size - 1));
        breaches_.add(*t->ss, fmt::format("the literal {} names one element", text(e.where)), e.where);
        return constant(k.e.value, t);
    }
    if (!s) {
        std::vector<std::string> cands = builtin_names();
        const std::size_t m = symbols_.resolve_module(c.module, n);
        for (const auto& [name, sym] : symbols_.in(m))
            if (sym.kind == SymKind::proc) cands.push_back(name);
        unknown(sink_, "procedure", n.str(), n.where, cands);
    }
    if (s->kind != SymKind::proc) fail(sink_, n.where, fmt::format("'{}' is not a procedure", n.str()));
    if (c.in_invariant || c.const_only)
        fail(sink_, e.where,
             "procedure calls are not allowed here (invariants and constants must be side-effect free)");
    // Every call in a statement is lowered before the statement; this one is in a place
    // that has no statement around it.
    fail(sink_, e.where, "a procedure call cannot appear here; store its result in a variable first");
}

TExpr ExprLowering::location_expr(const ast::Expr& e, ExprContext& c) {
    if (!c.in_invariant) fail(sink_, e.where, "process locations can be tested only in invariants");
    const ast::Expr& p = *e.kids[0];
    if (p.kind != ast::ExprKind::name && p.kind != ast::ExprKind::call)
        fail(sink_, p.where, "expected a process instance such as client(d) before '@' or 'past'");
    const Symbol* s = process_symbol(p, c);
    if (!s) {
        std::vector<std::string> cands;
        for (const auto& [name, sym] : symbols_.in(symbols_.resolve_module(c.module, p.name)))
            if (sym.kind == SymKind::process) cands.push_back(name);
        unknown(sink_, "process", p.name.str(), p.name.where, cands);
    }
    const InstanceLocations& inst = instance_of(p, *s, c);
    auto it = inst.label_locs.find(e.member);
    if (it == inst.label_locs.end()) {
        std::vector<std::string> cands;
        for (const auto& [l, _] : inst.label_locs) cands.push_back(l);
        auto& diag =
            sink_.error(e.member_where, fmt::format("unknown label '{}' in process '{}'", e.member, s->decl->name));
        if (auto best = support::closest_name(e.member, cands))
            diag.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
        throw Abandon{};
    }
    std::vector<std::uint32_t> locs = it->second;
    if (e.kind == ast::ExprKind::past_label) {
        std::set<std::uint32_t> all;
        for (auto l : it->second)
            for (auto v : graph::dominated_by(inst.idom, l)) all.insert(v);
        locs.assign(all.begin(), all.end());
    }
    TExpr out;
    out.e.op = ir::ExprOp::at_loc;
    out.e.slot = inst.pc;
    out.e.locs = std::move(locs);
    out.t = arena_.boolean();
    return out;
}

}  // namespace iomc::lang
