// SPDX-License-Identifier: MIT
/// @file Symmetry pass: how the permutations of each scalarset act on the compiled system
/// (ir::Symmetry), and every construct of the model that breaks a scalarset's symmetry, after
/// Murphi's rules (docs/language.md, "Scalarsets and symmetry"). Input: the scalarsets
/// (TypeResolver), the slots and their origins (LayoutBuilder), the process instances with
/// their compiled locations and groups (processes pass), and the breaches the earlier passes
/// met (BreachLog: scalarset literals, instances named by number, loops inside one step whose
/// order shows). Output: ir::Symmetry; with CompileOptions::symmetry_warnings, one warning
/// per breach.
#pragma once

#include <vector>

#include "checker/ir/symmetry.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// Describes the symmetry of the system in `data` (slots, processes and groups complete).
/// `instances` and `compiled` are indexed by process. Breaches found here (variables that
/// start at an element, loops with steps, instances of one process that differ) are added to
/// `breaches`; with `warnings`, every breach is also reported there as a warning.
ir::Symmetry describe_symmetry(const TypeResolver& types, const LayoutBuilder& layout,
                               const std::vector<Instance>& instances, const std::vector<InstanceLocations>& compiled,
                               const ir::TransitionSystem::Data& data, const support::SourceManager& sm,
                               BreachLog& breaches, support::DiagnosticSink* warnings);

}  // namespace iomc::lang
