// SPDX-License-Identifier: MIT
#include "checker/cli/options.hpp"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <limits>

#include <fmt/format.h>

#include "checker/explore/memory.hpp"

namespace iomc::cli {

std::atomic<bool> interrupted{false};

namespace {
extern "C" void on_sigint(int) {
    interrupted.store(true);
    std::signal(SIGINT, SIG_DFL);
}
}  // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_sigint); }

std::string check_whole_number(std::string& text, std::uint64_t lo, std::uint64_t hi) {
    const std::string expected = hi == std::numeric_limits<std::uint64_t>::max()
                                     ? (lo == 0 ? std::string("a whole number") : fmt::format("a whole number of at least {}", lo))
                                     : fmt::format("a whole number from {} to {}", lo, hi);
    const std::string error = fmt::format("expected {}, found '{}'", expected, text);
    if (text.empty()) return error;
    std::uint64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return error;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return error;
        v = v * 10 + d;
    }
    if (v < lo || v > hi) return error;
    text = std::to_string(v);
    return {};
}

bool parse_size(const std::string& text, std::uint64_t& out) {
    if (text.empty()) return false;
    std::size_t i = 0;
    std::uint64_t v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        v = v * 10 + static_cast<std::uint64_t>(text[i] - '0');
        if (v > (std::uint64_t{1} << 50)) return false;
        ++i;
    }
    if (i == 0) return false;
    std::uint64_t mul = 1;
    if (i < text.size()) {
        const std::string suf = text.substr(i);
        if (suf == "K" || suf == "k" || suf == "KiB") mul = 1ULL << 10;
        else if (suf == "M" || suf == "MiB") mul = 1ULL << 20;
        else if (suf == "G" || suf == "GiB") mul = 1ULL << 30;
        else return false;
    }
    if (v > std::numeric_limits<std::uint64_t>::max() / mul) return false;
    out = v * mul;
    return true;
}

bool explorer_options(const CommonOptions& c, explore::Options& out) {
    if (c.strategy == "bfs") {
        out.strategy = explore::Strategy::bfs;
    } else if (c.strategy == "dfs") {
        out.strategy = explore::Strategy::dfs;
    } else {
        std::fprintf(stderr, "iomc: error: unknown strategy '%s'; available: bfs, dfs\n", c.strategy.c_str());
        return false;
    }
    out.limits.max_states = c.max_states;
    out.limits.time_limit = c.time_limit;
    if (c.time_limit < 0) {
        std::fprintf(stderr, "iomc: error: --time-limit must not be negative\n");
        return false;
    }
    if (!std::isfinite(c.time_limit)) {
        std::fprintf(stderr, "iomc: error: --time-limit must be a finite number of seconds\n");
        return false;
    }
    if (!c.max_memory.empty() && !parse_size(c.max_memory, out.limits.max_memory)) {
        std::fprintf(stderr, "iomc: error: --max-memory '%s': expected a size such as 512M or 2G\n",
                     c.max_memory.c_str());
        return false;
    }
    if (c.max_memory.empty()) {
        // Without a cap, a search or state graph too large for the machine ends in the kernel's
        // OOM killer, with no verdict and no statistics; with one it stops as incomplete.
        out.limits.max_memory = explore::default_memory_limit();
        out.limits.memory_default = out.limits.max_memory != 0;
    }
    if (c.symmetry == "exact") {
        out.symmetry = reduce::SymmetryMode::exact;
    } else if (c.symmetry == "heuristic") {
        out.symmetry = reduce::SymmetryMode::heuristic;
    } else if (c.symmetry == "off") {
        out.symmetry = reduce::SymmetryMode::off;
    } else {
        std::fprintf(stderr, "iomc: error: unknown symmetry mode '%s'; available: exact, heuristic, off\n",
                     c.symmetry.c_str());
        return false;
    }
    if (c.fairness != "weak" && c.fairness != "strong") {
        std::fprintf(stderr, "iomc: error: unknown fairness '%s'; available: weak, strong\n", c.fairness.c_str());
        return false;
    }
    if (c.storage == "exact") {
        out.storage = explore::StorageKind::exact;
    } else if (c.storage == "compact") {
        out.storage = explore::StorageKind::compact;
    } else if (c.storage == "hash") {
        out.storage = explore::StorageKind::hash;
    } else {
        std::fprintf(stderr, "iomc: error: unknown storage '%s'; available: exact, compact, hash\n", c.storage.c_str());
        return false;
    }
    out.threads = c.threads;
    out.por = !c.no_por;
    out.por_check = c.por_check;
    if (!c.proviso.empty() && c.no_por) {
        std::fprintf(stderr, "iomc: error: --proviso sets the partial-order reduction's cycle proviso, which --no-por "
                             "turns off\n");
        return false;
    }
    if (c.proviso.empty() || c.proviso == "static") {
        out.proviso = reduce::Proviso::static_loops;
    } else if (c.proviso == "stored") {
        out.proviso = reduce::Proviso::stored;
    } else {
        std::fprintf(stderr, "iomc: error: unknown proviso '%s'; available: static, stored\n", c.proviso.c_str());
        return false;
    }
    out.chains = !c.no_chains;
    if (c.no_chains && c.no_por) {
        std::fprintf(stderr, "iomc: error: --no-chains sets the partial-order reduction's single-step chains, which "
                             "--no-por turns off\n");
        return false;
    }
    if (c.por_check && c.no_por) {
        std::fprintf(stderr, "iomc: error: --por-check checks the partial-order reduction, which --no-por turns off\n");
        return false;
    }
    out.cancel = &interrupted;
    return true;
}

}  // namespace iomc::cli
