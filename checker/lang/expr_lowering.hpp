// SPDX-License-Identifier: MIT
/// @file Expressions pass: type-checks an expression and lowers it to an ir::Expr. Constants
/// fold, fields and constant indices become slots, dynamic indices become element accesses
/// with their strides, quantifiers expand over their domain, `p(d)@L` and `p(d) past L` become
/// pc tests. Input: an ast::Expr in an ExprContext (module, local scopes, process instance,
/// calls already lowered into temporaries) and the earlier passes' tables: SymbolTable,
/// Constants, TypeResolver, the global variables of LayoutBuilder and, for `@`/`past`, the
/// locations of compiled process instances. Output: a TExpr (the ir::Expr and its Type); in
/// the BreachLog, the scalarset literals it met and the instances named by number.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/lang/constants.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// A name bound in a local scope: a constant (process parameter, loop or quantifier variable,
/// constant-argument procedure parameter) or a storage location (local variable).
struct Binding {
    bool is_value = true;
    Value val;
    TExpr lv;
};

using Scope = std::map<std::string, Binding>;

/// Where an expression is read: what its names can mean and what it may do.
struct ExprContext {
    std::size_t module = 0;
    std::vector<Scope> scopes;                  ///< innermost last
    bool const_only = false;                    ///< a constant expression: no variables
    bool in_invariant = false;                  ///< an invariant or metric: `@`/`past` allowed, no calls
    std::int64_t self = -1;                     ///< process instance, -1 outside processes
    std::map<const ast::Expr*, TExpr> hoisted;  ///< calls already executed into temporaries
};

/// What later passes need from a compiled process instance: `p(d)@L` and `p(d) past L` (its
/// labels and dominators), and the symmetry pass (the scalarset loops around each location,
/// the conditions decided at compile time).
struct InstanceLocations {
    const ast::Decl* decl = nullptr;
    std::vector<Value> params;
    ir::SlotId pc{0};
    std::map<std::string, std::vector<std::uint32_t>> label_locs;  ///< label -> locations
    std::vector<std::uint32_t> idom;                               ///< immediate dominators
    std::vector<std::vector<LoopVisit>> visits;                    ///< per location
    std::vector<Decision> decisions;                               ///< in the order they were met
    /// Its locals by the name traces print after the instance, and the procedures it inlined
    /// (ProcessCfg::locals, ::procs), for `client(0).r` (process_refs.cpp).
    std::map<std::string, std::vector<TExpr>> locals;
    std::set<std::string> procs;
};

/// Types and lowers expressions of one compilation. Errors are reported and abandon the
/// expression (Abandon). Not thread-safe.
class ExprLowering final : public ConstantEvaluator {
public:
    /// `locations` grows as the processes pass compiles instances; it is read only by `@` and
    /// `past`, which invariants use after every instance is compiled.
    /// A scalarset literal (`Dev(0)`) and a process instance named by number (`client(0) @ L`)
    /// are recorded in `breaches`.
    ExprLowering(const SymbolTable& symbols, Constants& constants, TypeResolver& types, const LayoutBuilder& layout,
                 const std::vector<InstanceLocations>& locations, const support::SourceManager& sm,
                 BreachLog& breaches, support::DiagnosticSink& sink)
        : symbols_(symbols), constants_(constants), types_(types), arena_(types.arena()), layout_(layout),
          locations_(locations), sm_(sm), breaches_(breaches), sink_(sink) {}

    /// Types and lowers `e`, read in `c`.
    TExpr lower(const ast::Expr& e, ExprContext& c);
    Value eval_const(const ast::Expr& e, std::size_t module) override;
    std::int64_t const_int(const ast::Expr& e, std::size_t module, const char* what) override;

    /// The value `x` reads as: a primitive's readable value (a kref's count), else `x` itself.
    TExpr rvalue(TExpr x);
    /// `a op b` of type `t`, folded when both sides are constant (a division by zero or a 32-bit
    /// overflow there is an error at `where`).
    TExpr binary_fold(ir::ExprOp op, TExpr a, TExpr b, const Type* t, support::SourceRange where);
    /// `r`'s source text on one line.
    [[nodiscard]] std::string text(support::SourceRange r) const { return source_text(sm_, r); }
    [[nodiscard]] TypeArena& arena() { return arena_; }
    /// Quantifier bindings expanded so far: the properties pass counts the top-level foralls it
    /// splits here too.
    [[nodiscard]] ExpansionCounter& bindings() { return bindings_; }

    /// A field access of an object with a lifetime (a struct with a `lifetime` kref), lowered
    /// since the last take_uaf(): the freed flag to test before the access, the access's text
    /// and the object's.
    struct UafCheck {
        ir::Expr freed;
        std::string access, object;
    };
    /// The accesses recorded since the last call; the statements pass puts a use-after-free
    /// check before the instruction that makes them.
    std::vector<UafCheck> take_uaf() { return std::exchange(uaf_, {}); }
    /// `held_by(m, p)`: mutex `m` is held by process instance `p` (process_refs.cpp); only where
    /// `@` is allowed.
    TExpr held_by(const ast::Expr& call, ExprContext& c);
    /// The freed flag of the object whose lifetime kref the expression `e` names (`dom.refs`),
    /// or null when `e` is not such a field.
    [[nodiscard]] const TExpr* lifetime_flag(const ast::Expr* e) const;

private:
    void lifetime_access(const ast::Expr& e, const TExpr& object, int field, const ExprContext& c);
    static ir::ExprOp to_ir(ast::Op op);
    static const char* op_text(ast::Op op);
    TExpr constant(std::int64_t v, const Type* t);
    static TExpr retype(TExpr x, const Type* t);
    void check_index(const Type* ix_type, const TExpr& ix, const ast::Expr& where);
    TExpr index_into(TExpr base, TExpr ix, const ast::Expr& e);
    TExpr name_expr(const ast::Expr& e, ExprContext& c);
    TExpr binary_expr(const ast::Expr& e, ExprContext& c);
    TExpr call_expr(const ast::Expr& e, ExprContext& c);
    TExpr location_expr(const ast::Expr& e, ExprContext& c);
    TExpr field_of(TExpr base, const ast::Expr& e, const ExprContext& c);
    // process_refs.cpp: process instances named in invariants, their locals
    [[nodiscard]] const Symbol* process_symbol(const ast::Expr& p, const ExprContext& c) const;
    const InstanceLocations& instance_of(const ast::Expr& p, const Symbol& s, ExprContext& c);
    std::optional<TExpr> process_local(const ast::Expr& e, ExprContext& c);
    [[nodiscard]] std::vector<std::string> visible_names(const ExprContext& c) const;

    const SymbolTable& symbols_;
    Constants& constants_;
    TypeResolver& types_;
    TypeArena& arena_;
    const LayoutBuilder& layout_;
    const std::vector<InstanceLocations>& locations_;
    const support::SourceManager& sm_;
    BreachLog& breaches_;
    support::DiagnosticSink& sink_;
    std::vector<UafCheck> uaf_;
    std::map<const ast::Expr*, TExpr> lifetime_flags_;
    ExpansionCounter bindings_{max_quantifier_bindings, "bindings", "quantifiers are expanded at compile time"};
};

}  // namespace iomc::lang
