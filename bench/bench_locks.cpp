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

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "checker/explore/search.hpp"
#include "checker/lang/frontend.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::bench {

namespace fs = std::filesystem;

namespace {

#ifndef IOMC_BENCH_DIR
#define IOMC_BENCH_DIR "bench"
#endif

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
    char verdict[32] = {};
};

double rate(const Row& r) { return r.seconds > 0 ? static_cast<double>(r.states) / r.seconds : 0; }
double cpu_rate(const Row& r) { return r.cpu_seconds > 0 ? static_cast<double>(r.states) / r.cpu_seconds : 0; }

std::optional<std::string> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        if (access(name.c_str(), X_OK) == 0) return name;
        return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        const fs::path p = fs::path(dir.empty() ? "." : dir) / name;
        if (access(p.c_str(), X_OK) == 0) return p.string();
    }
    return std::nullopt;
}

struct ChildResult {
    int status = -1;
    std::uint64_t peak_rss = 0;  ///< bytes
    double cpu_seconds = 0;      ///< user + system time of the child
};

ChildResult wait_child(pid_t pid) {
    ChildResult r;
    int status = 0;
    rusage ru{};
    if (wait4(pid, &status, 0, &ru) < 0) return r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.peak_rss = static_cast<std::uint64_t>(ru.ru_maxrss) * 1024U;  // Linux: kilobytes
    const auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    r.cpu_seconds = secs(ru.ru_utime) + secs(ru.ru_stime);
    return r;
}

/// Runs argv in `dir` with stdout and stderr to `out`; returns its status and peak RSS.
ChildResult run_in(const fs::path& dir, const std::vector<std::string>& argv, const fs::path& out) {
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0) _exit(127);
        const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    return wait_child(pid);
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// The iomc search itself, run in the child process.
Row iomc_search(const Config& c, const std::string& variant) {
    Row row;
    support::DiagnosticSink sink;
    auto model = lang::Model::load(c.model, sink);
    std::unique_ptr<ir::TransitionSystem> ts;
    if (model && !sink.has_errors())
        ts = lang::compile(*model, {variant, {fmt::format("N={}", c.n), fmt::format("K={}", c.k)}}, sink);
    if (!ts || sink.has_errors()) {
        const support::SourceManager empty;
        std::fputs(sink.render(model ? model->sources() : empty).c_str(), stderr);
        return row;
    }
    const explore::Result r = explore::check(*ts, {.strategy = explore::Strategy::bfs});
    row.ok = r.complete;
    row.states = r.stats.states;
    row.transitions = r.stats.transitions;
    row.depth = r.stats.depth;
    row.seconds = r.stats.seconds;
    row.vector_bytes = r.stats.state_bytes;
    row.stored_bytes = r.stats.states ? static_cast<double>(r.stats.memory) / static_cast<double>(r.stats.states) : 0;
    std::snprintf(row.verdict, sizeof row.verdict, "%s", explore::to_string(r.verdict));
    return row;
}

Row run_iomc(const Config& c, const std::string& variant) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        close(fds[0]);
        const Row row = iomc_search(c, variant);
        const auto* p = reinterpret_cast<const char*>(&row);
        std::size_t left = sizeof row;
        while (left > 0) {
            const ssize_t w = write(fds[1], p, left);
            if (w <= 0) _exit(1);
            p += w;
            left -= static_cast<std::size_t>(w);
        }
        _exit(0);
    }
    close(fds[1]);
    Row row;
    auto* p = reinterpret_cast<char*>(&row);
    std::size_t got = 0;
    while (got < sizeof row) {
        const ssize_t n = read(fds[0], p + got, sizeof row - got);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    close(fds[0]);
    const ChildResult cr = wait_child(pid);
    if (got != sizeof row || cr.status != 0) return {};
    row.peak_rss = cr.peak_rss;
    row.cpu_seconds = cr.cpu_seconds;
    return row;
}

/// The first number after `key` on the first line containing it, or the number before it when
/// `before` is set ("8296875 states, stored").
std::optional<double> grab(const std::string& text, const std::string& key, bool before) {
    const auto at = text.find(key);
    if (at == std::string::npos) return std::nullopt;
    const auto bol = text.rfind('\n', at);
    const auto eol = text.find('\n', at);
    const std::string line =
        text.substr(bol == std::string::npos ? 0 : bol + 1, (eol == std::string::npos ? text.size() : eol) - (bol == std::string::npos ? 0 : bol + 1));
    const std::string part = before ? line.substr(0, line.find(key)) : line.substr(line.find(key) + key.size());
    std::stringstream ss(part);
    std::string tok;
    std::optional<double> last;
    while (ss >> tok) {
        char* end = nullptr;
        const double v = std::strtod(tok.c_str(), &end);
        if (end != tok.c_str()) {
            if (!before) return v;
            last = v;
        }
    }
    return last;
}

struct SpinRun {
    Row row;
    std::string error;  ///< empty on success
    std::string flags;  ///< as the table shows them
};

SpinRun run_spin(const Config& c, bool merging, int hash_bits) {
    SpinRun s;
    const std::string spin_opt = merging ? "" : "-o3 ";
    s.flags = fmt::format("spin -a {}-DN={} -DK={}; {} -O2 -DSAFETY -DNOREDUCE; pan -m{} -w{}", spin_opt, c.n, c.k,
                          c.cc, c.depth, hash_bits);
    const char* base = std::getenv("TMPDIR");
    const std::string t = std::string(base && *base ? base : "/tmp") + "/iomc-bench-XXXXXX";
    std::vector<char> buf(t.begin(), t.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) {
        s.error = "cannot create a temporary directory";
        return s;
    }
    const fs::path dir(buf.data());
    const fs::path log = dir / "log.txt";
    const std::string pml = fs::absolute(c.pml).string();
    std::vector<std::string> spin{"spin", "-a"};
    if (!merging) spin.push_back("-o3");
    spin.push_back(fmt::format("-DN={}", c.n));
    spin.push_back(fmt::format("-DK={}", c.k));
    spin.push_back(pml);
    if (run_in(dir, spin, log).status != 0) {
        s.error = "spin -a failed: " + read_file(log);
    } else if (run_in(dir, {c.cc, "-O2", "-w", "-DSAFETY", "-DNOREDUCE", "-o", "pan", "pan.c"}, log).status != 0) {
        s.error = c.cc + " failed on pan.c: " + read_file(log);
    } else {
        long depth = c.depth;
        for (;;) {
            const ChildResult cr = run_in(dir, {"./pan", fmt::format("-m{}", depth), fmt::format("-w{}", hash_bits)}, log);
            const std::string out = read_file(log);
            if (out.find("max search depth too small") != std::string::npos && depth < (1L << 30)) {
                depth *= 2;  // pan truncates the search at -m: rerun deeper
                continue;
            }
            s.flags = fmt::format("spin -a {}-DN={} -DK={}; {} -O2 -DSAFETY -DNOREDUCE; pan -m{} -w{}", spin_opt, c.n,
                                  c.k, c.cc, depth, hash_bits);
            Row& r = s.row;
            const auto stored = grab(out, "states, stored", true);
            const auto trans = grab(out, "transitions (= stored+matched)", true);
            const auto secs = grab(out, "elapsed time", false);
            const auto vec = grab(out, "State-vector", false);
            const auto depth_reached = grab(out, "depth reached", false);
            const auto actual = grab(out, "actual memory usage for states", true);
            const auto equiv = grab(out, "equivalent memory usage for states", true);
            const auto table = grab(out, "memory used for hash table", true);
            const auto total = grab(out, "total actual memory usage", true);
            if (cr.status != 0 || !stored || !trans || !secs) {
                s.error = "pan failed or printed no statistics:\n" + out;
                break;
            }
            const bool errors = out.find("errors: 0") == std::string::npos;
            const bool incomplete = out.find("out of memory") != std::string::npos ||
                                    out.find("Search not completed") != std::string::npos;
            std::snprintf(r.verdict, sizeof r.verdict, "%s", errors ? "violated" : incomplete ? "incomplete" : "holds");
            r.ok = !incomplete;
            r.states = static_cast<std::uint64_t>(*stored);
            r.transitions = static_cast<std::uint64_t>(*trans);
            r.seconds = *secs;
            r.depth = depth_reached ? static_cast<std::uint64_t>(*depth_reached) : 0;
            r.vector_bytes = vec ? static_cast<std::uint64_t>(*vec) : 0;
            const double mb = 1048576.0;
            const double n = static_cast<double>(r.states);
            // "actual memory usage for states" is the state vectors as stored plus pan's per-state
            // overhead (its hash chain element); pan prints it only when smaller than the
            // "equivalent" figure, which is otherwise the one to use.
            r.stored_bytes = (actual ? *actual : equiv.value_or(0)) * mb / n;
            r.index_bytes = table.value_or(0) * mb / n;
            r.tool_total_bytes = total.value_or(0) * mb / n;
            r.peak_rss = cr.peak_rss;
            r.cpu_seconds = cr.cpu_seconds;
            break;
        }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return s;
}

std::string fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

/// "x1.76", or "n/a" when a figure is missing (a run too short for pan to time it).
std::string ratio(double a, double b) {
    if (!(a > 0) || !(b > 0) || !std::isfinite(a / b)) return "n/a";
    return "x" + fixed(a / b, 2);
}

std::string grouped(std::uint64_t v) {
    const std::string digits = std::to_string(v);
    std::string s;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
        s.push_back(digits[i]);
    }
    return s;
}

void print_row(const std::string& tool, const Row& r) {
    const double n = r.states ? static_cast<double>(r.states) : 1.0;
    const std::string index = r.index_bytes > 0 ? fixed(r.stored_bytes + r.index_bytes, 1) : fixed(r.stored_bytes, 1);
    const std::string tool_total = r.tool_total_bytes > 0 ? fixed(r.tool_total_bytes, 1) : "-";
    const std::string per_second = r.seconds > 0 ? grouped(static_cast<std::uint64_t>(rate(r))) : "-";
    const std::string per_cpu = r.cpu_seconds > 0 ? grouped(static_cast<std::uint64_t>(cpu_rate(r))) : "-";
    fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", tool, grouped(r.states),
               grouped(r.transitions), fixed(r.seconds, 2), per_second, fixed(r.cpu_seconds, 2), per_cpu,
               r.vector_bytes, fixed(r.stored_bytes, 1), index, tool_total,
               fixed(static_cast<double>(r.peak_rss) / n, 1), r.verdict);
}

int hash_bits_for(const Config& c, std::uint64_t states) {
    if (c.hash_bits > 0) return c.hash_bits;
    // As ../shared/bench/locks did: table of 2^W slots with W = ceil(log2(states)) + 3.
    int w = 10;
    while ((std::uint64_t{1} << w) < states) ++w;
    return std::min(w + 3, 32);
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
        SpinRun spin;
    };
    std::vector<Done> done;
    for (const auto& p : pairs) {
        Done d{p, run_iomc(c, p.variant), {}};
        if (!d.iomc.ok) {
            std::fprintf(stderr, "bench_locks: the iomc search (variant %s) failed or was incomplete\n", p.variant.c_str());
            return 1;
        }
        if (with_spin) {
            d.spin = run_spin(c, p.merging, hash_bits_for(c, d.iomc.states));
            if (!d.spin.error.empty()) {
                std::fprintf(stderr, "bench_locks: %s\n", d.spin.error.c_str());
                return 1;
            }
        }
        done.push_back(std::move(d));
    }

    fmt::print("| tool | states | transitions | s | states/s | CPU s | states/CPU s | vector B | "
               "stored B/state | + index B/state | tool total B/state | peak RSS B/state | verdict |\n");
    fmt::print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
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
    fmt::print("\n"
               "vector B: iomc's packed state; pan's State-vector (unpacked bytes, as pan prints it).\n"
               "stored B/state: iomc: Stats::memory / states (state arena + hash table + parent links);\n"
               "  SPIN: \"actual memory usage for states\" / states (vector as stored + pan's per-state\n"
               "  overhead, without its hash table).\n"
               "+ index B/state: SPIN's figure plus its hash table (8 B x 2^W) per state; iomc's is already in.\n"
               "tool total B/state: pan's \"total actual memory usage\" (includes the -m DFS stack) / states.\n"
               "peak RSS B/state: the searching process's peak resident set (wait4) / states.\n"
               "s and states/s: search time only (iomc: Stats::seconds; SPIN: pan's elapsed time).\n"
               "CPU s: user + system time of the whole process (wait4): iomc's includes loading and\n"
               "  compiling the model, pan's its setup; less sensitive than s to other load on the machine.\n");
    return 0;
}

}  // namespace iomc::bench

int main(int argc, char** argv) { return iomc::bench::run(argc, argv); }
