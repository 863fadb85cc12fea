// SPDX-License-Identifier: MIT
// Symbolic execution of the bytecode, opcode for opcode as ir::Interpreter::exec runs it.
// A path carries its condition, its stack and its state; a branch on a value that is not
// constant splits it. Element accesses (index, load_at, store_at and the statement opcodes
// that take an offset) know the finite set of bit offsets the index can select, and read or
// write through an if-then-else over them. Paths meet again where they join (paths.hpp).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>

#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/paths.hpp"

namespace iomc::symbolic {

namespace {

/// Symbolic instructions one path may run, and outcomes one program may have, before the
/// encoding gives up (a loop in an atomic block, or too many branches).
constexpr std::uint64_t max_path_steps = 50'000;
constexpr std::size_t max_outcomes = 20'000;

/// Undecided branches a path takes at one instruction before each further one there is checked
/// for feasibility with the solver (a loop whose bound is a state value unrolls only as far as
/// the slot ranges allow).
constexpr std::uint32_t free_branches = 8;
/// Undecided branches one path may take at one instruction before the encoding gives up (a
/// loop it cannot bound).
constexpr std::uint32_t max_branches = 256;

/// True/false when `b` simplifies to a constant.
std::optional<bool> decided(const z3::expr& b) {
    const z3::expr s = b.simplify();
    if (s.is_true()) return true;
    if (s.is_false()) return false;
    return std::nullopt;
}

class Executor {
public:
    Executor(z3::context& c, const ir::StateLayout& layout, const ir::Program& p, std::string what,
             const z3::expr& assume, const Deadline& deadline)
        : c_(c), layout_(layout), p_(p), what_(std::move(what)), assume_(assume), deadline_(deadline),
          junctions_(p) {
        const auto slots = layout.slots();
        for (std::uint32_t i = 0; i < slots.size(); ++i)
            if (slots[i].width > 0) slot_at_.emplace(slots[i].bit_offset, i);
    }

    /// Runs every path from `start` (at instruction 0), in program order, merging paths where
    /// they meet. Fragments: outcomes_. Expressions: values_ and errors_.
    void run(Path start, bool frag) {
        deadline_.poll(what_);
        junctions_.wait(std::move(start));
        while (!junctions_.empty()) {
            Path p = junctions_.next();
            step_path(p, frag);
            if (outcomes_.size() > max_outcomes || values_.size() > max_outcomes)
                throw Unsupported(fmt::format("{} has more than {} paths", what_, max_outcomes));
        }
    }

    std::vector<Outcome> outcomes_;
    std::vector<std::pair<z3::expr, z3::expr>> values_;  ///< (condition, value) at halt
    std::vector<z3::expr> errors_;                        ///< conditions of runtime errors

private:
    z3::expr bv(std::int64_t v) const { return c_.bv_val(static_cast<std::uint64_t>(v), 64); }
    z3::expr b01(const z3::expr& b) const { return z3::ite(b, bv(1), bv(0)); }

    /// The slot at bit offset `off` with width `w` (nothing for width 0).
    std::optional<std::uint32_t> slot_at(std::int64_t off, std::uint8_t w) const {
        if (w == 0) return std::nullopt;
        const auto it = slot_at_.find(static_cast<std::uint32_t>(off));
        if (off < 0 || it == slot_at_.end() || layout_.slots()[it->second].width != w)
            throw Unsupported(fmt::format("{}: an access of {} bits at bit {} that is not a slot", what_, w, off));
        return it->second;
    }

    std::vector<Offset> offsets(const Val& v) const {
        if (auto k = constant(v.e)) return {Offset{*k, c_.bool_val(true)}};
        if (v.offsets.empty()) throw Unsupported(fmt::format("{}: an element access at a computed offset", what_));
        return v.offsets;
    }

    /// The stored bits at offset `off` (width w), zero-extended to 64 bits.
    z3::expr read(const Path& p, const Val& off, std::uint8_t w) const {
        const auto offs = offsets(off);
        auto one = [&](std::int64_t o) -> z3::expr {
            const auto s = slot_at(o, w);
            if (!s) return bv(0);
            return z3::zext(p.slots[*s], 64 - w);
        };
        // The path condition already holds the index in range: one offset matches.
        z3::expr r = one(offs.back().at);
        for (std::size_t k = offs.size() - 1; k-- > 0;) r = z3::ite(offs[k].when, one(offs[k].at), r);
        return r;
    }

    /// Stores the low w bits of `raw` (64-bit) at offset `off`.
    void write(Path& p, const Val& off, std::uint8_t w, const z3::expr& raw) const {
        const auto offs = offsets(off);
        for (const auto& o : offs) {
            const auto s = slot_at(o.at, w);
            if (!s) continue;
            const z3::expr nv = raw.extract(w - 1, 0).simplify();
            p.slots[*s] = offs.size() == 1 ? nv : z3::ite(o.when, nv, p.slots[*s]);
        }
    }

    Val pop(Path& p) const {
        Val v = std::move(p.stack.back());
        p.stack.pop_back();
        return v;
    }
    void push(Path& p, const z3::expr& e) const { p.stack.push_back(Val{e, {}}); }
    /// A constant (also an offset).
    Val at_bit(std::int64_t a) const { return Val{bv(a), {Offset{a, c_.bool_val(true)}}}; }

    void report(const Path& p, const z3::expr& when, ir::PropertyId prop, bool stops) {
        if (decided(when) == false) return;
        Outcome o{p.cond && when};
        o.prop = prop;
        o.stops = stops;
        outcomes_.push_back(std::move(o));
    }

    /// A runtime error when `bad` holds: reported (fragments) or recorded (expressions); the
    /// path goes on under !bad. Returns false when the path cannot go on.
    bool runtime_error(Path& p, const z3::expr& bad, bool frag) {
        const auto d = decided(bad);
        if (d == false) return true;
        if (frag) {
            report(p, bad, ir::prop_runtime_error, true);
        } else {
            errors_.push_back(p.cond && bad);
        }
        if (d == true) return false;
        p.cond = p.cond && !bad;
        return true;
    }

    /// Goes on under `when`; returns false if it cannot hold.
    static bool restrict(Path& p, const z3::expr& when) {
        const auto d = decided(when);
        if (d == false) return false;
        if (d != true) p.cond = p.cond && when;
        return true;
    }

    void step_path(Path& p, bool frag);

    /// Goes to `target` from instruction `from`.
    static void jump(Path& p, std::uint32_t from, std::uint32_t target) {
        p.ip = target;
        p.from = from;
        p.jumped = true;
    }

    /// `when` can hold (with the slot ranges assumed).
    bool feasible(const z3::expr& when) {
        if (!solver_) {
            solver_ = std::make_unique<z3::solver>(c_);
            solver_->add(assume_);
        }
        solver_->push();
        solver_->add(when);
        const bool sat = solver_->check() != z3::unsat;
        solver_->pop();
        return sat;
    }

    z3::context& c_;
    const ir::StateLayout& layout_;
    const ir::Program& p_;
    std::string what_;
    z3::expr assume_;
    std::unique_ptr<z3::solver> solver_;
    const Deadline& deadline_;
    std::map<std::uint32_t, std::uint32_t> slot_at_;
    Junctions junctions_;
};

void Executor::step_path(Path& p, bool frag) {
    using ir::Bc;
    for (bool first = true;; first = false) {
        if (!first && junctions_.join(p.ip)) {
            junctions_.wait(std::move(p));
            return;
        }
        if ((p.steps & 63U) == 0) deadline_.poll(what_);
        if (++p.steps > max_path_steps)
            throw Unsupported(fmt::format("{}: a path longer than {} instructions (a loop the encoding cannot bound)",
                                          what_, max_path_steps));
        const std::uint32_t here = p.ip;
        const ir::BInstr& in = p_.code[p.ip++];
        auto bin = [&](auto f) {
            const Val b = pop(p);
            const Val a = pop(p);
            push(p, f(a.e, b.e));
        };
        auto bin_i = [&](auto f) {
            const Val a = pop(p);
            push(p, f(a.e, bv(in.a)));
        };
        switch (in.op) {
            case Bc::push: p.stack.push_back(at_bit(in.a)); break;
            case Bc::load: push(p, read(p, at_bit(in.a), in.w) + bv(in.b)); break;
            case Bc::index: {
                const Val i = pop(p);
                Val off = pop(p);
                if (!runtime_error(p, i.e < bv(0) || i.e >= bv(in.a), frag)) return;
                std::vector<Offset> offs;
                const auto base = offsets(off);
                if (const auto k = constant(i.e)) {
                    for (const auto& o : base) offs.push_back(Offset{o.at + *k * in.b, o.when});
                } else {
                    for (const auto& o : base)
                        for (std::int64_t j = 0; j < in.a; ++j)
                            offs.push_back(Offset{o.at + j * in.b, (o.when && i.e == bv(j)).simplify()});
                }
                p.stack.push_back(Val{(off.e + i.e * bv(in.b)).simplify(), std::move(offs)});
                break;
            }
            case Bc::load_at: {
                const Val off = pop(p);
                push(p, read(p, off, in.w) + bv(in.b));
                break;
            }
            case Bc::neg: push(p, -pop(p).e); break;
            case Bc::not_: push(p, b01(pop(p).e == bv(0))); break;
            case Bc::add: bin([](const z3::expr& a, const z3::expr& b) { return a + b; }); break;
            case Bc::sub: bin([](const z3::expr& a, const z3::expr& b) { return a - b; }); break;
            case Bc::mul: bin([](const z3::expr& a, const z3::expr& b) { return a * b; }); break;
            case Bc::eq: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a == b); }); break;
            case Bc::ne: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a != b); }); break;
            case Bc::lt: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a < b); }); break;
            case Bc::le: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a <= b); }); break;
            case Bc::gt: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a > b); }); break;
            case Bc::ge: bin([&](const z3::expr& a, const z3::expr& b) { return b01(a >= b); }); break;
            case Bc::add_i: bin_i([](const z3::expr& a, const z3::expr& b) { return a + b; }); break;
            case Bc::sub_i: bin_i([](const z3::expr& a, const z3::expr& b) { return a - b; }); break;
            case Bc::mul_i: bin_i([](const z3::expr& a, const z3::expr& b) { return a * b; }); break;
            // Z3's bvsdiv and bvsrem truncate toward zero, as C++'s / and % do.
            case Bc::div_i: bin_i([](const z3::expr& a, const z3::expr& b) { return a / b; }); break;
            case Bc::mod_i: bin_i([](const z3::expr& a, const z3::expr& b) { return z3::srem(a, b); }); break;
            case Bc::eq_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a == b); }); break;
            case Bc::ne_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a != b); }); break;
            case Bc::lt_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a < b); }); break;
            case Bc::le_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a <= b); }); break;
            case Bc::gt_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a > b); }); break;
            case Bc::ge_i: bin_i([&](const z3::expr& a, const z3::expr& b) { return b01(a >= b); }); break;
            case Bc::div:
            case Bc::mod: {
                const Val b = pop(p);
                const Val a = pop(p);
                if (!runtime_error(p, b.e == bv(0), frag)) return;
                push(p, in.op == Bc::div ? a.e / b.e : z3::srem(a.e, b.e));
                break;
            }
            case Bc::jmp: jump(p, here, static_cast<std::uint32_t>(in.a)); break;
            case Bc::jz:
            case Bc::jnz: {
                const Val v = pop(p);
                const z3::expr jump = in.op == Bc::jz ? v.e == bv(0) : v.e != bv(0);
                const auto d = decided(jump);
                const auto target = static_cast<std::uint32_t>(in.a);
                if (d == true) {
                    Executor::jump(p, here, target);
                } else if (!d) {
                    bool take = true, stay = true;
                    const std::uint32_t n = ++p.branches[here];
                    if (n > max_branches)
                        throw Unsupported(fmt::format("{}: a path through more than {} branches on state values "
                                                      "(a loop the encoding cannot bound)",
                                                      what_, max_branches));
                    if (n > free_branches) {
                        take = feasible(p.cond && jump);
                        stay = feasible(p.cond && !jump);
                    }
                    if (take && stay) {
                        Path other = p;
                        Executor::jump(other, here, target);
                        other.cond = p.cond && jump;
                        junctions_.wait(std::move(other));
                        p.cond = p.cond && !jump;
                    } else if (take) {
                        Executor::jump(p, here, target);
                        p.cond = p.cond && jump;
                    } else if (stay) {
                        p.cond = p.cond && !jump;
                    } else {
                        return;
                    }
                }
                break;
            }
            case Bc::guard:
                if (!restrict(p, pop(p).e != bv(0))) return;
                break;
            case Bc::in_set: {
                const Val v = pop(p);
                const auto& set = p_.sets[static_cast<std::size_t>(in.a)];
                z3::expr any = c_.bool_val(false);
                for (std::size_t w = 0; w < set.size(); ++w)
                    for (std::uint32_t b = 0; b < 64; ++b)
                        if ((set[w] >> b & 1U) != 0) any = any || v.e == bv(static_cast<std::int64_t>(w * 64 + b));
                push(p, b01(any));
                break;
            }
            case Bc::halt:
                if (frag) throw Unsupported(fmt::format("{}: halt in a fragment", what_));
                values_.emplace_back(p.cond, p.stack.back().e);
                return;
            case Bc::store: {
                const Val v = pop(p);
                if (!runtime_error(p, v.e < bv(in.b) || v.e > bv(in.c), frag)) return;
                write(p, at_bit(in.a), in.w, v.e - bv(in.b));
                break;
            }
            case Bc::store_at: {
                const Val off = pop(p);
                const Val v = pop(p);
                if (!runtime_error(p, v.e < bv(in.b) || v.e > bv(in.c), frag)) return;
                write(p, off, in.w, v.e - bv(in.b));
                break;
            }
            case Bc::fork: {
                const auto& targets = p_.fork_tables[static_cast<std::size_t>(in.a)];
                for (std::size_t k = 0; k < targets.size(); ++k) {
                    Path other = p;
                    Executor::jump(other, here, targets[k]);
                    other.choices.push_back(std::uint64_t{here} << 32 | k);
                    junctions_.wait(std::move(other));
                }
                return;
            }
            case Bc::choose: {
                const Val off = pop(p);
                for (std::int64_t v = in.b; v <= in.c; ++v) {
                    Path other = p;
                    write(other, off, in.w, bv(v - in.b));
                    other.choices.push_back(std::uint64_t{here} << 32 | static_cast<std::uint32_t>(v - in.b));
                    junctions_.wait(std::move(other));
                }
                return;
            }
            case Bc::check: {
                const z3::expr bad = pop(p).e != bv(0);
                report(p, bad, ir::PropertyId{static_cast<std::uint32_t>(in.a)}, in.w != 0);
                if (in.w != 0 && !restrict(p, !bad)) return;
                break;
            }
            case Bc::lock: {
                const Val off = pop(p);
                const z3::expr owner = read(p, off, in.w) + bv(in.b);
                report(p, owner == bv(in.a), ir::prop_mutex, true);
                if (!restrict(p, owner == bv(-1))) return;  // blocks while another process holds it
                write(p, off, in.w, bv(in.a - in.b));
                break;
            }
            case Bc::unlock: {
                const Val off = pop(p);
                const z3::expr owner = read(p, off, in.w) + bv(in.b);
                report(p, owner != bv(in.a), ir::prop_mutex, false);
                write(p, off, in.w, bv(-1 - in.b));
                break;
            }
            case Bc::kref_init: write(p, pop(p), in.w, bv(1 - in.b)); break;
            case Bc::kref_get: {
                const Val off = pop(p);
                const z3::expr v = read(p, off, in.w) + bv(in.b);
                report(p, v == bv(0), ir::prop_kref, false);
                if (!runtime_error(p, v + bv(1) > bv(in.c), frag)) return;
                write(p, off, in.w, v + bv(1) - bv(in.b));
                break;
            }
            case Bc::kref_put: {
                const Val off = pop(p);
                const z3::expr raw = read(p, off, in.w);
                const z3::expr v = raw + bv(in.b);
                // Underflow: reported; the count stays at zero (refcount_t saturates).
                report(p, v == bv(0), ir::prop_kref, false);
                write(p, off, in.w, z3::ite(v == bv(0), raw, v - bv(1) - bv(in.b)));
                push(p, b01(v == bv(1)));
                break;
            }
            case Bc::pop: p.stack.pop_back(); break;
            case Bc::note: break;
            case Bc::finish: {
                write(p, at_bit(in.a), in.w, bv(in.b));
                Outcome o{p.cond};
                o.successor = true;
                o.next = p.slots;
                outcomes_.push_back(std::move(o));
                return;
            }
        }
    }
}

}  // namespace

std::vector<Outcome> execute_fragment(z3::context& c, const ir::StateLayout& layout, const ir::Program& p,
                                      const SymState& s, const z3::expr& base, const z3::expr& assume,
                                      const std::string& what, const Deadline& deadline) {
    Executor ex(c, layout, p, what, assume, deadline);
    ex.run(Path{s, base}, true);
    return std::move(ex.outcomes_);
}

ExprValue execute_expression(z3::context& c, const ir::StateLayout& layout, const ir::Program& p,
                             const SymState& s, const z3::expr& assume, const std::string& what,
                             const Deadline& deadline) {
    Executor ex(c, layout, p, what, assume, deadline);
    ex.run(Path{s, c.bool_val(true)}, false);
    z3::expr error = c.bool_val(false);
    for (const auto& e : ex.errors_) error = error || e;
    // Paths are disjoint; where none reaches halt, an error holds and the value does not matter.
    z3::expr value = c.bv_val(0, 64);
    for (const auto& [cond, v] : ex.values_) value = z3::ite(cond, v, value);
    return ExprValue{value.simplify(), error.simplify()};
}

}  // namespace iomc::symbolic
