// SPDX-License-Identifier: MIT
#include "checker/ir/transition_system.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "checker/support/check.hpp"
#include "checker/support/hash.hpp"

namespace iomc::ir {

TransitionSystem::TransitionSystem(Data d) : d_(std::move(d)) {
    CompileContext ctx{d_.layout, d_.messages};
    for (auto& p : d_.properties)
        for (auto& c : p.checks) c.program = compile_expr(c.expr, ctx);
    for (auto& p : d_.properties) {
        for (auto* side : {&p.goals, &p.triggers})
            for (auto& c : *side) {
                c.program = compile_expr(c.expr, ctx);
                c.reads = SlotSet(d_.layout.slots().size());
                expr_reads(c.expr, c.reads, nullptr);
            }
    }
    for (auto& m : d_.metrics) {
        m.value_program = compile_expr(m.value, ctx);
        if (m.per) m.per_program = compile_expr(*m.per, ctx);
    }
    SlotSet written(d_.layout.slots().size());
    for (auto& g : d_.groups) {
        const SlotId pc = d_.processes[idx(g.process)].pc;
        g.program = compile_fragment(g.code, pc, ctx, false);
        g.traced = compile_fragment(g.code, pc, ctx, true);
        g.footprint = fragment_footprint(g.code, pc);
        written.merge(g.footprint.may_write);
    }
    // Slots no step writes keep their initial value: element accesses indexed by them (such as
    // group_mutex[the_group]) touch one element, which is what the reductions need to know.
    FixedSlots fixed(d_.layout.slots().size());
    for (std::uint32_t i = 0; i < fixed.size(); ++i)
        if (!written.contains(SlotId{i})) fixed[i] = d_.layout.slots()[i].init;
    SlotSet visible_slots(d_.layout.slots().size());
    for (auto& p : d_.properties)
        for (auto& c : p.checks) {
            c.reads = SlotSet(d_.layout.slots().size());
            expr_reads(c.expr, c.reads, &fixed);
            visible_slots.merge(c.reads);
        }
    for (auto& g : d_.groups) {
        g.footprint = fragment_footprint(g.code, d_.processes[idx(g.process)].pc, &fixed);
        g.visible = g.footprint.may_write.intersects(visible_slots);
    }
    // Model id: a hash over everything that decides behaviour.
    support::Hasher h;
    h.add_string(d_.info.variant);
    for (const auto& [n, v] : d_.info.constants) {
        h.add_string(n);
        h.add(static_cast<std::uint64_t>(v));
    }
    for (const auto& s : d_.layout.slots()) {
        h.add_string(s.name);
        h.add(static_cast<std::uint64_t>(s.lo));
        h.add(static_cast<std::uint64_t>(s.hi));
        h.add(static_cast<std::uint64_t>(s.init));
    }
    for (const auto& g : d_.groups) {
        h.add(idx(g.process));
        h.add(g.location);
        h.add_string(g.text);
        for (const auto& in : g.program.code) {
            h.add(static_cast<std::uint64_t>(in.op) | static_cast<std::uint64_t>(in.w) << 8);
            h.add(static_cast<std::uint64_t>(static_cast<std::uint32_t>(in.a)) |
                  static_cast<std::uint64_t>(static_cast<std::uint32_t>(in.b)) << 32);
            h.add(static_cast<std::uint64_t>(static_cast<std::uint32_t>(in.c)) |
                  static_cast<std::uint64_t>(static_cast<std::uint32_t>(in.d)) << 32);
        }
    }
    // lock_order is every model's (opt-in) built-in: it does not change the id.
    for (const auto& p : d_.properties)
        if (p.kind != PropertyKind::lock_order) h.add_string(p.name);
    for (const auto& m : d_.metrics) h.add_string(m.name);
    model_id_ = h.digest();
    find_lock_waits(fixed);
}

std::optional<PropertyId> TransitionSystem::find_property(std::string_view name) const {
    for (const auto& p : d_.properties)
        if (p.name == name) return p.id;
    return std::nullopt;
}

void TransitionSystem::initial_state(std::uint8_t* out) const {
    std::memset(out, 0, state_buffer_size());
    for (std::uint32_t i = 0; i < d_.layout.slots().size(); ++i)
        d_.layout.write(out, SlotId{i}, d_.layout.slots()[i].init);
}

bool TransitionSystem::all_at_valid_end(const std::uint8_t* s) const {
    for (const auto& p : d_.processes) {
        const auto loc = static_cast<std::size_t>(d_.layout.read(s, p.pc));
        if (!p.locations[loc].valid_end) return false;
    }
    return true;
}

std::string ModelInfo::constant_text(std::size_t i) const {
    if (i < constant_is_bool.size() && constant_is_bool[i]) return constants[i].second ? "true" : "false";
    if (i < constant_names.size() && !constant_names[i].empty()) return constant_names[i];
    return fmt::format("{}", constants[i].second);
}

std::string format_message(const std::string& tmpl, std::int64_t value) {
    std::string out;
    const std::string key = "{value}";
    std::size_t pos = 0;
    for (;;) {
        const auto f = tmpl.find(key, pos);
        if (f == std::string::npos) break;
        out += tmpl.substr(pos, f - pos);
        out += fmt::format("{}", value);
        pos = f + key.size();
    }
    out += tmpl.substr(pos);
    return out;
}

}  // namespace iomc::ir
