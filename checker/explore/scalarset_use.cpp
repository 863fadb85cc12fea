// SPDX-License-Identifier: MIT
#include "checker/explore/scalarset_use.hpp"

#include <bit>

namespace iomc::explore {

ScalarsetUseCounter::ScalarsetUseCounter(const ir::TransitionSystem& ts) : ts_(ts) {
    const auto& sym = ts.symmetry();
    const auto& slots = ts.layout().slots();
    // set index in sym.scalarsets -> index in use_ (only sizes > 1 are counted)
    std::vector<std::int32_t> index(sym.scalarsets.size(), -1);
    for (std::uint32_t k = 0; k < sym.scalarsets.size(); ++k) {
        const auto& sc = sym.scalarsets[k];
        if (sc.size < 2 || sc.size > 64) continue;
        index[k] = static_cast<std::int32_t>(use_.size());
        use_.push_back(ScalarsetUse{sc.name, sc.size_name, sc.size, 0, -1});
    }
    if (use_.empty()) return;
    auto coords_watch = [&](std::uint32_t slot, const std::vector<ir::SymmetryCoord>& coords) {
        for (const auto& c : coords)
            if (c.scalarset < index.size() && index[c.scalarset] >= 0)
                watches_.push_back(Watch{slot, static_cast<std::uint32_t>(index[c.scalarset]),
                                         static_cast<std::int32_t>(c.value), slots[slot].init});
    };
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        const auto& sl = slots[i];
        if (sl.kind == ir::ValueKind::scalarset)
            for (std::uint32_t k = 0; k < sym.scalarsets.size(); ++k)
                if (index[k] >= 0 && sym.scalarsets[k].layout_index == sl.type_index)
                    watches_.push_back(Watch{i, static_cast<std::uint32_t>(index[k]), -1, 0});
        if (i < sym.slot_coords.size()) coords_watch(i, sym.slot_coords[i]);
        // A process's locals and program counter: the instance's coordinates.
        if (sl.process != UINT32_MAX && sl.process < sym.process_coords.size() &&
            (i >= sym.slot_coords.size() || sym.slot_coords[i].empty()))
            coords_watch(i, sym.process_coords[sl.process]);
    }
    seen_.assign(use_.size(), 0);
}

void ScalarsetUseCounter::observe(const std::uint8_t* s) {
    if (full_ == use_.size()) return;
    std::fill(seen_.begin(), seen_.end(), 0);
    const auto& layout = ts_.layout();
    for (const auto& w : watches_) {
        const auto v = layout.read(s, ir::SlotId{w.slot});
        if (w.value < 0) {
            if (v >= 0) seen_[w.set] |= std::uint64_t{1} << v;
        } else if (v != w.init) {
            seen_[w.set] |= std::uint64_t{1} << w.value;
        }
    }
    for (std::size_t k = 0; k < use_.size(); ++k) {
        auto& u = use_[k];
        if (u.most == u.size) continue;
        const auto n = static_cast<std::uint32_t>(std::popcount(seen_[k]));
        if (n > u.most) {
            u.most = n;
            u.only = n == 1 ? std::countr_zero(seen_[k]) : -1;
            if (n == u.size) ++full_;
        } else if (n == 1 && u.most == 1 && u.only != std::countr_zero(seen_[k])) {
            u.only = -1;  // one value at a time, but not always the same one
        }
    }
}

void merge_scalarset_use(std::vector<ScalarsetUse>& total, const std::vector<ScalarsetUse>& part) {
    if (total.empty()) {
        total = part;
        return;
    }
    for (std::size_t k = 0; k < total.size() && k < part.size(); ++k)
        if (part[k].most > total[k].most) {
            total[k].most = part[k].most;
            total[k].only = part[k].only;
        } else if (part[k].most == 1 && total[k].most == 1 && part[k].only != total[k].only) {
            total[k].only = -1;
        }
}

}  // namespace iomc::explore
