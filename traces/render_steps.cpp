// SPDX-License-Identifier: MIT
#include "traces/render_steps.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "traces/lasso.hpp"

namespace iomc::traces {

namespace {

std::string step_location(const ir::TransitionSystem& ts, const ReplayedStep& s) {
    if (s.stmt != UINT32_MAX) return ts.sources().file_line(ts.statement(s.stmt).where);
    return ts.sources().file_line(ts.group(s.step.group).where);
}

std::string step_text(const ir::TransitionSystem& ts, const ReplayedStep& s) {
    if (s.stmt != UINT32_MAX) return ts.statement(s.stmt).shown();
    return ts.group(s.step.group).text;
}

}  // namespace

std::string render_violation(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r) {
    std::string out;
    const auto& v = cx.violation;
    if (v.property == ir::no_property) return out;
    const auto& p = ts.property(v.property);
    const std::uint8_t* last = r.states.back().data();
    switch (v.kind) {
        case ViolationKind::on_step: {
            // The statement that failed: inside an atomic block, the block's statement.
            auto s = r.steps.back();
            if (s.failed_stmt != UINT32_MAX) s.stmt = s.failed_stmt;
            out += fmt::format("violated: {}\n", describe(ts, v));
            out += fmt::format("  in {} at {}: {}\n", ts.process(s.process).name, step_location(ts, s), step_text(ts, s));
            break;
        }
        case ViolationKind::in_state: {
            out += fmt::format("violated: {}", describe(ts, v));
            if (p.where) out += fmt::format(" ({})", ts.sources().file_line(*p.where));
            out += "\n";
            const auto& chk = p.checks[v.check];
            for (const auto s : chk.reads.to_vector())
                out += fmt::format("  {} = {}\n", ts.layout().slot(s).name, slot_value(ts, s, last));
            break;
        }
        case ViolationKind::deadlock: {
            out += "violated: deadlock: no process can take a step\n";
            for (std::uint32_t i = 0; i < ts.processes().size(); ++i) {
                const auto& proc = ts.processes()[i];
                const auto loc = static_cast<std::uint32_t>(ts.layout().read(last, proc.pc));
                const auto& l = proc.locations[loc];
                if (l.valid_end) {
                    out += fmt::format("  {} {}\n", proc.name, l.terminal ? "has finished" : "is at a valid end");
                    continue;
                }
                const auto g = proc.group_at[loc];
                out += fmt::format("  {} is blocked at {}: {}\n", proc.name, ts.sources().file_line(l.where),
                                   g == ir::no_group ? std::string("?") : ts.group(g).text);
            }
            // Who holds the mutexes: usually the reason for the blocking.
            for (std::uint32_t i = 0; i < ts.layout().slots().size(); ++i) {
                const ir::SlotId s{i};
                if (ts.layout().slot(s).kind == ir::ValueKind::mutex && ts.layout().read(last, s) >= 0)
                    out += fmt::format("  {} is {}\n", ts.layout().slot(s).name, slot_value(ts, s, last));
            }
            break;
        }
        case ViolationKind::lasso: out += render_lasso(ts, cx, r); break;
    }
    return out;
}

std::string render_steps(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                         const std::vector<std::string>& marks) {
    std::string out;
    std::size_t wproc = 7;
    std::size_t wloc = 8;
    for (const auto& s : r.steps) {
        wproc = std::max(wproc, ts.process(s.process).name.size());
        wloc = std::max(wloc, step_location(ts, s).size());
    }
    out += fmt::format("{:>4}  {:<{}}  {:<{}}  {}\n", "step", "process", wproc, "location", wloc, "statement");
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        out += fmt::format("{:>4}  {:<{}}  {:<{}}  {}\n", i + 1, ts.process(s.process).name, wproc,
                           step_location(ts, s), wloc, step_text(ts, s));
        const std::string indent(6 + wproc + 2 + wloc + 2, ' ');
        if (i < marks.size() && !marks[i].empty()) out += fmt::format("{}<- {}\n", indent, marks[i]);
        // A report shows the step's changes up to the failure, then the failure.
        for (const auto& c : step_changes(ts, r, i)) out += fmt::format("{}{}\n", indent, c);
        if (s.reports) out += fmt::format("{}! {}\n", indent, ir::format_message(ts.message(s.message), s.value));
    }
    out += render_violation(ts, cx, r);
    return out;
}

}  // namespace iomc::traces
