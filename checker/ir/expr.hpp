// SPDX-License-Identifier: MIT
/// @file Structured IR: expression trees and the instruction lists ("fragments") that make up
/// one transition group. The bytecode compiler, the footprint analysis and (later) the symbolic
/// encoder read this form; nothing here knows the .mc syntax.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/ids.hpp"
#include "checker/ir/state_layout.hpp"

namespace iomc::ir {

/// The largest lockdep subclass of `lock_nested` (MAX_LOCKDEP_SUBCLASSES - 1).
inline constexpr std::int64_t max_lock_subclass = 7;

/// A set of slots, as a bitset.
class SlotSet {
public:
    SlotSet() = default;
    explicit SlotSet(std::size_t n) : words_((n + 63) / 64, 0) {}
    void resize(std::size_t n) { words_.resize((n + 63) / 64, 0); }
    void insert(SlotId s) {
        const auto i = idx(s);
        if (i / 64 >= words_.size()) words_.resize(i / 64 + 1, 0);
        words_[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    [[nodiscard]] bool contains(SlotId s) const {
        const auto i = idx(s);
        return i / 64 < words_.size() && (words_[i / 64] >> (i % 64) & 1U) != 0;
    }
    void merge(const SlotSet& o);
    [[nodiscard]] bool intersects(const SlotSet& o) const;
    [[nodiscard]] std::vector<SlotId> to_vector() const;
    [[nodiscard]] bool empty() const;

private:
    std::vector<std::uint64_t> words_;
};

/// Operators of IR expressions. Booleans are 0/1.
enum class ExprOp : std::uint8_t {
    constant,   ///< value
    slot,       ///< the slot `slot`
    element,    ///< base slot `slot` indexed by kids (one per dim)
    at_loc,     ///< pc slot `slot` is one of `locs`
    neg, not_, add, sub, mul, div, mod, eq, ne, lt, le, gt, ge, and_, or_, implies,
    ite,        ///< kids[0] ? kids[1] : kids[2]
};

/// One array dimension of an element access: `count` elements, `slot_stride` slots and
/// `bit_stride` bits apart.
struct Dim {
    std::uint32_t count = 0;
    std::uint32_t slot_stride = 0;
    std::uint32_t bit_stride = 0;
    bool optional_index = false;  ///< index type admits `none`, which is then a null dereference
};

struct Expr {
    ExprOp op = ExprOp::constant;
    std::int64_t value = 0;
    SlotId slot{0};
    std::vector<Dim> dims;              ///< element
    std::vector<std::uint32_t> locs;    ///< at_loc
    std::vector<Expr> kids;
    std::string name;                   ///< element: source text of the array, for messages

    static Expr constant(std::int64_t v) { Expr e; e.op = ExprOp::constant; e.value = v; return e; }
    static Expr of_slot(SlotId s) { Expr e; e.op = ExprOp::slot; e.slot = s; return e; }
    static Expr unary(ExprOp op, Expr a);
    static Expr binary(ExprOp op, Expr a, Expr b);
    [[nodiscard]] bool is_constant() const { return op == ExprOp::constant; }
    /// True for slot and element: something that names storage.
    [[nodiscard]] bool is_lvalue() const { return op == ExprOp::slot || op == ExprOp::element; }
};

/// Values of the slots no step ever writes (their initial values), indexed by slot; nullopt for
/// the others. An element access whose indices read only such slots (`group_mutex[the_group]`)
/// denotes one element in every reachable state.
using FixedSlots = std::vector<std::optional<std::int64_t>>;

/// Every slot an lvalue may denote (one for `slot`; for `element` the one element its indices
/// select when they are constant or read only `fixed` slots, else the whole array region).
void lvalue_slots(const Expr& lv, SlotSet& out, const FixedSlots* fixed = nullptr);
/// Every slot `e` may read (including the index expressions of element accesses).
void expr_reads(const Expr& e, SlotSet& out, const FixedSlots* fixed = nullptr);

struct Instr;
/// Every slot instruction `in` may write: the lvalue of an assignment, `choose`, `lock`,
/// `unlock` and the kref operations, and a `kref_put`'s result. (A `finish` writes its process's
/// pc, which the instruction does not name.)
void instr_writes(const Instr& in, SlotSet& out, const FixedSlots* fixed = nullptr);

/// What one transition group may touch. must_write is a subset of may_write.
struct Footprint {
    SlotSet reads, may_write, must_write;
};

enum class InstrKind : std::uint8_t {
    note,       ///< stmt: the statement this path executes (first note on a path names the step);
                ///< t1 = 1: a statement inside the step (of an atomic block), for traces only
    guard,      ///< a: the path blocks unless true
    assign,     ///< target = a (range-checked)
    choose,     ///< target = any value of its domain (one outcome each)
    branch,     ///< if a goto t1 else goto t2 (instruction indices)
    jump,       ///< goto t1
    fork,       ///< nondeterministic: continue at each of `targets`, in order
    check,      ///< if a is true, report property `prop` with `message`; continue (or stop)
    lock,       ///< mutex target: recursive lock reported, else blocks until free, then owner=self
    unlock,     ///< mutex target: unlock by non-owner reported; then free
    kref_init,  ///< target = 1
    kref_get,   ///< target += 1; get at zero is use-after-free; past the bound is a range error
    kref_put,   ///< target -= 1; put at zero is underflow; `result` (if set) = reached zero
    finish,     ///< set this process's pc to location t1; the path ends with a successor
};

struct Instr {
    InstrKind kind = InstrKind::note;
    Expr a;                             ///< guard, assign value, branch and check condition
    Expr target;                        ///< lvalue
    Expr result;                        ///< kref_put result lvalue (op constant when absent)
    bool has_result = false;
    std::uint32_t t1 = 0, t2 = 0;
    std::vector<std::uint32_t> targets; ///< fork
    PropertyId prop = no_property;      ///< check
    std::uint32_t message = 0;          ///< check: index into TransitionSystem messages
    bool stop = false;                  ///< check: the path ends after reporting
    std::uint32_t stmt = 0;             ///< note
    std::int64_t self = 0;              ///< lock, unlock: the acting process instance
    std::uint8_t subclass = 0;          ///< lock: lockdep subclass (`lock_nested(m, 1)`), else 0
    std::string what;                   ///< source text of the target, for runtime messages
};

/// The code of one transition group: runs from instruction 0 until `finish` (one successor),
/// a false guard (no successor) or a stopping check. Forks make several outcomes.
struct Fragment {
    std::vector<Instr> code;
};

/// Computes the footprint of a fragment, given the pc slot of its process, with element
/// accesses resolved through `fixed` where they can be.
Footprint fragment_footprint(const Fragment& f, SlotId pc, const FixedSlots* fixed = nullptr);

}  // namespace iomc::ir
