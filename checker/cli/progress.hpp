// SPDX-License-Identifier: MIT
/// @file The progress line shown on a terminal during long searches (nothing otherwise).
#pragma once

#include <functional>

#include "checker/explore/search.hpp"

namespace iomc::cli {

/// A progress callback that redraws one line on stderr if stderr is a terminal, else null.
std::function<void(const explore::Progress&)> terminal_progress();
/// Clears the progress line if one was drawn.
void clear_progress();

/// "1.2 MiB", "340 KiB", "12 B".
std::string human_bytes(std::uint64_t b);
/// "1.2M", "340K", "12".
std::string human_count(std::uint64_t n);

}  // namespace iomc::cli
