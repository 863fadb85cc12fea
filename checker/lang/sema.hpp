// SPDX-License-Identifier: MIT
/// @file The vocabulary the semantic passes hand each other (compile-time values, typed and
/// lowered expressions, process instances) and their error convention. Internal to
/// checker/lang; elaborate.cpp runs the passes in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/lang/ast.hpp"
#include "checker/lang/types.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// Thrown after an error was reported, to abandon the current declaration, statement or
/// process instance. Each pass catches it at its recovery points.
struct Abandon {};

/// A compile-time value with its type: a constant, a process parameter, a loop variable.
struct Value {
    std::int64_t v = 0;
    const Type* t = nullptr;
};

/// A typed, lowered expression: what the expression pass returns.
struct TExpr {
    ir::Expr e;
    const Type* t = nullptr;
    bool lvalue = false;
    [[nodiscard]] bool is_const() const { return e.is_constant(); }
};

/// One process instance, `client(1)`: what the processes pass enumerates and the statements
/// pass lowers.
struct Instance {
    const ast::Decl* decl = nullptr;
    std::size_t module = 0;     ///< the module that declares the process
    std::vector<Value> params;  ///< one per declared parameter
    std::string name;           ///< "client(1)", qualified from the root module
};

/// Evaluates constant expressions. The expression pass implements it; the passes that run
/// before it (constants, types) call back through it, because constants and types are
/// evaluated on demand and refer to each other.
class ConstantEvaluator {
public:
    /// The value of `e`, read in `module`; reports "expected a constant expression" otherwise.
    virtual Value eval_const(const ast::Expr& e, std::size_t module) = 0;
    /// Same, for an integer; `what` names it in the error ("a range bound").
    virtual std::int64_t const_int(const ast::Expr& e, std::size_t module, const char* what) = 0;

protected:
    ConstantEvaluator() = default;
    ConstantEvaluator(const ConstantEvaluator&) = default;
    ConstantEvaluator& operator=(const ConstantEvaluator&) = default;
    ~ConstantEvaluator() = default;
};

/// Reports an error at `where` and abandons.
[[noreturn]] void fail(support::DiagnosticSink& sink, support::SourceRange where, std::string message);

/// Reports "unknown WHAT 'NAME'" with a "did you mean" note from `candidates`, and abandons.
[[noreturn]] void unknown(support::DiagnosticSink& sink, const std::string& what, const std::string& name,
                          support::SourceRange where, const std::vector<std::string>& candidates);

/// `r`'s source text on one line (every run of white space becomes one space), as messages and
/// traces quote it.
std::string source_text(const support::SourceManager& sm, support::SourceRange r);

}  // namespace iomc::lang
