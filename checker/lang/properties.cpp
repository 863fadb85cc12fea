// SPDX-License-Identifier: MIT
#include "checker/lang/properties.hpp"

#include <functional>

#include <fmt/format.h>

#include "checker/support/check.hpp"

namespace iomc::lang {

void PropertyBuilder::add_builtins() {
    const char* builtin[] = {"runtime_errors", "deadlock", "assertions", "mutex_misuse", "kref_misuse"};
    const ir::PropertyKind kinds[] = {ir::PropertyKind::runtime_error, ir::PropertyKind::deadlock,
                                      ir::PropertyKind::assertion, ir::PropertyKind::mutex_misuse,
                                      ir::PropertyKind::kref_misuse};
    for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i) {
        ir::Property p;
        p.id = ir::PropertyId{i};
        p.name = builtin[i];
        p.kind = kinds[i];
        properties_.push_back(p);
    }
}

void PropertyBuilder::add_use_after_free() {
    ir::Property p;
    p.id = ir::PropertyId{static_cast<std::uint32_t>(properties_.size())};
    p.name = "use_after_free";
    p.kind = ir::PropertyKind::use_after_free;
    properties_.push_back(p);
    use_after_free_ = p.id;
}

ir::PropertyId PropertyBuilder::use_after_free() const {
    IOMC_CHECK(use_after_free_.has_value());
    return *use_after_free_;
}

void PropertyBuilder::declare_named_assertions() {
    std::function<void(const ast::Stmt&, std::size_t)> walk = [&](const ast::Stmt& s, std::size_t mi) {
        if (s.kind == ast::StmtKind::assert_ && !s.label.empty()) {
            try {
                assertion(s, mi);
            } catch (const Abandon&) {}
        }
        for (const auto& b : s.body) walk(*b, mi);
        for (const auto& br : s.branches)
            for (const auto& b : br) walk(*b, mi);
        if (s.else_part) walk(*s.else_part, mi);
    };
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
        for (const auto& d : symbols_.mod(mi).ast.decls)
            if (d.kind == ast::DeclKind::proc || d.kind == ast::DeclKind::process)
                for (const auto& s : d.body) walk(*s, mi);
}

ir::PropertyId PropertyBuilder::assertion(const ast::Stmt& s, std::size_t module) {
    if (s.label.empty()) return ir::prop_assertions;
    for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i)
        if (properties_[i].name == s.label || s.label == "use_after_free")
            fail(sink_, s.label_where,
                 fmt::format("'{}' is the name of a built-in property; name the assertion differently", s.label));
    const std::string name = symbols_.qualified(module, s.label);
    if (auto it = named_asserts_.find(name); it != named_asserts_.end()) return it->second;
    ir::Property p;
    p.id = ir::PropertyId{static_cast<std::uint32_t>(properties_.size())};
    p.name = name;
    p.kind = ir::PropertyKind::assertion;
    p.where = s.label_where;
    properties_.push_back(p);
    named_asserts_[name] = p.id;
    return p.id;
}

void PropertyBuilder::compile_invariants() {
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi) {
        for (const auto& d : symbols_.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::invariant) continue;
            const char* what = d.lemma ? "lemma" : "invariant";
            try {
                if (named_asserts_.count(symbols_.qualified(mi, d.name)))
                    fail(sink_, d.name_where, fmt::format("{} '{}' has the name of an assertion", what, d.name));
                for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i)
                    if (properties_[i].name == d.name || d.name == "use_after_free")
                        fail(sink_, d.name_where,
                             fmt::format("'{}' is the name of a built-in property; name the {} differently", d.name,
                                         what));
                ir::Property p;
                p.id = ir::PropertyId{static_cast<std::uint32_t>(properties_.size())};
                p.name = symbols_.qualified(mi, d.name);
                p.kind = ir::PropertyKind::invariant;
                p.lemma = d.lemma;
                p.where = d.name_where;
                ExprContext c;
                c.module = mi;
                c.in_invariant = true;
                c.scopes.emplace_back();
                split_invariant(*d.value, c, "", p);
                properties_.push_back(std::move(p));
            } catch (const Abandon&) {}
        }
    }
}

void PropertyBuilder::compile_liveness() {
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi) {
        for (const auto& d : symbols_.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::liveness) continue;
            try {
                for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i)
                    if (properties_[i].name == d.name || d.name == "lock_order")
                        fail(sink_, d.name_where,
                             fmt::format("'{}' is the name of a built-in property; name the liveness property "
                                         "differently",
                                         d.name));
                ir::Property p;
                p.id = ir::PropertyId{static_cast<std::uint32_t>(properties_.size())};
                p.name = symbols_.qualified(mi, d.name);
                p.kind = ir::PropertyKind::liveness;
                p.where = d.name_where;
                p.form = d.form == "leads_to"            ? ir::LivenessForm::leads_to
                         : d.form == "always_eventually" ? ir::LivenessForm::always_eventually
                                                         : ir::LivenessForm::eventually;
                ExprContext c;
                c.module = mi;
                c.in_invariant = true;
                c.scopes.emplace_back();
                split_liveness(d, *d.value, d.binders, c, "", p);
                properties_.push_back(std::move(p));
            } catch (const Abandon&) {}
        }
    }
}

void PropertyBuilder::split_liveness(const ast::Decl& d, const ast::Expr& e, std::size_t binders, ExprContext& c,
                                     const std::string& binding, ir::Property& p) {
    if (binders > 0) {
        // The binders before `eventually`/the trigger: one check per binding. A quantifier in
        // the goal itself (eventually forall ...) is lowered whole.
        const Symbol* s = symbols_.find(c.module, e.name);
        if (!s || s->kind != SymKind::type) unknown(sink_, "type", e.name.str(), e.name.where, {});
        const Type* t = types_.named(*s, exprs_);
        if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration && t->kind != TypeKind::integer &&
            t->kind != TypeKind::boolean)
            fail(sink_, e.name.where, fmt::format("cannot quantify over {}", type_name(t)));
        for (std::int64_t i = 0; i < domain_size(t); ++i) {
            const std::int64_t v = t->kind == TypeKind::integer ? t->lo + i : i;
            c.scopes.back()[e.member] = Binding{true, Value{v, t}, {}};
            const std::string b = (binding.empty() ? "" : binding + ", ") + e.member + " = " + index_name(t, i);
            split_liveness(d, *e.kids[0], binders - 1, c, b, p);
        }
        c.scopes.back().erase(e.member);
        return;
    }
    p.goal_where = e.where;
    p.goals.push_back(liveness_side(e, c, binding, "goal"));
    if (d.per) {
        p.trigger_where = d.per->where;
        p.triggers.push_back(liveness_side(*d.per, c, binding, "left side of 'leads_to'"));
    }
}

ir::InvariantCheck PropertyBuilder::liveness_side(const ast::Expr& e, ExprContext& c, const std::string& binding,
                                                  const char* side) {
    TExpr x = exprs_.lower(e, c);
    if (x.t->kind != TypeKind::boolean)
        fail(sink_, e.where, fmt::format("the {} of a liveness property must be bool, found {}", side, type_name(x.t)));
    ir::InvariantCheck chk;
    chk.binding = binding;
    chk.expr = std::move(x.e);
    return chk;
}

void PropertyBuilder::add_lock_order() {
    ir::Property p;
    p.id = ir::PropertyId{static_cast<std::uint32_t>(properties_.size())};
    p.name = "lock_order";
    p.kind = ir::PropertyKind::lock_order;
    properties_.push_back(std::move(p));
}

void PropertyBuilder::compile_metrics() {
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi) {
        for (const auto& d : symbols_.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::metric) continue;
            try {
                ExprContext c;
                c.module = mi;
                c.in_invariant = true;
                ir::Metric m;
                m.name = symbols_.qualified(mi, d.name);
                m.where = d.name_where;
                TExpr v = exprs_.rvalue(exprs_.lower(*d.value, c));
                if (v.t->kind != TypeKind::integer)
                    fail(sink_, d.value->where, fmt::format("a metric must be an integer, found {}", type_name(v.t)));
                m.value = std::move(v.e);
                if (d.per) {
                    TExpr p = exprs_.rvalue(exprs_.lower(*d.per, c));
                    if (p.t->kind != TypeKind::integer)
                        fail(sink_, d.per->where, fmt::format("'per' needs an integer, found {}", type_name(p.t)));
                    m.per = std::move(p.e);
                }
                metrics_.push_back(std::move(m));
            } catch (const Abandon&) {}
        }
    }
}

/// Splits top-level foralls into one check per binding, so a violation names the instance.
void PropertyBuilder::split_invariant(const ast::Expr& e, ExprContext& c, const std::string& binding, ir::Property& p) {
    if (e.kind == ast::ExprKind::quant && e.forall) {
        const Symbol* s = symbols_.find(c.module, e.name);
        if (!s || s->kind != SymKind::type) unknown(sink_, "type", e.name.str(), e.name.where, {});
        const Type* t = types_.named(*s, exprs_);
        if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration && t->kind != TypeKind::integer &&
            t->kind != TypeKind::boolean)
            fail(sink_, e.name.where, fmt::format("cannot quantify over {}", type_name(t)));
        const std::int64_t n = domain_size(t);
        exprs_.bindings().count(sink_, e.where, quantifier_text(e), n);
        const ExpansionCounter::Scope expanding(exprs_.bindings(), n);
        for (std::int64_t i = 0; i < n; ++i) {
            if (exprs_.bindings().exceeded()) throw Abandon{};
            const std::int64_t v = t->kind == TypeKind::integer ? t->lo + i : i;
            c.scopes.back()[e.member] = Binding{true, Value{v, t}, {}};
            const std::string b = (binding.empty() ? "" : binding + ", ") + e.member + " = " + index_name(t, i);
            split_invariant(*e.kids[0], c, b, p);
        }
        c.scopes.back().erase(e.member);
        return;
    }
    TExpr x = exprs_.lower(e, c);
    if (x.t->kind != TypeKind::boolean)
        fail(sink_, e.where, fmt::format("{} must be bool, found {}", p.lemma ? "a lemma" : "an invariant", type_name(x.t)));
    ir::InvariantCheck chk;
    chk.binding = binding;
    chk.expr = std::move(x.e);
    p.checks.push_back(std::move(chk));
}

}  // namespace iomc::lang
