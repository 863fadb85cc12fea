// SPDX-License-Identifier: MIT
/// @file Depth-first reachability over one process's locations, for the static analyses that
/// need a process's future (the partial-order reduction's tables, the wait-cycle check).
#pragma once

#include <cstdint>
#include <vector>

namespace iomc::ir {

/// Calls visit(x) once for every location x of a process with `n` locations reachable from
/// `from` (from included); next(x) gives the locations one step from x, and is asked only where
/// visit(x) returns true. `seen` and `stack` are scratch space, reused across calls.
template <class Next, class Visit>
void for_each_reachable(std::uint32_t n, std::uint32_t from, Next&& next, Visit&& visit, std::vector<char>& seen,
                        std::vector<std::uint32_t>& stack) {
    seen.assign(n, 0);
    stack.assign(1, from);
    seen[from] = 1;
    while (!stack.empty()) {
        const auto x = stack.back();
        stack.pop_back();
        if (!visit(x)) continue;
        for (const auto y : next(x))
            if (!seen[y]) {
                seen[y] = 1;
                stack.push_back(y);
            }
    }
}

}  // namespace iomc::ir
