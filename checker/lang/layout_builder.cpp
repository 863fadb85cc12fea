// SPDX-License-Identifier: MIT
#include "checker/lang/layout_builder.hpp"

#include <fmt/format.h>

#include "checker/lang/primitives.hpp"

namespace iomc::lang {

SlotDomain LayoutBuilder::domain(const Type* t) const {
    switch (t->kind) {
        case TypeKind::boolean: return {0, 1, ir::ValueKind::boolean};
        case TypeKind::integer: return {t->lo, t->hi, ir::ValueKind::integer};
        case TypeKind::enumeration:
            return {t->optional ? -1 : 0, static_cast<std::int64_t>(t->en->enumerators.size()) - 1,
                    ir::ValueKind::enumeration, t->en->table};
        case TypeKind::scalarset:
            return {t->optional ? -1 : 0, t->ss->size - 1, ir::ValueKind::scalarset, t->ss->table};
        default: return primitive_domain(t, instance_count_);
    }
}

std::int64_t LayoutBuilder::default_value(const SlotDomain& d) {
    if (d.lo == -1) return -1;  // none, or a free mutex
    return d.lo <= 0 && 0 <= d.hi ? 0 : d.lo;
}

std::uint32_t LayoutBuilder::type_bits(const Type* t) const {
    switch (t->kind) {
        case TypeKind::structure: {
            std::uint32_t n = 0;
            for (const auto& f : t->st->fields) n += type_bits(f.type);
            return n;
        }
        case TypeKind::array: return static_cast<std::uint32_t>(domain_size(t->index)) * type_bits(t->elem);
        default: {
            const auto d = domain(t);
            return ir::bits_for(static_cast<std::uint64_t>(d.hi - d.lo));
        }
    }
}

ir::SlotId LayoutBuilder::alloc(const Type* t, const std::string& name, std::optional<Value> init,
                                std::uint32_t process, support::SourceRange where, const void* variable,
                                bool hidden) {
    const auto first = ir::SlotId{static_cast<std::uint32_t>(layout_.slots().size())};
    SlotOrigin origin;
    origin.variable = variable;
    origin.where = where;
    origin.initialized = init.has_value();
    origin.hidden = hidden;
    alloc_leaves(t, name, init, process, where, origin);
    return first;
}

ir::SlotId LayoutBuilder::alloc(const Type* t, const std::string& name, const Initial& init, std::uint32_t process,
                                support::SourceRange where, const void* variable, bool hidden) {
    if (init.leaves.empty()) return alloc(t, name, init.all, process, where, variable, hidden);
    struct Restore {
        LayoutBuilder& b;
        ~Restore() { b.leaf_inits_ = nullptr; }
    } restore{*this};
    leaf_inits_ = &init.leaves;
    leaf_at_ = 0;
    const auto first = ir::SlotId{static_cast<std::uint32_t>(layout_.slots().size())};
    SlotOrigin origin;
    origin.variable = variable;
    origin.where = where;
    origin.initialized = true;
    origin.hidden = hidden;
    alloc_leaves(t, name, std::nullopt, process, where, origin);
    return first;
}

const SlotOrigin& LayoutBuilder::origin(ir::SlotId s) const {
    static const SlotOrigin none;
    return ir::idx(s) < origins_.size() ? origins_[ir::idx(s)] : none;
}

void LayoutBuilder::alloc_leaves(const Type* t, const std::string& name, std::optional<Value> init,
                                 std::uint32_t process, support::SourceRange where, SlotOrigin& origin) {
    switch (t->kind) {
        case TypeKind::structure:
            if (init)
                fail(sink_, where,
                     fmt::format("a struct variable cannot have an initializer; its fields start at their defaults"));
            for (const auto& f : t->st->fields) {
                const auto at = origin.path.size();
                origin.path += "." + f.name;
                alloc_leaves(f.type, name + "." + f.name, std::nullopt, process, where, origin);
                origin.path.resize(at);
            }
            break;
        case TypeKind::array:
            for (std::int64_t i = 0; i < domain_size(t->index); ++i) {
                const auto at = origin.path.size();
                const bool sym = t->index->kind == TypeKind::scalarset;
                origin.path += sym ? "[*]" : "[" + index_name(t->index, i) + "]";
                if (sym)
                    origin.coords.push_back(
                        ir::SymmetryCoord{t->index->ss->table, static_cast<std::uint32_t>(i)});
                alloc_leaves(t->elem, name + "[" + index_name(t->index, i) + "]", init, process, where, origin);
                if (sym) origin.coords.pop_back();
                origin.path.resize(at);
            }
            break;
        default: {
            const auto d = domain(t);
            ir::Slot s;
            s.name = name;
            s.kind = d.kind;
            s.lo = static_cast<std::int32_t>(d.lo);
            s.hi = static_cast<std::int32_t>(d.hi);
            s.type_index = d.table;
            s.process = process;
            s.hidden = origin.hidden;
            s.init = static_cast<std::int32_t>(default_value(d));
            if (leaf_inits_ && leaf_at_ < leaf_inits_->size()) {
                // An element list: this leaf's own value, and where it is written.
                init = (*leaf_inits_)[leaf_at_].first;
                where = (*leaf_inits_)[leaf_at_].second;
                ++leaf_at_;
            }
            if (init) {
                if (is_primitive(t)) {
                    check_primitive_init(t, *init, where, sink_);
                } else if (!assignable(t, init->t)) {
                    fail(sink_, where,
                         fmt::format("cannot initialize {} '{}' with a value of type {}", type_name(t), name,
                                     type_name(init->t)));
                }
                if (init->v < d.lo || init->v > d.hi)
                    fail(
                        sink_, where,
                        fmt::format("initial value {} is outside the range {}..{} of '{}'", init->v, d.lo, d.hi, name));
                s.init = static_cast<std::int32_t>(init->v);
            }
            origins_.resize(layout_.slots().size());  // pcs of earlier instances have no origin
            origins_.push_back(origin);
            layout_.add(std::move(s));
        }
    }
}

TExpr LayoutBuilder::storage(const Type* t, ir::SlotId first) {
    TExpr x;
    x.e = ir::Expr::of_slot(first);
    x.t = t;
    x.lvalue = true;
    return x;
}

void LayoutBuilder::declare_globals(const SymbolTable& symbols, TypeResolver& types, ConstantEvaluator& eval) {
    for (std::size_t mi = 0; mi < symbols.module_count(); ++mi) {
        for (const auto& d : symbols.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::var) continue;
            try {
                const Type* t = types.resolve(mi, *d.type, eval);
                const std::string name = symbols.qualified(mi, d.name);
                const Initial init = initializer(d.value.get(), t, name, mi, eval);
                const auto first = alloc(t, name, init, UINT32_MAX, d.value ? d.value->where : d.name_where, &d);
                globals_[&d] = storage(t, first);
            } catch (const Abandon&) {}
        }
    }
}

const TExpr* LayoutBuilder::global(const ast::Decl* d) const {
    auto it = globals_.find(d);
    return it == globals_.end() ? nullptr : &it->second;
}

}  // namespace iomc::lang
