// SPDX-License-Identifier: MIT
#include "traces/trace.hpp"

#include <fmt/format.h>

namespace iomc::traces {

std::string describe_lasso(const ir::TransitionSystem& ts, const Violation& v) {
    const auto& p = ts.property(v.property);
    const std::string binding =
        v.check < p.goals.size() && !p.goals[v.check].binding.empty() ? fmt::format(" ({})", p.goals[v.check].binding) : "";
    switch (p.form) {
        case ir::LivenessForm::eventually:
            return fmt::format("liveness {}{}: a fair run never reaches the goal", p.name, binding);
        case ir::LivenessForm::leads_to:
            return fmt::format("liveness {}{}: after the trigger, a fair run never reaches the goal", p.name, binding);
        case ir::LivenessForm::always_eventually:
            return fmt::format("liveness {}{}: a fair run stops reaching the goal", p.name, binding);
    }
    return p.name;
}

std::string describe(const ir::TransitionSystem& ts, const Violation& v) {
    const auto& p = ts.property(v.property);
    switch (v.kind) {
        case ViolationKind::deadlock:
            return v.wait_cycle ? "deadlock: processes wait for each other in a cycle"
                                : "deadlock: no process can take a step";
        case ViolationKind::lasso: return describe_lasso(ts, v);
        case ViolationKind::in_state: {
            const auto& chk = p.checks.at(v.check);
            const char* what = p.lemma ? "lemma" : "invariant";
            std::string s = chk.binding.empty() ? fmt::format("{} {}", what, p.name)
                                                : fmt::format("{} {} ({})", what, p.name, chk.binding);
            if (v.eval_error)
                s += fmt::format(" cannot be evaluated: {}", ir::format_message(ts.message(v.message), v.value));
            return s;
        }
        case ViolationKind::on_step: {
            const std::string msg = ir::format_message(ts.message(v.message), v.value);
            if (p.kind == ir::PropertyKind::assertion && p.name != "assertions")
                return fmt::format("{}: {}", p.name, msg);
            return msg;
        }
    }
    return p.name;
}

}  // namespace iomc::traces
