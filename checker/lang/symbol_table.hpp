// SPDX-License-Identifier: MIT
/// @file Resolve pass: every module's top-level names (constants, types, enumerators,
/// variables, procedures, processes, invariants and metrics) and the lookup of qualified names
/// through import aliases. Input: the loaded Model. Output: the SymbolTable, which every later
/// pass reads; duplicate declarations are reported while it is built.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checker/lang/frontend.hpp"
#include "checker/lang/module.hpp"
#include "checker/lang/sema.hpp"

namespace iomc::lang {

enum class SymKind : std::uint8_t { constant, type, enumerator, var, proc, process, invariant };

/// A top-level name of one module.
struct Symbol {
    SymKind kind;
    const ast::Decl* decl = nullptr;  ///< the declaration (an enumerator's: its enum)
    std::size_t module = 0;           ///< the module that declares it
    std::int64_t enum_index = 0;      ///< enumerator: its position in the enum
};

/// The symbols of every module of one Model, indexed like Model::modules(). Immutable once built.
class SymbolTable {
public:
    /// Declares every module's names; a name declared twice in one module is an error in `sink`.
    SymbolTable(const Model& model, support::DiagnosticSink& sink);

    [[nodiscard]] const Model& model() const { return model_; }
    [[nodiscard]] const Module& mod(std::size_t i) const { return *model_.modules()[i]; }
    [[nodiscard]] std::size_t module_count() const { return model_.modules().size(); }
    /// The root module (the scenario): the last one.
    [[nodiscard]] std::size_t root() const { return model_.modules().size() - 1; }

    /// The symbols of `module`, by name.
    [[nodiscard]] const std::map<std::string, Symbol>& in(std::size_t module) const { return syms_[module]; }
    /// Names of `module`'s symbols of kind `kind`, in name order (for "did you mean").
    [[nodiscard]] std::vector<std::string> names(std::size_t module, SymKind kind) const;
    /// The module a qualified name lives in, following its namespace parts from `module`. An
    /// unknown namespace is reported (with the known aliases) and abandons.
    std::size_t resolve_module(std::size_t module, const ast::Name& n) const;
    /// The symbol `n` names, read in `module`; null when the last part is not declared there.
    const Symbol* find(std::size_t module, const ast::Name& n) const;

    /// The name of a declaration as seen from the root module: "x" or "core::x". The prefix is
    /// the shortest chain of import aliases from the root (breadth first, imports in the order
    /// they are written), so adding an import elsewhere never renames a declaration that the
    /// root reaches more directly.
    [[nodiscard]] std::string qualified(std::size_t module, const std::string& name) const;

private:
    const Model& model_;
    support::DiagnosticSink& sink_;
    std::vector<std::map<std::string, Symbol>> syms_;
};

}  // namespace iomc::lang
