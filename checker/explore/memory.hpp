// SPDX-License-Identifier: MIT
/// @file Process memory figures (Linux /proc), for reports and the --max-memory limit.
#pragma once

#include <cstdint>

namespace iomc::explore {

/// Peak resident set size of this process in bytes (VmHWM), 0 if unknown.
std::uint64_t peak_rss_bytes();
/// Current resident set size in bytes, 0 if unknown.
std::uint64_t current_rss_bytes();

}  // namespace iomc::explore
