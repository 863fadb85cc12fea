// SPDX-License-Identifier: MIT
/// @file Options of the subcommands, filled by CLI11 in main.cpp and read by the cmd_* files.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/lang/frontend.hpp"

namespace iomc::cli {

struct CommonOptions {
    std::vector<std::string> defines;     ///< -D NAME=VALUE
    std::string max_memory;               ///< "512M", "2G", bytes without suffix
    std::uint64_t max_states = 0;
    double time_limit = 0;
    std::string strategy = "bfs";
    bool no_por = false;                  ///< --no-por: no partial-order reduction
    bool por_check = false;               ///< --por-check: verify each stubborn set
    bool no_chains = false;               ///< --no-chains: store every state of the reduced graph
    std::string proviso;                  ///< --proviso static|stored ("": static)
    std::string symmetry = "exact";       ///< --symmetry exact|heuristic|off
    unsigned threads = 0;                 ///< --threads N (0: one per core)
    std::string storage = "exact";        ///< --storage exact|compact|hash
    bool accept_lossy = false;            ///< --accept-lossy: a lossy "holds" exits 0
    std::string fairness = "weak";        ///< --fairness weak|strong: for liveness properties
};

struct CheckOptions {
    CommonOptions common;
    std::string model;
    std::string variant;
    std::vector<std::string> properties;
    bool json = false;
    bool all_properties = false;          ///< go on after the first violation
    std::string trace_format;             ///< empty: columns on a terminal, steps otherwise
    std::string trace_out;                ///< write the trace there instead of stdout
    std::size_t width = 100;              ///< column diagrams wrap to this width
    std::string trace_kind = "shortest";  ///< shortest (BFS) or fewest-switches
    bool every_step = false;              ///< column diagrams: one entry per step
    std::string engine = "explicit";      ///< --engine explicit|bmc|kind
    std::int64_t depth = -1;              ///< --depth K (bmc, kind); -1: not given
    bool merge_local = false;             ///< --merge-local (bmc)
    bool concurrent_steps = false;        ///< --concurrent-steps (bmc)
    bool widen = false;                   ///< --widen (bmc, with --concurrent-steps)
    std::int64_t from_depth = -1;         ///< --from-depth D (bmc); -1: not given
    std::int64_t depth_step = -1;         ///< --depth-step S (bmc); -1: not given
};

struct TestOptions {
    CommonOptions common;
    std::vector<std::string> paths;
};

struct SimulateOptions {
    std::string model;
    std::string variant;
    std::vector<std::string> defines;
    std::vector<std::string> properties;
    std::uint64_t runs = 1000;
    std::uint64_t depth = 10000;
    std::uint64_t seed = 1;
};

struct ReplayOptions {
    std::string trace;
    std::string variant;          ///< empty: the trace's own
    std::string trace_format;     ///< steps (default), columns, json, dot, none
    std::size_t width = 100;
    bool every_step = false;
};

struct QueryOptions {
    CommonOptions limits;         ///< the limits and -D; strategy is always BFS
    std::string model;
    std::string schedule;
    std::string variant;
    std::string trace_format;     ///< empty: columns on a terminal, steps otherwise
    std::size_t width = 100;
    bool every_step = false;
    std::string trace_out;
};

struct ListOptions {
    std::string model;
    std::string variant;
    std::vector<std::string> defines;
};

struct LintOptions {
    std::vector<std::string> models;
    std::vector<std::string> defines;
};

/// The widest column diagram (--width): wider would only pad lines with blanks.
inline constexpr std::uint64_t max_width = 1000;

/// Checks the text of a whole-number option before CLI11 converts it: plain decimal digits
/// (no sign, no 0x, no exponent: CLI11 alone reads -1 as 2^64-1 and 010 as 8), with a value
/// from `lo` to `hi`. Returns the error ("expected a whole number from 1 to 1000, found
/// '-1'"), or empty and rewrites `text` without leading zeros, which CLI11 converts as decimal.
std::string check_whole_number(std::string& text, std::uint64_t lo, std::uint64_t hi);

/// Parses "512M", "2G", "1048576"; returns false on bad text.
bool parse_size(const std::string& text, std::uint64_t& out);

/// Turns common options into explorer options; prints an error and returns false on bad input.
bool explorer_options(const CommonOptions& c, explore::Options& out);

/// Ctrl-C sets this; the explorer polls it.
extern std::atomic<bool> interrupted;
/// Installs the SIGINT handler (a second Ctrl-C kills the process).
void install_interrupt_handler();

int run_check(const CheckOptions& o);
/// check with --engine other than explicit (cmd_check_symbolic.cpp).
int run_check_symbolic(const CheckOptions& o);
int run_test(const TestOptions& o);
int run_list(const ListOptions& o);
int run_lint(const LintOptions& o);
int run_simulate(const SimulateOptions& o);
int run_replay(const ReplayOptions& o);
/// run_replay on the text of a trace that was read already (`o.trace` names it in messages).
/// Prints what run_replay prints; the fuzz target of the JSON trace reader calls it.
int replay_trace(const ReplayOptions& o, const std::string& text);
int run_query(const QueryOptions& o);
/// run_query's answer for a model compiled already and a schedule's text (`o.schedule` names
/// it in messages; `o.model`, `o.variant` and the -D list are not read). Prints what run_query
/// prints; the fuzz target of the schedule reader calls it.
int answer_query(const QueryOptions& o, const lang::Model& model, const ir::TransitionSystem& ts,
                 std::string schedule_text);

}  // namespace iomc::cli
