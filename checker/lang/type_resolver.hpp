// SPDX-License-Identifier: MIT
/// @file Types pass: resolves type expressions and named types (aliases, enums, structs,
/// scalarsets) to semantic Types, each declaration once, and registers the enum and scalarset
/// name tables that traces print. Input: SymbolTable; constant bounds and sizes through a
/// ConstantEvaluator. Output: Types in the TypeArena; StateLayout::enum_names and
/// scalarset_names.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "checker/ir/state_layout.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/types.hpp"

namespace iomc::lang {

/// Resolves the types of one compilation. Not thread-safe.
class TypeResolver {
public:
    TypeResolver(const SymbolTable& symbols, TypeArena& arena, ir::StateLayout& layout, support::DiagnosticSink& sink)
        : symbols_(symbols), arena_(arena), layout_(layout), sink_(sink) {}

    /// The type `te` denotes, read in `module`. Errors abandon.
    const Type* resolve(std::size_t module, const ast::TypeExpr& te, ConstantEvaluator& eval);
    /// The type a type symbol declares, resolved once; a declaration whose error was reported
    /// abandons silently, one that depends on itself is an error.
    const Type* named(const Symbol& s, ConstantEvaluator& eval);
    /// Resolves every type declaration once, in declaration order, so that errors show even in
    /// unused ones and the enum and scalarset tables are numbered in that order.
    void resolve_all(ConstantEvaluator& eval);

    [[nodiscard]] TypeArena& arena() { return arena_; }
    /// Every scalarset resolved so far, by table number (StateLayout::scalarset_names order).
    [[nodiscard]] const std::vector<const ScalarsetInfo*>& scalarsets() const { return scalarsets_; }

private:
    const SymbolTable& symbols_;
    TypeArena& arena_;
    ir::StateLayout& layout_;
    support::DiagnosticSink& sink_;
    std::map<const ast::Decl*, const Type*> type_cache_;
    std::set<const ast::Decl*> bad_types_;  ///< declarations whose error was already reported
    std::vector<const ScalarsetInfo*> scalarsets_;
};

}  // namespace iomc::lang
