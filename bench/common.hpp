// SPDX-License-Identifier: MIT
/// @file What the benchmark programs share: one row of figures per run, iomc searches in a
/// forked child (peak RSS and CPU time of its own), SPIN's pan and Rumur's verifier built and run
/// in a temporary directory, and the Markdown table they print.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore/search.hpp"

// Where the programs find bench/ and models/ by default: bench/CMakeLists.txt passes the
// checkout's folders; elsewhere, paths relative to the top of the checkout.
#ifndef IOMC_BENCH_DIR
#define IOMC_BENCH_DIR "bench"
#endif
#ifndef IOMC_MODELS_DIR
#define IOMC_MODELS_DIR "models"
#endif

namespace iomc::bench {

/// What one tool reported for one configuration. Plain data: crosses a pipe from the child.
struct Row {
    bool ok = false;
    std::uint64_t states = 0;
    std::uint64_t transitions = 0;
    std::uint64_t depth = 0;
    double seconds = 0;
    std::uint64_t vector_bytes = 0;   ///< iomc: packed state; SPIN: "State-vector N byte"
    double stored_bytes = 0;          ///< bytes per state of the state store (see table notes)
    double index_bytes = 0;           ///< SPIN: hash table bytes per state (iomc: in stored)
    double tool_total_bytes = 0;      ///< SPIN: "total actual memory usage" per state
    std::uint64_t peak_rss = 0;       ///< bytes, from wait4
    double cpu_seconds = 0;           ///< user + system time of the whole process, from wait4
    unsigned threads = 1;             ///< iomc: threads the search ran on
    char verdict[32] = {};
    /// iomc: the reductions that ran ("por", "sym exact", "por sym heuristic"; "none"), from
    /// Result::reductions, so that a row never claims a reduction the search did not apply.
    char reductions[48] = {};
};

double rate(const Row& r);
double cpu_rate(const Row& r);

std::optional<std::string> find_program(const std::string& name);

/// Loads the model file at `path` and compiles `variant` with `defines` ("N=3"); on an error
/// prints the diagnostics on stderr and returns null.
std::unique_ptr<ir::TransitionSystem> compile_model(const std::string& path, const std::string& variant,
                                                    const std::vector<std::string>& defines);

/// Loads `model`, compiles `variant` with `defines` ("N=3") and runs explore::check with
/// `options` in a forked child; the row says ok = false (and stderr why) on a model error or
/// an incomplete search.
Row run_iomc(const std::string& model, const std::string& variant, const std::vector<std::string>& defines,
             const explore::Options& options);

/// One search of run_iomc_together().
struct IomcJob {
    std::string model, variant;
    std::vector<std::string> defines;
    explore::Options options;
};
/// Runs the searches of `jobs` at the same time, each in its own forked child (as run_iomc
/// runs one); the rows in the order of `jobs`.
std::vector<Row> run_iomc_together(const std::vector<IomcJob>& jobs);

/// A SPIN run: `spin -a <spin_args> <pml>`, `cc -O2 -w <cc_args> -o pan pan.c`, then
/// `./pan -m<depth> -w<hash_bits>`, the depth doubled and pan rerun while pan says it is too
/// small.
struct SpinJob {
    std::string pml;
    std::vector<std::string> spin_args;   ///< "-o3", "-DN=3"
    std::vector<std::string> cc_args;     ///< "-DSAFETY", "-DNOREDUCE"
    std::string cc = "gcc";
    long depth = 4'000'000;
    int hash_bits = 24;
};

struct ToolRun {
    Row row;
    std::string error;  ///< empty on success
    std::string flags;  ///< the commands, as the ratio lines show them
};

ToolRun run_spin(const SpinJob& job);

/// A Rumur run: the Murphi model `m` with each `  NAME: V;` constant line in `consts` set,
/// `rumur --symmetry-reduction <symmetry> --threads 1`, `cc -std=c11 -O3 -mcx16`, then the
/// verifier. Rumur prints no memory figures: the row has states, rules fired, time, peak RSS.
ToolRun run_rumur(const std::string& m, const std::vector<std::pair<std::string, int>>& consts,
                  const std::string& symmetry);

/// pan -w: a table of 2^W slots with W = ceil(log2(states)) + 3, as ../shared/bench/locks did.
int hash_bits_for(std::uint64_t states);

std::string fixed(double v, int digits);
/// "x1.76", or "n/a" when a figure is missing.
std::string ratio(double a, double b);
/// 10125000 -> "10,125,000".
std::string grouped(std::uint64_t v);

/// The Markdown table's header and one row.
void print_header();
void print_row(const std::string& tool, const Row& r);
/// The notes under a table: what each column means.
void print_column_notes();

}  // namespace iomc::bench
