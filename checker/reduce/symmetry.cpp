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
    std::vector<std::vector<std::uint32_t>> coords;  // per slot: coordinate values
    build(sym.slot_shape, sym.slot_coords, shapes_, coords);
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
    is_mutex_.assign(nslots, 0);
    for (std::uint32_t i = 0; i < nslots; ++i) is_mutex_[i] = layout.slots()[i].kind == ir::ValueKind::mutex ? 1 : 0;
    // The slots a permutation can change: those it moves (a shape) or whose values it maps.
    for (std::uint32_t i = 0; i < nslots; ++i) {
        const auto sh = sym.slot_shape[i];
        if (sh == 0 && value_set_[i] < 0 && is_mutex_[i] == 0) continue;
        Target t{i, sh, static_cast<std::uint32_t>(tcoords_.size()), 0};
        if (sh != 0) {
            const Shape& shape = shapes_[sh];
            std::uint32_t stride = 1;
            t.count = static_cast<std::uint32_t>(coords[i].size());
            tcoords_.resize(tcoords_.size() + t.count);
            for (std::size_t k = coords[i].size(); k-- > 0;) {
                tcoords_[t.first + k] = {shape.scalarset[k], coords[i][k], stride};
                stride *= shape.radix[k];
            }
        }
        targets_.push_back(t);
    }
    key_shapes_.resize(sym.scalarsets.size());
    for (std::uint32_t sh = 1; sh < shapes_.size(); ++sh)
        if (shapes_[sh].scalarset.size() == 1 && is_active_[shapes_[sh].scalarset[0]])
            key_shapes_[shapes_[sh].scalarset[0]].push_back(sh);
    perm_.resize(sym.scalarsets.size());
    for (std::uint32_t k = 0; k < sym.scalarsets.size(); ++k) {
        perm_[k].resize(sym.scalarsets[k].size);
        std::iota(perm_[k].begin(), perm_[k].end(), 0U);
    }
    inv_ = perm_;
    vals_.resize(nslots);

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

std::int64_t Canonicalizer::image_value(std::uint32_t slot, std::int64_t v) const {
    if (v < 0) return v;  // none, a free mutex
    if (value_set_[slot] >= 0) return perm_[static_cast<std::size_t>(value_set_[slot])][static_cast<std::size_t>(v)];
    if (is_mutex_[slot] != 0) {
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


/// The keys of each element of scalarset `set` in the unpacked state vals_ (keys_, key_width_
/// per element).
void Canonicalizer::keys_of(std::uint32_t set) {
    const auto& sym = ts_.symmetry();
    const auto n = sym.scalarsets[set].size;
    const auto& shapes = key_shapes_[set];
    key_width_ = shapes.size();
    keys_.resize(std::size_t{n} * key_width_);
    for (std::size_t j = 0; j < shapes.size(); ++j) {
        const auto sh = shapes[j];
        for (std::uint32_t e = 0; e < n; ++e) {
            const auto slot = shapes_[sh].slots[e];
            const std::int64_t v = vals_[slot];
            std::int64_t key = v;
            if (value_set_[slot] >= 0) {
                // A value of an active scalarset: none, this element, another.
                key = v < 0 ? -1 : (static_cast<std::uint32_t>(value_set_[slot]) == set && v == e) ? -2 : -3;
            } else if (is_mutex_[slot] != 0 && v >= 0) {
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
            keys_[e * key_width_ + j] = key;
        }
    }
}

bool Canonicalizer::swap_fixes(std::uint32_t set, std::uint32_t a, std::uint32_t b) {
    // perm_ and inv_ are the identity here; (a b) is its own inverse.
    auto& p = perm_[set];
    auto& q = inv_[set];
    std::swap(p[a], p[b]);
    std::swap(q[a], q[b]);
    bool same = true;
    for (const Target& t : targets_) {
        const auto src = source_of(t);
        if (image_value(src, vals_[src]) != vals_[t.slot]) {
            same = false;
            break;
        }
    }
    std::swap(p[a], p[b]);
    std::swap(q[a], q[b]);
    return same;
}

void Canonicalizer::split_classes() {
    members_.clear();
    class_first_.clear();
    for (const Group& g : groups_) {
        const auto first_class = static_cast<std::uint32_t>(class_first_.size());
        // Members of one class are listed together: collect them class by class.
        reps_.clear();
        std::uint32_t nclasses = 0;
        for (std::uint32_t i = g.begin; i < g.end; ++i) {
            const auto e = elems_[i];
            std::uint32_t c = 0;
            while (c < nclasses && !swap_fixes(g.set, reps_[c], e)) ++c;
            if (c == nclasses) {
                reps_.push_back(e);
                ++nclasses;
            }
            labels_[i] = first_class + c;
        }
        for (std::uint32_t c = 0; c < nclasses; ++c) {
            class_first_.push_back(static_cast<std::uint32_t>(members_.size()));
            for (std::uint32_t i = g.begin; i < g.end; ++i)
                if (labels_[i] == first_class + c) members_.push_back(elems_[i]);
        }
        std::sort(labels_.begin() + g.begin, labels_.begin() + g.end);
    }
}

void Canonicalizer::assign() {
    class_used_.assign(class_first_.size(), 0);
    for (const Group& g : groups_) {
        auto& p = perm_[g.set];
        auto& q = inv_[g.set];
        for (std::uint32_t i = g.begin; i < g.end; ++i) {
            const auto c = labels_[i];
            const auto e = members_[class_first_[c] + class_used_[c]++];
            const auto pos = i - g.base;
            p[e] = pos;
            q[pos] = e;
        }
    }
}

void Canonicalizer::try_candidate() {
    // best_ holds the slots no permutation changes (set once per state); the targets are
    // compared in slot order, which is the order of the vectors' comparison.
    bool less = !have_best_;
    for (const Target& t : targets_) {
        const auto src = source_of(t);
        const std::int64_t v = image_value(src, vals_[src]);
        std::int64_t& b = best_[t.slot];
        if (!less) {
            if (v > b) return;
            if (v == b) continue;
            less = true;
        }
        b = v;
    }
    have_best_ = true;
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
    // Per unfrozen active scalarset: its elements ordered by key, and the groups of equal keys.
    elems_.clear();
    groups_.clear();
    std::uint64_t candidates = 1;
    for (const auto set : active_) {
        if (walk_ahead(set)) continue;  // frozen: perm_[set] stays the identity
        keys_of(set);
        const auto n = ts_.symmetry().scalarsets[set].size;
        const auto base = static_cast<std::uint32_t>(elems_.size());
        for (std::uint32_t e = 0; e < n; ++e) elems_.push_back(e);
        const auto key = [&](std::uint32_t e) { return keys_.begin() + static_cast<std::ptrdiff_t>(e * key_width_); };
        std::stable_sort(elems_.begin() + base, elems_.end(), [&](std::uint32_t a, std::uint32_t b) {
            return std::lexicographical_compare(key(a), key(a) + static_cast<std::ptrdiff_t>(key_width_), key(b),
                                                key(b) + static_cast<std::ptrdiff_t>(key_width_));
        });
        for (std::uint32_t k = base; k < base + n; ++k) {
            if (k == base || !std::equal(key(elems_[k]), key(elems_[k]) + static_cast<std::ptrdiff_t>(key_width_),
                                         key(elems_[k - 1])))
                groups_.push_back({set, k, k, base});
            ++groups_.back().end;
        }
    }
    labels_.resize(elems_.size());
    for (const Group& g : groups_)
        for (std::uint64_t f = 2; f <= g.end - g.begin && candidates <= max_candidates_; ++f) candidates *= f;
    const bool exact = mode_ == SymmetryMode::exact && candidates > 1;
    if (exact) {
        split_classes();
        // Distinct orders: per group, the multinomial of its class sizes.
        candidates = 1;
        for (const Group& g : groups_) {
            std::uint32_t run = 0;
            for (std::uint32_t i = g.begin, k = 1; i < g.end && candidates <= max_candidates_; ++i, ++k) {
                run = (i > g.begin && labels_[i] == labels_[i - 1]) ? run + 1 : 1;
                candidates = candidates * k / run;
            }
        }
    }
    const bool one = !exact || candidates > max_candidates_;
    if (one) {
        // One order: ties by index, each element a class of its own.
        if (candidates > 1) ++stats_.heuristic;
        members_.assign(elems_.begin(), elems_.end());
        class_first_.resize(elems_.size());
        std::iota(class_first_.begin(), class_first_.end(), 0U);
        std::iota(labels_.begin(), labels_.end(), 0U);
    }
    if (one || candidates == 1) {
        assign();
        bool identity = true;
        for (const Group& g : groups_)
            for (std::uint32_t i = g.begin; i < g.end && identity; ++i) identity = perm_[g.set][i - g.base] == i - g.base;
        if (identity) {
            // The state is its own representative (most states: a step keeps the order).
            const auto bytes = layout.bytes();
            std::copy(s, s + bytes, out);
            std::fill(out + bytes, out + ts_.state_buffer_size(), std::uint8_t{0});
            return;
        }
    }
    have_best_ = false;
    best_ = vals_;
    for (;;) {
        assign();
        try_candidate();
        if (one) break;
        // Odometer over the orders of every group's labels (each starts sorted).
        std::size_t w = 0;
        while (w < groups_.size() &&
               !std::next_permutation(labels_.begin() + groups_[w].begin, labels_.begin() + groups_[w].end))
            ++w;
        if (w == groups_.size()) break;
    }
    std::fill(out, out + ts_.state_buffer_size(), std::uint8_t{0});
    layout.pack(best_.data(), out);
    for (const Group& g : groups_)
        for (std::uint32_t i = g.begin; i < g.end; ++i) {
            perm_[g.set][i - g.base] = i - g.base;
            inv_[g.set][i - g.base] = i - g.base;
        }
}

}  // namespace iomc::reduce
