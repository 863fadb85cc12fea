// SPDX-License-Identifier: MIT
// Concurrent steps (BMC's process semantics, after Heljanko and Niemelä): one step of the
// unrolling fires a set of successor outcomes, at most one per process, no two of which touch a
// slot that one of them may write. Such outcomes commute: each reads nothing the others write,
// so each is still enabled after the others, computes the same values, and writes slots no other
// one writes; fired one after the other in any order they reach the state the concurrent step
// reaches. So every concurrent step is a run of plain steps (reconstruction replays them in
// process order), and every plain step is a concurrent step (one outcome fires): the states
// reachable within K concurrent steps include those within K plain steps and are all reachable.
// A violation found is real, and "no violation up to depth K" holds for plain steps too.
//
// Steps are also canonical (process semantics proper): each outcome a step fires depends on
// one the step before fired (the same process, or a slot one writes and the other touches), so
// none could have fired a step earlier. This footprint independence is a static independence
// relation on outcomes (independent outcomes commute and neither enables or disables the other
// in every state), so every run is equivalent to one in Foata normal form: the same final state,
// reached in the fewest concurrent steps of any run equivalent to it, each step canonical. So the
// constraint keeps every reachable end state at the depth it had, and the solver no longer
// refutes each depth for every way the idle processes' steps could be spread over it.
//
// Footprints are read off the encoding itself, not the IR: an outcome reads the current-state
// variables its condition and its next values mention, and may write the slots whose next value
// is not the current one. That is exact for what the encoding does, and it covers outcomes that
// merged local steps extended (merge.cpp).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "checker/symbolic/encoder.hpp"

namespace iomc::symbolic {

namespace {

/// The slots (indices into `cur`) whose variables occur in `roots`.
std::vector<std::uint32_t> mentioned(const std::unordered_map<unsigned, std::uint32_t>& slot_of,
                                     const std::vector<z3::expr>& roots) {
    std::vector<std::uint32_t> out;
    std::unordered_set<unsigned> seen;
    std::vector<z3::expr> todo(roots.begin(), roots.end());
    while (!todo.empty()) {
        const z3::expr e = todo.back();
        todo.pop_back();
        if (!seen.insert(e.id()).second) continue;
        if (!e.is_app()) continue;
        if (e.num_args() == 0) {
            if (const auto it = slot_of.find(e.id()); it != slot_of.end()) out.push_back(it->second);
            continue;
        }
        for (unsigned k = 0; k < e.num_args(); ++k) todo.push_back(e.arg(k));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

void Encoder::build_concurrent_step() {
    const auto slots = ts_.layout().slots();
    std::unordered_map<unsigned, std::uint32_t> slot_of;
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (slots[i].width > 0) slot_of.emplace(cur_[i].id(), i);

    // Per process: its successor outcomes, what each reads and may write.
    std::vector<std::vector<std::vector<std::uint32_t>>> reads;
    for (std::size_t g = 0; g < outcomes_.size(); ++g) {
        const ir::ProcessId proc = ts_.groups()[g].process;
        for (const auto& o : outcomes_[g]) {
            if (!o.successor) continue;
            auto it = std::find_if(movers_.begin(), movers_.end(), [&](const Mover& m) { return m.proc == proc; });
            if (it == movers_.end()) {
                movers_.push_back(Mover{proc, {}, {}, {}});
                reads.emplace_back();
                it = movers_.end() - 1;
            }
            std::vector<z3::expr> roots{o.cond};
            std::vector<std::uint32_t> w;
            for (std::uint32_t i = 0; i < slots.size(); ++i) {
                if (slots[i].width == 0 || z3::eq(o.next[i], cur_[i])) continue;
                w.push_back(i);
                roots.push_back(o.next[i]);
            }
            it->outs.push_back(&o);
            it->writes.push_back(std::move(w));
            reads[static_cast<std::size_t>(it - movers_.begin())].push_back(mentioned(slot_of, roots));
            deadline_.poll("the footprints of the concurrent steps");
        }
    }
    if (movers_.empty()) {
        step_ = c_.bool_val(false);
        return;
    }
    z3::expr_vector all(c_);
    z3::expr_vector someone(c_);
    // Per mover: selector value k picks outs[k], outs.size() none.
    for (std::size_t p = 0; p < movers_.size(); ++p) {
        const auto& m = movers_[p];
        unsigned w = 1;
        while ((std::uint64_t{1} << w) < m.outs.size() + 1) ++w;
        const z3::expr sel = c_.bv_const(fmt::format("psel{}_", p).c_str(), w);
        psel_.push_back(sel);
        if ((std::uint64_t{1} << w) > m.outs.size() + 1) all.push_back(z3::ule(sel, c_.bv_val(m.outs.size(), w)));
        for (std::size_t k = 0; k < m.outs.size(); ++k)
            all.push_back(z3::implies(sel == c_.bv_val(static_cast<std::uint64_t>(k), w), m.outs[k]->cond));
        someone.push_back(sel != c_.bv_val(m.outs.size(), w));
    }
    all.push_back(z3::mk_or(someone));
    // Selector `sels[p]` picks outcome k of mover p.
    auto picks = [&](const z3::expr_vector& sels, std::size_t p, std::size_t k) {
        const z3::expr& sel = sels[static_cast<int>(p)];
        return sel == c_.bv_val(static_cast<std::uint64_t>(k), sel.get_sort().bv_size());
    };
    auto fires = [&](std::size_t p, std::size_t k) { return picks(psel_, p, k); };
    // Per slot and mover: the outcomes that may write it, and those that touch it.
    const std::size_t n = slots.size();
    std::vector<std::vector<std::vector<std::size_t>>> writers(n), touchers(n);
    for (auto& v : writers) v.resize(movers_.size());
    for (auto& v : touchers) v.resize(movers_.size());
    for (std::size_t p = 0; p < movers_.size(); ++p)
        for (std::size_t k = 0; k < movers_[p].outs.size(); ++k) {
            std::vector<std::uint32_t> touched = movers_[p].writes[k];
            touched.insert(touched.end(), reads[p][k].begin(), reads[p][k].end());
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
            for (const auto i : movers_[p].writes[k]) writers[i][p].push_back(k);
            for (const auto i : touched) touchers[i][p].push_back(k);
            movers_[p].touches.push_back(std::move(touched));
        }
    // A mover that writes slot i fires alone among those that touch it.
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t p = 0; p < movers_.size(); ++p) {
            if (writers[i][p].empty()) continue;
            z3::expr_vector w(c_);
            for (const auto k : writers[i][p]) w.push_back(fires(p, k));
            for (std::size_t q = 0; q < movers_.size(); ++q) {
                if (q == p || touchers[i][q].empty()) continue;
                z3::expr_vector t(c_);
                for (const auto k : touchers[i][q]) t.push_back(fires(q, k));
                all.push_back(!(z3::mk_or(w) && z3::mk_or(t)));
            }
        }
    }
    // Canonical steps: an outcome fired in a step depends on one fired in the step before, in
    // prev_psel_'s terms. Wr(x): the step before fired an outcome that may write x; Tc(x): one
    // that touches x.
    std::vector<std::optional<z3::expr>> wr(n), tc(n);
    for (std::size_t p = 0; p < movers_.size(); ++p) {
        const z3::expr& sel = psel_[static_cast<int>(p)];
        prev_psel_.push_back(c_.bv_const(fmt::format("pprev{}_", p).c_str(), sel.get_sort().bv_size()));
    }
    auto any = [&](const std::vector<std::vector<std::size_t>>& by_mover) {
        z3::expr_vector v(c_);
        for (std::size_t p = 0; p < by_mover.size(); ++p)
            for (const auto k : by_mover[p]) v.push_back(picks(prev_psel_, p, k));
        return z3::mk_or(v);
    };
    for (std::size_t i = 0; i < n; ++i) {
        wr[i] = any(writers[i]);
        tc[i] = any(touchers[i]);
    }
    z3::expr_vector canon(c_);
    for (std::size_t p = 0; p < movers_.size(); ++p) {
        const auto& m = movers_[p];
        const z3::expr& prev = prev_psel_[static_cast<int>(p)];
        const z3::expr moved_before = prev != c_.bv_val(m.outs.size(), prev.get_sort().bv_size());
        for (std::size_t k = 0; k < m.outs.size(); ++k) {
            z3::expr_vector dep(c_);
            dep.push_back(moved_before);
            for (const auto i : m.touches[k]) dep.push_back(*wr[i]);
            for (const auto i : m.writes[k]) dep.push_back(*tc[i]);
            canon.push_back(z3::implies(fires(p, k), z3::mk_or(dep)));
        }
    }
    canon_ = z3::mk_and(canon);
    // Each slot: the value the one outcome that writes it gives, or the current one.
    for (std::size_t i = 0; i < n; ++i) {
        if (slots[i].width == 0) continue;
        z3::expr v = cur_[i];
        for (std::size_t p = movers_.size(); p-- > 0;)
            for (std::size_t k = writers[i][p].size(); k-- > 0;) {
                const auto o = writers[i][p][k];
                v = z3::ite(fires(p, o), movers_[p].outs[o]->next[i], v);
            }
        all.push_back(nxt_[i] == v);
    }
    step_ = z3::mk_and(all);
}

z3::expr Encoder::canonical(const std::vector<z3::expr>& prev, const std::vector<z3::expr>& next) const {
    if (!canon_) return c_.bool_val(true);
    z3::expr_vector from(c_), to(c_);
    for (unsigned p = 0; p < psel_.size(); ++p) {
        from.push_back(psel_[static_cast<int>(p)]);
        to.push_back(next.at(p));
        from.push_back(prev_psel_[static_cast<int>(p)]);
        to.push_back(prev.at(p));
    }
    z3::expr copy = *canon_;
    return copy.substitute(from, to);
}

z3::expr Encoder::idle(const std::vector<z3::expr>& sels, const std::vector<char>& idle) const {
    z3::expr_vector all(c_);
    for (std::size_t p = 0; p < movers_.size() && p < sels.size(); ++p) {
        if (!idle.at(ir::idx(movers_[p].proc))) continue;
        all.push_back(sels[p] == c_.bv_val(movers_[p].outs.size(), sels[p].get_sort().bv_size()));
    }
    return z3::mk_and(all);
}

std::vector<Encoder::Fired> Encoder::fired(const z3::model& m, const std::vector<z3::expr>& sels) const {
    std::vector<Fired> out;
    for (std::size_t p = 0; p < movers_.size() && p < sels.size(); ++p) {
        const z3::expr v = m.eval(sels[p], true);
        std::uint64_t k = 0;
        if (!v.is_numeral_u64(k) || k >= movers_[p].outs.size()) continue;
        out.push_back(Fired{movers_[p].proc, &movers_[p].writes[k]});
    }
    return out;
}

}  // namespace iomc::symbolic
