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

void StubbornSets::locate(const std::uint8_t* s) {
    buffered_.clear();
    states_.clear();
    enabled_ = 0;
    fired_ = 0;
    state_ = s;
    const auto& layout = ts_.layout();
    for (std::uint32_t p = 0; p < steps_.size(); ++p) {
        auto& ps = steps_[p];
        const auto& proc = ts_.process(ir::ProcessId{p});
        ps.location = static_cast<std::uint32_t>(layout.read(s, proc.pc));
        ps.group = proc.group_at[ps.location];
        ps.first = 0;
        ps.count = 0;
        ps.enabled = false;
        ps.visible = false;
        ps.loops = false;
        ps.visible_checks.clear();
    }
}

void StubbornSets::fire(std::uint32_t p) {
    if (p < 64) fired_ |= std::uint64_t{1} << p;
    auto& ps = steps_[p];
    if (ps.group == ir::no_group) return;
    const auto& layout = ts_.layout();
    const std::size_t words = tables_.words();
    const std::size_t stride = this->stride();
    const auto& proc = ts_.process(ir::ProcessId{p});
    ps.first = static_cast<std::uint32_t>(buffered_.size());
    interp_.fire_recorded(ps.group, state_, ps.access, [&](const ir::Emission& e) {
        Buffered b{e, 0};
        if (e.next) {
            b.state_at = states_.size();
            states_.insert(states_.end(), e.next, e.next + stride);
        }
        buffered_.push_back(b);
    });
    ps.count = static_cast<std::uint32_t>(buffered_.size()) - ps.first;
    ps.enabled = ps.count > 0;
    if (proviso_ == Proviso::static_loops && ps.enabled && tables_.loops_at(p, ps.location))
        for (std::uint32_t k = ps.first; k < ps.first + ps.count && !ps.loops; ++k)
            ps.loops = buffered_[k].e.next != nullptr &&
                       tables_.back_edge(p, ps.location,
                                         static_cast<std::uint32_t>(
                                             layout.read(states_.data() + buffered_[k].state_at, proc.pc)));
    if (ps.enabled && active_) enabled_ |= std::uint64_t{1} << p;
    ps.visible = ps.enabled && intersects(ps.access.writes, visible_);
    if (ps.visible)
        for (std::uint32_t c = 0; c < n_checks_; ++c)
            if (intersects(ps.access.writes, check_reads(c))) ps.visible_checks.push_back(c);
    if (ps.enabled && wait_check_ != UINT32_MAX &&
        (ps.visible_checks.empty() || ps.visible_checks.back() != wait_check_)) {
        // Onto or off a pure lock location: the process starts or stops waiting; or it can no
        // longer write what selects another's mutex.
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

void StubbornSets::record(const std::uint8_t* s) {
    locate(s);
    for (std::uint32_t p = 0; p < steps_.size(); ++p) fire(p);
    if (!active_) {
        // Too many processes for a bitmask: every process counts as chosen.
        enabled_ = ~std::uint64_t{0};
    }
}

void StubbornSets::record_rest() {
    for (std::uint32_t p = 0; p < steps_.size(); ++p)
        if ((fired_ >> p & 1U) == 0) fire(p);
}

const std::uint8_t* StubbornSets::single_step(const std::uint8_t* s, ir::Step& step) {
    const auto n = steps_.size();
    all_ = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    last_chosen_ = all_;
    if (!active_ || proviso_ != Proviso::static_loops) return nullptr;
    // A set with one step of one process holds an enabled seed with one outcome: try those
    // seeds, in process order, and take the first whose closure holds no other enabled
    // process. Deterministic in the state, a stubborn set that passes the static proviso, so
    // the reduced graph through it is sound whichever such set it is (expand() may prefer a
    // visible single step of a lower process: it is not passed through). Processes are fired
    // as the seeds and the closures reach them: a closure that stays at its seed fires one.
    locate(s);
    bool owners_read = false;
    std::int64_t at = -1;  // the buffered emission taken
    for (std::uint32_t p = 0; p < n && at < 0; ++p) {
        if ((fired_ >> p & 1U) == 0) fire(p);
        const auto& ps = steps_[p];
        if (!ps.enabled || ps.count != 1 || ps.loops || ps.visible || buffered_[ps.first].e.next == nullptr) continue;
        const std::uint64_t self = std::uint64_t{1} << p;
        if (!owners_read) {
            read_owners(s);
            owners_read = true;
        }
        const std::uint64_t chosen = closure(p);
        if ((chosen & enabled_) != self) continue;
        // Every process of the set was fired: its enabled bit is known. One outside it may be
        // enabled or not; the set is a stubborn set either way (it is all of them when none is).
        last_chosen_ = chosen;
        step = ir::Step{ps.group, buffered_[ps.first].e.index};
        at = ps.first;
    }
    if (full_record_) record_rest();  // before the pointer is taken: it may move the buffer
    return at < 0 ? nullptr : buffered_state(static_cast<std::uint32_t>(at));
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
    read_owners(s);
    for (std::uint32_t seed = 0; seed < n; ++seed) {
        if ((enabled_ >> seed & 1U) == 0) continue;
        const std::uint64_t set = closure(seed);
        if ((set & enabled_) == enabled_) continue;  // not a proper subset: no reduction
        if (std::find(candidates_.begin(), candidates_.end(), set) == candidates_.end()) candidates_.push_back(set);
    }
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [&](std::uint64_t a, std::uint64_t b) { return cost(a) < cost(b); });
}

void StubbornSets::read_owners(const std::uint8_t* s) {
    const auto mutexes = tables_.mutexes();
    owner_.resize(mutexes.size());
    for (std::size_t k = 0; k < mutexes.size(); ++k)
        owner_[k] = tables_.is_bool_lock(k) ? -1 : ts_.layout().read(s, ir::SlotId{mutexes[k]});
    if (!tables_.bool_locks().slots().empty())
        for (std::uint32_t p = 0; p < steps_.size(); ++p)
            for (auto held = tables_.bool_locks_held(p, steps_[p].location); held != 0; held &= held - 1)
                owner_[tables_.bool_lock_index(static_cast<std::uint32_t>(std::countr_zero(held)))] = p;
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
        if ((fired_ >> p & 1U) == 0) fire(p);
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
