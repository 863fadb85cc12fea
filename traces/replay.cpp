// SPDX-License-Identifier: MIT
#include "traces/replay.hpp"

#include "traces/lasso.hpp"

#include <fmt/format.h>

#include "checker/ir/interp.hpp"

namespace iomc::traces {

namespace {

std::string process_state(const ir::TransitionSystem& ts, ir::ProcessId p, const std::uint8_t* s) {
    const auto& proc = ts.process(p);
    const auto loc = static_cast<std::uint32_t>(ts.layout().read(s, proc.pc));
    const auto& l = proc.locations[loc];
    if (l.terminal) return "has finished";
    const auto g = proc.group_at[loc];
    return fmt::format("is at {}: {}", ts.sources().file_line(l.where),
                       g == ir::no_group ? std::string("?") : ts.group(g).text);
}

/// The slot that starts at bit `bit` of the state, if any.
std::optional<ir::SlotId> slot_at_bit(const ir::TransitionSystem& ts, std::uint32_t bit) {
    const auto& layout = ts.layout();
    std::optional<ir::SlotId> out;
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i) {
        if (layout.slots()[i].bit_offset != bit) continue;
        if (layout.slots()[i].width > 0) return ir::SlotId{i};
        if (!out) out = ir::SlotId{i};  // a slot of one value takes no bits
    }
    return out;
}

}  // namespace

Replay replay(const ir::TransitionSystem& ts, const Trace& t) {
    Replay r;
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> cur(ts.state_buffer_size());
    ts.initial_state(cur.data());
    r.states.push_back(cur);
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        const auto& st = t.steps[i];
        if (ir::idx(st.group) >= ts.groups().size()) {
            r.error = fmt::format("step {}: there is no transition group {} in this model", i + 1, ir::idx(st.group));
            return r;
        }
        const auto& g = ts.group(st.group);
        bool found = false;
        ReplayedStep rs;
        rs.step = st;
        rs.process = g.process;
        std::uint32_t outcomes = 0;
        in.fire(st.group, cur.data(), [&](const ir::Emission& e) {
            ++outcomes;
            if (e.index != st.outcome) return;
            found = true;
            rs.stmt = e.stmt;
            if (e.chose_bit >= 0) rs.chosen = slot_at_bit(ts, static_cast<std::uint32_t>(e.chose_bit));
            if (e.next) {
                std::copy(e.next, e.next + ts.state_buffer_size(), cur.begin());
            } else {
                rs.reports = true;
                rs.reported = e.prop;
                rs.message = e.message;
                rs.value = e.value;
                // Message 0 is a path that never ends (interp.cpp): the block is what failed.
                rs.failed_stmt = e.message == 0 && e.prop == ir::prop_runtime_error ? e.stmt : e.at_stmt;
                if (rs.failed_stmt == UINT32_MAX) rs.failed_stmt = e.stmt;
                if (e.at) std::copy(e.at, e.at + ts.state_buffer_size(), cur.begin());
            }
        });
        if (!found) {
            const auto& proc = ts.process(g.process);
            if (outcomes == 0) {
                r.error = fmt::format("step {}: {} '{}' is not enabled here; {} {}", i + 1, proc.name, g.text,
                                      proc.name, process_state(ts, g.process, cur.data()));
            } else {
                r.error = fmt::format("step {}: {} '{}' has {} outcome{} here, not {}", i + 1, proc.name, g.text,
                                      outcomes, outcomes == 1 ? "" : "s", st.outcome + 1);
            }
            return r;
        }
        if (rs.reports && i + 1 != t.steps.size()) {
            r.error = fmt::format("step {}: a violation report must be the last step", i + 1);
            return r;
        }
        r.steps.push_back(rs);
        r.states.push_back(cur);
    }
    r.ok = true;
    return r;
}

std::optional<std::string> confirm(const ir::TransitionSystem& ts, const Counterexample& cx, Replay& r) {
    r = replay(ts, cx.trace);
    if (!r.ok) return r.error;
    const auto& v = cx.violation;
    if (ir::idx(v.property) >= ts.properties().size()) return std::string("the trace names a property this model does not have");
    const std::uint8_t* last = r.states.back().data();
    switch (v.kind) {
        case ViolationKind::on_step:
            if (r.steps.empty() || !r.steps.back().reports || r.steps.back().reported != v.property)
                return fmt::format("the last step does not report {}", ts.property(v.property).name);
            return std::nullopt;
        case ViolationKind::in_state: {
            const auto& p = ts.property(v.property);
            if (v.check >= p.checks.size()) return std::string("the trace names an invariant instance this model does not have");
            ir::Interpreter in(ts);
            const auto res = in.eval(p.checks[v.check].program, last);
            if (v.eval_error) {
                if (res.ok) return fmt::format("invariant {} can be evaluated at the end of the trace", p.name);
                return std::nullopt;
            }
            if (!res.ok || res.value != 0) return fmt::format("invariant {} holds at the end of the trace", p.name);
            return std::nullopt;
        }
        case ViolationKind::deadlock: {
            if (v.wait_cycle) {
                if (ts.wait_cycle(last).empty())
                    return std::string("no processes wait for each other in a cycle in the last state");
                return std::nullopt;
            }
            ir::Interpreter in(ts);
            const auto n = in.successors(last, [](ir::GroupId, const ir::Emission&) {});
            if (n != 0) return fmt::format("the last state is not a deadlock: {} step{} possible", n, n == 1 ? " is" : "s are");
            if (ts.all_at_valid_end(last)) return std::string("the last state is a valid end state, not a deadlock");
            return std::nullopt;
        }
        case ViolationKind::lasso: return confirm_lasso(ts, v, r);
    }
    return std::nullopt;
}

std::string slot_value(const ir::TransitionSystem& ts, ir::SlotId s, const std::uint8_t* st) {
    const auto& sl = ts.layout().slot(s);
    const auto v = ts.layout().read(st, s);
    if (sl.kind == ir::ValueKind::pc && sl.process < ts.processes().size()) {
        const auto& p = ts.process(ir::ProcessId{sl.process});
        const auto& l = p.locations[static_cast<std::size_t>(v)];
        if (l.terminal) return "finished";
        if (!l.label.empty()) return fmt::format("at {}", l.label);
        return fmt::format("at {}", ts.sources().file_line(l.where));
    }
    return ts.layout().format(s, v);
}

std::vector<ir::SlotId> changed_slots(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                      const std::uint8_t* after) {
    std::vector<ir::SlotId> out;
    const auto& layout = ts.layout();
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i) {
        const ir::SlotId s{i};
        if (layout.slot(s).kind == ir::ValueKind::pc || layout.slot(s).hidden) continue;
        if (layout.read(before, s) != layout.read(after, s)) out.push_back(s);
    }
    return out;
}

std::vector<std::string> step_changes(const ir::TransitionSystem& ts, const Replay& r, std::size_t i) {
    const std::uint8_t* before = r.states[i].data();
    const std::uint8_t* after = r.states[i + 1].data();
    auto out = changed_variables(ts, before, after);
    const auto& c = r.steps[i].chosen;
    if (c && !ts.layout().slot(*c).hidden && ts.layout().read(before, *c) == ts.layout().read(after, *c))
        out.push_back(fmt::format("{}: {} (chosen, unchanged)", ts.layout().slot(*c).name, slot_value(ts, *c, after)));
    return out;
}

std::vector<std::string> changed_variables(const ir::TransitionSystem& ts, const std::uint8_t* before,
                                           const std::uint8_t* after) {
    std::vector<std::string> out;
    for (const auto s : changed_slots(ts, before, after))
        out.push_back(fmt::format("{}: {} -> {}", ts.layout().slot(s).name, slot_value(ts, s, before),
                                  slot_value(ts, s, after)));
    return out;
}

}  // namespace iomc::traces
