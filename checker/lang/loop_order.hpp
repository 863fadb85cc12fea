// SPDX-License-Identifier: MIT
/// @file Statements pass, symmetry side: does a `for` loop over a scalarset, unrolled inside one
/// step (an `atomic` block), give the same result in whatever order it visits the elements?
/// The step runs the iterations in index order; a permutation of the scalarset is an
/// automorphism of the model only if that order cannot be seen. Input: the instructions of the
/// finished atomic fragment and the instruction range of each iteration. Output: why the order
/// can be seen, or nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/ir/state_layout.hpp"
#include "checker/lang/ast.hpp"
#include "checker/lang/types.hpp"

namespace iomc::lang {

/// One `for` loop over a scalarset unrolled into a fragment: where each iteration's code is.
struct UnrolledLoop {
    const ast::Stmt* loop = nullptr;
    const ScalarsetInfo* scalarset = nullptr;
    std::size_t begin = 0;          ///< first instruction of iteration 0
    std::vector<std::size_t> ends;  ///< per iteration: one past its last instruction
};

/// `for d: Dev`, the head of a `for` statement: where a diagnostic about the loop points.
inline support::SourceRange loop_head(const ast::Stmt& s) {
    return support::SourceRange{s.where.file, s.where.begin, s.for_type.where.end};
}

/// Nothing when the iterations of `loop` in `code` commute; otherwise what makes their order
/// visible ("several iterations write 'g'"). They commute when no jump leaves an iteration
/// (other than to its own end: `continue`) and every slot that two iterations touch is either
///   - written by them with one value that reads nothing the loop writes, and read by none
///     (`found = true`), or
///   - only counted up, or only down, by constants and read by none (`n += 1`).
/// A slot written in one iteration and touched by no other (`x[d]` in the iteration for d) is
/// free. Accesses through a dynamic index touch the whole array. `layout` names slots.
std::optional<std::string> order_dependence(const std::vector<ir::Instr>& code, const UnrolledLoop& loop,
                                            const ir::StateLayout& layout);

}  // namespace iomc::lang
