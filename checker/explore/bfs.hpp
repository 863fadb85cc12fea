// SPDX-License-Identifier: MIT
/// @file The breadth-first search (checker/explore/bfs.cpp) and the depth-first search
/// (dfs.cpp) behind explore::check.
#pragma once

#include "checker/explore/compact_store.hpp"
#include "checker/explore/plan.hpp"

namespace iomc::explore {

/// Level-by-level BFS on `threads` threads (one with compact or hash-compacted storage).
Result bfs(const Plan& plan, unsigned threads, StorageKind storage);
/// Sequential DFS.
Result dfs(const Plan& plan);

}  // namespace iomc::explore
