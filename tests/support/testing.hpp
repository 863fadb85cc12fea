// SPDX-License-Identifier: MIT
/// @file Helpers for tests: compile a model from text, render diagnostics, run the explorer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/lang/frontend.hpp"
#include "traces/trace.hpp"

namespace iomc::testing {

/// How much slower this build runs than a plain one: 20 under AddressSanitizer (whose
/// instrumentation and shadow memory cost that much on the search), else 1. Tests that give
/// an engine a time limit (where running out is a skip, not a verdict) scale it by this, so
/// that the sanitizer preset still reaches verdicts.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double slowdown = 20;
#else
inline constexpr double slowdown = 1;
#endif

/// The result of compiling model text: the system (null on errors) and the rendered diagnostics.
struct Compiled {
    std::unique_ptr<lang::Model> model;
    std::shared_ptr<const ir::TransitionSystem> ts;
    std::string diagnostics;   ///< exactly as iomc prints them (with the summary line)
};

/// Compiles `text` as a file named `name` (default "test.mc"), with a variant and -D defines.
Compiled compile_text(const std::string& text, const std::string& variant = "",
                      const std::vector<std::string>& defines = {}, const std::string& name = "test.mc");

/// Compiles text that must compile; fails the current test with the diagnostics otherwise.
std::shared_ptr<const ir::TransitionSystem> compile(const std::string& text, const std::string& variant = "",
                                                    const std::vector<std::string>& defines = {});

/// Compiles text that must not compile and returns the diagnostics.
std::string diagnostics(const std::string& text, const std::vector<std::string>& defines = {},
                        const std::string& variant = "");

/// The number in environment variable `name` (a test's size knob: IOMC_BMC_DIFF_SEEDS), else
/// `fallback`.
std::uint64_t env_or(const char* name, std::uint64_t fallback);

/// A failed check (with the reason) unless `cx`, a counterexample an engine returned, replays
/// through the interpreter to its violation (traces::confirm). Nothing to check without one.
void check_replays(const ir::TransitionSystem& ts, const std::optional<traces::Counterexample>& cx);

/// Path of a file in the source tree (for fixtures).
std::string source_path(const std::string& relative);
/// The text of tests/fixtures/NAME.
std::string fixture(const std::string& name);

/// The warnings `iomc lint` prints for `text` (symmetry warnings on), rendered as iomc prints
/// them; a failed check if it does not compile.
std::string lint_warnings(const std::string& text);

/// Loads the model file at `relative` (to the source tree) and compiles `variant` with
/// `defines`; fails the current test, with the diagnostics, if either fails.
std::shared_ptr<const ir::TransitionSystem> load_file(const std::string& relative, const std::string& variant,
                                                      const std::vector<std::string>& defines = {});

/// Compiles every variant of every scenario of the library (models/scenarios/*.mc, by file
/// name; a file without variants once, with the empty variant) with `defines`, and calls
/// `f(file name, variant, system)` on each. A file or variant that does not load or compile
/// fails the current test.
void for_each_library_variant(
    const std::function<void(const std::string& file, const std::string& variant, const ir::TransitionSystem& ts)>& f,
    const std::vector<std::string>& defines = {});

}  // namespace iomc::testing
