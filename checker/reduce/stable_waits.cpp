// SPDX-License-Identifier: MIT
#include "checker/reduce/stable_waits.hpp"

#include <fmt/format.h>

namespace iomc::reduce {

std::string wait_cycles_unstable(const ir::TransitionSystem& ts) {
    if (!ts.has_lock_waits()) return {};
    const auto& layout = ts.layout();
    ir::SlotSet waited(layout.slots().size());
    for (const auto slot : ts.wait_reads().to_vector())
        if (layout.slots()[ir::idx(slot)].kind == ir::ValueKind::mutex) waited.insert(slot);
    for (const auto& proc : ts.processes())
        for (const auto g : proc.group_at) {
            if (g == ir::no_group) continue;
            for (const auto& in : ts.group(g).code.code) {
                switch (in.kind) {
                    case ir::InstrKind::assign:
                    case ir::InstrKind::choose:
                    case ir::InstrKind::kref_init:
                    case ir::InstrKind::kref_get:
                    case ir::InstrKind::kref_put: break;
                    default: continue;
                }
                ir::SlotSet w(layout.slots().size());
                ir::lvalue_slots(in.target, w);
                if (in.has_result) ir::lvalue_slots(in.result, w);
                for (const auto slot : w.to_vector())
                    if (waited.contains(slot))
                        return fmt::format("{} ({}): a write of waited-for mutex '{}' other than lock and unlock",
                                           proc.name, ts.sources().file_line(ts.group(g).where),
                                           layout.slots()[ir::idx(slot)].name);
            }
        }
    return {};
}

}  // namespace iomc::reduce
