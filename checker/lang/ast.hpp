// SPDX-License-Identifier: MIT
/// @file The syntax tree of one .mc file. Only checker/lang sees it; the engines see ir only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/support/source.hpp"

namespace iomc::lang::ast {

using support::SourceRange;

/// A possibly qualified name: `dev`, `core::dev`.
struct Name {
    std::vector<std::string> parts;  ///< namespace parts then the name
    SourceRange where;
    [[nodiscard]] const std::string& last() const { return parts.back(); }
    [[nodiscard]] std::string str() const;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind : std::uint8_t {
    int_lit, bool_lit, none_lit, self, name, index, field, unary, binary, ternary, call,
    quant, at_label, past_label, variant_test,
    elements,  ///< `{ k: v, ..., _: v }`, a variable's initializer: kids are key, value pairs
    wildcard,  ///< `_`, the key of an element list's default
};

enum class Op : std::uint8_t {
    neg, not_, add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, and_, or_, implies,
};

struct Expr {
    ExprKind kind;
    SourceRange where;
    std::int64_t value = 0;           ///< int_lit, bool_lit
    Op op = Op::add;                  ///< unary, binary
    Name name;                        ///< name, call (callee), quant (type), at/past (process)
    std::string member;               ///< field name; at/past label; quant variable
    SourceRange member_where;
    bool forall = true;               ///< quant
    std::vector<ExprPtr> kids;        ///< operands, index base+index, call arguments
};

struct TypeExpr;
using TypePtr = std::unique_ptr<TypeExpr>;

enum class TypeKind : std::uint8_t { named, range, bool_, mutex, kref, scalarset };

struct TypeExpr {
    TypeKind kind;
    SourceRange where;
    Name name;                        ///< named
    ExprPtr lo, hi;                   ///< range; kref and scalarset use hi as the bound
    bool optional = false;            ///< `T?`
    std::vector<TypePtr> dims;        ///< array index types, outermost first: T[A][B]
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

enum class StmtKind : std::uint8_t {
    block, var_decl, assign, call, if_, when, while_, for_, either, atomic, await, assert_,
    return_, goto_, break_, continue_, skip, labeled, choose,
};

enum class AssignOp : std::uint8_t { set, add, sub };

struct VarDecl {
    std::string name;
    SourceRange where;
    TypePtr type;
    ExprPtr init;  ///< may be null
};

struct Stmt {
    StmtKind kind;
    SourceRange where;
    std::vector<StmtPtr> body;        ///< block, atomic; if/when/while/for then-part in body[0]
    std::vector<std::vector<StmtPtr>> branches;  ///< either: its alternatives
    StmtPtr else_part;                ///< if/when
    ExprPtr cond;                     ///< if, when, while, await, assert; return value
    ExprPtr lhs, rhs;                 ///< assign (rhs may be a call), choose (lhs)
    AssignOp assign_op = AssignOp::set;
    std::string label;                ///< labeled, goto; assert name; for variable
    SourceRange label_where;
    Name for_type;                    ///< for
    std::unique_ptr<VarDecl> decl;    ///< var_decl
};

struct Param {
    std::string name;
    SourceRange where;
    TypePtr type;
};

enum class DeclKind : std::uint8_t {
    import, const_, const_override, type, enum_, struct_, var, proc, process, invariant, variant, expect,
    metric, liveness,
    part,     ///< `part "P";`: P's declarations are this file's (the loader splices them in)
    part_of,  ///< `part of "F";`: this file is a part of F
};

enum class Verdict : std::uint8_t { holds, violates, skip };

struct Field {
    std::string name;
    SourceRange where;
    TypePtr type;
    bool lifetime = false;      ///< `refs: kref(N) lifetime;`: the struct dies when refs drops to 0
    SourceRange lifetime_where;
};

struct Decl {
    DeclKind kind;
    SourceRange where;       ///< the whole declaration
    std::string name;
    SourceRange name_where;
    // import, part, part_of
    std::string path;        ///< the file's path (unquoted); variant and expect description
    // const
    TypePtr type;            ///< const (optional), type alias, var, proc return (optional)
    ExprPtr value;           ///< const value, var initializer, invariant body, metric value
    ExprPtr per;             ///< metric: the denominator after `per` (may be null)
    // enum
    std::vector<std::pair<std::string, SourceRange>> enumerators;
    // struct
    std::vector<Field> fields;
    // proc, process
    std::vector<Param> params;
    std::vector<StmtPtr> body;
    // variant: constant settings `NAME = expr;`; const_override: its one `ns::NAME = expr`
    std::vector<std::pair<Name, ExprPtr>> settings;
    // expect
    std::vector<std::pair<std::string, SourceRange>> variants;  ///< empty: every variant
    Verdict verdict = Verdict::holds;
    std::vector<std::pair<std::string, SourceRange>> properties;
    // liveness: `value` is the goal under the `forall` binders (quant nodes), `per` the trigger
    // of leads_to (in the binders' scope); form is "eventually", "leads_to" or "always_eventually"
    std::string form;
    std::size_t binders = 0;  ///< liveness: how many quant nodes at the top of `value` are binders
    bool lemma = false;       ///< invariant: declared `lemma NAME: expr;` (docs/language.md#lemmas)
};

/// One parsed file.
struct Module {
    support::FileId file = 0;
    std::vector<Decl> decls;
};

}  // namespace iomc::lang::ast
