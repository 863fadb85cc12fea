// SPDX-License-Identifier: MIT
#include "checker/lang/type_resolver.hpp"

#include <fmt/format.h>

#include "checker/lang/primitives.hpp"

namespace iomc::lang {

const Type* TypeResolver::resolve(std::size_t module, const ast::TypeExpr& te, ConstantEvaluator& eval) {
    const Type* base = nullptr;
    switch (te.kind) {
        case ast::TypeKind::bool_: base = arena_.boolean(); break;
        case ast::TypeKind::mutex:
        case ast::TypeKind::kref: base = resolve_primitive(te, module, arena_, eval, sink_); break;
        case ast::TypeKind::scalarset:
            fail(sink_, te.where, "a scalarset must be named: declare it as 'type Dev = scalarset(N);'");
        case ast::TypeKind::range: {
            const auto lo = eval.const_int(*te.lo, module, "a range bound");
            const auto hi = eval.const_int(*te.hi, module, "a range bound");
            if (hi < lo) fail(sink_, te.where, fmt::format("empty range {}..{}", lo, hi));
            if (hi - lo > 65535)
                fail(sink_, te.where, fmt::format("range {}..{} is too large (at most 65536 values)", lo, hi));
            base = arena_.make(Type{TypeKind::integer, lo, hi});
            break;
        }
        case ast::TypeKind::named: {
            const Symbol* s = symbols_.find(module, te.name);
            if (!s && te.name.parts.size() == 1 && (te.name.last() == "int" || te.name.last() == "integer"))
                fail(sink_, te.where, "unbounded type 'int'; every value needs a bounded type, such as 0..7");
            if (!s || s->kind != SymKind::type) {
                std::vector<std::string> cands =
                    symbols_.names(symbols_.resolve_module(module, te.name), SymKind::type);
                if (s) fail(sink_, te.name.where, fmt::format("'{}' is not a type", te.name.str()));
                unknown(sink_, "type", te.name.str(), te.name.where, cands);
            }
            base = named(*s, eval);
            break;
        }
    }
    if (te.optional) {
        if (base->kind != TypeKind::scalarset && base->kind != TypeKind::enumeration)
            fail(sink_, te.where,
                 fmt::format("only scalarset and enum types can be optional ('?'), not {}", type_name(base)));
        if (!base->optional) {
            Type t = *base;
            t.optional = true;
            base = arena_.make(t);
        }
    }
    // Dims apply outermost first: T[A][B] is an array over A of arrays over B of T.
    const Type* t = base;
    for (std::size_t i = te.dims.size(); i-- > 0;) {
        const Type* ix = resolve(module, *te.dims[i], eval);
        const bool ok = (ix->kind == TypeKind::boolean || ix->kind == TypeKind::integer ||
                         ix->kind == TypeKind::enumeration || ix->kind == TypeKind::scalarset) &&
                        !ix->optional;
        if (!ok)
            fail(sink_, te.dims[i]->where,
                 fmt::format("an array index type must be bool, a range, an enum or a scalarset, not {}",
                             type_name(ix)));
        Type a{TypeKind::array};
        a.elem = t;
        a.index = ix;
        t = arena_.make(a);
    }
    return t;
}

const Type* TypeResolver::named(const Symbol& s, ConstantEvaluator& eval) {
    const ast::Decl* d = s.decl;
    if (bad_types_.count(d)) throw Abandon{};  // its own error was reported already
    if (auto it = type_cache_.find(d); it != type_cache_.end()) {
        if (!it->second) {
            bad_types_.insert(d);
            fail(sink_, d->name_where, fmt::format("type '{}' depends on itself", d->name));
        }
        return it->second;
    }
    type_cache_[d] = nullptr;
    struct Poison {
        std::set<const ast::Decl*>& bad;
        const ast::Decl* d;
        bool armed = true;
        ~Poison() {
            if (armed) bad.insert(d);
        }
    } poison{bad_types_, d};
    const Type* t = nullptr;
    if (d->kind == ast::DeclKind::enum_) {
        auto* en = arena_.make_enum();
        en->name = d->name;
        for (const auto& [n, _] : d->enumerators) en->enumerators.push_back(n);
        en->table = static_cast<std::uint32_t>(layout_.enum_names.size());
        layout_.enum_names.push_back(en->enumerators);
        Type ty{TypeKind::enumeration};
        ty.en = en;
        t = arena_.make(ty);
    } else if (d->kind == ast::DeclKind::struct_) {
        auto* st = arena_.make_struct();
        st->name = d->name;
        std::set<std::string> seen;
        for (const auto& f : d->fields) {
            if (!seen.insert(f.name).second) fail(sink_, f.where, fmt::format("field '{}' is declared twice", f.name));
            const Type* ft = resolve(s.module, *f.type, eval);
            if (f.lifetime) {
                if (ft->kind != TypeKind::kref)
                    fail(sink_, f.lifetime_where,
                         fmt::format("only a kref field can be the lifetime of a struct; '{}' is {}", f.name,
                                     type_name(ft)));
                if (st->lifetime >= 0)
                    fail(sink_, f.lifetime_where,
                         fmt::format("struct '{}' already has a lifetime field ('{}')", d->name,
                                     st->fields[static_cast<std::size_t>(st->lifetime)].name));
                st->lifetime = static_cast<int>(st->fields.size());
            }
            st->fields.push_back({f.name, ft});
        }
        if (st->lifetime >= 0) st->fields.push_back({freed_field, arena_.boolean()});
        Type ty{TypeKind::structure};
        ty.st = st;
        t = arena_.make(ty);
    } else if (d->type->kind == ast::TypeKind::scalarset) {
        const auto n = eval.const_int(*d->type->hi, s.module, "a scalarset size");
        if (n < 1 || n > 64) fail(sink_, d->type->hi->where, fmt::format("scalarset size {} is outside 1..64", n));
        auto* ss = arena_.make_scalarset();
        ss->name = d->name;
        ss->qualified = symbols_.qualified(s.module, d->name);
        ss->size = n;
        if (d->type->hi->kind == ast::ExprKind::name)
            ss->size_name = symbols_.qualified(symbols_.resolve_module(s.module, d->type->hi->name),
                                               d->type->hi->name.last());
        ss->table = static_cast<std::uint32_t>(layout_.scalarset_names.size());
        layout_.scalarset_names.push_back(d->name);
        scalarsets_.push_back(ss);
        Type ty{TypeKind::scalarset, 0, n - 1};
        ty.ss = ss;
        t = arena_.make(ty);
        if (d->type->optional || !d->type->dims.empty())
            fail(sink_, d->type->where, "declare the scalarset alone; use 'Dev?' or 'T[Dev]' where it is used");
    } else {
        t = resolve(s.module, *d->type, eval);
    }
    poison.armed = false;
    type_cache_[d] = t;
    return t;
}

void TypeResolver::resolve_all(ConstantEvaluator& eval) {
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
        for (const auto& d : symbols_.mod(mi).ast.decls)
            if (d.kind == ast::DeclKind::type || d.kind == ast::DeclKind::enum_ || d.kind == ast::DeclKind::struct_) {
                try {
                    named(symbols_.in(mi).at(d.name), eval);
                } catch (const Abandon&) {}
            }
}

}  // namespace iomc::lang
