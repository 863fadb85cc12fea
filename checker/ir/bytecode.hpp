// SPDX-License-Identifier: MIT
/// @file The compiled form of fragments and expressions: a small stack bytecode over the packed
/// state, run by ir::Interpreter. Compiled once per group; the explorer never sees trees.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/ir/state_layout.hpp"

namespace iomc::ir {

enum class Bc : std::uint8_t {
    push,      ///< push a
    load,      ///< push slot value: bit offset a, width w, lo b
    index,     ///< pop i, pop off; check 0 <= i < a (message d; if c, message c-1 for none);
               ///< push off + i*b
    load_at,   ///< pop off; push value (width w, lo b)
    store,     ///< pop v; check b <= v <= c (message d); store at bit a (width w, lo b)
    store_at,  ///< pop off, pop v; as store
    neg, not_, add, sub, mul, div, mod, eq, ne, lt, le, gt, ge,
    /// The same with the right operand an immediate `a` (div/mod by a non-zero immediate).
    add_i, sub_i, mul_i, div_i, mod_i, eq_i, ne_i, lt_i, le_i, gt_i, ge_i,
    jmp,       ///< goto a
    jz,        ///< pop; goto a if zero
    jnz,       ///< pop; goto a if non-zero
    guard,     ///< pop; the path blocks if zero
    in_set,    ///< pop v; push bit v of set a
    fork,      ///< continue at each target of fork table a, in order
    choose,    ///< pop off; fork once per value b..c, storing it (width w)
    check,     ///< pop c; if non-zero report property a with message b; w=1: the path stops
    lock,      ///< pop off (width w); a self; d message: recursive lock; blocks while held;
               ///< c: lockdep subclass (for the lock order only)
    unlock,    ///< pop off (width w); a self; d message: unlock by non-owner
    kref_init, ///< pop off (width w)
    kref_get,  ///< pop off (width w, bound c); d message: get at zero
    kref_put,  ///< pop off (width w); d message: put at zero; push 1 if it reached zero else 0
    pop,       ///< drop the top
    note,      ///< statement a names this path (first note wins)
    finish,    ///< pc at bit a (width w) := b; emit the successor; the path ends
    halt,      ///< end of an expression program; the result is on the stack
};

struct BInstr {
    Bc op = Bc::halt;
    std::uint8_t w = 0;
    std::int32_t a = 0, b = 0, c = 0, d = 0;
};

/// A compiled fragment or expression.
struct Program {
    std::vector<BInstr> code;
    std::vector<std::vector<std::uint32_t>> fork_tables;
    std::vector<std::vector<std::uint64_t>> sets;  ///< location bitsets for at_loc
    std::uint32_t max_stack = 0;
};

/// Messages the compiler creates for runtime errors (index out of range and the like) go into
/// `messages`, a table shared with the TransitionSystem.
struct CompileContext {
    const StateLayout& layout;
    std::vector<std::string>& messages;
    /// Message text for a runtime error in an lvalue or expression; the compiler asks for it.
    std::uint32_t message(std::string text);
};

/// Compiles a fragment; `pc` is the slot of the acting process's program counter. Without
/// notes the program is the explorer's fast form; with them it also names each path's
/// statement (for traces). Both fork identically, so outcome indices agree.
Program compile_fragment(const Fragment& f, SlotId pc, CompileContext& ctx, bool with_notes = true);

/// Compiles an expression to a program that leaves its value on the stack and halts.
Program compile_expr(const Expr& e, CompileContext& ctx);

}  // namespace iomc::ir
