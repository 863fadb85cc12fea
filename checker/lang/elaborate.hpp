// SPDX-License-Identifier: MIT
/// @file Elaboration: compiles one variant of a loaded Model (with -D overrides) to an
/// ir::TransitionSystem by running the semantic passes in order (see elaborate.cpp). Internal to
/// checker/lang; frontend.hpp is the public entry.
#pragma once

#include <memory>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/frontend.hpp"

namespace iomc::lang {

/// Errors go to `sink`; any error means no system.
std::unique_ptr<ir::TransitionSystem> elaborate(const Model& model, const CompileOptions& options,
                                                support::DiagnosticSink& sink);

}  // namespace iomc::lang
