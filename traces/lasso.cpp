// SPDX-License-Identifier: MIT
#include "traces/lasso.hpp"

#include <cstring>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"

namespace iomc::traces {

bool process_enabled(const ir::TransitionSystem& ts, ir::ProcessId p, const std::uint8_t* s) {
    const auto& proc = ts.process(p);
    const auto loc = static_cast<std::uint32_t>(ts.layout().read(s, proc.pc));
    const auto g = proc.group_at[loc];
    if (g == ir::no_group) return false;
    ir::Interpreter in(ts);
    bool any = false;
    in.fire(g, s, [&](const ir::Emission& e) { any = any || e.next != nullptr; });
    return any;
}

std::optional<std::string> confirm_lasso(const ir::TransitionSystem& ts, const Violation& v, const Replay& r) {
    const auto& p = ts.property(v.property);
    if (p.kind != ir::PropertyKind::liveness) return fmt::format("{} is not a liveness property", p.name);
    if (v.check >= p.goals.size()) return std::string("the trace names a goal instance this model does not have");
    const std::size_t n = r.steps.size();
    if (v.cycle_start > n || v.trigger_at > v.cycle_start)
        return fmt::format("the lasso's positions (trigger at state {}, cycle from state {}) do not fit its {} steps",
                           v.trigger_at, v.cycle_start, n);
    for (std::size_t i = 0; i < n; ++i)
        if (r.steps[i].reports) return fmt::format("step {} reports a violation: a lasso has only moves", i + 1);
    ir::Interpreter in(ts);
    if (p.form == ir::LivenessForm::leads_to) {
        const auto t = in.eval(p.triggers[v.check].program, r.states[v.trigger_at].data());
        if (!t.ok || t.value == 0) return fmt::format("the trigger of {} does not hold at state {}", p.name, v.trigger_at);
    } else if (p.form == ir::LivenessForm::eventually && v.trigger_at != 0) {
        return std::string("an 'eventually' lasso starts at the initial state");
    }
    // always eventually: the goal must fail on the cycle only; the others: from the trigger on.
    const std::size_t from = p.form == ir::LivenessForm::always_eventually ? v.cycle_start : v.trigger_at;
    for (std::size_t i = from; i <= n; ++i) {
        const auto g = in.eval(p.goals[v.check].program, r.states[i].data());
        if (!g.ok) return fmt::format("the goal of {} cannot be evaluated at state {}", p.name, i);
        if (g.value != 0) return fmt::format("the goal of {} holds at state {} (after step {})", p.name, i, i);
    }
    const std::uint8_t* last = r.states.back().data();
    if (v.cycle_start == n) {
        const auto k = in.successors(last, [](ir::GroupId, const ir::Emission&) {});
        if (k != 0) return fmt::format("the run stops, but {} step{} possible in its last state", k, k == 1 ? " is" : "s are");
        return std::nullopt;
    }
    const std::size_t bytes = ts.layout().bytes();
    if (std::memcmp(last, r.states[v.cycle_start].data(), bytes) != 0)
        return fmt::format("the cycle does not return to its first state (the state after step {})", v.cycle_start);
    for (std::uint32_t q = 0; q < ts.processes().size(); ++q) {
        const ir::ProcessId pid{q};
        bool steps = false;
        for (std::size_t i = v.cycle_start; i < n && !steps; ++i) steps = r.steps[i].process == pid;
        if (steps) continue;
        // Weak: disabled somewhere on the cycle. Strong: disabled everywhere on it.
        bool some_disabled = false, all_disabled = true;
        for (std::size_t i = v.cycle_start; i < n; ++i) {
            const bool off = !process_enabled(ts, pid, r.states[i].data());
            some_disabled = some_disabled || off;
            all_disabled = all_disabled && off;
        }
        if (!v.strong_fairness && !some_disabled)
            return fmt::format("weak fairness fails on the cycle: {} can step in every state of it and never does",
                               ts.process(pid).name);
        if (v.strong_fairness && !all_disabled)
            return fmt::format("strong fairness fails on the cycle: {} can step in some state of it and never does",
                               ts.process(pid).name);
    }
    return std::nullopt;
}

std::string render_lasso(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r) {
    const auto& v = cx.violation;
    const auto& p = ts.property(v.property);
    std::string out = fmt::format("violated: {}", describe(ts, v));
    if (p.where) out += fmt::format(" ({})", ts.sources().file_line(*p.where));
    out += "\n";
    const std::size_t n = r.steps.size();
    if (p.form == ir::LivenessForm::leads_to)
        out += v.trigger_at == 0 ? "  the trigger holds in the initial state\n"
                                 : fmt::format("  the trigger holds after step {}\n", v.trigger_at);
    if (v.cycle_start == n) {
        out += fmt::format("  the run ends after step {}: no process can take a step, and the goal never holds\n", n);
    } else {
        out += fmt::format("  steps {}-{} form a cycle back to the state {}; the goal holds nowhere on it\n",
                           v.cycle_start + 1, n, v.cycle_start == 0 ? "at the start" : fmt::format("after step {}", v.cycle_start));
        std::string fair;
        for (std::uint32_t q = 0; q < ts.processes().size(); ++q) {
            const ir::ProcessId pid{q};
            bool steps = false;
            for (std::size_t i = v.cycle_start; i < n && !steps; ++i) steps = r.steps[i].process == pid;
            if (!steps) fair += (fair.empty() ? "" : ", ") + ts.process(pid).name;
        }
        if (!fair.empty())
            out += fmt::format("  not stepping on the cycle, each blocked {} on it ({} fairness): {}\n",
                               v.strong_fairness ? "everywhere" : "somewhere", v.strong_fairness ? "strong" : "weak", fair);
    }
    const std::uint8_t* at = r.states[v.cycle_start].data();
    for (const auto s : p.goals[v.check].reads.to_vector())
        out += fmt::format("  {} = {}\n", ts.layout().slot(s).name, slot_value(ts, s, at));
    return out;
}

std::vector<std::string> lasso_marks(const Counterexample& cx) {
    const auto& v = cx.violation;
    const std::size_t n = cx.trace.steps.size();
    std::vector<std::string> marks(n);
    if (v.kind != ViolationKind::lasso) return {};
    if (v.trigger_at > 0 && v.trigger_at <= n) marks[v.trigger_at - 1] = "the trigger holds after this step";
    if (v.cycle_start < n) {
        auto& m = marks[v.cycle_start];
        m += (m.empty() ? "" : "; ") + std::string("the cycle starts here");
        auto& e = marks[n - 1];
        e += (e.empty() ? "" : "; ") + fmt::format("back to the state before step {}", v.cycle_start + 1);
    }
    return marks;
}

}  // namespace iomc::traces
