// SPDX-License-Identifier: MIT
/// @file Process memory figures (Linux /proc), for reports and the --max-memory limit.
#pragma once

#include <cstdint>

namespace iomc::explore {

/// Peak resident set size of this process in bytes (VmHWM), 0 if unknown.
std::uint64_t peak_rss_bytes();
/// Current resident set size in bytes, 0 if unknown.
std::uint64_t current_rss_bytes();

/// What bounds this process's memory, in bytes; 0 where there is no such bound or it is
/// unknown.
struct MemoryBounds {
    std::uint64_t physical = 0;  ///< the machine's RAM (sysconf)
    /// This process's cgroup's memory.max (v2) or memory.limit_in_bytes (v1)
    std::uint64_t cgroup = 0;
    std::uint64_t address_space = 0;  ///< RLIMIT_AS (ulimit -v)
    std::uint64_t virtual_now = 0;    ///< VmSize now: address space already taken
    std::uint64_t resident_now = 0;   ///< VmRSS now
};
/// This machine's and this process's bounds, read now.
MemoryBounds memory_bounds();
/// The default --max-memory (a cap on the whole process's resident set): three quarters of the
/// tightest bound, leaving room for what the budget does not count (the allocator's slack, the
/// kernel's page tables, other programs). Under RLIMIT_AS the room is the address space not yet
/// taken, plus what is resident now (the budget counts resident bytes). 0 when nothing is known.
std::uint64_t default_memory_cap(const MemoryBounds& b);
/// default_memory_cap(memory_bounds()).
std::uint64_t default_memory_limit();

}  // namespace iomc::explore
