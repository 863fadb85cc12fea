// SPDX-License-Identifier: MIT
/// @file The locks benchmark: explores bench/locks/locks.mc with iomc (BFS, exact storage, no
/// reductions) and, in the same run, bench/locks/locks.pml with SPIN's pan (-DSAFETY
/// -DNOREDUCE, exact storage), and prints one Markdown table with states, transitions, time,
/// states/s and bytes per stored state for both, plus the iomc/SPIN ratios.
///
/// Each iomc search runs in a forked child so that its peak RSS is its own (wait4); pan is
/// built and run in a temporary directory that is removed afterwards. Two pairs of runs with
/// identical state spaces (see locks.mc): iomc variant `stepwise` against `spin -a -o3`, and
/// iomc variant `spin_merged` against plain `spin -a` (SPIN's statement merging on).

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/common.hpp"

namespace iomc::bench {

namespace {

struct Config {
    int n = 3;
    int k = 5;
    int hash_bits = 0;              ///< pan -w; 0: from iomc's state count
    long depth = 4'000'000;         ///< pan -m; doubled and rerun while pan says it is too small
    std::string pairs = "both";     ///< stepwise, merged, both
    bool spin = true;
    std::string model = std::string(IOMC_BENCH_DIR) + "/locks/locks.mc";
    std::string pml = std::string(IOMC_BENCH_DIR) + "/locks/locks.pml";
    std::string cc = "gcc";
};

Row locks_iomc(const Config& c, const std::string& variant) {
    return run_iomc(c.model, variant, {fmt::format("N={}", c.n), fmt::format("K={}", c.k)},
                    {.strategy = explore::Strategy::bfs});
}

ToolRun locks_spin(const Config& c, bool merging, int hash_bits) {
    SpinJob job{.pml = c.pml, .cc = c.cc, .depth = c.depth, .hash_bits = hash_bits};
    if (!merging) job.spin_args.push_back("-o3");
    job.spin_args.push_back(fmt::format("-DN={}", c.n));
    job.spin_args.push_back(fmt::format("-DK={}", c.k));
    job.cc_args = {"-DSAFETY", "-DNOREDUCE"};
    return run_spin(job);
}

}  // namespace

int run(int argc, char** argv) {
    Config c;
    CLI::App app{"iomc locks benchmark: iomc (BFS, exact storage, no reductions) beside SPIN "
                 "(pan -DSAFETY -DNOREDUCE) on the same model, in one run"};
    app.add_option("-N,--n", c.n, "number of workers (locks.mc: 1..8)")->capture_default_str();
    app.add_option("-K,--k", c.k, "modulus of the counters (locks.mc: 2..16)")->capture_default_str();
    app.add_option("--pairs", c.pairs, "stepwise (spin -o3), merged (SPIN's statement merging) or both")
        ->check(CLI::IsMember({"stepwise", "merged", "both"}))
        ->capture_default_str();
    app.add_option("-w,--hash-bits", c.hash_bits, "pan -w (0: ceil(log2(iomc states)) + 3)")->capture_default_str();
    app.add_option("-m,--depth", c.depth, "pan -m; doubled and rerun while pan says it is too small")
        ->capture_default_str();
    app.add_flag("!--no-spin", c.spin, "run iomc only");
    app.add_option("--model", c.model, "the .mc model")->capture_default_str();
    app.add_option("--pml", c.pml, "the Promela twin")->capture_default_str();
    app.add_option("--cc", c.cc, "C compiler for pan.c")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::string missing;
    if (c.spin) {
        if (!find_program("spin")) missing += " spin";
        if (!find_program(c.cc)) missing += " " + c.cc;
    }
    const bool with_spin = c.spin && missing.empty();

    fmt::print("locks benchmark: N={} K={}, {} cores, one search at a time\n", c.n, c.k, sysconf(_SC_NPROCESSORS_ONLN));
    if (!c.spin) fmt::print("SPIN: not run (--no-spin)\n");
    else if (!with_spin) fmt::print("SPIN: not found ({} missing from PATH): iomc rows only\n", missing.substr(1));
    fmt::print("\n");

    struct Pair {
        std::string variant;
        bool merging;
        std::string spin_label;
    };
    std::vector<Pair> pairs;
    if (c.pairs != "merged") pairs.push_back({"stepwise", false, "SPIN -o3"});
    if (c.pairs != "stepwise") pairs.push_back({"spin_merged", true, "SPIN"});

    struct Done {
        Pair pair;
        Row iomc;
        ToolRun spin;
    };
    std::vector<Done> done;
    for (const auto& p : pairs) {
        Done d{p, locks_iomc(c, p.variant), {}};
        if (!d.iomc.ok) {
            std::fprintf(stderr, "bench_locks: the iomc search (variant %s) failed or was incomplete\n", p.variant.c_str());
            return 1;
        }
        if (with_spin) {
            d.spin = locks_spin(c, p.merging, c.hash_bits > 0 ? c.hash_bits : hash_bits_for(d.iomc.states));
            if (!d.spin.error.empty()) {
                std::fprintf(stderr, "bench_locks: %s\n", d.spin.error.c_str());
                return 1;
            }
        }
        done.push_back(std::move(d));
    }

    print_header();
    for (const auto& d : done) {
        print_row(fmt::format("iomc `{}`", d.pair.variant), d.iomc);
        if (with_spin) print_row(d.pair.spin_label, d.spin.row);
    }
    fmt::print("\n");
    for (const auto& d : done) {
        if (!with_spin) break;
        const Row& i = d.iomc;
        const Row& s = d.spin.row;
        const double spin_index = s.stored_bytes + s.index_bytes;
        const double i_rss = static_cast<double>(i.peak_rss) / static_cast<double>(i.states);
        const double s_rss = static_cast<double>(s.peak_rss) / static_cast<double>(s.states);
        fmt::print("- iomc `{}` / {}: states {} ({} vs {}); states/s {} (per CPU second {}); stored B/state {}; "
                   "with SPIN's hash table {}; peak RSS per state {}\n",
                   d.pair.variant, d.pair.spin_label, i.states == s.states ? "equal" : "DIFFER",
                   grouped(i.states), grouped(s.states), ratio(rate(i), rate(s)), ratio(cpu_rate(i), cpu_rate(s)),
                   ratio(i.stored_bytes, s.stored_bytes), ratio(i.stored_bytes, spin_index), ratio(i_rss, s_rss));
        fmt::print("  {}: `{}`\n", d.pair.spin_label, d.spin.flags);
    }
    fmt::print("\n");
    print_column_notes();
    return 0;
}

}  // namespace iomc::bench

int main(int argc, char** argv) { return iomc::bench::run(argc, argv); }
