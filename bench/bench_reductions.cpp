// SPDX-License-Identifier: MIT
/// @file The reductions benchmark (issue 9): iomc with partial-order reduction, scalarset
/// symmetry, compact storage and 1 or 2 threads, beside SPIN with and without its partial-order
/// reduction and Rumur with and without its symmetry reduction, on twin models, in one run.
/// Four tables (see bench/README.md, "Reductions"):
///   locks     locks.mc (and locks_mutex.mc, its locks as mutexes) / locks.pml: every iomc
///             configuration, SPIN with and without POR
///   symmetry  locks_sym.mc / locks_sym.m: iomc and Rumur, symmetry off and on, factors vs N!
///   objects   objects/devlocks.mc / devlocks.pml: per-device mutexes, iomc POR vs SPIN POR
///   scenario  models/scenarios/probe_iommu_group_race.mc --variant a_612_stable, N_DEVS scaled
///   twin      the same scenario beside SPIN, on its Promela twin written from the IR
///             (twin/promela.hpp): pan without reductions must store iomc's states exactly
/// Each run is alone (iomc in a forked child, then pan or Rumur's verifier); the ratio lines
/// compare figures of this one run. A verdict that differs between iomc configurations of one
/// model, or a state count that differs between twins without reductions, is printed as
/// "DIFFER" and makes the program exit 1.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/common.hpp"
#include "bench/twin/promela.hpp"

namespace iomc::bench {

namespace {

struct Config {
    std::string tables = "locks,symmetry,objects,scenario,twin";
    int locks_n = 3, locks_k = 5;
    std::string sym_sizes = "3:4,4:3";   ///< N:K pairs of the symmetry table
    int objects_n = 5;
    std::string devs = "3,4,5,6";         ///< N_DEVS of the scenario table
    std::string twin_devs = "2,3,4";      ///< N_DEVS of the twin table's seed 004 scenario
    std::string twin_own_devs = "2,3";    ///< N_DEVS of the twin table's dma_ownership c2
    int plain_max_devs = 3;               ///< scenario rows without reductions up to this size
    int por_only_max_devs = 4;            ///< scenario rows with POR alone up to this size
    int one_thread_max_devs = 5;          ///< scenario rows on 1 thread and compact up to this size
    double time_limit = 600;              ///< seconds, per scenario search (0: none)
    bool spin = true, rumur = true;
    std::string cc = "gcc";
    std::string dir = IOMC_BENCH_DIR;
    std::string scenario = std::string(IOMC_MODELS_DIR) + "/scenarios/probe_iommu_group_race.mc";
};

bool failed = false;  ///< a DIFFER line was printed

std::vector<int> ints(const std::string& s, char sep) {
    std::vector<int> v;
    std::stringstream ss(s);
    std::string t;
    while (std::getline(ss, t, sep))
        if (!t.empty()) v.push_back(std::stoi(t));
    return v;
}

/// The iomc options of one row, and the label it prints under.
struct Conf {
    std::string label;
    explore::Options options;
};

explore::Options opts(bool por, reduce::SymmetryMode sym, unsigned threads,
                      explore::StorageKind storage = explore::StorageKind::exact,
                      explore::Strategy strategy = explore::Strategy::bfs) {
    explore::Options o;
    o.strategy = strategy;
    o.por = por;
    o.symmetry = sym;
    o.threads = threads;
    o.storage = storage;
    return o;
}

constexpr auto off = reduce::SymmetryMode::off;
constexpr auto exact = reduce::SymmetryMode::exact;
constexpr auto heuristic = reduce::SymmetryMode::heuristic;
constexpr auto compact = explore::StorageKind::compact;

/// Rows of one table, kept for the ratio lines.
struct Table {
    std::vector<std::pair<std::string, Row>> rows;
    const Row& operator[](const std::string& label) const {
        for (const auto& [l, r] : rows)
            if (l == label) return r;
        static const Row none;
        return none;
    }
};

void add(Table& t, const std::string& label, const Row& r) {
    if (!r.ok) std::fprintf(stderr, "bench_reductions: '%s' failed or was incomplete\n", label.c_str());
    std::string shown = label;
    if (r.reductions[0]) shown += fmt::format(" [{}]", r.reductions);
    if (r.threads > 1) shown += fmt::format(" ({} threads)", r.threads);
    print_row(shown, r);
    std::fflush(stdout);
    t.rows.emplace_back(label, r);
}

void add_tool(Table& t, const std::string& label, const ToolRun& run, std::vector<std::string>& commands) {
    if (!run.error.empty()) {
        std::fprintf(stderr, "bench_reductions: %s: %s\n", label.c_str(), run.error.c_str());
        failed = true;
        return;
    }
    commands.push_back(fmt::format("{}: `{}`", label, run.flags));
    add(t, label, run.row);
}

void same_verdicts(const Table& t, const std::string& what) {
    for (const auto& [l, r] : t.rows)
        if (std::string(r.verdict) != t.rows.front().second.verdict) {
            fmt::print("- DIFFER: {}: verdict '{}' of {} differs from '{}' of {}\n", what, r.verdict, l,
                       t.rows.front().second.verdict, t.rows.front().first);
            failed = true;
        }
}

void equal_states(const Row& a, const std::string& la, const Row& b, const std::string& lb) {
    const bool eq = a.states == b.states;
    if (!eq) failed = true;
    fmt::print("- states without reductions: {} {} ({}) vs {} ({})\n", eq ? "equal" : "DIFFER", la, grouped(a.states), lb,
               grouped(b.states));
}

std::string frac(std::uint64_t a, std::uint64_t b) {
    return b ? fmt::format("{:.3f}", static_cast<double>(a) / static_cast<double>(b)) : "n/a";
}

std::string met(bool ok) { return ok ? "**met**" : "**not met**"; }

void begin(const std::string& title) {
    fmt::print("\n### {}\n\n", title);
    print_header();
}

/// pan's -m starts at `depth` (pan reserves its DFS stack up front: a small one for a small
/// search keeps pan's setup out of its CPU time) and is doubled while pan says it is too small.
SpinJob spin_job(const Config& c, const std::string& pml, std::vector<std::string> args, bool por, std::uint64_t states,
                 long depth = 4'000'000) {
    SpinJob j{.pml = pml, .spin_args = std::move(args), .cc = c.cc, .depth = depth, .hash_bits = hash_bits_for(states)};
    j.cc_args = {"-DSAFETY"};
    if (!por) j.cc_args.push_back("-DNOREDUCE");
    return j;
}

void locks_table(const Config& c) {
    const std::string model = c.dir + "/locks/locks.mc", pml = c.dir + "/locks/locks.pml";
    const std::vector<std::string> defs{fmt::format("N={}", c.locks_n), fmt::format("K={}", c.locks_k)};
    begin(fmt::format("locks.mc / locks.pml, N={} K={}", c.locks_n, c.locks_k));
    Table t;
    std::vector<std::string> cmds;
    const std::vector<Conf> confs{
        {"iomc stepwise, none, 1 thread", opts(false, off, 1)},
        {"iomc stepwise, none, 2 threads", opts(false, off, 2)},
        {"iomc stepwise, none, compact", opts(false, off, 1, compact)},
        {"iomc stepwise, POR BFS, 1 thread", opts(true, off, 1)},
        {"iomc stepwise, POR BFS, 2 threads", opts(true, off, 2)},
        {"iomc stepwise, POR DFS", opts(true, off, 1, explore::StorageKind::exact, explore::Strategy::dfs)},
        {"iomc stepwise, POR, compact", opts(true, off, 1, compact)},
    };
    for (const auto& k : confs) add(t, k.label, run_iomc(model, "stepwise", defs, k.options));
    auto no_chains = opts(true, off, 1);
    no_chains.chains = false;
    add(t, "iomc stepwise, POR BFS, no chains", run_iomc(model, "stepwise", defs, no_chains));
    add(t, "iomc spin_merged, POR BFS, 1 thread", run_iomc(model, "spin_merged", defs, opts(true, off, 1)));
    // The same workload with the locks declared as mutexes (locks_mutex.mc): the same
    // transition system, and the reduction knows what a lock is.
    const std::string mutex_model = c.dir + "/locks/locks_mutex.mc";
    add(t, "iomc mutexes, none, 1 thread", run_iomc(mutex_model, "", defs, opts(false, off, 1)));
    add(t, "iomc mutexes, POR BFS, 1 thread", run_iomc(mutex_model, "", defs, opts(true, off, 1)));
    add(t, "iomc mutexes, POR BFS, 2 threads", run_iomc(mutex_model, "", defs, opts(true, off, 2)));
    add(t, "iomc mutexes, POR BFS, no chains", run_iomc(mutex_model, "", defs, no_chains));
    const std::uint64_t n = t["iomc stepwise, none, 1 thread"].states;
    const std::vector<std::string> sdefs{fmt::format("-DN={}", c.locks_n), fmt::format("-DK={}", c.locks_k)};
    auto with = [&](std::vector<std::string> a) {
        a.insert(a.end(), sdefs.begin(), sdefs.end());
        return a;
    };
    if (c.spin) {
        add_tool(t, "SPIN -o3, no POR", run_spin(spin_job(c, pml, with({"-o3"}), false, n)), cmds);
        add_tool(t, "SPIN -o3, POR", run_spin(spin_job(c, pml, with({"-o3"}), true, n)), cmds);
        add_tool(t, "SPIN, POR", run_spin(spin_job(c, pml, with({}), true, n)), cmds);
    }
    fmt::print("\n");
    std::vector<std::pair<std::string, Row>> iomc_rows;
    for (const auto& r : t.rows)
        if (r.first.starts_with("iomc stepwise") || r.first.starts_with("iomc mutexes")) iomc_rows.push_back(r);
    same_verdicts(Table{iomc_rows}, "locks");
    const Row& mnone = t["iomc mutexes, none, 1 thread"];
    const Row& mpor = t["iomc mutexes, POR BFS, 1 thread"];
    const Row& mpor_plain = t["iomc mutexes, POR BFS, no chains"];
    if (mnone.states != t["iomc stepwise, none, 1 thread"].states) {
        fmt::print("- DIFFER: locks: locks_mutex.mc without reductions stores {} states, locks.mc {}\n",
                   grouped(mnone.states), grouped(t["iomc stepwise, none, 1 thread"].states));
        failed = true;
    }
    if (t["iomc mutexes, POR BFS, 2 threads"].states != mpor.states) {
        fmt::print("- DIFFER: locks: locks_mutex.mc with POR stores other states on 2 threads\n");
        failed = true;
    }
    const Row& none1 = t["iomc stepwise, none, 1 thread"];
    const Row& none2 = t["iomc stepwise, none, 2 threads"];
    const Row& por1 = t["iomc stepwise, POR BFS, 1 thread"];
    const Row& por2 = t["iomc stepwise, POR BFS, 2 threads"];
    const Row& pordfs = t["iomc stepwise, POR DFS"];
    const Row& merged = t["iomc spin_merged, POR BFS, 1 thread"];
    if (none2.states != none1.states || t["iomc stepwise, none, compact"].states != none1.states) {
        fmt::print("- DIFFER: locks: states without reductions differ between 1 thread, 2 threads and compact\n");
        failed = true;
    }
    fmt::print("- iomc POR keeps {} of the states (BFS), {} (DFS)\n", frac(por1.states, none1.states),
               frac(pordfs.states, none1.states));
    fmt::print("- threads 2 / 1, wall time of the search: x{:.2f} without reductions, x{:.2f} with POR\n",
               none2.seconds > 0 ? none1.seconds / none2.seconds : 0.0, por2.seconds > 0 ? por1.seconds / por2.seconds : 0.0);
    fmt::print("- compact storage: {} B/state without reductions ({} with exact storage), {} B/state with POR\n",
               fixed(t["iomc stepwise, none, compact"].stored_bytes, 1), fixed(none1.stored_bytes, 1),
               fixed(t["iomc stepwise, POR, compact"].stored_bytes, 1));
    if (c.spin) {
        const Row& s0 = t["SPIN -o3, no POR"];
        const Row& s1 = t["SPIN -o3, POR"];
        const Row& s2 = t["SPIN, POR"];
        equal_states(none1, "iomc stepwise", s0, "SPIN -o3");
        fmt::print("- SPIN POR keeps {} of the states (-o3)\n", frac(s1.states, s0.states));
        fmt::print("- POR states iomc / SPIN: stepwise {} ({} vs {}; {} without single-step chains); merged {} ({} vs "
                   "{}); target <= 0.333: {} (the locks are Promela-style bools, which iomc takes as locks: reduce/bool_locks.hpp)\n",
                   frac(por1.states, s1.states), grouped(por1.states), grouped(s1.states),
                   frac(t["iomc stepwise, POR BFS, no chains"].states, s1.states), frac(merged.states, s2.states),
                   grouped(merged.states), grouped(s2.states), met(3 * por1.states <= s1.states));
        fmt::print("- POR states iomc / SPIN, the locks as mutexes (locks_mutex.mc against the same locks.pml): {} ({} "
                   "vs {}; {} without single-step chains); target <= 0.333: {}\n",
                   frac(mpor.states, s1.states), grouped(mpor.states), grouped(s1.states),
                   frac(mpor_plain.states, s1.states), met(3 * mpor.states <= s1.states));
        equal_states(mnone, "iomc mutexes", s0, "SPIN -o3");
        fmt::print("- states per CPU second, iomc POR (1 thread) / SPIN -o3 POR: {}; time to verdict (CPU s) {} vs {}\n",
                   ratio(cpu_rate(por1), cpu_rate(s1)), fixed(por1.cpu_seconds, 2), fixed(s1.cpu_seconds, 2));
    }
    for (const auto& s : cmds) fmt::print("- {}\n", s);
}

std::uint64_t factorial(int n) { return n <= 1 ? 1 : static_cast<std::uint64_t>(n) * factorial(n - 1); }

void symmetry_table(const Config& c, int n, int k) {
    const std::string model = c.dir + "/locks/locks_sym.mc", m = c.dir + "/locks/locks_sym.m";
    const std::vector<std::string> defs{fmt::format("N={}", n), fmt::format("K={}", k)};
    begin(fmt::format("locks_sym.mc / locks_sym.m, N={} K={}", n, k));
    Table t;
    std::vector<std::string> cmds;
    add(t, "iomc, none", run_iomc(model, "stepwise", defs, opts(false, off, 1)));
    add(t, "iomc, symmetry exact", run_iomc(model, "stepwise", defs, opts(false, exact, 1)));
    add(t, "iomc, symmetry heuristic", run_iomc(model, "stepwise", defs, opts(false, heuristic, 1)));
    add(t, "iomc, POR + symmetry exact", run_iomc(model, "stepwise", defs, opts(true, exact, 1)));
    add(t, "iomc, POR + symmetry, 2 threads", run_iomc(model, "stepwise", defs, opts(true, exact, 2)));
    add(t, "iomc, POR + symmetry, compact", run_iomc(model, "stepwise", defs, opts(true, exact, 1, compact)));
    Table iomc_only = t;
    if (c.rumur) {
        const std::vector<std::pair<std::string, int>> consts{{"N", n}, {"K", k}};
        for (const char* s : {"off", "heuristic", "exhaustive"})
            add_tool(t, fmt::format("Rumur, symmetry {}", s), run_rumur(m, consts, s), cmds);
    }
    fmt::print("\n");
    same_verdicts(iomc_only, fmt::format("locks_sym N={}", n));
    const double nf = static_cast<double>(factorial(n));
    const std::uint64_t base = t["iomc, none"].states;
    const auto factor = [&](const std::string& label, std::uint64_t of) {
        const Row& r = t[label];
        if (!r.states) return;
        const double f = static_cast<double>(of) / static_cast<double>(r.states);
        fmt::print("- {}: x{:.2f} fewer states, {:.1f} % of N! = {}{}\n", label, f, 100.0 * f / nf, factorial(n),
                   label.starts_with("iomc, symmetry") ? fmt::format("; target within 10 %: {}", met(f >= 0.9 * nf)) : "");
    };
    factor("iomc, symmetry exact", base);
    factor("iomc, symmetry heuristic", base);
    factor("iomc, POR + symmetry exact", base);
    if (c.rumur) {
        const std::uint64_t rbase = t["Rumur, symmetry off"].states;
        equal_states(t["iomc, none"], "iomc", t["Rumur, symmetry off"], "Rumur");
        factor("Rumur, symmetry heuristic", rbase);
        factor("Rumur, symmetry exhaustive", rbase);
    }
    for (const auto& s : cmds) fmt::print("- {}\n", s);
}

void objects_table(const Config& c) {
    const std::string model = c.dir + "/objects/devlocks.mc", pml = c.dir + "/objects/devlocks.pml";
    const int n = c.objects_n;
    begin(fmt::format("devlocks.mc / devlocks.pml, N={}", n));
    Table t;
    std::vector<std::string> cmds;
    const std::vector<std::string> defs{fmt::format("N={}", n)};
    add(t, "iomc, none", run_iomc(model, "", defs, opts(false, off, 1)));
    add(t, "iomc, POR BFS", run_iomc(model, "", defs, opts(true, off, 1)));
    add(t, "iomc, POR DFS", run_iomc(model, "", defs, opts(true, off, 1, explore::StorageKind::exact, explore::Strategy::dfs)));
    add(t, "iomc, POR, 2 threads", run_iomc(model, "", defs, opts(true, off, 2)));
    Table iomc_only = t;
    const std::uint64_t states = t["iomc, none"].states;
    const std::string dn = fmt::format("-DN={}", n);
    if (c.spin) {
        add_tool(t, "SPIN -o3, no POR", run_spin(spin_job(c, pml, {"-o3", dn}, false, states, 100'000)), cmds);
        add_tool(t, "SPIN -o3, POR", run_spin(spin_job(c, pml, {"-o3", dn}, true, states, 100'000)), cmds);
        add_tool(t, "SPIN, no POR", run_spin(spin_job(c, pml, {dn}, false, states, 100'000)), cmds);
        add_tool(t, "SPIN, POR", run_spin(spin_job(c, pml, {dn}, true, states, 100'000)), cmds);
    }
    fmt::print("\n");
    same_verdicts(iomc_only, "devlocks");
    const Row& por = t["iomc, POR BFS"];
    fmt::print("- iomc POR keeps {} of the states (BFS), {} (DFS)\n", frac(por.states, states),
               frac(t["iomc, POR DFS"].states, states));
    if (c.spin) {
        equal_states(t["iomc, none"], "iomc", t["SPIN -o3, no POR"], "SPIN -o3");
        equal_states(t["iomc, none"], "iomc", t["SPIN, no POR"], "SPIN");
        const Row& s = t["SPIN, POR"];
        const Row& s3 = t["SPIN -o3, POR"];
        fmt::print("- SPIN POR keeps {} of the states\n", frac(s.states, t["SPIN, no POR"].states));
        fmt::print("- POR states iomc / SPIN: {} ({} vs {}; vs SPIN -o3 POR {}); target <= 0.333: {}\n",
                   frac(por.states, s.states), grouped(por.states), grouped(s.states), frac(por.states, s3.states),
                   met(3 * por.states <= s.states && 3 * por.states <= s3.states));
        fmt::print("- time to verdict, CPU s: iomc POR {} vs SPIN POR {} ({}); states per CPU second {}\n",
                   fixed(por.cpu_seconds, 2), fixed(s.cpu_seconds, 2), ratio(s.cpu_seconds, por.cpu_seconds),
                   ratio(cpu_rate(por), cpu_rate(s)));
    }
    for (const auto& s : cmds) fmt::print("- {}\n", s);
}

void scenario_table(const Config& c) {
    begin("probe_iommu_group_race.mc --variant a_612_stable -D types::N_DEVS=n");
    Table t;
    for (const int n : ints(c.devs, ',')) {
        const std::vector<std::string> defs{fmt::format("types::N_DEVS={}", n)};
        Table one;
        const auto row = [&](const std::string& what, const explore::Options& o) {
            const std::string label = fmt::format("n={} iomc {}", n, what);
            const Row r = run_iomc(c.scenario, "a_612_stable", defs, o);
            add(one, label, r);
            t.rows.emplace_back(label, r);
        };
        const auto limited = [&](explore::Options o) {
            o.limits.time_limit = c.time_limit;
            return o;
        };
        if (n <= c.plain_max_devs) row("none", limited(opts(false, off, 1)));
        if (n <= c.por_only_max_devs) row("POR, 1 thread", limited(opts(true, off, 1)));
        if (n <= c.one_thread_max_devs) row("POR + symmetry, 1 thread", limited(opts(true, exact, 1)));
        row("POR + symmetry, 2 threads", limited(opts(true, exact, 2)));
        if (n <= c.one_thread_max_devs) row("POR + symmetry, compact", limited(opts(true, exact, 1, compact)));
        same_verdicts(one, fmt::format("scenario N_DEVS={}", n));
    }
    fmt::print("\n");
    const Row& four = t["n=4 iomc POR + symmetry, 2 threads"];
    if (four.states) {
        const double f = 105'696'661.0 / static_cast<double>(four.states);
        fmt::print("- N_DEVS=4, POR + symmetry: x{:.0f} fewer states than 105,696,661 (target >= 50x: {}); verdict in "
                   "{} s with 2 threads (CPU {} s; target < 10 s: {})\n",
                   f, met(four.ok && f >= 50), fixed(four.seconds, 2), fixed(four.cpu_seconds, 2), met(four.ok && four.seconds < 10));
    }
    const Row& six = t["n=6 iomc POR + symmetry, 2 threads"];
    if (six.states)
        fmt::print("- N_DEVS=6, POR + symmetry, 2 threads: {} ({} states) in {} s (CPU {} s); target < 300 s: {}\n",
                   six.verdict, grouped(six.states), fixed(six.seconds, 2), fixed(six.cpu_seconds, 2),
                   met(six.ok && six.seconds < 300));
    for (const int n : ints(c.devs, ',')) {
        const Row& a = t[fmt::format("n={} iomc POR + symmetry, 1 thread", n)];
        const Row& b = t[fmt::format("n={} iomc POR + symmetry, 2 threads", n)];
        if (a.seconds > 0 && b.seconds > 0)
            fmt::print("- N_DEVS={}: 2 threads / 1 thread, search wall time x{:.2f}\n", n, a.seconds / b.seconds);
    }
}

/// One seed scenario of the twin table: a variant where every safety property holds, scaled by
/// types::N_DEVS.
struct TwinCell {
    std::string file;     ///< under models/scenarios/
    std::string variant;
    std::string devs;     ///< N_DEVS values, comma-separated
    int plain_max = 0;    ///< rows without reductions up to this N_DEVS
};

/// Writes the Promela twin of `cell` at N_DEVS = n into the temporary folder; its path, or empty
/// (and why on stderr) when the model does not compile or has no twin.
std::string write_twin(const std::string& model, const TwinCell& cell, int n) {
    const auto ts = compile_model(model, cell.variant, {fmt::format("types::N_DEVS={}", n)});
    if (!ts) return {};
    const auto path = std::filesystem::temp_directory_path() / fmt::format("iomc_twin_{}_n{}.pml", getpid(), n);
    try {
        std::ofstream(path) << twin::write_promela(*ts, {});
    } catch (const twin::Error& e) {
        std::fprintf(stderr, "bench_reductions: no twin: %s\n", e.what());
        return {};
    }
    return path.string();
}

void twin_rows(const Config& c, const TwinCell& cell) {
    const std::string model = std::string(IOMC_MODELS_DIR) + "/scenarios/" + cell.file;
    begin(fmt::format("{} --variant {} beside SPIN on its Promela twin (iomc_bench_twin)", cell.file, cell.variant));
    Table t;
    std::vector<std::string> cmds;
    for (const int n : ints(cell.devs, ',')) {
        const std::vector<std::string> defs{fmt::format("types::N_DEVS={}", n)};
        const auto label = [&](const std::string& what) { return fmt::format("n={} {}", n, what); };
        const bool plain = n <= cell.plain_max;
        Table one;
        const auto row = [&](const std::string& what, const explore::Options& o) {
            const Row r = run_iomc(model, cell.variant, defs, o);
            add(t, label(what), r);
            one.rows.emplace_back(what, r);
        };
        if (plain) row("iomc none", opts(false, off, 1));
        row("iomc POR, 1 thread", opts(true, off, 1));
        row("iomc POR + symmetry, 1 thread", opts(true, exact, 1));
        same_verdicts(one, fmt::format("twin {} N_DEVS={}", cell.file, n));
        const std::string pml = c.spin ? write_twin(model, cell, n) : std::string();
        if (pml.empty()) continue;
        const std::uint64_t states = one["iomc none"].states ? one["iomc none"].states : 50 * one["iomc POR, 1 thread"].states;
        if (plain) {
            // -o2: no reset of dead local variables; -o3: no statement merging: iomc's transitions.
            add_tool(t, label("SPIN -o2 -o3, no POR"), run_spin(spin_job(c, pml, {"-o2", "-o3"}, false, states, 100'000)), cmds);
            add_tool(t, label("SPIN -o3, no POR"), run_spin(spin_job(c, pml, {"-o3"}, false, states, 100'000)), cmds);
        }
        add_tool(t, label("SPIN -o3, POR"), run_spin(spin_job(c, pml, {"-o3"}, true, states, 100'000)), cmds);
        add_tool(t, label("SPIN, POR"), run_spin(spin_job(c, pml, {}, true, states, 100'000)), cmds);
        std::filesystem::remove(pml);
    }
    fmt::print("\n");
    for (const int n : ints(cell.devs, ',')) {
        const auto row = [&](const std::string& what) -> const Row& { return t[fmt::format("n={} {}", n, what)]; };
        if (row("SPIN -o2 -o3, no POR").states)
            equal_states(row("iomc none"), fmt::format("N_DEVS={}: iomc", n), row("SPIN -o2 -o3, no POR"), "SPIN -o2 -o3");
        for (const auto& [tool, r] : t.rows)
            if (tool.starts_with(fmt::format("n={} SPIN", n)) && std::string(r.verdict) != row("iomc POR, 1 thread").verdict) {
                fmt::print("- DIFFER: twin N_DEVS={}: {} says '{}', iomc '{}'\n", n, tool, r.verdict, row("iomc POR, 1 thread").verdict);
                failed = true;
            }
        const Row& por = row("iomc POR, 1 thread");
        const Row& s3 = row("SPIN -o3, POR");
        const Row& sd = row("SPIN, POR");
        if (!por.states || !s3.states) continue;
        fmt::print("- N_DEVS={}: POR states iomc / SPIN -o3 POR {} ({} vs {}), / SPIN POR {} (target <= 0.333: {}); "
                   "CPU s to the verdict iomc POR {} vs SPIN -o3 POR {} ({}); with symmetry {} states, {} CPU s\n",
                   n, frac(por.states, s3.states), grouped(por.states), grouped(s3.states), frac(por.states, sd.states),
                   met(3 * por.states <= s3.states && 3 * por.states <= sd.states), fixed(por.cpu_seconds, 2),
                   fixed(s3.cpu_seconds, 2), ratio(s3.cpu_seconds, por.cpu_seconds),
                   grouped(row("iomc POR + symmetry, 1 thread").states), fixed(row("iomc POR + symmetry, 1 thread").cpu_seconds, 2));
    }
    for (const auto& s : cmds) fmt::print("- {}\n", s);
}

/// The seed scenarios beside SPIN on their twins: seed 004's race (probe_iommu_group_race,
/// the 6.12.y variant) and seed 001's ownership (dma_ownership c2).
void twin_table(const Config& c) {
    twin_rows(c, {"probe_iommu_group_race.mc", "a_612_stable", c.twin_devs, c.plain_max_devs});
    twin_rows(c, {"dma_ownership.mc", "c2", c.twin_own_devs, c.plain_max_devs});
}

}  // namespace

int run(int argc, char** argv) {
    Config c;
    CLI::App app{"iomc reductions benchmark (issue 9): POR, symmetry, compact storage, threads, beside SPIN and Rumur"};
    app.add_option("--tables", c.tables, "comma-separated: locks, symmetry, objects, scenario, twin")->capture_default_str();
    app.add_option("--locks-n", c.locks_n, "locks table: workers")->capture_default_str();
    app.add_option("--locks-k", c.locks_k, "locks table: counter modulus")->capture_default_str();
    app.add_option("--sym-sizes", c.sym_sizes, "symmetry tables: N:K pairs, comma-separated")->capture_default_str();
    app.add_option("--objects-n", c.objects_n, "devlocks table: devices")->capture_default_str();
    app.add_option("--devs", c.devs, "scenario table: N_DEVS values, comma-separated")->capture_default_str();
    app.add_option("--twin-devs", c.twin_devs, "twin table: N_DEVS values of probe_iommu_group_race, comma-separated")
        ->capture_default_str();
    app.add_option("--twin-own-devs", c.twin_own_devs, "twin table: N_DEVS values of dma_ownership c2, comma-separated")
        ->capture_default_str();
    app.add_option("--plain-max-devs", c.plain_max_devs, "scenario and twin tables: rows without reductions up to this N_DEVS")
        ->capture_default_str();
    app.add_option("--por-only-max-devs", c.por_only_max_devs, "scenario table: rows with POR alone up to this N_DEVS")
        ->capture_default_str();
    app.add_option("--one-thread-max-devs", c.one_thread_max_devs,
                   "scenario table: 1-thread and compact rows up to this N_DEVS (2 threads: every N_DEVS)")
        ->capture_default_str();
    app.add_option("--time-limit", c.time_limit, "scenario table: seconds per search (0: none); past it the row "
                                                  "says incomplete")
        ->capture_default_str();
    app.add_flag("!--no-spin", c.spin, "leave out SPIN");
    app.add_flag("!--no-rumur", c.rumur, "leave out Rumur");
    app.add_option("--cc", c.cc, "C compiler for pan.c")->capture_default_str();
    app.add_option("--bench-dir", c.dir, "the bench/ folder with the models")->capture_default_str();
    app.add_option("--scenario", c.scenario, "the scenario model")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    if (c.spin && (!find_program("spin") || !find_program(c.cc))) {
        fmt::print("SPIN: spin or {} not on PATH: SPIN rows left out\n", c.cc);
        c.spin = false;
    }
    if (c.rumur && (!find_program("rumur") || !find_program("cc"))) {
        fmt::print("Rumur: rumur or cc not on PATH: Rumur rows left out\n");
        c.rumur = false;
    }
    fmt::print("reductions benchmark: {} cores, one search at a time\n", sysconf(_SC_NPROCESSORS_ONLN));
    const std::string tables = "," + c.tables + ",";
    const auto want = [&](const char* t) { return tables.find(fmt::format(",{},", t)) != std::string::npos; };
    if (want("locks")) locks_table(c);
    if (want("symmetry"))
        for (const auto& nk : std::vector<std::string>{[&] {
                 std::vector<std::string> v;
                 std::stringstream ss(c.sym_sizes);
                 std::string p;
                 while (std::getline(ss, p, ',')) v.push_back(p);
                 return v;
             }()}) {
            const auto v = ints(nk, ':');
            if (v.size() == 2) symmetry_table(c, v[0], v[1]);
        }
    if (want("objects")) objects_table(c);
    if (want("scenario")) scenario_table(c);
    if (want("twin")) twin_table(c);
    fmt::print("\n");
    print_column_notes();
    fmt::print("A row's [brackets] say which reductions the search applied (Result::reductions).\n");
    if (failed) fmt::print("\nDIFFER lines above: a verdict or a state count disagrees.\n");
    return failed ? 1 : 0;
}

}  // namespace iomc::bench

int main(int argc, char** argv) { return iomc::bench::run(argc, argv); }
