// SPDX-License-Identifier: MIT
/// @file The breadth-first search (checker/explore/bfs.cpp) and the depth-first search
/// (dfs.cpp) behind explore::check.
#pragma once

#include "checker/explore/plan.hpp"

namespace iomc::explore {

/// Level-by-level BFS on `threads` threads.
Result bfs(const Plan& plan, unsigned threads);
/// Sequential DFS.
Result dfs(const Plan& plan);

}  // namespace iomc::explore
