// SPDX-License-Identifier: MIT
// Local steps merged into the step before them (BMC's large-block encoding). A step is local
// when it touches nothing but its own process's slots that no other process and no selected
// property reads (its pc included), can report nothing, always has exactly one successor (no
// fork or choose; its outcomes cover every state at its location) and its successors' pcs are
// constants. Such a step commutes with every step of every other process and does not change
// what any selected property sees, so a run that reaches a violation can take it as soon as
// its process arrives at its location: every run of at most K steps that ends in a violation
// has a run of at most K merged steps that ends in one (a merged step only drops the local
// steps it absorbs, and adds the local steps a process would have taken later: they change
// nothing a property sees, and cannot disable or enable another process's step). Chains stop
// after max_merged_chain local steps and before a location the chain passed (a local loop):
// the process then takes the next one as a step of its own.
#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/paths.hpp"

namespace iomc::symbolic {

namespace {

/// `cond` can hold with the slot ranges `ranges` assumed (unknown counts as can).
bool feasible(z3::solver& sol, const z3::expr& cond) {
    sol.push();
    sol.add(cond);
    const bool sat = sol.check() != z3::unsat;
    sol.pop();
    return sat;
}

}  // namespace

void Encoder::merge_local_steps(const std::vector<char>& sel) {
    const auto groups = ts_.groups();
    const auto procs = ts_.processes();
    const std::size_t n_slots = ts_.layout().slots().size();
    // Per slot: the processes whose steps read or may write it (-1 none, -2 several), and
    // whether a selected property reads it.
    std::vector<std::int64_t> user(n_slots, -1);
    auto use = [&](ir::SlotId s, std::int64_t p) {
        auto& u = user[ir::idx(s)];
        if (u == -1) u = p;
        else if (u != p) u = -2;
    };
    for (const auto& g : groups) {
        const auto p = static_cast<std::int64_t>(ir::idx(g.process));
        for (const auto s : g.footprint.reads.to_vector()) use(s, p);
        for (const auto s : g.footprint.may_write.to_vector()) use(s, p);
    }
    std::vector<char> seen(n_slots, 0);
    for (const auto& prop : ts_.properties()) {
        if (!sel[ir::idx(prop.id)] || prop.kind != ir::PropertyKind::invariant) continue;
        for (const auto& ck : prop.checks)
            for (const auto s : ck.reads.to_vector()) seen[ir::idx(s)] = 1;
    }
    if (sel[ir::idx(ir::prop_deadlock)])
        for (const auto s : ts_.wait_reads().to_vector()) seen[ir::idx(s)] = 1;

    z3::solver sol(c_);
    sol.add(in_range(cur_));
    local_.assign(groups.size(), 0);
    std::size_t found = 0;
    for (const auto& g : groups) {
        deadline_.poll("the local steps to merge");
        const auto p = static_cast<std::int64_t>(ir::idx(g.process));
        const auto& proc = procs[ir::idx(g.process)];
        if (seen[ir::idx(proc.pc)] || user[ir::idx(proc.pc)] == -2) continue;
        bool ok = true;
        for (const auto& in : g.program.code)
            if (in.op == ir::Bc::fork || in.op == ir::Bc::choose) ok = false;
        auto own = [&](ir::SlotId s) { return !seen[ir::idx(s)] && user[ir::idx(s)] == p; };
        for (const auto s : g.footprint.reads.to_vector()) ok = ok && own(s);
        for (const auto s : g.footprint.may_write.to_vector()) ok = ok && own(s);
        if (!ok) continue;
        const z3::expr at_loc = value(cur_, proc.pc) == c_.bv_val(g.location, 64);
        z3::expr_vector succ(c_);
        for (const auto& o : outcomes_[ir::idx(g.id)]) {
            if (o.successor) {
                succ.push_back(o.cond);
                if (!constant(value(o.next, proc.pc))) ok = false;
            } else if (feasible(sol, o.cond)) {
                ok = false;  // it can report (a runtime error): visible
            }
            if (!ok) break;
        }
        if (!ok || succ.empty() || feasible(sol, at_loc && !z3::mk_or(succ))) continue;
        local_[ir::idx(g.id)] = 1;
        ++found;
    }
    if (found == 0) {
        local_.assign(groups.size(), 0);  // still merging (an empty vector would say not)
    }
    // Every successor outcome goes on through the local steps its process reaches (those
    // steps' own outcomes as executed, not as extended here).
    const std::vector<std::vector<Outcome>> base = outcomes_;
    for (const auto& g : groups) {
        std::vector<Outcome> out;
        for (const auto& o : base[ir::idx(g.id)]) {
            if (!o.successor) {
                out.push_back(o);
                continue;
            }
            std::vector<std::uint32_t> visited{g.location};
            auto more = chain(base, o, procs[ir::idx(g.process)], visited);
            for (auto& m : more) out.push_back(std::move(m));
        }
        outcomes_[ir::idx(g.id)] = std::move(out);
    }
}

std::vector<Outcome> Encoder::chain(const std::vector<std::vector<Outcome>>& base, const Outcome& o,
                                   const ir::Process& proc, std::vector<std::uint32_t>& visited) const {
    const auto pc = constant(value(o.next, proc.pc));
    if (!pc || visited.size() > max_merged_chain) return {o};
    const auto l = static_cast<std::uint32_t>(*pc);
    if (l >= proc.group_at.size() || proc.group_at[l] == ir::no_group || !merged(proc.group_at[l]) ||
        std::find(visited.begin(), visited.end(), l) != visited.end())
        return {o};
    z3::expr_vector to(c_);
    for (const auto& e : o.next) to.push_back(e);
    std::vector<Outcome> out;
    visited.push_back(l);
    for (const auto& o2 : base[ir::idx(proc.group_at[l])]) {
        if (!o2.successor) continue;
        z3::expr c2 = o2.cond;
        const z3::expr cond = (o.cond && c2.substitute(cur_vec_, to)).simplify();
        if (cond.is_false()) continue;
        Outcome n{cond};
        n.successor = true;
        for (const auto& e : o2.next) {
            z3::expr x = e;
            n.next.push_back(x.substitute(cur_vec_, to).simplify());
        }
        for (auto& m : chain(base, n, proc, visited)) out.push_back(std::move(m));
    }
    visited.pop_back();
    return out;
}

std::size_t Encoder::merged_groups() const {
    return static_cast<std::size_t>(std::count(local_.begin(), local_.end(), 1));
}

void replay_merged(const ir::TransitionSystem& ts, ir::Interpreter& in, const Encoder& enc, ir::ProcessId proc,
                   std::uint32_t from, std::vector<std::uint8_t>& u, std::vector<ir::Step>& steps) {
    if (!enc.merging()) return;
    const auto& p = ts.process(proc);
    std::vector<std::uint32_t> visited{from};
    std::vector<std::uint8_t> next(u.size());
    const std::size_t bytes = ts.layout().bytes();
    while (visited.size() <= max_merged_chain) {
        const auto l = static_cast<std::uint32_t>(ts.layout().read(u.data(), p.pc));
        if (l >= p.group_at.size() || p.group_at[l] == ir::no_group || !enc.merged(p.group_at[l]) ||
            std::find(visited.begin(), visited.end(), l) != visited.end())
            return;
        visited.push_back(l);
        const ir::GroupId g = p.group_at[l];
        std::optional<std::uint32_t> index;
        in.fire(g, u.data(), [&](const ir::Emission& e) {
            if (index || !e.next) return;
            index = e.index;
            std::memcpy(next.data(), e.next, bytes);
        });
        if (!index) return;  // cannot happen: a local step always has a successor
        steps.push_back(ir::Step{g, *index});
        std::memcpy(u.data(), next.data(), bytes);
    }
}

}  // namespace iomc::symbolic
