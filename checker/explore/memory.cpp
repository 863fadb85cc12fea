// SPDX-License-Identifier: MIT
#include "checker/explore/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace iomc::explore {

namespace {

std::uint64_t status_kb(const char* key) {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    std::uint64_t kb = 0;
    const std::size_t n = std::strlen(key);
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, key, n) == 0) {
            unsigned long long v = 0;
            if (std::sscanf(line + n, " %llu", &v) == 1) kb = v;
            break;
        }
    }
    std::fclose(f);
    return kb * 1024;
}

/// The number in a one-line file ("max" and anything unreadable: 0).
std::uint64_t file_number(const char* path) {
    std::FILE* f = std::fopen(path, "r");
    if (!f) return 0;
    unsigned long long v = 0;
    const bool ok = std::fscanf(f, "%llu", &v) == 1;
    std::fclose(f);
    return ok ? v : 0;
}

}  // namespace

std::uint64_t peak_rss_bytes() { return status_kb("VmHWM:"); }
std::uint64_t current_rss_bytes() { return status_kb("VmRSS:"); }

MemoryBounds memory_bounds() {
    MemoryBounds b;
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) b.physical = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
    // This process's cgroup (/proc/self/cgroup): v2's "0::/path" gives
    // /sys/fs/cgroup/path/memory.max, v1's "N:memory:/path" gives
    // /sys/fs/cgroup/memory/path/memory.limit_in_bytes (a v1 "no limit" is a huge number, which
    // the minimum below ignores by itself); else the mount points' own files (a container's
    // namespace root).
    if (std::FILE* f = std::fopen("/proc/self/cgroup", "r")) {
        char line[512];
        while (b.cgroup == 0 && std::fgets(line, sizeof line, f)) {
            std::string text(line);
            while (!text.empty() && (text.back() == '\n' || text.back() == '/')) text.pop_back();
            if (text.rfind("0::", 0) == 0) {
                b.cgroup = file_number(("/sys/fs/cgroup" + text.substr(3) + "/memory.max").c_str());
            } else if (const auto at = text.find(":memory:"); at != std::string::npos) {
                b.cgroup =
                    file_number(("/sys/fs/cgroup/memory" + text.substr(at + 8) + "/memory.limit_in_bytes").c_str());
            }
        }
        std::fclose(f);
    }
    if (b.cgroup == 0) b.cgroup = file_number("/sys/fs/cgroup/memory.max");
    if (b.cgroup == 0) b.cgroup = file_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    rlimit as{};
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) b.address_space = as.rlim_cur;
    b.virtual_now = status_kb("VmSize:");
    b.resident_now = current_rss_bytes();
    return b;
}

std::uint64_t default_memory_cap(const MemoryBounds& b) {
    std::uint64_t room = 0;
    auto tighten = [&room](std::uint64_t v) {
        if (v > 0) room = room == 0 ? v : std::min(room, v);
    };
    tighten(b.physical);
    tighten(b.cgroup);
    if (b.address_space > 0)
        tighten(b.address_space > b.virtual_now ? b.address_space - b.virtual_now + b.resident_now : b.resident_now + 1);
    return room / 4 * 3;
}

std::uint64_t default_memory_limit() { return default_memory_cap(memory_bounds()); }

}  // namespace iomc::explore
