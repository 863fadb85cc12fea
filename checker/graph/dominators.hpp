// SPDX-License-Identifier: MIT
/// @file Dominator sets of small control-flow graphs (Boost.Graph's Lengauer-Tarjan), used to
/// define `proc(i) past L`: the locations every path from the entry reaches only through L.
#pragma once

#include <cstdint>
#include <vector>

namespace iomc::graph {

/// `succ[v]` lists the successors of node v; node 0 is the entry. Returns, for each node, its
/// immediate dominator (the entry and unreachable nodes get UINT32_MAX).
std::vector<std::uint32_t> immediate_dominators(const std::vector<std::vector<std::uint32_t>>& succ);

/// Nodes dominated by `d` (including `d`), given immediate dominators.
std::vector<std::uint32_t> dominated_by(const std::vector<std::uint32_t>& idom, std::uint32_t d);

}  // namespace iomc::graph
