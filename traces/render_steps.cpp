// SPDX-License-Identifier: MIT
#include "traces/render_steps.hpp"

#include <algorithm>
#include <optional>

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

/// "  freed by step 3: owner at kref.mc:6: kref_put(dom.refs)": the last step before the
/// violating one that set the freed flag (`OBJ.(freed)`) of the object the message names, or of
/// any object when the message names it by a variable index.
std::string freed_by(const ir::TransitionSystem& ts, const Replay& r, const std::string& message) {
    std::string object;
    const std::string from = "after '", to = "' was freed";
    if (const auto a = message.find(from); a != std::string::npos)
        if (const auto b = message.find(to, a); b != std::string::npos) object = message.substr(a + from.size(), b - a - from.size());
    const std::string suffix = ".(freed)";
    std::optional<std::size_t> any, named;
    for (std::size_t i = 0; i + 1 < r.steps.size() && i + 1 < r.states.size(); ++i) {
        for (std::uint32_t k = 0; k < ts.layout().slots().size(); ++k) {
            const ir::SlotId sl{k};
            const auto& name = ts.layout().slot(sl).name;
            if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
            if (ts.layout().read(r.states[i].data(), sl) != 0 || ts.layout().read(r.states[i + 1].data(), sl) == 0) continue;
            any = i;
            if (name == object + suffix) named = i;
        }
    }
    const auto at = named ? named : any;
    if (!at) return "";
    const auto& s = r.steps[*at];
    return fmt::format("  freed by step {}: {} at {}: {}\n", *at + 1, ts.process(s.process).name, step_location(ts, s),
                       step_text(ts, s));
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
            if (p.kind == ir::PropertyKind::use_after_free) out += freed_by(ts, r, ts.message(v.message));
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
            if (v.wait_cycle) {
                // Only the processes of the cycle and the mutexes they hold: the others may move.
                out += fmt::format("violated: {}\n", describe(ts, v));
                const auto cycle = ts.wait_cycle(last);
                for (const auto q : cycle) {
                    const auto& proc = ts.processes()[q];
                    const auto loc = static_cast<std::uint32_t>(ts.layout().read(last, proc.pc));
                    out += fmt::format("  {} is blocked at {}: {}\n", proc.name,
                                       ts.sources().file_line(proc.locations[loc].where),
                                       ts.group(proc.group_at[loc]).text);
                }
                for (const auto q : cycle) {
                    const ir::SlotId m{ts.waited_mutex(q, last)};
                    out += fmt::format("  {} is {}\n", ts.layout().slot(m).name, slot_value(ts, m, last));
                }
                break;
            }
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
