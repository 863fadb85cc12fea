// SPDX-License-Identifier: MIT
#include "checker/reduce/stubborn_set.hpp"

#include <algorithm>

namespace iomc::reduce {

StubbornSets::StubbornSets(const ir::TransitionSystem& ts, const PorTables& tables, ir::Interpreter& interp,
                           std::vector<std::uint64_t> checks, bool wait_check, Proviso proviso)
    : ts_(ts),
      tables_(tables),
      interp_(interp),
      checks_(std::move(checks)),
      bytes_(ts.layout().bytes()),
      proviso_(proviso) {
    const std::size_t words = tables.words();
    n_checks_ = words ? static_cast<std::uint32_t>(checks_.size() / words) : 0;
    if (wait_check && n_checks_ > 0) wait_check_ = n_checks_ - 1;
    visible_.assign(words, 0);
    for (std::size_t c = 0; c < n_checks_; ++c)
        for (std::size_t w = 0; w < words; ++w) visible_[w] |= checks_[c * words + w];
    const auto n = ts.processes().size();
    active_ = n <= max_processes;
    steps_.resize(n);
    rw_.assign(n * tables.words(), 0);
}

void StubbornSets::record(const std::uint8_t* s) {
    buffered_.clear();
    states_.clear();
    enabled_ = 0;
    const auto& layout = ts_.layout();
    const std::size_t words = tables_.words();
    const std::size_t stride = this->stride();
    for (std::uint32_t p = 0; p < steps_.size(); ++p) {
        auto& ps = steps_[p];
        const auto& proc = ts_.process(ir::ProcessId{p});
        ps.location = static_cast<std::uint32_t>(layout.read(s, proc.pc));
        ps.group = proc.group_at[ps.location];
        ps.first = static_cast<std::uint32_t>(buffered_.size());
        ps.enabled = false;
        ps.visible = false;
        if (ps.group == ir::no_group) {
            ps.count = 0;
            continue;
        }
        interp_.fire_recorded(ps.group, s, ps.access, [&](const ir::Emission& e) {
            Buffered b{e, 0};
            if (e.next) {
                b.state_at = states_.size();
                states_.insert(states_.end(), e.next, e.next + stride);
            }
            buffered_.push_back(b);
        });
        ps.count = static_cast<std::uint32_t>(buffered_.size()) - ps.first;
        ps.enabled = ps.count > 0;
        ps.loops = false;
        if (proviso_ == Proviso::static_loops && ps.enabled && tables_.loops_at(p, ps.location))
            for (std::uint32_t k = ps.first; k < ps.first + ps.count && !ps.loops; ++k)
                ps.loops = buffered_[k].e.next != nullptr &&
                           tables_.back_edge(p, ps.location,
                                             static_cast<std::uint32_t>(layout.read(
                                                 states_.data() + buffered_[k].state_at, proc.pc)));
        if (ps.enabled && active_) enabled_ |= std::uint64_t{1} << p;
        ps.visible = ps.enabled && intersects(ps.access.writes, visible_);
        ps.visible_checks.clear();
        if (ps.visible)
            for (std::uint32_t c = 0; c < n_checks_; ++c)
                if (intersects(ps.access.writes, check_reads(c))) ps.visible_checks.push_back(c);
        if (ps.enabled && wait_check_ != UINT32_MAX &&
            (ps.visible_checks.empty() || ps.visible_checks.back() != wait_check_)) {
            // Onto or off a pure lock location: the process starts or stops waiting; or it can
            // no longer write what selects another's mutex.
            const auto waits = ts_.wait_view(p, ps.location);
            for (std::uint32_t k = ps.first; k < ps.first + ps.count; ++k) {
                if (!buffered_[k].e.next) continue;
                const auto to = static_cast<std::uint32_t>(layout.read(states_.data() + buffered_[k].state_at, proc.pc));
                if (ts_.wait_view(p, to) != waits) {
                    ps.visible = true;
                    ps.visible_checks.push_back(wait_check_);
                    break;
                }
            }
        }
        for (std::size_t w = 0; w < words; ++w) rw_[p * words + w] = ps.access.reads[w] | ps.access.writes[w];
    }
    if (!active_) {
        // Too many processes for a bitmask: every process counts as chosen.
        enabled_ = ~std::uint64_t{0};
    }
}

const std::uint8_t* StubbornSets::single_step(const std::uint8_t* s, ir::Step& step) {
    last_chosen_ = all_;
    if (!active_ || proviso_ != Proviso::static_loops) return nullptr;
    record(s);
    candidates(s);
    std::uint64_t chosen = all_;
    for (const auto set : candidates_) {
        if (!any_successor(set) || loops(set)) continue;
        chosen = set;
        break;
    }
    last_chosen_ = chosen;
    std::uint32_t n = 0;
    std::uint32_t only = 0;
    const ProcessStep* by = nullptr;
    any_buffered(chosen, [&](const ProcessStep& ps, std::uint32_t k) {
        only = k;
        by = &ps;
        return ++n > 1;
    });
    if (n != 1 || buffered_[only].e.next == nullptr || by->loops || by->visible) return nullptr;
    step = ir::Step{by->group, buffered_[only].e.index};
    return buffered_state(only);
}

std::uint64_t StubbornSets::cost(std::uint64_t set) const {
    std::uint64_t c = 0;
    for (std::uint32_t p = 0; p < steps_.size(); ++p)
        if ((set & enabled_) >> p & 1U) c += steps_[p].count;
    return c;
}

bool StubbornSets::any_successor(std::uint64_t set) const {
    return any_buffered(set, [&](const ProcessStep&, std::uint32_t k) { return buffered_[k].e.next != nullptr; });
}

void StubbornSets::candidates(const std::uint8_t* s) {
    candidates_.clear();
    const auto n = steps_.size();
    all_ = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    if (!active_ || std::popcount(enabled_) <= 1) return;
    const auto mutexes = tables_.mutexes();
    owner_.resize(mutexes.size());
    for (std::size_t k = 0; k < mutexes.size(); ++k)
        owner_[k] = tables_.is_bool_lock(k) ? -1 : ts_.layout().read(s, ir::SlotId{mutexes[k]});
    if (!tables_.bool_locks().slots().empty())
        for (std::uint32_t p = 0; p < n; ++p)
            for (auto held = tables_.bool_locks_held(p, steps_[p].location); held != 0; held &= held - 1)
                owner_[tables_.bool_lock_index(static_cast<std::uint32_t>(std::countr_zero(held)))] = p;
    for (std::uint32_t seed = 0; seed < n; ++seed) {
        if ((enabled_ >> seed & 1U) == 0) continue;
        const std::uint64_t set = closure(seed);
        if ((set & enabled_) == enabled_) continue;  // not a proper subset: no reduction
        if (std::find(candidates_.begin(), candidates_.end(), set) == candidates_.end()) candidates_.push_back(set);
    }
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [&](std::uint64_t a, std::uint64_t b) { return cost(a) < cost(b); });
}

std::uint64_t StubbornSets::closure(std::uint32_t seed) {
    const auto n = static_cast<std::uint32_t>(steps_.size());
    const std::size_t words = tables_.words();
    std::uint64_t set = std::uint64_t{1} << seed;
    std::uint32_t work[max_processes];
    std::uint32_t top = 0;
    work[top++] = seed;
    while (top > 0) {
        const std::uint32_t p = work[--top];
        const auto& ps = steps_[p];
        const Words rw{rw_.data() + p * words, words};
        for (std::uint32_t q = 0; q < n; ++q) {
            if ((set >> q & 1U) != 0 || steps_[q].group == ir::no_group) continue;
            const Future& f = future_of(q, set);
            bool dep;
            if (ps.enabled) {
                // D1/D2: q may write what p's step touched, or touch what it wrote.
                dep = intersects(f.writes, rw) || intersects(f.touch, ps.access.writes);
                // V: p's step writes what an invariant check reads; so must be every process that
                // may write what that check reads.
                for (std::size_t k = 0; !dep && !break_visibility_ && k < ps.visible_checks.size(); ++k) {
                    const auto c = ps.visible_checks[k];
                    // For the wait-cycle check, q's whole future: a cut future leaves out the
                    // blocked lock steps, and q's move onto one is visible.
                    const Words writes = c == wait_check_ ? Words{tables_.future(q, steps_[q].location).writes}
                                                          : Words{f.writes};
                    dep = intersects(writes, check_reads(c));
                }
            } else {
                // Necessary enabling set: q may write what p's blocked step read.
                dep = intersects(f.writes, ps.access.reads);
            }
            if (dep) {
                set |= std::uint64_t{1} << q;
                work[top++] = q;
            }
        }
    }
    return set;
}

const Future& StubbornSets::future_of(std::uint32_t q, std::uint64_t set) {
    const auto loc = steps_[q].location;
    const auto targets = tables_.lock_targets(q);
    if (targets.empty()) return tables_.future(q, loc);
    // A pure lock(m) of q stays blocked while every step outside the set runs if m's owner is
    // in the set (it does not move) and no process outside the set may release m first.
    std::uint64_t cut = 0;
    for (std::size_t k = 0; k < targets.size() && k < 32; ++k) {
        const auto m = targets[k];
        const std::int64_t owner = owner_[tables_.mutex_index(m)];
        if (owner < 0 || (set >> owner & 1U) == 0) continue;
        bool released = false;
        for (std::uint32_t r = 0; r < steps_.size() && !released; ++r) {
            if ((set >> r & 1U) != 0 || steps_[r].group == ir::no_group) continue;
            const auto rel = tables_.may_release(r, steps_[r].location);
            released = (rel[m / 64] >> (m % 64) & 1U) != 0;
        }
        if (!released) cut |= std::uint64_t{1} << k;
    }
    if (cut == 0) return tables_.future(q, loc);
    if (loc > 0xFFFF) {  // too many locations for the cache key: compute it each time
        uncached_ = tables_.cut_future(q, loc, cut);
        return uncached_;
    }
    const std::uint64_t key = (std::uint64_t{q} << 48) | (std::uint64_t{loc} << 32) | cut;
    auto& slot = cut_cache_[key];
    if (!slot) slot = std::make_unique<Future>(tables_.cut_future(q, loc, cut));
    return *slot;
}

}  // namespace iomc::reduce
