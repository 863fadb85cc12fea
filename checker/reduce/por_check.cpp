// SPDX-License-Identifier: MIT
#include "checker/reduce/por_check.hpp"

#include <cstring>

#include <fmt/format.h>

namespace iomc::reduce {

PorSelfCheck::PorSelfCheck(const ir::TransitionSystem& ts) : ts_(ts), interp_(ts), bytes_(ts.layout().bytes()) {}

std::vector<PorSelfCheck::Outcome> PorSelfCheck::fire(ir::GroupId g, const std::uint8_t* s) {
    std::vector<Outcome> out;
    interp_.fire(g, s, [&](const ir::Emission& e) {
        Outcome o;
        o.successor = e.next != nullptr;
        o.prop = e.prop;
        if (e.next) o.state.assign(e.next, e.next + bytes_ + ir::StateLayout::slack);
        out.push_back(std::move(o));
    });
    return out;
}

std::string PorSelfCheck::step_name(ir::GroupId g) const {
    const auto& grp = ts_.group(g);
    return fmt::format("{} '{}' ({})", ts_.process(grp.process).name, grp.text, ts_.sources().file_line(grp.where));
}

std::string PorSelfCheck::state_text(const std::uint8_t* s) const {
    std::string out = "  state:";
    const auto& layout = ts_.layout();
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i)
        out += fmt::format(" {}={}", layout.slots()[i].name, layout.format(ir::SlotId{i}, layout.read(s, ir::SlotId{i})));
    return out + "\n";
}

std::string PorSelfCheck::check_wait_cycle(const std::uint8_t* s, const std::vector<std::uint32_t>& cycle) {
    const auto& layout = ts_.layout();
    std::vector<std::uint32_t> waits;
    for (const auto p : cycle) waits.push_back(ts_.waited_mutex(p, s));
    for (std::uint32_t q = 0; q < ts_.processes().size(); ++q) {
        const auto& proc = ts_.process(ir::ProcessId{q});
        const auto g = proc.group_at[static_cast<std::uint32_t>(layout.read(s, proc.pc))];
        if (g == ir::no_group) continue;
        const auto outs = fire(g, s);
        bool misuse = false;
        for (const auto& o : outs) misuse = misuse || o.prop == ir::prop_mutex;
        if (misuse) continue;
        for (const auto& o : outs) {
            if (!o.successor) continue;
            bool kept = !ts_.wait_cycle(o.state.data()).empty();
            for (std::size_t k = 0; kept && k < cycle.size(); ++k) {
                const auto m = waits[k];
                kept = m != UINT32_MAX && ts_.waited_mutex(cycle[k], o.state.data()) == m &&
                       layout.read(o.state.data(), ir::SlotId{m}) == layout.read(s, ir::SlotId{m});
            }
            if (kept) continue;
            std::string names;
            for (const auto p : cycle) names += (names.empty() ? "" : ", ") + ts_.process(ir::ProcessId{p}).name;
            return fmt::format("partial-order reduction self-check failed (a bug in iomc; please report): the wait "
                               "cycle of {} is taken as stable, but {} opens it\n",
                               names, step_name(g)) +
                   state_text(s);
        }
    }
    return {};
}

std::string PorSelfCheck::describe(const std::uint8_t* s, const StubbornSets& por) const {
    std::string out = state_text(s);
    out += "  stubborn set:";
    const auto chosen = por.last_chosen();
    for (std::uint32_t p = 0; p < por.steps().size(); ++p) {
        const auto& ps = por.steps()[p];
        if (ps.group == ir::no_group) continue;
        out += fmt::format(" {}{}{}", (chosen >> p & 1U) != 0 ? "" : "[outside] ", step_name(ps.group),
                           ps.enabled ? "" : " (disabled)");
        out += ";";
    }
    return out + "\n";
}

std::string PorSelfCheck::check(const StubbornSets& por, const std::uint8_t* s) {
    const auto& steps = por.steps();
    const auto chosen = por.last_chosen();
    const auto& layout = ts_.layout();
    auto fail = [&](const std::string& what) {
        return "partial-order reduction self-check failed (a bug in iomc; please report): " + what + "\n" +
               describe(s, por);
    };
    // Recorded writes cover every change.
    for (std::uint32_t p = 0; p < steps.size(); ++p) {
        const auto& ps = steps[p];
        for (std::uint32_t k = ps.first; k < ps.first + ps.count; ++k) {
            if (!por.buffered(k).next) continue;
            const std::uint8_t* t = por.buffered_state(k);
            for (std::uint32_t i = 0; i < layout.slots().size(); ++i) {
                const ir::SlotId id{i};
                if (layout.read(s, id) != layout.read(t, id) && !ir::Access::has(ps.access.writes, id))
                    return fail(fmt::format("{} changed {} but did not record the write", step_name(ps.group),
                                            layout.slots()[i].name));
            }
        }
    }
    std::uint64_t enabled = 0;
    for (std::uint32_t p = 0; p < steps.size(); ++p)
        if (steps[p].enabled) enabled |= std::uint64_t{1} << p;
    if ((chosen & enabled) == enabled) return {};
    // The invariant checks some enabled step inside the set writes.
    std::vector<std::uint32_t> visible_inside;
    for (std::uint32_t p = 0; p < steps.size(); ++p)
        if ((chosen >> p & 1U) != 0 && steps[p].enabled)
            visible_inside.insert(visible_inside.end(), steps[p].visible_checks.begin(), steps[p].visible_checks.end());
    for (std::uint32_t q = 0; q < steps.size(); ++q) {
        const auto& qs = steps[q];
        if ((chosen >> q & 1U) != 0 || !qs.enabled) continue;
        const auto q_here = fire(qs.group, s);
        for (const auto c : visible_inside) {
            if (intersects(qs.access.writes, por.check_reads(c)))
                return fail(fmt::format("{} outside the set writes what invariant check {} reads, and so does a step "
                                        "inside",
                                        step_name(qs.group), c));
            if (c != por.wait_check()) continue;
            // The wait-cycle check also reads, through the pc, whether q waits at a pure lock.
            const auto pc = ts_.process(ir::ProcessId{q}).pc;
            for (const auto& qo : q_here) {
                if (!qo.successor) continue;
                const auto to = static_cast<std::uint32_t>(layout.read(qo.state.data(), pc));
                if (ts_.wait_key(q, to) != ts_.wait_key(q, qs.location))
                    return fail(fmt::format("{} outside the set starts or stops waiting at a pure lock, and a step "
                                            "inside changes what the wait-cycle check reads",
                                            step_name(qs.group)));
                if (ts_.wait_breaker(q, to) != ts_.wait_breaker(q, qs.location))
                    return fail(fmt::format("{} outside the set changes which slots selecting a waited-for mutex "
                                            "it may still write, and a step inside changes what the wait-cycle "
                                            "check reads",
                                            step_name(qs.group)));
            }
        }
        for (std::uint32_t p = 0; p < steps.size(); ++p) {
            const auto& ps = steps[p];
            if ((chosen >> p & 1U) == 0 || ps.group == ir::no_group) continue;
            const auto p_here = fire(ps.group, s);
            // After each outcome of q, p behaves as in s (same outcomes, or still disabled).
            for (const auto& qo : q_here) {
                if (!qo.successor) continue;
                const auto p_after = fire(ps.group, qo.state.data());
                if (p_after.size() != p_here.size())
                    return fail(fmt::format("{} outside the set {} {} inside it", step_name(qs.group),
                                            ps.enabled ? "changes the outcomes of" : "enables", step_name(ps.group)));
                for (std::size_t i = 0; i < p_here.size(); ++i)
                    if (p_after[i].successor != p_here[i].successor || p_after[i].prop != p_here[i].prop)
                        return fail(fmt::format("{} outside the set changes the outcomes of {} inside it",
                                                step_name(qs.group), step_name(ps.group)));
            }
            if (!ps.enabled) continue;
            // Each pair of outcomes commutes: q after p's outcome i equals p after q's outcome j.
            for (std::size_t i = 0; i < p_here.size(); ++i) {
                if (!p_here[i].successor) continue;
                const auto q_after = fire(qs.group, p_here[i].state.data());
                if (q_after.size() != q_here.size())
                    return fail(fmt::format("{} inside the set changes the outcomes of {} outside it",
                                            step_name(ps.group), step_name(qs.group)));
                for (std::size_t j = 0; j < q_here.size(); ++j) {
                    if (!q_here[j].successor) continue;
                    const auto p_after = fire(ps.group, q_here[j].state.data());
                    if (!q_after[j].successor || !p_after[i].successor ||
                        std::memcmp(q_after[j].state.data(), p_after[i].state.data(), bytes_) != 0)
                        return fail(fmt::format("{} (outcome {}) and {} (outcome {}) do not commute; the set "
                                                "misses the latter",
                                                step_name(ps.group), i, step_name(qs.group), j));
                }
            }
        }
    }
    return {};
}

}  // namespace iomc::reduce
