// SPDX-License-Identifier: MIT
/// @file Strongly connected components of a graph in compressed rows, in memory linear in its
/// size (about 32 bytes a vertex besides the graph): the liveness analysis runs it on subgraphs
/// of state graphs of tens of millions of states, where an adjacency list of vectors per vertex
/// took three times the state graph's own memory.
#pragma once

#include <cstdint>
#include <vector>

namespace iomc::graph {

/// A directed graph in compressed rows: vertex v's successors are
/// targets[offsets[v] .. offsets[v + 1]). offsets has one entry more than there are vertices.
struct CompressedGraph {
    std::vector<std::uint64_t> offsets{0};
    std::vector<std::uint32_t> targets;
    [[nodiscard]] std::uint32_t vertices() const { return static_cast<std::uint32_t>(offsets.size() - 1); }
};

/// Tarjan's algorithm, iterative: comp[v] is v's component, numbered 0.. in the order Tarjan
/// closes them (a component's successors' components come first). Returns the number of
/// components.
std::uint32_t strong_components(const CompressedGraph& g, std::vector<std::uint32_t>& comp);

}  // namespace iomc::graph
