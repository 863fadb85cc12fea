// SPDX-License-Identifier: MIT
#include "checker/explore/simulate.hpp"

#include <cstring>

#include "checker/explore/paths.hpp"
#include "checker/ir/interp.hpp"

namespace iomc::explore {

namespace {

/// splitmix64: small, fast and the same on every platform (std distributions are not).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n), by rejection.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        for (;;) {
            const std::uint64_t x = next();
            if (x < limit) return x % n;
        }
    }

private:
    std::uint64_t s_;
};

}  // namespace

SimulateResult simulate(const ir::TransitionSystem& ts, const SimulateOptions& o) {
    SimulateResult res;
    ir::Interpreter in(ts);
    Rng rng(o.seed);
    const std::size_t bytes = ts.layout().bytes();
    const std::size_t buf = ts.state_buffer_size();
    std::vector<char> selected(ts.properties().size(), o.properties.empty());
    for (auto p : o.properties) selected[ir::idx(p)] = 1;
    selected[ir::idx(ir::prop_runtime_error)] = 1;
    for (const auto& m : ts.metrics()) res.metrics.push_back(SimulatedMetric{m.name});
    std::vector<double> sums(res.metrics.size(), 0);

    std::vector<std::uint8_t> cur(buf), succ;
    struct Choice {
        ir::Step step;
    };
    std::vector<Choice> choices;
    for (std::uint64_t run = 0; run < o.runs; ++run) {
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) {
            res.interrupted = true;
            break;
        }
        ++res.runs;
        ts.initial_state(cur.data());
        traces::Trace trace;
        trace.model_id = ts.model_id();
        auto violation = [&](traces::Violation v) {
            res.counterexample = traces::Counterexample{trace, v};
            res.violating_run = run + 1;
        };
        auto check_invariants = [&]() -> bool {
            for (const auto& p : ts.properties()) {
                if (p.kind != ir::PropertyKind::invariant || !selected[ir::idx(p.id)]) continue;
                for (std::uint32_t c = 0; c < p.checks.size(); ++c) {
                    const auto r = in.eval(p.checks[c].program, cur.data());
                    if (r.ok && r.value != 0) continue;
                    traces::Violation v{p.id, traces::ViolationKind::in_state};
                    v.check = c;
                    if (!r.ok) {
                        v.eval_error = true;
                        v.message = r.message;
                        v.value = r.detail;
                    }
                    violation(v);
                    return false;
                }
            }
            return true;
        };
        if (!check_invariants()) return res;
        bool ended = false;
        for (std::uint64_t d = 0; d < o.depth; ++d) {
            choices.clear();
            std::optional<traces::Violation> report;
            bool crashed = false;
            in.successors(cur.data(), [&](ir::GroupId g, const ir::Emission& e) {
                if (!e.next) {
                    crashed = crashed || e.stops;
                    if (!report && selected[ir::idx(e.prop)]) {
                        report = step_violation(e);
                        trace.steps.push_back(ir::Step{g, e.index});
                    }
                    return;
                }
                choices.push_back(Choice{ir::Step{g, e.index}});
            });
            if (report) {
                violation(*report);
                return res;
            }
            if (!choices.empty() && selected[ir::idx(ir::prop_deadlock)] && !ts.wait_cycle(cur.data()).empty()) {
                traces::Violation v{ir::prop_deadlock, traces::ViolationKind::deadlock};
                v.wait_cycle = true;
                violation(v);
                return res;
            }
            if (choices.empty()) {
                if (!crashed && !ts.all_at_valid_end(cur.data()) && selected[ir::idx(ir::prop_deadlock)]) {
                    violation(traces::Violation{ir::prop_deadlock, traces::ViolationKind::deadlock});
                    return res;
                }
                ended = !crashed;
                break;
            }
            const Choice pick = choices[rng.below(choices.size())];
            // Re-fire the chosen group to get its successor (emission buffers are transient).
            succ.assign(buf, 0);
            in.fire(pick.step.group, cur.data(), [&](const ir::Emission& e) {
                if (e.index == pick.step.outcome && e.next) std::memcpy(succ.data(), e.next, bytes);
            });
            std::memcpy(cur.data(), succ.data(), bytes);
            trace.steps.push_back(pick.step);
            ++res.steps;
            if (!check_invariants()) return res;
        }
        if (!ended) {
            ++res.cut;
            continue;
        }
        ++res.ended;
        const auto ms = ts.metrics();
        for (std::size_t k = 0; k < ms.size(); ++k) {
            const auto r = evaluate_metric(in, ms[k], cur.data());
            if (!r) continue;
            auto& sm = res.metrics[k];
            if (sm.runs == 0 || r->less(sm.min)) sm.min = *r;
            if (sm.runs == 0 || sm.max.less(*r)) sm.max = *r;
            ++sm.runs;
            sums[k] += r->value();
        }
    }
    for (std::size_t k = 0; k < res.metrics.size(); ++k)
        if (res.metrics[k].runs) res.metrics[k].mean = sums[k] / static_cast<double>(res.metrics[k].runs);
    return res;
}

}  // namespace iomc::explore
