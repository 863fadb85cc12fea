// SPDX-License-Identifier: MIT
/// @file The built-in kernel primitives, mutex and kref, as the front end sees them: their types,
/// slot domains and initializers, the writes they forbid, and the built-in operations (lock,
/// unlock, kref_init, kref_get and kref_put as statements; locked, held and kref_put's result as
/// values). The passes ask here whenever a type or a call may be a primitive's, so the front-end
/// side of a new primitive is written in this file (plus its TypeKind and syntax). Input: type
/// expressions, and built-in calls with the expression pass to lower their arguments. Output:
/// primitive Types, SlotDomains, and the ir::Instrs and ir::Exprs of the built-ins.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/types.hpp"

namespace iomc::lang {

class ExprLowering;
struct ExprContext;

// ---------------------------------------------------------------- types and storage

/// True for the primitives' types: their slots change only through the built-in operations.
bool is_primitive(const Type* t);
/// The type of a primitive type expression (`mutex`, `kref(N)`), read in `module`.
const Type* resolve_primitive(const ast::TypeExpr& te, std::size_t module, TypeArena& arena, ConstantEvaluator& eval,
                              support::DiagnosticSink& sink);
/// A primitive's slot domain: a mutex holds -1 (free) or its owner's instance number, a kref
/// its count.
SlotDomain primitive_domain(const Type* t, std::int64_t instance_count);
/// Checks the initializer of a primitive variable: a mutex takes none, a kref an integer count.
void check_primitive_init(const Type* t, const Value& init, support::SourceRange where, support::DiagnosticSink& sink);
/// The type a primitive reads as in an expression (a kref's count: an integer), or null.
const Type* primitive_read_type(const Type* t, TypeArena& arena);
/// Why `target` (of type `t`) cannot be assigned directly, or nothing when it is not a primitive.
std::optional<std::string> primitive_assign_error(const Type* t, const std::string& target);

// ---------------------------------------------------------------- built-in operations

/// True when `n` names a built-in operation.
bool is_builtin(const ast::Name& n);
/// The built-in operations' names, in the order "did you mean" offers them.
std::vector<std::string> builtin_names();
/// True for a call of a built-in that both acts and gives a value (`b = kref_put(r)`): it is
/// lowered like a procedure call, into a temporary when it is nested in an expression.
bool is_builtin_with_result(const ast::Expr& e);
/// The type of that value.
const Type* builtin_result_type(TypeArena& arena);
/// A built-in used as a value (`locked(m)`, `held(m)`), lowered in `c`; any other built-in is
/// an error there.
TExpr lower_builtin_value(const ast::Expr& call, ExprContext& c, ExprLowering& exprs, support::DiagnosticSink& sink);
/// A built-in used as a statement (`lock(m)`, `kref_get(r)`...), appended to `code`;
/// `result`, when given, receives kref_put's value.
void lower_builtin_stmt(const ast::Expr& call, ExprContext& c, ExprLowering& exprs, std::vector<ir::Instr>& code,
                        const TExpr* result, support::DiagnosticSink& sink);

}  // namespace iomc::lang
