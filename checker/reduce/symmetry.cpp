// SPDX-License-Identifier: MIT
#include "checker/reduce/symmetry.hpp"

#include <algorithm>
#include <numeric>

#include "checker/support/check.hpp"

namespace iomc::reduce {

const char* to_string(SymmetryMode m) {
    switch (m) {
        case SymmetryMode::off: return "off";
        case SymmetryMode::exact: return "exact";
        case SymmetryMode::heuristic: return "heuristic";
    }
    return "off";
}

Canonicalizer::Canonicalizer(const ir::TransitionSystem& ts, SymmetryMode mode, std::uint64_t max_candidates)
    : ts_(ts), mode_(mode), max_candidates_(max_candidates) {
    const auto& sym = ts.symmetry();
    const auto& layout = ts.layout();
    const auto nslots = static_cast<std::uint32_t>(layout.slots().size());
    is_active_.assign(sym.scalarsets.size(), 0);
    if (mode == SymmetryMode::off || sym.slot_shape.size() != nslots) return;
    for (std::uint32_t k = 0; k < sym.scalarsets.size(); ++k)
        if (sym.scalarsets[k].size > 1 && sym.scalarsets[k].breaches.empty()) {
            active_.push_back(k);
            is_active_[k] = 1;
        }
    if (active_.empty()) return;

    auto build = [&](const std::vector<std::uint32_t>& shape_of, const std::vector<std::vector<ir::SymmetryCoord>>& coords,
                     std::vector<Shape>& shapes, std::vector<std::vector<std::uint32_t>>& values) {
        values.resize(shape_of.size());
        for (std::uint32_t i = 0; i < shape_of.size(); ++i) {
            const auto sh = shape_of[i];
            if (sh == 0) continue;
            if (sh >= shapes.size()) shapes.resize(sh + 1);
            Shape& s = shapes[sh];
            if (s.radix.empty())
                for (const auto& c : coords[i]) {
                    s.radix.push_back(sym.scalarsets[c.scalarset].size);
                    s.scalarset.push_back(c.scalarset);
                }
            IOMC_CHECK(s.radix.size() == coords[i].size());
            std::uint64_t at = 0;
            for (std::size_t k = 0; k < coords[i].size(); ++k) {
                at = at * s.radix[k] + coords[i][k].value;
                values[i].push_back(coords[i][k].value);
            }
            std::uint64_t total = 1;
            for (const auto r : s.radix) total *= r;
            if (s.slots.empty()) s.slots.assign(total, UINT32_MAX);
            s.slots[at] = i;
        }
    };
    build(sym.slot_shape, sym.slot_coords, shapes_, coords_);
    build(sym.process_shape, sym.process_coords, process_shapes_, process_coords_);
    // A permutation must map every slot of a shape to a slot: shapes must be complete.
    for (const auto& s : shapes_)
        for (const auto x : s.slots) IOMC_CHECK(x != UINT32_MAX);
    for (const auto& s : process_shapes_)
        for (const auto x : s.slots) IOMC_CHECK(x != UINT32_MAX);

    value_set_.assign(nslots, -1);
    for (std::uint32_t i = 0; i < nslots; ++i) {
        const auto& sl = layout.slots()[i];
        if (sl.kind != ir::ValueKind::scalarset) continue;
        for (const auto k : active_)
            if (sym.scalarsets[k].layout_index == sl.type_index) value_set_[i] = static_cast<std::int32_t>(k);
    }
    // The slots a permutation can change: those it moves (a shape) or whose values it maps.
    for (std::uint32_t i = 0; i < nslots; ++i)
        if (sym.slot_shape[i] != 0 || value_set_[i] >= 0 || layout.slots()[i].kind == ir::ValueKind::mutex)
            moving_.push_back(i);
    key_shapes_.resize(sym.scalarsets.size());
    for (std::uint32_t sh = 1; sh < shapes_.size(); ++sh)
        if (shapes_[sh].scalarset.size() == 1 && is_active_[shapes_[sh].scalarset[0]])
            key_shapes_[shapes_[sh].scalarset[0]].push_back(sh);
    perm_.resize(sym.scalarsets.size());
    for (std::uint32_t k = 0; k < sym.scalarsets.size(); ++k) {
        perm_[k].resize(sym.scalarsets[k].size);
        std::iota(perm_[k].begin(), perm_[k].end(), 0U);
    }
    vals_.resize(nslots);
    image_.resize(nslots);

    // Walk reachability: a backward fixpoint over each process's locations (a group's finish
    // targets are its successors).
    const auto nsets = sym.scalarsets.size();
    walk_reach_.resize(ts.processes().size());
    for (std::uint32_t p = 0; p < ts.processes().size(); ++p) {
        if (p >= sym.walk.size() || sym.walk[p].empty()) continue;
        const auto& proc = ts.process(ir::ProcessId{p});
        auto& reach = walk_reach_[p];
        reach.assign(proc.locations.size(), 0);
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l)
            for (std::uint32_t k = 0; k < nsets && k < 64; ++k)
                if (sym.walk[p][l * nsets + k] >= 0) reach[l] |= std::uint64_t{1} << k;
        for (bool changed = true; changed;) {
            changed = false;
            for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
                const auto g = proc.group_at[l];
                if (g == ir::no_group) continue;
                for (const auto& in : ts.group(g).code.code) {
                    if (in.kind != ir::InstrKind::finish) continue;
                    const std::uint64_t add = reach[in.t1] & ~reach[l];
                    if (add) {
                        reach[l] |= add;
                        changed = true;
                    }
                }
            }
        }
    }
    for (const auto k : active_)
        IOMC_CHECK(k < 64);  // the masks above hold 64 scalarsets
}

bool Canonicalizer::walk_ahead(std::uint32_t set) const {
    for (std::uint32_t p = 0; p < walk_reach_.size(); ++p) {
        if (walk_reach_[p].empty()) continue;
        const auto loc = static_cast<std::size_t>(vals_[ir::idx(ts_.process(ir::ProcessId{p}).pc)]);
        if ((walk_reach_[p][loc] >> set & 1U) != 0) return true;
    }
    return false;
}

std::uint32_t Canonicalizer::image_slot(std::uint32_t slot) const {
    const auto sh = ts_.symmetry().slot_shape[slot];
    if (sh == 0) return slot;
    const Shape& s = shapes_[sh];
    const auto& c = coords_[slot];
    std::uint64_t at = 0;
    for (std::size_t k = 0; k < c.size(); ++k) at = at * s.radix[k] + perm_[s.scalarset[k]][c[k]];
    return s.slots[at];
}

std::int64_t Canonicalizer::image_value(std::uint32_t slot, std::int64_t v) const {
    if (v < 0) return v;  // none, a free mutex
    const auto& sl = ts_.layout().slots()[slot];
    if (value_set_[slot] >= 0) return perm_[static_cast<std::size_t>(value_set_[slot])][static_cast<std::size_t>(v)];
    if (sl.kind == ir::ValueKind::mutex) {
        const auto p = static_cast<std::uint32_t>(v);
        const auto sh = ts_.symmetry().process_shape[p];
        if (sh == 0) return v;
        const Shape& s = process_shapes_[sh];
        const auto& c = process_coords_[p];
        std::uint64_t at = 0;
        for (std::size_t k = 0; k < c.size(); ++k) at = at * s.radix[k] + perm_[s.scalarset[k]][c[k]];
        return s.slots[at];
    }
    return v;
}

/// The key of each element of scalarset `set` in the unpacked state vals_.
void Canonicalizer::keys_of(std::uint32_t set) {
    const auto& sym = ts_.symmetry();
    const auto n = sym.scalarsets[set].size;
    keys_.assign(n, {});
    for (const auto sh : key_shapes_[set]) {
        for (std::uint32_t e = 0; e < n; ++e) {
            const auto slot = shapes_[sh].slots[e];
            const std::int64_t v = vals_[slot];
            const auto& sl = ts_.layout().slots()[slot];
            std::int64_t key = v;
            if (value_set_[slot] >= 0) {
                // A value of an active scalarset: none, this element, another.
                key = v < 0 ? -1 : (static_cast<std::uint32_t>(value_set_[slot]) == set && v == e) ? -2 : -3;
            } else if (sl.kind == ir::ValueKind::mutex && v >= 0) {
                const auto p = static_cast<std::uint32_t>(v);
                const auto psh = sym.process_shape[p];
                if (psh == 0) {
                    key = v;  // a singleton: the same in every image
                } else {
                    const auto& pc = sym.process_coords[p];
                    const bool own = pc.size() == 1 && pc[0].scalarset == set && pc[0].value == e;
                    key = own ? -2 : -3 - static_cast<std::int64_t>(psh);
                }
            }
            keys_[e].push_back(key);
        }
    }
}

void Canonicalizer::try_candidate() {
    // The other slots hold their own values in every image (set once per state).
    for (const auto i : moving_) image_[image_slot(i)] = image_value(i, vals_[i]);
    if (!have_best_ || image_ < best_) {
        best_ = image_;
        have_best_ = true;
    }
}

void Canonicalizer::canonicalize(const std::uint8_t* s, std::uint8_t* out) {
    const auto& layout = ts_.layout();
    const auto nslots = static_cast<std::uint32_t>(vals_.size());
    if (active_.empty()) {
        std::copy(s, s + ts_.state_buffer_size(), out);
        return;
    }
    ++stats_.canonicalized;
    for (std::uint32_t i = 0; i < nslots; ++i) vals_[i] = layout.read(s, ir::SlotId{i});
    // Per active scalarset: its elements ordered by key, and the groups of equal keys.
    struct Order {
        std::uint32_t set;
        std::vector<std::vector<std::uint32_t>> groups;  ///< in key order; each permuted in place
    };
    std::vector<Order> orders;
    std::uint64_t candidates = 1;
    for (const auto set : active_) {
        if (walk_ahead(set)) continue;  // frozen: perm_[set] stays the identity
        keys_of(set);
        const auto n = ts_.symmetry().scalarsets[set].size;
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0U);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
        Order o{set, {}};
        for (std::uint32_t k = 0; k < n; ++k) {
            if (k == 0 || keys_[order[k]] != keys_[order[k - 1]]) o.groups.emplace_back();
            o.groups.back().push_back(order[k]);
        }
        for (const auto& g : o.groups)
            for (std::uint64_t f = 2; f <= g.size() && candidates <= max_candidates_; ++f) candidates *= f;
        orders.push_back(std::move(o));
    }
    const bool one = mode_ == SymmetryMode::heuristic || candidates > max_candidates_;
    if (one && candidates > 1) ++stats_.heuristic;
    auto assign = [&] {
        for (const auto& o : orders) {
            std::uint32_t pos = 0;
            for (const auto& g : o.groups)
                for (const auto e : g) perm_[o.set][e] = pos++;
        }
    };
    have_best_ = false;
    image_ = vals_;
    if (one) {
        assign();
        try_candidate();
    } else {
        // Odometer over the permutations of every group (each starts sorted by index).
        std::vector<std::vector<std::uint32_t>*> wheels;
        for (auto& o : orders)
            for (auto& g : o.groups)
                if (g.size() > 1) wheels.push_back(&g);
        for (;;) {
            assign();
            try_candidate();
            std::size_t w = 0;
            while (w < wheels.size() && !std::next_permutation(wheels[w]->begin(), wheels[w]->end())) ++w;
            if (w == wheels.size()) break;
        }
    }
    std::fill(out, out + ts_.state_buffer_size(), std::uint8_t{0});
    for (std::uint32_t i = 0; i < nslots; ++i) layout.write(out, ir::SlotId{i}, best_[i]);
    for (auto& p : perm_) std::iota(p.begin(), p.end(), 0U);
}

}  // namespace iomc::reduce
