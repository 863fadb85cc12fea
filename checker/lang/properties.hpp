// SPDX-License-Identifier: MIT
/// @file Properties pass: the built-in properties at their fixed ids, the named assertions
/// (every `assert NAME:` of every file, reached or not), the invariants (a top-level `forall`
/// split into one check per binding, so a violation names the instance) and the metrics.
/// Input: SymbolTable, TypeResolver, ExprLowering (which, for `@` and `past`, needs the
/// compiled process instances: invariants and metrics come after the processes pass). Output:
/// ir::Property and ir::Metric entries of the IR, in id order.
#pragma once

#include <optional>

#include <map>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// Builds the properties and metrics of one compilation. Not thread-safe.
class PropertyBuilder {
public:
    PropertyBuilder(const SymbolTable& symbols, TypeResolver& types, ExprLowering& exprs,
                    ir::TransitionSystem::Data& data, support::DiagnosticSink& sink)
        : symbols_(symbols), types_(types), exprs_(exprs), properties_(data.properties), metrics_(data.metrics),
          sink_(sink) {}

    /// The built-in properties, ids 0 to ir::builtin_property_count - 1. Call it first.
    void add_builtins();
    /// The built-in `use_after_free`, added (after the others) when some struct has a lifetime.
    void add_use_after_free();
    /// Its id; add_use_after_free() must have been called.
    [[nodiscard]] ir::PropertyId use_after_free() const;
    /// Every named assertion of every file is a property, whether or not a process reaches it
    /// in this variant (one that no process reaches holds), so expect lines can name it.
    void declare_named_assertions();
    /// The property an `assert` statement read in `module` reports to: its named assertion, or
    /// `assertions` for an unnamed one.
    ir::PropertyId assertion(const ast::Stmt& s, std::size_t module);
    /// Every invariant of every module, in declaration order.
    void compile_invariants();
    /// Every liveness property of every module, in declaration order (after the invariants).
    void compile_liveness();
    /// The opt-in built-in `lock_order`, last.
    void add_lock_order();
    /// Every metric of every module, in declaration order.
    void compile_metrics();

private:
    void split_invariant(const ast::Expr& e, ExprContext& c, const std::string& binding, ir::Property& p);
    void split_liveness(const ast::Decl& d, const ast::Expr& e, std::size_t binders, ExprContext& c,
                        const std::string& binding, ir::Property& p);
    ir::InvariantCheck liveness_side(const ast::Expr& e, ExprContext& c, const std::string& binding, const char* side);

    const SymbolTable& symbols_;
    TypeResolver& types_;
    ExprLowering& exprs_;
    std::vector<ir::Property>& properties_;
    std::vector<ir::Metric>& metrics_;
    support::DiagnosticSink& sink_;
    std::map<std::string, ir::PropertyId> named_asserts_;
    std::optional<ir::PropertyId> use_after_free_;
};

}  // namespace iomc::lang
