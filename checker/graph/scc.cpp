// SPDX-License-Identifier: MIT
#include "checker/graph/scc.hpp"

#include <algorithm>
#include <utility>

namespace iomc::graph {

std::uint32_t strong_components(const CompressedGraph& g, std::vector<std::uint32_t>& comp) {
    constexpr std::uint32_t unseen = UINT32_MAX;
    const std::uint32_t n = g.vertices();
    std::vector<std::uint32_t> index(n, unseen), low(n, 0), stack;
    // The depth-first path: a vertex and the position of its next edge to follow.
    std::vector<std::pair<std::uint32_t, std::uint64_t>> path;
    comp.assign(n, unseen);
    std::uint32_t counter = 0, ncomp = 0;
    auto enter = [&](std::uint32_t v) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        path.emplace_back(v, g.offsets[v]);
    };
    for (std::uint32_t root = 0; root < n; ++root) {
        if (index[root] != unseen) continue;
        enter(root);
        while (!path.empty()) {
            const std::uint32_t v = path.back().first;
            if (std::uint64_t& at = path.back().second; at < g.offsets[v + 1]) {
                const std::uint32_t w = g.targets[at++];
                if (index[w] == unseen) {
                    enter(w);
                } else if (comp[w] == unseen) {
                    // Seen and in no component yet: w is on the stack.
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            path.pop_back();
            if (!path.empty()) low[path.back().first] = std::min(low[path.back().first], low[v]);
            if (low[v] != index[v]) continue;
            std::uint32_t w = unseen;
            do {
                w = stack.back();
                stack.pop_back();
                comp[w] = ncomp;
            } while (w != v);
            ++ncomp;
        }
    }
    return ncomp;
}

}  // namespace iomc::graph
