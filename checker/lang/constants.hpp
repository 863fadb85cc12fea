// SPDX-License-Identifier: MIT
/// @file Constants pass: selects the variant, collects its constant settings, the
/// scenario's `const ns::NAME = v;` overrides and the -D values, and evaluates each constant on
/// demand (a constant may use others, and types use constants), once. Input: SymbolTable,
/// CompileOptions; the types pass (declared types) and a ConstantEvaluator (the expression
/// pass). Output: the selected variant and every constant's value (ModelInfo::constants).
#pragma once

#include <map>
#include <string>
#include <utility>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// The constant values of one compilation. Not thread-safe.
class Constants {
public:
    Constants(const SymbolTable& symbols, TypeResolver& types, support::DiagnosticSink& sink)
        : symbols_(symbols), types_(types), sink_(sink) {}

    /// Picks the variant (`options.variant`, else the first declared) and applies its settings,
    /// the overrides and the -D values, in that order of precedence, lowest first. Errors go to
    /// the sink; an unknown variant abandons.
    void select(const CompileOptions& options);
    /// The selected variant; empty when the model declares none.
    [[nodiscard]] const std::string& variant() const { return variant_; }

    /// The value of constant `d` (declared in `module`): the -D value, else the variant's
    /// setting, else the scenario's override, else its default; checked against its declared
    /// type. A constant whose error was reported already abandons silently.
    Value value(const ast::Decl* d, std::size_t module, ConstantEvaluator& eval);

    /// True when a -D value did not fit its constant (reported): the build stops after the
    /// constants, as for the other command-line errors.
    [[nodiscard]] bool define_error() const { return define_error_; }

    /// Evaluates every constant once, in declaration order, so that errors show even in unused
    /// ones, and records each in `info` as the root module names it.
    void evaluate_all(ir::ModelInfo& info, ConstantEvaluator& eval);

private:
    void apply_defines(const CompileOptions& options);
    Value define_value(const ast::Decl* d, std::size_t module, const Type* declared, const std::string& def,
                       const std::string& val, ConstantEvaluator& eval);

    enum class CState : std::uint8_t { todo, busy, done };
    const SymbolTable& symbols_;
    TypeResolver& types_;
    support::DiagnosticSink& sink_;
    std::string variant_;
    bool define_error_ = false;
    const ast::Decl* variant_decl_ = nullptr;
    std::size_t variant_module_ = 0;
    std::map<const ast::Decl*, std::pair<CState, Value>> consts_;
    std::map<const ast::Decl*, std::pair<const ast::Expr*, std::size_t>> variant_settings_;
    /// -D texts by constant: the whole `NAME=VALUE` and the value text.
    std::map<const ast::Decl*, std::pair<std::string, std::string>> define_texts_;
    std::map<const ast::Decl*, std::pair<const ast::Expr*, std::size_t>> root_overrides_;
};

}  // namespace iomc::lang
