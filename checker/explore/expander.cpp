// SPDX-License-Identifier: MIT
#include "checker/explore/expander.hpp"

namespace iomc::explore {

Expander::Expander(const Plan& plan)
    : use(plan.ts),
      plan_(plan),
      bytes_(plan.ts.layout().bytes()),
      interp_(plan.ts),
      scratch_(plan.ts.state_buffer_size()),
      form_(plan.ts.state_buffer_size()) {
    for (const auto& m : plan.ts.metrics()) metrics.push_back(MetricResult{m.name});
    if (plan.por_tables) {
        por_ = std::make_unique<reduce::StubbornSets>(plan.ts, *plan.por_tables, interp_, plan.por_checks,
                                                     plan.por_wait_check, plan.options.proviso);
        if (plan.options.por_check) check_ = std::make_unique<reduce::PorSelfCheck>(plan.ts);
        if (plan.chains) chain_ = std::make_unique<ChainFollower>(plan);
    }
    if (plan.reductions.symmetry != reduce::SymmetryMode::off)
        canon_ = std::make_unique<reduce::Canonicalizer>(plan.ts, plan.reductions.symmetry, plan.symmetry_candidates);
}

std::vector<traces::Violation> Expander::check_invariants(const std::uint8_t* s, const ViolationLog& log) {
    std::vector<traces::Violation> out;
    for (const auto* p : plan_.invariants) {
        if (!log.wanted(p->id)) continue;
        for (std::uint32_t c = 0; c < p->checks.size(); ++c) {
            const auto res = interp_.eval(p->checks[c].program, s);
            if (!res.ok) {
                // An invariant that cannot be evaluated (say it indexes with none) is a model
                // bug; it counts against the invariant, with the runtime message.
                traces::Violation v{p->id, traces::ViolationKind::in_state};
                v.check = c;
                v.eval_error = true;
                v.message = res.message;
                v.value = res.detail;
                out.push_back(v);
                break;
            }
            if (res.value == 0) {
                traces::Violation v{p->id, traces::ViolationKind::in_state};
                v.check = c;
                out.push_back(v);
                break;
            }
        }
    }
    return out;
}

void Expander::measure(const std::uint8_t* s) {
    const auto ms = plan_.ts.metrics();
    for (std::size_t k = 0; k < ms.size(); ++k) {
        auto& mr = metrics[k];
        const auto r = evaluate_metric(interp_, ms[k], s);
        if (!r) {
            ++mr.undefined;
            continue;
        }
        if (mr.end_states == 0 || r->less(mr.min)) mr.min = *r;
        if (mr.end_states == 0 || mr.max.less(*r)) mr.max = *r;
        ++mr.end_states;
    }
}

void merge_metrics(std::vector<MetricResult>& total, const std::vector<MetricResult>& part) {
    for (std::size_t k = 0; k < total.size(); ++k) {
        auto& t = total[k];
        const auto& p = part[k];
        t.undefined += p.undefined;
        if (p.end_states == 0) continue;
        if (t.end_states == 0 || p.min.less(t.min)) t.min = p.min;
        if (t.end_states == 0 || t.max.less(p.max)) t.max = p.max;
        t.end_states += p.end_states;
    }
}

}  // namespace iomc::explore
