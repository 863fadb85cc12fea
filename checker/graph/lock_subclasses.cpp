// SPDX-License-Identifier: MIT
#include "checker/graph/lock_subclasses.hpp"

#include "checker/support/check.hpp"

namespace iomc::graph {

bool uses_lock_nested(const ir::TransitionSystem& ts) {
    for (const auto& grp : ts.groups())
        for (const auto& in : grp.code.code)
            if (in.kind == ir::InstrKind::lock && in.subclass != 0) return true;
    return false;
}

LockSubclasses::LockSubclasses(const StateGraph& g, const std::vector<ir::SlotId>& mutexes)
    : g_(g), n_(mutexes.size()), nested_(uses_lock_nested(g.system())) {
    const auto& ts = g.system();
    const auto& layout = ts.layout();
    std::vector<bool> locks(ts.groups().size(), false);  // per group: has a lock instruction
    for (const auto& grp : ts.groups())
        for (const auto& in : grp.code.code) locks[ir::idx(grp.id)] = locks[ir::idx(grp.id)] || in.kind == ir::InstrKind::lock;
    // The locks and unlocks of each step: its path, run again (its outcome index names the path,
    // as in the search that made the edge). A state's edges of one group are consecutive and in
    // outcome order (StateGraph), so one run of the group serves them all.
    ir::Interpreter interp(ts);
    first_event_.reserve(g.transitions() + 1);
    for (std::uint32_t s = 0; s < g.size(); ++s) {
        const auto out = g.out(s);
        for (std::size_t i = 0; i < out.size();) {
            std::size_t j = i + 1;
            while (j < out.size() && out[j].step.group == out[i].step.group) ++j;
            if (!locks[ir::idx(out[i].step.group)]) {
                for (; i < j; ++i) first_event_.push_back(events_.size());
                continue;
            }
            interp.fire_locks(out[i].step.group, g.state(s), [&](const ir::Emission& em, std::span<const ir::LockEvent> path) {
                if (!em.next || i == j || em.index != out[i].step.outcome) return;
                first_event_.push_back(events_.size());
                events_.insert(events_.end(), path.begin(), path.end());
                ++i;
            });
            IOMC_CHECK(i == j);
        }
    }
    first_event_.push_back(events_.size());
    if (!nested_) return;
    index_.assign(layout.slots().size(), UINT32_MAX);
    for (std::uint32_t k = 0; k < n_; ++k) index_[ir::idx(mutexes[k])] = k;
    mask_.assign(std::size_t{g.size()} * n_, 0);
    // Forward to a fixpoint: masks only grow (at most 8 bits per held mutex and state).
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t s = 0; s < g.size(); ++s)
            for (const auto& e : g.out(s)) {
                const auto ev = events(e);
                for (std::uint32_t i = 0; i < n_; ++i) {
                    if (layout.read(g.state(e.to), mutexes[i]) < 0) continue;
                    // Taken by the step: at the subclass of its last lock of the mutex. Else held
                    // across it: as before it.
                    std::uint8_t add = 0;
                    for (const auto& t : ev)
                        if (!t.unlock && t.mutex == mutexes[i]) add = static_cast<std::uint8_t>(1U << t.subclass);
                    if (add == 0) add = mask_[std::size_t{s} * n_ + i];
                    auto& m = mask_[std::size_t{e.to} * n_ + i];
                    if ((m | add) != m) {
                        m |= add;
                        changed = true;
                    }
                }
            }
    }
}

std::span<const ir::LockEvent> LockSubclasses::events(const Edge& e) const {
    const auto k = g_.edge_index(e);
    return {events_.data() + first_event_[k], events_.data() + first_event_[k + 1]};
}

std::uint8_t LockSubclasses::held(std::uint32_t s, ir::SlotId m) const {
    const std::uint8_t mask = nested_ ? mask_[std::size_t{s} * n_ + index_[ir::idx(m)]] : 0;
    return mask ? mask : 1;
}

}  // namespace iomc::graph
