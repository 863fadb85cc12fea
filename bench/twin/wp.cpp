// SPDX-License-Identifier: MIT
#include "bench/twin/wp.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "bench/twin/promela.hpp"

namespace iomc::bench::twin {

using ir::Instr;
using ir::InstrKind;

/// The instructions of `f` that a run with `c` can reach (both ways at a branch).
std::vector<char> reachable(const ir::Fragment& f, const Choices& c, std::optional<std::uint32_t>* open) {
    std::vector<char> seen(f.code.size() + 1, 0);
    std::vector<std::uint32_t> todo{0};
    while (!todo.empty()) {
        const auto i = todo.back();
        todo.pop_back();
        if (i >= f.code.size() || seen[i]) continue;
        seen[i] = 1;
        const Instr& in = f.code[i];
        switch (in.kind) {
            case InstrKind::finish: break;
            case InstrKind::jump: todo.push_back(in.t1); break;
            case InstrKind::branch: todo.push_back(in.t1); todo.push_back(in.t2); break;
            case InstrKind::fork: {
                const auto it = c.find(i);
                if (it == c.end()) {
                    if (open && !*open) *open = i;
                    break;
                }
                todo.push_back(in.targets[static_cast<std::size_t>(it->second)]);
                break;
            }
            case InstrKind::choose:
                if (!c.contains(i) && open && !*open) *open = i;
                todo.push_back(i + 1);
                break;
            default: todo.push_back(i + 1); break;
        }
    }
    return seen;
}

namespace {

void decide(const Context& cx, const ir::Fragment& f, Choices c, std::vector<Choices>& out, const std::string& step) {
    std::optional<std::uint32_t> open;
    (void)reachable(f, c, &open);
    if (!open) {
        out.push_back(std::move(c));
        return;
    }
    const Instr& in = f.code[*open];
    if (out.size() > 4096) throw Error(fmt::format("step '{}' has more than 4,096 outcomes", step));
    if (in.kind == InstrKind::fork) {
        for (std::size_t a = 0; a < in.targets.size(); ++a) {
            Choices d = c;
            d[*open] = static_cast<std::int64_t>(a);
            decide(cx, f, std::move(d), out, step);
        }
    } else {
        const auto& s = cx.slot_of(in.target);
        for (std::int64_t v = s.lo; v <= s.hi; ++v) {
            Choices d = c;
            d[*open] = v;
            decide(cx, f, std::move(d), out, step);
        }
    }
}

}  // namespace

std::vector<Choices> decisions(const Context& cx, const ir::Fragment& f, const std::string& step) {
    std::vector<Choices> out;
    decide(cx, f, {}, out, step);
    return out;
}

Expr in_range(const Expr& v, const ir::Slot& s) {
    return twin::mk_and(twin::mk_bin(ExprOp::ge, v, k(s.lo)), twin::mk_bin(ExprOp::le, v, k(s.hi)));
}

namespace {

/// Thrown by Wp at a loop: precondition() runs the paths forwards instead.
struct Loop {};

/// The weakest precondition of one outcome, backwards from its ends, memoised per instruction.
class Wp {
public:
    Wp(const Context& cx, const ir::Fragment& f, const Choices& c, std::uint32_t target)
        : cx_(cx), f_(f), c_(c), target_(target), memo_(f.code.size()), active_(f.code.size(), 0) {}

    Expr at(std::uint32_t i) {
        if (i >= f_.code.size()) return k(0);
        if (memo_[i]) return *memo_[i];
        if (active_[i]) throw Loop{};
        active_[i] = 1;
        Expr r = compute(i);
        active_[i] = 0;
        memo_[i] = r;
        return r;
    }

private:
    Expr compute(std::uint32_t i) {
        const Instr& in = f_.code[i];
        switch (in.kind) {
            case InstrKind::note: return at(i + 1);
            case InstrKind::guard: return mk_and(in.a, at(i + 1));
            case InstrKind::assign:
                return mk_or(mk_not(in_range(in.a, cx_.slot_of(in.target))), subst(at(i + 1), in.target, in.a));
            case InstrKind::choose: return subst(at(i + 1), in.target, k(c_.at(i)));
            case InstrKind::branch: return mk_ite(in.a, at(in.t1), at(in.t2));
            case InstrKind::jump: return at(in.t1);
            case InstrKind::fork: return at(in.targets[static_cast<std::size_t>(c_.at(i))]);
            case InstrKind::check:
                if (!in.stop) return at(i + 1);
                if (cx_.checks(in.prop)) return mk_or(in.a, at(i + 1));
                return mk_and(mk_not(in.a), at(i + 1));
            case InstrKind::lock: {
                Expr next = mk_and(mk_bin(ExprOp::eq, in.target, k(-1)), subst(at(i + 1), in.target, k(in.self)));
                if (!cx_.checks(ir::prop_mutex)) return next;
                return mk_or(mk_bin(ExprOp::eq, in.target, k(in.self)), std::move(next));
            }
            case InstrKind::unlock: return subst(at(i + 1), in.target, k(-1));
            case InstrKind::kref_init: return subst(at(i + 1), in.target, k(1));
            case InstrKind::kref_get: {
                const Expr inc = mk_bin(ExprOp::add, in.target, k(1));
                return mk_or(mk_bin(ExprOp::gt, inc, k(cx_.slot_of(in.target).hi)), subst(at(i + 1), in.target, inc));
            }
            case InstrKind::kref_put: {
                const Expr n = at(i + 1);
                Expr zero = in.has_result ? subst(n, in.result, k(0)) : n;
                Expr dec = in.has_result ? subst(n, in.result, mk_bin(ExprOp::eq, in.target, k(0))) : n;
                dec = subst(dec, in.target, mk_bin(ExprOp::sub, in.target, k(1)));
                return mk_ite(mk_bin(ExprOp::eq, in.target, k(0)), std::move(zero), std::move(dec));
            }
            case InstrKind::finish: return k(in.t1 == target_);
        }
        return k(0);
    }

    const Context& cx_;
    const ir::Fragment& f_;
    const Choices& c_;
    std::uint32_t target_;
    std::vector<std::optional<Expr>> memo_;
    std::vector<char> active_;
};

/// The paths of one outcome, run forwards from the step's start: for a step with a loop, whose
/// conditions fold to constants after the writes before them (`i = 0; while (i < N && ...)`).
class Forward {
public:
    Forward(const Context& cx, const ir::Fragment& f, const Choices& c, std::uint32_t target, const std::string& step)
        : cx_(cx), f_(f), c_(c), target_(target), step_(step) {}

    Expr run() {
        todo_.push_back(Path{0, {}, k(1)});
        while (!todo_.empty()) {
            Path p = std::move(todo_.back());
            todo_.pop_back();
            follow(std::move(p));
        }
        return result_;
    }

private:
    struct Write {
        Expr lvalue, value, address;
        std::vector<std::uint32_t> region;
    };

    struct Path {
        std::uint32_t ip = 0;
        /// The writes so far, newest last: the lvalue with its indices and the value, both as
        /// expressions on the state before the step; an older write to the same constant
        /// address is dropped (every read meets the newer one first).
        std::vector<Write> writes;
        Expr cond;
        /// Slots of the state before the step whose value this path has fixed (at a loop head).
        std::vector<std::pair<std::uint32_t, std::int64_t>> known;
        std::vector<std::uint32_t> choices;  ///< the forks and chooses passed
    };

    /// A decision vector decides each fork and choose once: one met again (inside a loop, where
    /// iomc decides anew on each pass) has no twin.
    void decided(Path& p) const {
        if (std::find(p.choices.begin(), p.choices.end(), p.ip) != p.choices.end())
            throw Error(fmt::format("step '{}' makes a choice inside a loop", step_));
        p.choices.push_back(p.ip);
    }

    /// e, read after p's writes, as an expression on the state before the step.
    static Expr resolve(const Expr& e, const Path& p) {
        Expr r = after_writes(e, p);
        for (const auto& [slot, v] : p.known) r = subst(r, Expr::of_slot(ir::SlotId{slot}), k(v));
        return r;
    }

    /// e with each read replaced by what p's writes left there (the knowns not yet applied).
    static Expr after_writes(const Expr& e, const Path& p) {
        return map_reads(e, [&](Expr r) { return read(std::move(r), p); });
    }

    /// The value of lvalue r (its indices on the state before the step) after p's writes.
    static Expr read(Expr r, const Path& p) {
        const auto ra = region(r);
        const Expr addr = address(r);
        std::vector<std::pair<Expr, const Write*>> hits;  // newest first
        Expr base = r;
        for (auto it = p.writes.rbegin(); it != p.writes.rend(); ++it) {
            if (!overlap(ra, it->region)) continue;
            Expr c = mk_bin(ExprOp::eq, addr, it->address);
            if (is_false(c)) continue;
            if (is_true(c)) {
                base = it->value;
                break;
            }
            hits.emplace_back(std::move(c), &*it);
        }
        for (auto h = hits.rbegin(); h != hits.rend(); ++h) base = mk_ite(std::move(h->first), h->second->value, std::move(base));
        return base;
    }

    /// Records `lv = v` (both read in the state after p's writes so far).
    static void write(Path& p, const Expr& lv, const Expr& v) {
        Write w;
        w.lvalue = lv;
        for (auto& kid : w.lvalue.kids) kid = after_writes(kid, p);
        w.value = after_writes(v, p);
        w.address = address(w.lvalue);
        w.region = region(w.lvalue);
        if (w.address.is_constant())
            std::erase_if(p.writes, [&](const Write& o) { return o.address.is_constant() && o.address.value == w.address.value; });
        p.writes.push_back(std::move(w));
    }

    /// The first slot e reads (indices before the element they select), or nothing.
    static std::optional<std::uint32_t> first_read(const Expr& e) {
        for (const auto& kid : e.kids)
            if (auto s = first_read(kid)) return s;
        if (e.op == ExprOp::slot) return ir::idx(e.slot);
        if (e.op == ExprOp::element) {
            const Expr a = address(e);
            if (a.is_constant()) return static_cast<std::uint32_t>(a.value);
        }
        return std::nullopt;
    }

    /// Is instruction i the head of a loop (the target of a jump from further on)?
    [[nodiscard]] bool loop_head(std::uint32_t i) const {
        for (std::size_t j = i; j < f_.code.size(); ++j)
            if (f_.code[j].kind == InstrKind::jump && f_.code[j].t1 <= i) return true;
        return false;
    }

    void report(const Path& p, Expr fires) { result_ = mk_or(result_, mk_and(p.cond, std::move(fires))); }

    void follow(Path p) {
        if (++paths_ > max_paths)
            throw Error(fmt::format("step '{}' has more than {} paths through its loop", step_, max_paths));
        for (std::uint64_t steps = 0; !is_false(p.cond); ++steps) {
            if (steps > max_steps || p.ip >= f_.code.size())
                throw Error(fmt::format("step '{}' runs more than {} instructions", step_, max_steps));
            const Instr& in = f_.code[p.ip];
            switch (in.kind) {
                case InstrKind::note: ++p.ip; break;
                case InstrKind::guard: p.cond = mk_and(p.cond, resolve(in.a, p)); ++p.ip; break;
                case InstrKind::assign: {
                    const Expr ok = resolve(in_range(in.a, cx_.slot_of(in.target)), p);
                    report(p, mk_not(ok));
                    p.cond = mk_and(p.cond, ok);
                    write(p, in.target, in.a);
                    ++p.ip;
                    break;
                }
                case InstrKind::choose:
                    decided(p);
                    write(p, in.target, k(c_.at(p.ip)));
                    ++p.ip;
                    break;
                case InstrKind::branch: {
                    const Expr a = resolve(in.a, p);
                    if (a.is_constant()) {
                        p.ip = a.value != 0 ? in.t1 : in.t2;
                        break;
                    }
                    // A loop's condition on values of the state: one path per value of the first
                    // slot it reads, until it folds (so that `head != tail` with head counting
                    // modulo the ring's size ends as the loop does).
                    if (const auto s = first_read(a); s && loop_head(p.ip)) {
                        const auto& sl = cx_.ts.layout().slots()[*s];
                        for (std::int64_t v = sl.hi; v >= sl.lo; --v) {
                            Path q = p;
                            q.cond = mk_and(q.cond, mk_bin(ExprOp::eq, Expr::of_slot(ir::SlotId{*s}), k(v)));
                            q.known.emplace_back(*s, v);
                            if (v == sl.lo) p = std::move(q);
                            else todo_.push_back(std::move(q));
                        }
                        if (++paths_ > max_paths)
                            throw Error(fmt::format("step '{}' has more than {} paths through its loop", step_, max_paths));
                        break;
                    }
                    Path other = p;
                    other.cond = mk_and(other.cond, mk_not(a));
                    other.ip = in.t2;
                    todo_.push_back(std::move(other));
                    p.cond = mk_and(p.cond, a);
                    p.ip = in.t1;
                    break;
                }
                case InstrKind::jump: p.ip = in.t1; break;
                case InstrKind::fork:
                    decided(p);
                    p.ip = in.targets[static_cast<std::size_t>(c_.at(p.ip))];
                    break;
                case InstrKind::check:
                    if (in.stop) {
                        const Expr fires = resolve(in.a, p);
                        if (cx_.checks(in.prop)) report(p, fires);
                        p.cond = mk_and(p.cond, mk_not(fires));
                    }
                    ++p.ip;
                    break;
                case InstrKind::lock: {
                    const Expr owner = resolve(in.target, p);
                    if (cx_.checks(ir::prop_mutex)) report(p, mk_bin(ExprOp::eq, owner, k(in.self)));
                    p.cond = mk_and(p.cond, mk_bin(ExprOp::eq, owner, k(-1)));
                    write(p, in.target, k(in.self));
                    ++p.ip;
                    break;
                }
                case InstrKind::unlock: write(p, in.target, k(-1)); ++p.ip; break;
                case InstrKind::kref_init: write(p, in.target, k(1)); ++p.ip; break;
                case InstrKind::kref_get: {
                    const Expr inc = mk_bin(ExprOp::add, in.target, k(1));
                    const Expr over = resolve(mk_bin(ExprOp::gt, inc, k(cx_.slot_of(in.target).hi)), p);
                    report(p, over);
                    p.cond = mk_and(p.cond, mk_not(over));
                    write(p, in.target, inc);
                    ++p.ip;
                    break;
                }
                case InstrKind::kref_put: {
                    const Expr zero = resolve(mk_bin(ExprOp::eq, in.target, k(0)), p);
                    Path z = p;
                    z.cond = mk_and(z.cond, zero);
                    if (in.has_result) write(z, in.result, k(0));
                    ++z.ip;
                    todo_.push_back(std::move(z));
                    p.cond = mk_and(p.cond, mk_not(zero));
                    write(p, in.target, mk_bin(ExprOp::sub, in.target, k(1)));
                    if (in.has_result) write(p, in.result, mk_bin(ExprOp::eq, in.target, k(0)));
                    ++p.ip;
                    break;
                }
                case InstrKind::finish:
                    if (in.t1 == target_) result_ = mk_or(result_, p.cond);
                    return;
            }
        }
    }

    static constexpr std::uint64_t max_paths = 20000;
    static constexpr std::uint64_t max_steps = 10000;
    const Context& cx_;
    const ir::Fragment& f_;
    const Choices& c_;
    std::uint32_t target_;
    const std::string& step_;
    std::vector<Path> todo_;
    std::uint64_t paths_ = 0;
    Expr result_ = k(0);
};

}  // namespace

Expr precondition(const Context& cx, const ir::Fragment& f, const Choices& c, std::uint32_t target,
                  const std::string& step) {
    try {
        return Wp(cx, f, c, target).at(0);
    } catch (const Loop&) {
        return Forward(cx, f, c, target, step).run();
    }
}

}  // namespace iomc::bench::twin
