// SPDX-License-Identifier: MIT
#include "checker/explore/paths.hpp"

#include <cstring>
#include <memory>
#include <optional>

#include "checker/ir/interp.hpp"
#include "checker/support/check.hpp"

namespace iomc::explore {

bool StoredChain::matches(std::size_t k, const std::uint8_t* form, std::size_t bytes) const {
    if (fingerprint) return fingerprint(form) == fingerprints[k];
    return std::memcmp(form, forms[k].data(), bytes) == 0;
}

traces::Trace realize_path(const ir::TransitionSystem& ts, const StoredChain& chain, reduce::Canonicalizer* canon,
                           std::vector<std::uint8_t>& last, ChainFollower* chains) {
    traces::Trace t;
    t.model_id = ts.model_id();
    ir::Interpreter in(ts);
    const std::size_t bytes = ts.layout().bytes();
    last.assign(ts.state_buffer_size(), 0);
    std::vector<std::uint8_t> next(ts.state_buffer_size()), canonical(ts.state_buffer_size());
    ts.initial_state(last.data());
    for (std::size_t k = 1; k < chain.size(); ++k) {
        bool found = false;
        in.successors(last.data(), [&](ir::GroupId g, const ir::Emission& e) {
            if (found || !e.next) return;
            const std::uint8_t* form = e.next;
            if (canon) {
                canon->canonicalize(e.next, canonical.data());
                form = canonical.data();
            }
            if (!chain.matches(k, form, bytes)) return;
            t.steps.push_back(ir::Step{g, e.index});
            std::memcpy(next.data(), e.next, bytes);
            found = true;
        });
        if (!found && chains) {
            // The search passed through single-step states (chains.hpp): follow each successor's
            // chain as it did, until one ends in the stored state.
            std::vector<ir::Step> steps;
            in.successors(last.data(), [&](ir::GroupId g, const ir::Emission& e) {
                if (found || !e.next) return;
                steps.clear();
                const std::uint8_t* end = chains->follow(e.next, &steps);
                if (end == e.next || !chain.matches(k, end, bytes)) return;
                t.steps.push_back(ir::Step{g, e.index});
                t.steps.insert(t.steps.end(), steps.begin(), steps.end());
                std::memcpy(next.data(), end, bytes);
                found = true;
            });
        }
        IOMC_CHECK(found);
        std::memcpy(last.data(), next.data(), bytes);
    }
    return t;
}

void realize_violation(const ir::TransitionSystem& ts, const std::uint8_t* last, traces::Counterexample& cx) {
    ir::Interpreter in(ts);
    auto& v = cx.violation;
    switch (v.kind) {
        case traces::ViolationKind::in_state: {
            const auto& p = ts.property(v.property);
            for (std::uint32_t c = 0; c < p.checks.size(); ++c) {
                const auto r = in.eval(p.checks[c].program, last);
                if (!r.ok) {
                    v.check = c;
                    v.eval_error = true;
                    v.message = r.message;
                    v.value = r.detail;
                    return;
                }
                if (r.value == 0) {
                    v.check = c;
                    v.eval_error = false;
                    return;
                }
            }
            IOMC_UNREACHABLE("no check of the invariant fails in the realized state");
        }
        case traces::ViolationKind::on_step: {
            // The step of `last` that reports the property: the image of the representative's
            // step; prefer the same message (it may name an element, then any report of it).
            std::optional<ir::Step> same_message, same_property;
            in.successors(last, [&](ir::GroupId g, const ir::Emission& e) {
                if (e.next || e.prop != v.property) return;
                if (!same_property) same_property = ir::Step{g, e.index};
                if (!same_message && e.message == v.message && e.value == v.value) same_message = ir::Step{g, e.index};
            });
            const auto pick = same_message ? same_message : same_property;
            IOMC_CHECK(pick.has_value());
            cx.trace.steps.push_back(*pick);
            if (!same_message) {
                // Re-read the report's message and value from the chosen step.
                in.fire(pick->group, last, [&](const ir::Emission& e) {
                    if (e.index == pick->outcome) {
                        v.message = e.message;
                        v.value = e.value;
                    }
                });
            }
            return;
        }
        case traces::ViolationKind::deadlock: return;
        case traces::ViolationKind::lasso: return;  // the explorer finds none (checker/liveness/)
    }
}

traces::Counterexample make_counterexample(const Plan& plan, const StoredChain& chain, const traces::Violation& v,
                                           std::optional<ir::Step> step) {
    std::vector<std::uint8_t> last;
    std::unique_ptr<reduce::Canonicalizer> canon;
    const StoredChain* links = &chain;
    StoredChain exact;
    if (plan.reductions.symmetry != reduce::SymmetryMode::off) {
        // The stored forms may be heuristic (several per orbit, or exact with a fallback): the
        // run is matched link by link on exact forms, with no bound on the ties tried.
        canon = std::make_unique<reduce::Canonicalizer>(plan.ts, reduce::SymmetryMode::exact, UINT64_MAX);
        // With hash compaction the search stored exact forms too (Plan::symmetry_candidates),
        // so their fingerprints match.
        if (!chain.fingerprint) {
            exact.forms = chain.forms;
            for (auto& f : exact.forms) {
                f.resize(plan.ts.state_buffer_size(), 0);
                std::vector<std::uint8_t> out(plan.ts.state_buffer_size());
                canon->canonicalize(f.data(), out.data());
                f = std::move(out);
            }
            links = &exact;
        }
    }
    std::unique_ptr<ChainFollower> chains;
    if (plan.chains) chains = std::make_unique<ChainFollower>(plan);
    traces::Counterexample cx{realize_path(plan.ts, *links, canon.get(), last, chains.get()), v};
    if (canon) {
        realize_violation(plan.ts, last.data(), cx);
    } else if (step) {
        cx.trace.steps.push_back(*step);
    }
    return cx;
}

traces::Violation step_violation(const ir::Emission& e) {
    traces::Violation v{e.prop, traces::ViolationKind::on_step};
    v.message = e.message;
    v.value = e.value;
    return v;
}

traces::Violation deadlock_violation(bool wait_cycle) {
    traces::Violation v{ir::prop_deadlock, traces::ViolationKind::deadlock};
    v.wait_cycle = wait_cycle;
    return v;
}

}  // namespace iomc::explore
