// SPDX-License-Identifier: MIT
#include "checker/explore/memory.hpp"

#include <cstdio>
#include <cstring>

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

}  // namespace

std::uint64_t peak_rss_bytes() { return status_kb("VmHWM:"); }
std::uint64_t current_rss_bytes() { return status_kb("VmRSS:"); }

}  // namespace iomc::explore
