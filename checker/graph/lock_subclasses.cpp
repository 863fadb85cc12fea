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
    if (!nested_) return;
    const auto& ts = g.system();
    const auto& layout = ts.layout();
    index_.assign(layout.slots().size(), UINT32_MAX);
    for (std::uint32_t k = 0; k < n_; ++k) index_[ir::idx(mutexes[k])] = k;
    std::vector<bool> locks(ts.groups().size(), false);  // per group: has a lock instruction
    for (const auto& grp : ts.groups())
        for (const auto& in : grp.code.code) locks[ir::idx(grp.id)] = locks[ir::idx(grp.id)] || in.kind == ir::InstrKind::lock;
    // Which lock of each step took which mutex: the step's path, run again (its outcome index
    // names the path, as in the search that made the edge).
    ir::Interpreter interp(ts);
    first_taken_.reserve(g.transitions() + 1);
    for (std::uint32_t s = 0; s < g.size(); ++s)
        for (const auto& e : g.out(s)) {
            first_taken_.push_back(taken_.size());
            if (!locks[ir::idx(e.step.group)]) continue;
            bool found = false;
            interp.fire_locks(e.step.group, g.state(s), [&](const ir::Emission& em, std::span<const ir::TakenLock> path) {
                if (em.index != e.step.outcome || !em.next) return;
                taken_.insert(taken_.end(), path.begin(), path.end());
                found = true;
            });
            IOMC_CHECK(found);
        }
    first_taken_.push_back(taken_.size());
    mask_.assign(std::size_t{g.size()} * n_, 0);
    // Forward to a fixpoint: masks only grow (at most 8 bits per held mutex and state).
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t s = 0; s < g.size(); ++s)
            for (const auto& e : g.out(s)) {
                const auto k = g.edge_index(e);
                for (std::uint32_t i = 0; i < n_; ++i) {
                    if (layout.read(g.state(e.to), mutexes[i]) < 0) continue;
                    // Taken by the step: at the subclass of its last lock of the mutex. Else held
                    // across it: as before it.
                    std::uint8_t add = 0;
                    for (auto t = first_taken_[k]; t < first_taken_[k + 1]; ++t)
                        if (taken_[t].mutex == mutexes[i]) add = static_cast<std::uint8_t>(1U << taken_[t].subclass);
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

std::uint8_t LockSubclasses::taken(const Edge& e, ir::SlotId m) const {
    if (!nested_) return 1;
    const auto k = g_.edge_index(e);
    std::uint8_t out = 0;
    for (auto t = first_taken_[k]; t < first_taken_[k + 1]; ++t)
        if (taken_[t].mutex == m) out = static_cast<std::uint8_t>(1U << taken_[t].subclass);
    return out ? out : 1;
}

std::uint8_t LockSubclasses::held(std::uint32_t s, ir::SlotId m) const {
    const std::uint8_t mask = nested_ ? mask_[std::size_t{s} * n_ + index_[ir::idx(m)]] : 0;
    return mask ? mask : 1;
}

}  // namespace iomc::graph
