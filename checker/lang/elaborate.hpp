// SPDX-License-Identifier: MIT
/// @file Elaboration: resolves names and types of one variant, evaluates constants (defaults,
/// the variant's settings, -D), instantiates processes, inlines procedures and lowers every
/// statement to ir fragments. Internal to checker/lang; frontend.hpp is the public entry.
#pragma once

#include <memory>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/frontend.hpp"

namespace iomc::lang {

std::unique_ptr<ir::TransitionSystem> elaborate(const Model& model, const CompileOptions& options,
                                                support::DiagnosticSink& sink);

}  // namespace iomc::lang
