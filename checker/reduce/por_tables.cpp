// SPDX-License-Identifier: MIT
#include "checker/reduce/por_tables.hpp"

#include <algorithm>

#include "checker/ir/reach.hpp"
#include "checker/reduce/monotone.hpp"

namespace iomc::reduce {

namespace {

void set_bit(std::vector<std::uint64_t>& w, std::size_t at, std::uint32_t slot) {
    w[at + slot / 64] |= std::uint64_t{1} << (slot % 64);
}

void merge_into(std::uint64_t* dst, const ir::SlotSet& s, std::size_t words) {
    for (const auto slot : s.to_vector()) {
        const auto i = ir::idx(slot);
        if (i / 64 < words) dst[i / 64] |= std::uint64_t{1} << (i % 64);
    }
}

/// The fixed mutex slot a fragment waits for first, or UINT32_MAX: its first instruction other
/// than a statement note is `lock` of a plain slot, so every path blocks there while another
/// process holds that mutex.
std::uint32_t pure_lock(const ir::Fragment& f) {
    for (const auto& in : f.code) {
        if (in.kind == ir::InstrKind::note) continue;
        if (in.kind == ir::InstrKind::lock && in.target.op == ir::ExprOp::slot) return ir::idx(in.target.slot);
        return UINT32_MAX;
    }
    return UINT32_MAX;
}

}  // namespace

PorTables::PorTables(const ir::TransitionSystem& ts) : ts_(ts), bool_locks_(ts) {
    const auto& layout = ts.layout();
    words_ = (layout.slots().size() + 63) / 64;
    mutex_index_.assign(layout.slots().size(), UINT32_MAX);
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i)
        if (layout.slots()[i].kind == ir::ValueKind::mutex || bool_locks_.is_lock(i)) {
            mutex_index_[i] = static_cast<std::uint32_t>(mutexes_.size());
            mutexes_.push_back(i);
            bool_lock_.push_back(layout.slots()[i].kind == ir::ValueKind::mutex ? 0 : 1);
        }
    for (const auto m : bool_locks_.slots()) bool_lock_index_.push_back(mutex_index_[m]);

    const auto procs = ts.processes();
    std::size_t total = 0;
    for (const auto& p : procs) {
        base_.push_back(total);
        total += p.locations.size();
    }
    next_.resize(total);
    lock_target_.assign(total, UINT32_MAX);
    lock_targets_.resize(procs.size());
    release_.assign(total * words_, 0);
    std::vector<std::uint64_t> own_touch(total * words_, 0), own_writes(total * words_, 0);
    increasing_.resize(total);
    const auto monotone = monotone_slots(ts);

    for (std::uint32_t p = 0; p < procs.size(); ++p) {
        const auto& proc = procs[p];
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
            const auto g = proc.group_at[l];
            if (g == ir::no_group) continue;
            const auto& grp = ts.group(g);
            const std::size_t at = base_[p] + l;
            auto& nx = next_[at];
            for (const auto& in : grp.code.code) {
                if (in.kind == ir::InstrKind::finish) nx.push_back(in.t1);
                if (in.kind == ir::InstrKind::unlock) {
                    ir::SlotSet region;
                    ir::lvalue_slots(in.target, region);
                    merge_into(release_.data() + at * words_, region, words_);
                }
            }
            if (const auto b = bool_locks_.releases(p, l); b != UINT32_MAX) set_bit(release_, at * words_, b);
            std::sort(nx.begin(), nx.end());
            nx.erase(std::unique(nx.begin(), nx.end()), nx.end());
            increasing_[at] = increasing_targets(grp.code, monotone);
            merge_into(own_touch.data() + at * words_, grp.footprint.reads, words_);
            merge_into(own_touch.data() + at * words_, grp.footprint.may_write, words_);
            merge_into(own_writes.data() + at * words_, grp.footprint.may_write, words_);
            auto m = pure_lock(grp.code);
            if (m == UINT32_MAX) m = bool_locks_.acquires(p, l);
            lock_target_[at] = m;
            if (m != UINT32_MAX) {
                auto& targets = lock_targets_[p];
                if (std::find(targets.begin(), targets.end(), m) == targets.end() && targets.size() < 64)
                    targets.push_back(m);
            }
        }
    }

    mark_back_edges();

    // Future footprints: the union of the own footprints of every location reachable from l.
    future_.resize(total);
    std::vector<std::uint32_t> stack;
    std::vector<char> seen;
    for (std::uint32_t p = 0; p < procs.size(); ++p) {
        const auto n = static_cast<std::uint32_t>(procs[p].locations.size());
        for (std::uint32_t l = 0; l < n; ++l) {
            Future& f = future_[base_[p] + l];
            f.touch.assign(words_, 0);
            f.writes.assign(words_, 0);
            ir::for_each_reachable(
                n, l, [&](std::uint32_t x) -> const auto& { return next_[base_[p] + x]; },
                [&](std::uint32_t x) {
                    const std::size_t at = base_[p] + x;
                    for (std::size_t w = 0; w < words_; ++w) {
                        f.touch[w] |= own_touch[at * words_ + w];
                        f.writes[w] |= own_writes[at * words_ + w];
                    }
                    return true;
                },
                seen, stack);
        }
    }

    // may_release: backward fixpoint. release(l) = unlocks(l) + release(successors), minus the
    // mutex l's pure lock step takes first.
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t p = 0; p < procs.size(); ++p) {
            for (std::uint32_t l = 0; l < procs[p].locations.size(); ++l) {
                const std::size_t at = base_[p] + l;
                const auto m = lock_target_[at];
                for (const auto y : next_[at]) {
                    const std::size_t from = base_[p] + y;
                    for (std::size_t w = 0; w < words_; ++w) {
                        std::uint64_t add = release_[from * words_ + w];
                        if (m != UINT32_MAX && m / 64 == w) add &= ~(std::uint64_t{1} << (m % 64));
                        const std::uint64_t old = release_[at * words_ + w];
                        if ((old | add) != old) {
                            release_[at * words_ + w] = old | add;
                            changed = true;
                        }
                    }
                }
            }
        }
    }
}

const char* proviso_name(Proviso p) { return p == Proviso::static_loops ? "static" : "stored"; }

void PorTables::mark_back_edges() {
    // The instances of one declaration with as many locations share one graph, the union of
    // theirs: a cycle of any instance's locations is a cycle of the union, so it holds a back
    // edge of the union's depth-first search, and every instance gets the same back edges.
    const auto procs = ts_.processes();
    back_.assign(next_.size(), {});
    std::vector<char> done(procs.size(), 0);
    std::vector<std::vector<std::uint32_t>> graph;
    std::vector<char> colour;  // 0 not reached, 1 on the search's stack, 2 finished
    std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // location, next edge to try
    for (std::uint32_t p = 0; p < procs.size(); ++p) {
        if (done[p]) continue;
        const auto n = static_cast<std::uint32_t>(procs[p].locations.size());
        std::vector<std::uint32_t> same;
        for (std::uint32_t q = p; q < procs.size(); ++q)
            if (!done[q] && procs[q].decl == procs[p].decl && procs[q].locations.size() == n) {
                same.push_back(q);
                done[q] = 1;
            }
        // A step that strictly increases a counter nothing decreases lies on no cycle of
        // states (monotone.hpp): it is left out when it does so in every instance that has it.
        graph.assign(n, {});
        for (const auto q : same)
            for (std::uint32_t l = 0; l < n; ++l)
                for (const auto y : next_[base_[q] + l]) {
                    bool increasing = true;
                    for (const auto r : same) {
                        const auto& nr = next_[base_[r] + l];
                        const auto& inc = increasing_[base_[r] + l];
                        if (std::binary_search(nr.begin(), nr.end(), y) && !std::binary_search(inc.begin(), inc.end(), y))
                            increasing = false;
                    }
                    if (!increasing) graph[l].push_back(y);
                }
        std::vector<std::vector<std::uint32_t>> back(n);
        colour.assign(n, 0);
        for (std::uint32_t root = 0; root < n; ++root) {
            if (colour[root] != 0) continue;
            colour[root] = 1;
            stack.emplace_back(root, 0);
            while (!stack.empty()) {
                const auto x = stack.back().first;
                const auto i = stack.back().second;
                if (i == graph[x].size()) {
                    colour[x] = 2;
                    stack.pop_back();
                    continue;
                }
                ++stack.back().second;
                const auto y = graph[x][i];
                if (colour[y] == 1) {
                    back[x].push_back(y);  // y is on the stack: x -> y closes a cycle (x == y too)
                } else if (colour[y] == 0) {
                    colour[y] = 1;
                    stack.emplace_back(y, 0);
                }
            }
        }
        for (auto& b : back) {
            std::sort(b.begin(), b.end());
            b.erase(std::unique(b.begin(), b.end()), b.end());
        }
        for (const auto q : same)
            for (std::uint32_t l = 0; l < n; ++l) back_[base_[q] + l] = back[l];
    }
}

bool PorTables::back_edge(std::uint32_t p, std::uint32_t l, std::uint32_t to) const {
    const auto& b = back_[base_[p] + l];
    return std::binary_search(b.begin(), b.end(), to);
}

std::span<const std::uint32_t> PorTables::next(std::uint32_t p, std::uint32_t l) const { return next_[base_[p] + l]; }

Future PorTables::cut_future(std::uint32_t p, std::uint32_t l, std::uint64_t cut) const {
    if (cut == 0) return future(p, l);
    const auto& targets = lock_targets_[p];
    auto blocked = [&](std::uint32_t x) {
        const auto m = lock_target_[base_[p] + x];
        if (m == UINT32_MAX) return false;
        for (std::size_t k = 0; k < targets.size(); ++k)
            if (targets[k] == m) return (cut >> k & 1U) != 0;
        return false;
    };
    Future f;
    f.touch.assign(words_, 0);
    f.writes.assign(words_, 0);
    const auto& proc = ts_.process(ir::ProcessId{p});
    std::vector<char> seen;
    std::vector<std::uint32_t> stack;
    ir::for_each_reachable(
        static_cast<std::uint32_t>(proc.locations.size()), l,
        [&](std::uint32_t x) -> const auto& { return next_[base_[p] + x]; },
        [&](std::uint32_t x) {
            if (blocked(x)) return false;
            const auto g = proc.group_at[x];
            if (g == ir::no_group) return false;
            const auto& fp = ts_.group(g).footprint;
            for (const auto slot : fp.reads.to_vector()) set_bit(f.touch, 0, ir::idx(slot));
            for (const auto slot : fp.may_write.to_vector()) {
                set_bit(f.touch, 0, ir::idx(slot));
                set_bit(f.writes, 0, ir::idx(slot));
            }
            return true;
        },
        seen, stack);
    return f;
}

}  // namespace iomc::reduce
