// SPDX-License-Identifier: MIT
/// @file Loading and compiling a model for a subcommand, printing diagnostics on stderr.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/lang/frontend.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

namespace iomc::cli {

/// Folders given with -I, in order (main.cpp).
extern std::vector<std::string> import_dirs;
/// Where relative imports are looked for after the importing file's folder: the -I folders,
/// then those of the IOMC_PATH environment variable (colon-separated; empty entries skipped).
std::vector<lang::ImportDir> import_search_path();

/// Loads a model (imports through import_search_path()); prints diagnostics and returns null
/// on errors.
std::unique_ptr<lang::Model> load_model(const std::string& path);

/// Compiles one variant; prints diagnostics (warnings too, unless `warnings` is false) and
/// returns null on errors.
std::unique_ptr<ir::TransitionSystem> compile_model(const lang::Model& m, const std::string& variant,
                                                    const std::vector<std::string>& defines, bool warnings = true);

/// "model: FILE" and, when the model has variants, "variant: V (of A, B, ...)" lines.
std::string report_header(const lang::Model& m, const ir::TransitionSystem& ts);

/// Width of column diagrams (--width).
extern std::size_t trace_width;
/// Column diagrams merge a context's consecutive steps in one procedure (false: --every-step).
extern bool trace_fold;

/// The trace format to print: `requested`, or columns on a terminal and steps otherwise (pipes,
/// files, tests). Sets trace_width and trace_fold. Prints an error and returns nothing for an
/// unknown format or a width below 40.
std::optional<std::string> pick_trace_format(const std::string& requested, std::size_t width, bool every_step);

/// Writes `text` to `path`; prints "cannot write" and returns false when that fails.
bool write_text_file(const std::string& path, const std::string& text);

/// Renders a replayed counterexample as steps, columns, json or dot; nothing for an unknown format.
std::optional<std::string> render_trace(const ir::TransitionSystem& ts, const traces::Counterexample& cx,
                                        const traces::Replay& r, const std::string& format);

/// "reductions: ..." and "symmetry off for ..." lines, as check and the test summary print them.
std::string reductions_text(const explore::Result& r);

/// Maps property names to ids; prints "unknown property" with the alternatives on error.
bool resolve_properties(const ir::TransitionSystem& ts, const std::vector<std::string>& names,
                        std::vector<ir::PropertyId>& out);

}  // namespace iomc::cli
