// SPDX-License-Identifier: MIT
/// @file Layout pass, element lists: `var alive: bool[Dom] = { Dom(1): true, _: false };`
/// gives each element of an array its own initial value. Keys are constant values of the index
/// type; `_` gives the value of every element not listed; values nest for arrays of arrays.
#include <fmt/format.h>

#include "checker/lang/layout_builder.hpp"

namespace iomc::lang {

namespace {

/// Element number `i` of index type `ix` as a key would be written: "true", "3", "dma",
/// "Dev(1)".
std::string key_name(const Type* ix, std::int64_t i) {
    if (ix->kind == TypeKind::scalarset) return fmt::format("{}({})", ix->ss->name, i);
    return index_name(ix, i);
}

}  // namespace

Initial LayoutBuilder::initializer(const ast::Expr* e, const Type* t, const std::string& name, std::size_t module,
                                   ConstantEvaluator& eval) {
    Initial out;
    if (!e) return out;
    if (e->kind != ast::ExprKind::elements) {
        out.all = eval.eval_const(*e, module);
        return out;
    }
    if (t->kind != TypeKind::array)
        fail(sink_, e->where,
             fmt::format("an element list initializes an array, but '{}' is {}", name, type_name(t)));
    element_leaves(*e, t, module, eval, out.leaves);
    return out;
}

void LayoutBuilder::element_leaves(const ast::Expr& e, const Type* t, std::size_t module, ConstantEvaluator& eval,
                                   std::vector<std::pair<Value, support::SourceRange>>& out) {
    const Type* ix = t->index;
    const std::int64_t n = domain_size(ix);
    const std::uint32_t per = leaf_count(t->elem);
    if (t->elem->kind == TypeKind::structure)
        fail(sink_, e.where,
             fmt::format("the elements of {} are structs, which take no initializer", type_name(t)));
    // The value expression of each element; the default's for the rest.
    std::vector<const ast::Expr*> given(static_cast<std::size_t>(n), nullptr);
    std::vector<support::SourceRange> key_at(static_cast<std::size_t>(n));
    const ast::Expr* dflt = nullptr;
    support::SourceRange dflt_at;
    for (std::size_t k = 0; k + 1 < e.kids.size(); k += 2) {
        const ast::Expr& key = *e.kids[k];
        if (key.kind == ast::ExprKind::wildcard) {
            if (dflt) {
                auto& d = sink_.error(key.where, "the default '_' is given twice");
                d.notes.push_back({dflt_at, "first given here"});
                throw Abandon{};
            }
            dflt = e.kids[k + 1].get();
            dflt_at = key.where;
            continue;
        }
        const Value v = eval.eval_const(key, module);
        const bool fits = v.t->kind != TypeKind::none && v.t->kind != TypeKind::array &&
                          (ix->kind == TypeKind::integer ? v.t->kind == TypeKind::integer : assignable(ix, v.t)) &&
                          !(v.t->optional && v.v < 0);
        if (!fits)
            fail(sink_, key.where, fmt::format("a key of this element list must be a value of {}, found {}",
                                               type_name(ix), type_name(v.t)));
        const std::int64_t i = ix->kind == TypeKind::integer ? v.v - ix->lo : v.v;
        if (i < 0 || i >= n) fail(sink_, key.where, fmt::format("key {} is outside {}", v.v, type_name(ix)));
        const auto at = static_cast<std::size_t>(i);
        if (given[at]) {
            auto& d = sink_.error(key.where, fmt::format("element {} is given twice", key_name(ix, i)));
            d.notes.push_back({key_at[at], "first given here"});
            throw Abandon{};
        }
        given[at] = e.kids[k + 1].get();
        key_at[at] = key.where;
    }
    if (!dflt) {
        std::string missing;
        std::size_t count = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            if (given[static_cast<std::size_t>(i)]) continue;
            if (++count <= 4) missing += (missing.empty() ? "" : ", ") + key_name(ix, i);
        }
        if (count > 4) missing += fmt::format(" and {} more", count - 4);
        if (count)
            fail(sink_, e.where,
                 fmt::format("this element list gives no value for {} of {}; add '_: value' for the elements not "
                             "listed",
                             missing, type_name(ix)));
    }
    // Evaluate each value once, then fill the element's leaves with it.
    std::vector<std::pair<Value, support::SourceRange>> dflt_leaves;
    auto leaves_of = [&](const ast::Expr& value, std::vector<std::pair<Value, support::SourceRange>>& into) {
        if (t->elem->kind == TypeKind::array && value.kind == ast::ExprKind::elements) {
            element_leaves(value, t->elem, module, eval, into);
            return;
        }
        const Value v = eval.eval_const(value, module);
        for (std::uint32_t l = 0; l < per; ++l) into.emplace_back(v, value.where);
    };
    if (dflt) leaves_of(*dflt, dflt_leaves);
    for (std::int64_t i = 0; i < n; ++i) {
        const ast::Expr* g = given[static_cast<std::size_t>(i)];
        if (g) leaves_of(*g, out);
        else out.insert(out.end(), dflt_leaves.begin(), dflt_leaves.end());
    }
}

}  // namespace iomc::lang
