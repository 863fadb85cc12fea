// SPDX-License-Identifier: MIT
#include "checker/explore/plan.hpp"

#include <fmt/format.h>

#include "checker/reduce/stable_waits.hpp"
#include "checker/reduce/stubborn_set.hpp"
#include "checker/reduce/symmetry.hpp"

namespace iomc::explore {

Plan::Plan(const ir::TransitionSystem& t, const Options& o, std::string unstable) : ts(t), options(o) {
    const auto nprops = ts.properties().size();
    selected.assign(nprops, o.properties.empty());
    for (const auto p : o.properties) selected[ir::idx(p)] = true;
    selected[ir::idx(ir::prop_runtime_error)] = true;
    // Liveness and lock order are not the explorer's: checker/liveness/ and checker/graph/
    // check them (cli::check_all merges the results).
    for (const auto& p : ts.properties())
        if (p.kind == ir::PropertyKind::liveness || p.kind == ir::PropertyKind::lock_order) selected[ir::idx(p.id)] = false;
    for (const auto& p : ts.properties())
        if (selected[ir::idx(p.id)] && p.kind == ir::PropertyKind::invariant) invariants.push_back(&p);
    check_deadlock = selected[ir::idx(ir::prop_deadlock)];

    if (o.por) {
        if (ts.processes().size() > reduce::StubbornSets::max_processes) {
            reductions.por_off = fmt::format("more than {} processes", reduce::StubbornSets::max_processes);
        } else {
            por_tables = std::make_unique<reduce::PorTables>(ts);
            for (const auto b : por_tables->bool_locks().slots()) reductions.bool_locks.push_back(ts.layout().slots()[b].name);
            const std::size_t words = por_tables->words();
            for (const auto* p : invariants)
                for (const auto& c : p->checks) {
                    por_checks.resize(por_checks.size() + words, 0);
                    for (const auto slot : c.reads.to_vector())
                        por_checks[por_checks.size() - words + ir::idx(slot) / 64] |= std::uint64_t{1} << (ir::idx(slot) % 64);
                }
            // The wait-cycle part of deadlock is a stable predicate where held mutexes change
            // only by lock and their owners' unlock (reduce/stable_waits.hpp): the reduction
            // keeps it with no visible step, and the search watches for an unlock by a
            // non-owner. Otherwise it is a state predicate like an invariant, the last check:
            // it reads the mutexes pure lock steps wait for (with their indices and
            // use-after-free checks), and a step that moves its process onto or off a pure lock
            // location, or past its last write of such an index, is visible to it too
            // (StubbornSets).
            if (check_deadlock && ts.has_lock_waits() && unstable.empty()) {
                if (o.wait_cycles_visible) unstable = "asked for";
                else unstable = reduce::wait_cycles_unstable(ts);
            }
            if (check_deadlock && ts.has_lock_waits() && unstable.empty()) {
                watch_unowned_unlocks = true;
                reductions.wait_cycles = "stable";
            } else if (check_deadlock && ts.has_lock_waits()) {
                reductions.wait_cycles = "visible: " + unstable;
                por_checks.resize(por_checks.size() + words, 0);
                for (const auto slot : ts.wait_reads().to_vector())
                    por_checks[por_checks.size() - words + ir::idx(slot) / 64] |= std::uint64_t{1} << (ir::idx(slot) % 64);
                por_wait_check = true;
            }
            reductions.por = true;
            reductions.proviso = por_proviso_text(o.proviso, o.strategy);
            reductions.proviso_kind = o.proviso;
        }
    }
    if (o.symmetry != reduce::SymmetryMode::off) {
        const auto& sym = ts.symmetry();
        for (const auto& sc : sym.scalarsets) {
            if (sc.breaches.empty() || sc.size < 2) continue;
            const auto& b = sc.breaches.front();
            reductions.asymmetric.push_back(fmt::format("{}: {} ({})", sc.name, b.what, ts.sources().location(b.where)));
        }
        auto mode = o.symmetry;
        if (o.storage == StorageKind::hash) {
            mode = reduce::SymmetryMode::exact;
            symmetry_candidates = UINT64_MAX;
        }
        const reduce::Canonicalizer probe(ts, mode);
        if (probe.active()) {
            reductions.symmetry = mode;
            for (const auto k : probe.reduced())
                reductions.symmetric.push_back(fmt::format("{} ({})", sym.scalarsets[k].name, sym.scalarsets[k].size));
        }
    }
    if (reductions.por) {
        if (!o.chains) reductions.chains = "off: asked";
        else if (o.proviso != reduce::Proviso::static_loops) reductions.chains = "off: the stored proviso";
        else if (reductions.symmetry != reduce::SymmetryMode::off) reductions.chains = "off: symmetry";
        else reductions.chains = "on";
        chains = reductions.chains == "on";
    }
}

ViolationLog::ViolationLog(const Plan& plan) : plan_(plan), found_(new std::atomic<bool>[plan.selected.size()]) {
    for (std::size_t i = 0; i < plan.selected.size(); ++i) {
        found_[i].store(false);
        remaining_ += plan.selected[i] ? 1 : 0;
    }
}

bool ViolationLog::record(traces::Counterexample cx) {
    const std::lock_guard<std::mutex> g(lock_);
    const auto p = ir::idx(cx.violation.property);
    if (!plan_.selected[p] || found_[p].load(std::memory_order_relaxed)) return done();
    found_[p].store(true, std::memory_order_relaxed);
    violations_.push_back(std::move(cx));
    --remaining_;
    if (plan_.options.stop_at_first || remaining_ == 0) done_.store(true, std::memory_order_relaxed);
    return done();
}

void ViolationLog::fill(Result& r, bool complete) const {
    const std::lock_guard<std::mutex> g(lock_);
    r.unowned_unlock = unowned_unlock_.load();
    for (std::uint32_t i = 0; i < plan_.selected.size(); ++i) {
        if (!plan_.selected[i]) continue;
        PropertyResult pr;
        pr.property = ir::PropertyId{i};
        if (found_[i].load()) {
            pr.verdict = Verdict::violated;
            for (const auto& cx : violations_)
                if (ir::idx(cx.violation.property) == i) pr.counterexample = cx;
        } else {
            pr.verdict = complete ? Verdict::holds : Verdict::incomplete;
        }
        r.properties.push_back(std::move(pr));
    }
    if (!violations_.empty()) {
        r.verdict = Verdict::violated;
        r.counterexample = violations_.front();
    } else {
        r.verdict = complete ? Verdict::holds : Verdict::incomplete;
    }
}

}  // namespace iomc::explore
