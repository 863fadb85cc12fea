// SPDX-License-Identifier: MIT
/// @file The expression algebra of the Promela twin (promela.hpp): IR expressions built
/// with constants folded, substitution of a write (x := v, where x may be an array element
/// with a computed index), and Promela text.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/ir/state_layout.hpp"

namespace iomc::bench::twin {

using ir::Expr;
using ir::ExprOp;

Expr k(std::int64_t v);
[[nodiscard]] bool is_true(const Expr& e);
[[nodiscard]] bool is_false(const Expr& e);
/// Structural equality.
[[nodiscard]] bool same(const Expr& a, const Expr& b);

/// While one lives, mk_bin() decides comparisons from the value ranges of the slots of
/// `layout` (`off + 1 < N` is false when off is at least N - 1 in every state), so that a loop
/// that counts up from a slot's value ends. One at a time.
class RangeScope {
public:
    explicit RangeScope(const ir::StateLayout& layout);
    ~RangeScope();
    RangeScope(const RangeScope&) = delete;
    RangeScope& operator=(const RangeScope&) = delete;
};

Expr mk_not(Expr a);
Expr mk_and(Expr a, Expr b);
Expr mk_or(Expr a, Expr b);
Expr mk_ite(Expr c, Expr a, Expr b);
/// A binary arithmetic or comparison operator, folded when both sides are constants.
Expr mk_bin(ExprOp op, Expr a, Expr b);

/// Every slot an lvalue may name: one for a slot, the element region for an element.
std::vector<std::uint32_t> region(const Expr& lv);
/// The slot number an lvalue names, as an expression (base + index * stride, folded).
Expr address(const Expr& lv);

/// True when the two regions share a slot.
[[nodiscard]] bool overlap(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

/// e rebuilt with constants folded, each read (a slot, or an element whose indices were mapped
/// first) replaced by `read(it)`.
Expr map_reads(const Expr& e, const std::function<Expr(Expr)>& read);

/// e with every read of what `lv` names (in the state e is evaluated in) replaced by `v`.
Expr subst(const Expr& e, const Expr& lv, const Expr& v);

/// Prints expressions as Promela: `name(slot)` names a slot's variable, `at(pc_slot, locs)` a
/// process's location test (a remote reference).
struct Printer {
    std::function<std::string(std::uint32_t)> name;
    std::function<std::string(std::uint32_t, const std::vector<std::uint32_t>&)> at;
    [[nodiscard]] std::string operator()(const Expr& e) const;
    /// The statement that writes `v` into what `lv` names (an `if` over the region for a
    /// computed index, whose `else` asserts false: an index out of range).
    [[nodiscard]] std::string write(const Expr& lv, const std::string& v) const;
};

}  // namespace iomc::bench::twin
