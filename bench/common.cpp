// SPDX-License-Identifier: MIT
#include "bench/common.hpp"

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "checker/lang/frontend.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::bench {

namespace fs = std::filesystem;

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

namespace {

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
    std::fflush(nullptr);
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
Row iomc_search(const std::string& path, const std::string& variant, const std::vector<std::string>& defines,
                const explore::Options& options) {
    Row row;
    const auto ts = compile_model(path, variant, defines);
    if (!ts) return row;
    const explore::Result r = explore::check(*ts, options);
    if (!r.complete) std::fprintf(stderr, "bench: %s: incomplete: %s\n", path.c_str(), r.incomplete_reason.c_str());
    row.ok = r.complete;
    row.states = r.stats.states;
    row.transitions = r.stats.transitions;
    row.depth = r.stats.depth;
    row.seconds = r.stats.seconds;
    row.vector_bytes = r.stats.state_bytes;
    row.threads = r.stats.threads;
    row.stored_bytes = r.stats.states ? static_cast<double>(r.stats.memory) / static_cast<double>(r.stats.states) : 0;
    std::snprintf(row.verdict, sizeof row.verdict, "%s", explore::to_string(r.verdict));
    std::string red;
    if (r.reductions.por) red = "por";
    if (r.reductions.symmetry != reduce::SymmetryMode::off)
        red += std::string(red.empty() ? "" : " ") + "sym " + reduce::to_string(r.reductions.symmetry);
    std::snprintf(row.reductions, sizeof row.reductions, "%s", red.empty() ? "none" : red.c_str());
    return row;
}

/// A temporary directory, removed by the destructor.
struct TempDir {
    fs::path path;
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        const std::string t = std::string(base && *base ? base : "/tmp") + "/iomc-bench-XXXXXX";
        std::vector<char> buf(t.begin(), t.end());
        buf.push_back('\0');
        if (mkdtemp(buf.data())) path = buf.data();
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

/// The first number after `key` on the first line containing it, or the number before it when
/// `before` is set ("8296875 states, stored").
std::optional<double> grab(const std::string& text, const std::string& key, bool before) {
    const auto at = text.find(key);
    if (at == std::string::npos) return std::nullopt;
    const auto bol = text.rfind('\n', at);
    const auto eol = text.find('\n', at);
    const std::size_t from = bol == std::string::npos ? 0 : bol + 1;
    const std::string line = text.substr(from, (eol == std::string::npos ? text.size() : eol) - from);
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

}  // namespace

std::vector<Row> run_iomc_together(const std::vector<IomcJob>& jobs) {
    struct Child {
        pid_t pid = -1;
        int fd = -1;
    };
    std::vector<Child> children;
    std::fflush(nullptr);
    for (const auto& job : jobs) {
        Child c;
        int fds[2];
        if (pipe(fds) == 0) {
            c.pid = fork();
            if (c.pid == 0) {
                close(fds[0]);
                const Row row = iomc_search(job.model, job.variant, job.defines, job.options);
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
            c.fd = fds[0];
            if (c.pid < 0) {
                close(c.fd);
                c.fd = -1;
            }
        }
        children.push_back(c);
    }
    std::vector<Row> rows;
    for (const auto& c : children) {
        Row row;
        if (c.pid < 0) {
            rows.push_back(Row{});
            continue;
        }
        auto* p = reinterpret_cast<char*>(&row);
        std::size_t got = 0;
        while (got < sizeof row) {
            const ssize_t n = read(c.fd, p + got, sizeof row - got);
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        close(c.fd);
        const ChildResult cr = wait_child(c.pid);
        if (got != sizeof row || cr.status != 0) {
            rows.push_back(Row{});
            continue;
        }
        row.peak_rss = cr.peak_rss;
        row.cpu_seconds = cr.cpu_seconds;
        rows.push_back(row);
    }
    return rows;
}

std::unique_ptr<ir::TransitionSystem> compile_model(const std::string& path, const std::string& variant,
                                                    const std::vector<std::string>& defines) {
    support::DiagnosticSink sink;
    auto model = lang::Model::load(path, sink);
    std::unique_ptr<ir::TransitionSystem> ts;
    if (model && !sink.has_errors()) ts = lang::compile(*model, {variant, defines}, sink);
    if (!ts || sink.has_errors()) {
        const support::SourceManager empty;
        std::fputs(sink.render(model ? model->sources() : empty).c_str(), stderr);
        return nullptr;
    }
    return ts;
}

Row run_iomc(const std::string& model, const std::string& variant, const std::vector<std::string>& defines,
             const explore::Options& options) {
    return run_iomc_together({IomcJob{model, variant, defines, options}}).front();
}

ToolRun run_spin(const SpinJob& job) {
    ToolRun s;
    const auto describe = [&](long depth) {
        return fmt::format("spin -a {}; {} -O2 {}; pan -m{} -w{}", join(job.spin_args), job.cc, join(job.cc_args), depth,
                           job.hash_bits);
    };
    s.flags = describe(job.depth);
    const TempDir tmp;
    if (tmp.path.empty()) {
        s.error = "cannot create a temporary directory";
        return s;
    }
    const fs::path& dir = tmp.path;
    const fs::path log = dir / "log.txt";
    std::vector<std::string> spin{"spin", "-a"};
    spin.insert(spin.end(), job.spin_args.begin(), job.spin_args.end());
    spin.push_back(fs::absolute(job.pml).string());
    std::vector<std::string> cc{job.cc, "-O2", "-w"};
    cc.insert(cc.end(), job.cc_args.begin(), job.cc_args.end());
    cc.insert(cc.end(), {"-o", "pan", "pan.c"});
    if (run_in(dir, spin, log).status != 0) {
        s.error = "spin -a failed: " + read_file(log);
        return s;
    }
    if (run_in(dir, cc, log).status != 0) {
        s.error = job.cc + " failed on pan.c: " + read_file(log);
        return s;
    }
    long depth = job.depth;
    for (;;) {
        const ChildResult cr = run_in(dir, {"./pan", fmt::format("-m{}", depth), fmt::format("-w{}", job.hash_bits)}, log);
        const std::string out = read_file(log);
        if (out.find("max search depth too small") != std::string::npos && depth < (1L << 30)) {
            depth *= 2;  // pan truncates the search at -m: rerun deeper
            continue;
        }
        s.flags = describe(depth);
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
            return s;
        }
        const bool errors = out.find("errors: 0") == std::string::npos;
        const bool incomplete =
            out.find("out of memory") != std::string::npos || out.find("Search not completed") != std::string::npos;
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
        return s;
    }
}

ToolRun run_rumur(const std::string& m, const std::vector<std::pair<std::string, int>>& consts,
                  const std::string& symmetry) {
    ToolRun s;
    std::string text = read_file(m);
    std::string set;
    for (const auto& [name, value] : consts) {
        const std::regex line("\n  " + name + ": [0-9]+;");
        if (!std::regex_search(text, line)) {
            s.error = fmt::format("{}: no constant line '  {}: N;'", m, name);
            return s;
        }
        text = std::regex_replace(text, line, fmt::format("\n  {}: {};", name, value));
        set += fmt::format("{}{}={}", set.empty() ? "" : ", ", name, value);
    }
    s.flags = fmt::format("{} with {}; rumur --symmetry-reduction {} --threads 1; cc -std=c11 -O3 -mcx16",
                          fs::path(m).filename().string(), set, symmetry);
    const TempDir tmp;
    if (tmp.path.empty()) {
        s.error = "cannot create a temporary directory";
        return s;
    }
    const fs::path& dir = tmp.path;
    const fs::path log = dir / "log.txt";
    std::ofstream(dir / "model.m") << text;
    if (run_in(dir, {"rumur", "--symmetry-reduction", symmetry, "--threads", "1", "--output", "v.c", "model.m"}, log)
            .status != 0) {
        s.error = "rumur failed: " + read_file(log);
        return s;
    }
    if (run_in(dir, {"cc", "-std=c11", "-O3", "-mcx16", "-o", "v", "v.c", "-lpthread"}, log).status != 0) {
        s.error = "cc failed on Rumur's verifier: " + read_file(log);
        return s;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const ChildResult cr = run_in(dir, {"./v"}, log);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string out = read_file(log);
    std::smatch mm;
    if (!std::regex_search(out, mm, std::regex("([0-9]+) states, ([0-9]+) rules fired"))) {
        s.error = "Rumur's verifier printed no statistics:\n" + out;
        return s;
    }
    Row& r = s.row;
    r.states = std::stoull(mm[1].str());
    r.transitions = std::stoull(mm[2].str());
    r.seconds = wall;
    r.peak_rss = cr.peak_rss;
    r.cpu_seconds = cr.cpu_seconds;
    const bool fine = out.find("No error found") != std::string::npos;
    r.ok = fine || cr.status == 0;
    std::snprintf(r.verdict, sizeof r.verdict, "%s", fine ? "holds" : "violated");
    return s;
}

int hash_bits_for(std::uint64_t states) {
    int w = 10;
    while ((std::uint64_t{1} << w) < states) ++w;
    return std::min(w + 3, 32);
}

std::string fixed(double v, int digits) { return fmt::format("{:.{}f}", v, digits); }

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

void print_header() {
    fmt::print("| tool | states | transitions | s | states/s | CPU s | states/CPU s | vector B | "
               "stored B/state | + index B/state | tool total B/state | peak RSS B/state | verdict |\n");
    fmt::print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
}

void print_row(const std::string& tool, const Row& r) {
    const double n = r.states ? static_cast<double>(r.states) : 1.0;
    const auto or_dash = [](double v, const std::string& s) { return v > 0 ? s : std::string("-"); };
    const std::string index = r.index_bytes > 0 ? fixed(r.stored_bytes + r.index_bytes, 1) : or_dash(r.stored_bytes, fixed(r.stored_bytes, 1));
    const std::string tool_total = or_dash(r.tool_total_bytes, fixed(r.tool_total_bytes, 1));
    const std::string per_second = r.seconds > 0 ? grouped(static_cast<std::uint64_t>(rate(r))) : "-";
    const std::string per_cpu = r.cpu_seconds > 0 ? grouped(static_cast<std::uint64_t>(cpu_rate(r))) : "-";
    fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", tool, grouped(r.states),
               grouped(r.transitions), fixed(r.seconds, 2), per_second, fixed(r.cpu_seconds, 2), per_cpu,
               r.vector_bytes ? std::to_string(r.vector_bytes) : "-", or_dash(r.stored_bytes, fixed(r.stored_bytes, 1)),
               index, tool_total, fixed(static_cast<double>(r.peak_rss) / n, 1), r.verdict);
}

void print_column_notes() {
    fmt::print("vector B: iomc's packed state; pan's State-vector (unpacked bytes, as pan prints it).\n"
               "stored B/state: iomc: Stats::memory / states (state arena + hash table + parent links);\n"
               "  SPIN: \"actual memory usage for states\" / states (vector as stored + pan's per-state\n"
               "  overhead, without its hash table).\n"
               "+ index B/state: SPIN's figure plus its hash table (8 B x 2^W) per state; iomc's is already in.\n"
               "tool total B/state: pan's \"total actual memory usage\" (includes the -m DFS stack) / states.\n"
               "peak RSS B/state: the searching process's peak resident set (wait4) / states.\n"
               "s and states/s: search time only (iomc: Stats::seconds; SPIN: pan's elapsed time; Rumur:\n"
               "  wall time of the verifier process).\n"
               "CPU s: user + system time of the whole process (wait4): iomc's includes loading and\n"
               "  compiling the model, pan's its setup; less sensitive than s to other load on the machine.\n");
}

}  // namespace iomc::bench
