// SPDX-License-Identifier: MIT
/// @file Processes pass: enumerates the process instances (one per combination of parameter
/// values, processes in declaration order) and turns each instance's control-flow graph into
/// its IR locations and transition groups. Input: SymbolTable and TypeResolver (parameter
/// types); per instance, the ProcessCfg of the statements pass. Output: the Instances
/// (StateLayout::process_names); per instance an ir::Process, its pc slot and its
/// ir::TransitionGroups, and the InstanceLocations that `@`, `past` and the symmetry pass read
/// (labels, dominators; per location the scalarset loops around it; the compile-time decisions).
#pragma once

#include <cstdint>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/statement_lowering.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// Every process instance of every module, in declaration order, parameter values varying
/// fastest on the right; their names go to `layout.process_names`. A process whose parameter
/// type is wrong is reported and has no instance.
std::vector<Instance> enumerate_instances(const SymbolTable& symbols, TypeResolver& types, ConstantEvaluator& eval,
                                          ir::StateLayout& layout, support::DiagnosticSink& sink);

/// Turns `cfg`, the graph of instance `number`, into its locations (the reachable control
/// points that are not mere forwarders, numbered breadth first from the entry) and one
/// transition group per location that can act (its alternatives merged under a fork); appends
/// the ir::Process, its pc slot and the groups to `data`. A cycle without a step is an error
/// that abandons.
InstanceLocations build_process(const ProcessCfg& cfg, const Instance& inst, std::uint32_t number,
                                ir::TransitionSystem::Data& data, support::DiagnosticSink& sink);

}  // namespace iomc::lang
