// SPDX-License-Identifier: MIT
#include "checker/cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace iomc::cli {

namespace {
bool drawn = false;
}

std::string human_bytes(std::uint64_t b) {
    if (b >= (1ULL << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(b) / (1ULL << 30));
    if (b >= (1ULL << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / (1ULL << 20));
    if (b >= (1ULL << 10)) return fmt::format("{:.1f} KiB", static_cast<double>(b) / (1ULL << 10));
    return fmt::format("{} B", b);
}

std::string human_count(std::uint64_t n) {
    if (n >= 1'000'000) return fmt::format("{:.1f}M", static_cast<double>(n) / 1e6);
    if (n >= 10'000) return fmt::format("{:.0f}K", static_cast<double>(n) / 1e3);
    return fmt::format("{}", n);
}

std::function<void(const explore::Progress&)> terminal_progress() {
    if (!isatty(STDERR_FILENO)) return nullptr;
    return [](const explore::Progress& p) {
        const double rate = p.seconds > 0 ? static_cast<double>(p.states) / p.seconds : 0;
        std::fprintf(stderr, "\r\033[K%sstates %s  %s/s  queue %s  depth %llu  memory %s",
                     p.whole_graph ? "whole state graph: " : "", human_count(p.states).c_str(),
                     human_count(static_cast<std::uint64_t>(rate)).c_str(), human_count(p.queue).c_str(),
                     static_cast<unsigned long long>(p.depth), human_bytes(p.memory).c_str());
        std::fflush(stderr);
        drawn = true;
    };
}

void clear_progress() {
    if (drawn) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        drawn = false;
    }
}

}  // namespace iomc::cli
