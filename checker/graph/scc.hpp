// SPDX-License-Identifier: MIT
/// @file Strongly connected components of a graph in compressed rows, in memory linear in its
/// size (about 32 bytes a vertex besides the graph): the liveness analysis runs it on subgraphs
/// of state graphs of tens of millions of states, where an adjacency list of vectors per vertex
/// took three times the state graph's own memory.
#pragma once

#include <cstddef>
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

/// Groups values by key, in compressed rows: `pairs(emit)` calls emit(key, value) for each pair,
/// keys below `keys`, the same pairs each time it is called (twice: to count, then to place).
/// Afterwards the values of key k are values[offsets[k] .. offsets[k + 1]), in the order given.
template <class Offset, class Value, class Pairs>
void group_by_key(std::size_t keys, std::vector<Offset>& offsets, std::vector<Value>& values, Pairs&& pairs) {
    offsets.assign(keys + 1, 0);
    pairs([&](std::size_t key, Value) { ++offsets[key + 1]; });
    for (std::size_t k = 1; k < offsets.size(); ++k) offsets[k] += offsets[k - 1];
    values.resize(offsets.back());
    std::vector<Offset> fill(offsets.begin(), offsets.end() - 1);
    pairs([&](std::size_t key, Value v) { values[fill[key]++] = v; });
}

/// Tarjan's algorithm, iterative: comp[v] is v's component, numbered 0.. in the order Tarjan
/// closes them (a component's successors' components come first). Returns the number of
/// components.
std::uint32_t strong_components(const CompressedGraph& g, std::vector<std::uint32_t>& comp);

}  // namespace iomc::graph
