// SPDX-License-Identifier: MIT
#include "checker/symbolic/paths.hpp"

#include <algorithm>

namespace iomc::symbolic {

std::optional<std::int64_t> constant(const z3::expr& e) {
    const z3::expr s = e.simplify();
    std::uint64_t v = 0;
    if (s.is_numeral_u64(v)) return static_cast<std::int64_t>(v);
    return std::nullopt;
}

namespace {

/// The offsets v may take (its own, or its constant value); empty if unknown.
std::vector<Offset> known_offsets(const Val& v) {
    if (!v.offsets.empty()) return v.offsets;
    if (auto k = constant(v.e)) return {Offset{*k, v.e.ctx().bool_val(true)}};
    return {};
}

/// a's value under c1, b's otherwise.
Val merge_val(const z3::expr& c1, const Val& a, const Val& b) {
    if (z3::eq(a.e, b.e) && a.offsets.size() == b.offsets.size()) {
        bool same = true;
        for (std::size_t k = 0; k < a.offsets.size() && same; ++k)
            same = a.offsets[k].at == b.offsets[k].at && z3::eq(a.offsets[k].when, b.offsets[k].when);
        if (same) return a;
    }
    Val out{z3::eq(a.e, b.e) ? a.e : z3::ite(c1, a.e, b.e), {}};
    const auto oa = known_offsets(a);
    const auto ob = known_offsets(b);
    if (oa.empty() || ob.empty()) return out;
    std::map<std::int64_t, z3::expr> when;
    auto add = [&](std::int64_t at, const z3::expr& w) {
        const auto it = when.find(at);
        if (it == when.end()) when.emplace(at, w);
        else it->second = it->second || w;
    };
    for (const auto& o : oa) add(o.at, c1 && o.when);
    for (const auto& o : ob) add(o.at, !c1 && o.when);
    for (const auto& [at, w] : when) out.offsets.push_back(Offset{at, w});
    return out;
}

/// a || b; c where they are `c && x` and `c && !x` (the two sides of one branch).
z3::expr either(const z3::expr& a, const z3::expr& b) {
    if (a.is_and() && b.is_and() && a.num_args() == 2 && b.num_args() == 2 && z3::eq(a.arg(0), b.arg(0))) {
        const z3::expr x = a.arg(1), y = b.arg(1);
        if ((y.is_not() && z3::eq(y.arg(0), x)) || (x.is_not() && z3::eq(x.arg(0), y))) return a.arg(0);
    }
    return a || b;
}

/// Into `a`, the path that runs under a's condition or b's (they are disjoint).
void merge(Path& a, const Path& b) {
    const z3::expr c1 = a.cond;
    for (std::size_t i = 0; i < a.slots.size(); ++i)
        if (!z3::eq(a.slots[i], b.slots[i])) a.slots[i] = z3::ite(c1, a.slots[i], b.slots[i]);
    for (std::size_t i = 0; i < a.stack.size(); ++i) a.stack[i] = merge_val(c1, a.stack[i], b.stack[i]);
    a.cond = either(a.cond, b.cond);
    a.steps = std::max(a.steps, b.steps);
    for (const auto& [ip, n] : b.branches) a.branches[ip] = std::max(a.branches[ip], n);
}

}  // namespace

Junctions::Junctions(const ir::Program& p) : join_(p.code.size() + 1, 0) {
    std::map<std::uint32_t, std::uint32_t> ends;  // head -> last backward jump to it
    for (std::uint32_t i = 0; i < p.code.size(); ++i) {
        const auto& in = p.code[i];
        if (in.op == ir::Bc::jmp || in.op == ir::Bc::jz || in.op == ir::Bc::jnz) {
            const auto t = static_cast<std::uint32_t>(in.a);
            join_[t] = 1;
            if (t <= i) ends[t] = std::max(ends[t], i);
        } else if (in.op == ir::Bc::fork) {
            for (const auto t : p.fork_tables[static_cast<std::size_t>(in.a)]) join_[t] = 1;
        }
    }
    for (const auto& [head, end] : ends) loops_.emplace_back(head, end);
}

void Junctions::enter(Path& p) const {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> now;
    for (std::uint32_t l = 0; l < loops_.size(); ++l) {
        const auto [head, end] = loops_[l];
        if (p.ip < head || p.ip > end) continue;
        std::uint32_t n = 0;
        for (const auto& [k, it] : p.loops)
            if (k == l) n = it;
        // A jump back to the head from inside the loop: the next iteration.
        if (p.jumped && p.ip == head && p.from >= head && p.from <= end) ++n;
        now.emplace_back(l, n);
    }
    p.loops = std::move(now);
    p.jumped = false;
}

Junctions::Point Junctions::point(const Path& p) const {
    Point at;
    for (const auto& [l, n] : p.loops) {
        at.pos.push_back(loops_[l].first);
        at.pos.push_back(n);
    }
    at.pos.push_back(p.ip);
    at.choices = p.choices;
    at.depth = p.stack.size();
    return at;
}

void Junctions::wait(Path&& p) {
    enter(p);
    Point at = point(p);
    const auto it = waiting_.find(at);
    if (it == waiting_.end()) {
        waiting_.emplace(std::move(at), std::move(p));
    } else {
        merge(it->second, p);
    }
}

Path Junctions::next() {
    auto first = waiting_.begin();
    Path p = std::move(first->second);
    waiting_.erase(first);
    return p;
}

}  // namespace iomc::symbolic
