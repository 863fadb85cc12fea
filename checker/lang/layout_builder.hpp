// SPDX-License-Identifier: MIT
/// @file Layout pass: the slots of the state vector. Gives each scalar type its slot domain and
/// initial value, allocates the slots of a variable (a struct or an array is a run of
/// consecutive slots, named "dev[1].probed"; arrays row-major, fields in order) and declares
/// every global variable, in declaration order. Input: resolved Types, initializers through a
/// ConstantEvaluator, the number of process instances (a mutex slot holds its owner). Output:
/// ir::StateLayout slots, the storage of each global variable, and where each slot comes from
/// (SlotOrigin, for the symmetry pass).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/state_layout.hpp"
#include "checker/ir/symmetry.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// The values a slot of a scalar type holds, and how they print.
struct SlotDomain {
    std::int64_t lo, hi;
    ir::ValueKind kind;
    std::uint32_t table = 0;  ///< enum names or scalarset table
};

/// Where a slot comes from, for the symmetry pass: its variable, the path from the variable to
/// the slot with its scalarset indices left out, and those indices. `dev_group[1]` has path
/// "[*]" and coordinates (Dev, 1); `x[pci][0]` has "[pci][*]" and (Dev, 0); `group[1].mode`
/// has "[*].mode" and (Grp, 1).
struct SlotOrigin {
    const void* variable = nullptr;         ///< a global's ast::Decl, a local's key; null for a pc
    std::string path;
    std::vector<ir::SymmetryCoord> coords;  ///< outermost first; `scalarset` is ScalarsetInfo::table
    support::SourceRange where;             ///< the declaration
    bool initialized = false;               ///< declared with an initializer
    bool hidden = false;                    ///< a compiler temporary (ir::Slot::hidden)
};

/// A variable's initial value as its declaration gives it: nothing (every leaf starts at its
/// default), one value every leaf takes (`= v`), or one value per leaf (an element list
/// `= { key: v, ..., _: v }`, with where each value is written).
struct Initial {
    std::optional<Value> all;
    std::vector<std::pair<Value, support::SourceRange>> leaves;
    [[nodiscard]] bool given() const { return all || !leaves.empty(); }
};

/// Allocates the slots of one compilation. Not thread-safe.
class LayoutBuilder {
public:
    LayoutBuilder(ir::StateLayout& layout, support::DiagnosticSink& sink) : layout_(layout), sink_(sink) {}

    /// Sets the number of process instances, which bounds a mutex's owner. Call it before
    /// allocating a mutex or asking for its domain.
    void set_instance_count(std::int64_t n) { instance_count_ = n; }

    /// The domain of a slot of scalar type `t` (optional enums and scalarsets use -1 for none).
    [[nodiscard]] SlotDomain domain(const Type* t) const;
    /// The value a slot starts with when its declaration has no initializer.
    static std::int64_t default_value(const SlotDomain& d);
    /// Bits a value of type `t` occupies in the packed state (for the stride of an array).
    [[nodiscard]] std::uint32_t type_bits(const Type* t) const;

    /// Adds the slots of a variable of type `t` named `name`, owned by process instance
    /// `process` (UINT32_MAX for a global), with an optional constant initializer that every
    /// leaf takes; returns the first slot. `variable` identifies the variable in every instance
    /// (its declaration, or the key of a local) for SlotOrigin. A bad initializer is reported at
    /// `where`, abandoning. `hidden`: a compiler temporary, which traces never print.
    ir::SlotId alloc(const Type* t, const std::string& name, std::optional<Value> init, std::uint32_t process,
                     support::SourceRange where, const void* variable, bool hidden = false);
    /// Same, with an initializer that may give each leaf its own value.
    ir::SlotId alloc(const Type* t, const std::string& name, const Initial& init, std::uint32_t process,
                     support::SourceRange where, const void* variable, bool hidden = false);
    /// The initial value that initializer `e` (null: none) gives a variable `name` of type `t`
    /// declared in `module` (initializer.cpp). Errors (an element list for a scalar, a key that is
    /// not a value of the index type, one given twice, elements missing without a default `_`)
    /// are reported at the key or the list, abandoning.
    Initial initializer(const ast::Expr* e, const Type* t, const std::string& name, std::size_t module,
                        ConstantEvaluator& eval);
    /// The storage expression (an lvalue) of a variable of type `t` starting at slot `first`.
    static TExpr storage(const Type* t, ir::SlotId first);
    /// The initial value of slot `s`.
    [[nodiscard]] std::int64_t initial(ir::SlotId s) const { return layout_.slot(s).init; }

    /// Allocates every global variable of every module, in declaration order. A declaration with
    /// an error is reported and skipped.
    void declare_globals(const SymbolTable& symbols, TypeResolver& types, ConstantEvaluator& eval);
    /// The storage of global variable `d`; null when its declaration had an error.
    [[nodiscard]] const TExpr* global(const ast::Decl* d) const;
    /// Where slot `s` comes from; a slot this builder did not allocate (a pc) has no variable.
    [[nodiscard]] const SlotOrigin& origin(ir::SlotId s) const;

private:
    void alloc_leaves(const Type* t, const std::string& name, std::optional<Value> init, std::uint32_t process,
                      support::SourceRange where, SlotOrigin& origin);
    void element_leaves(const ast::Expr& e, const Type* t, std::size_t module, ConstantEvaluator& eval,
                        std::vector<std::pair<Value, support::SourceRange>>& out);

    ir::StateLayout& layout_;
    support::DiagnosticSink& sink_;
    std::int64_t instance_count_ = 0;
    std::map<const ast::Decl*, TExpr> globals_;
    std::vector<SlotOrigin> origins_;  ///< by slot
    /// While alloc() places an element list: the value of each leaf, and the next leaf's number.
    const std::vector<std::pair<Value, support::SourceRange>>* leaf_inits_ = nullptr;
    std::size_t leaf_at_ = 0;
};

}  // namespace iomc::lang
