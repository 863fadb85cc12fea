// SPDX-License-Identifier: MIT
#include "checker/graph/dominators.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dominator_tree.hpp>

namespace iomc::graph {

std::vector<std::uint32_t> immediate_dominators(const std::vector<std::vector<std::uint32_t>>& succ) {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
    using V = boost::graph_traits<G>::vertex_descriptor;
    const std::size_t n = succ.size();
    std::vector<std::uint32_t> out(n, UINT32_MAX);
    if (n == 0) return out;
    G g(n);
    for (std::size_t v = 0; v < n; ++v)
        for (auto w : succ[v]) boost::add_edge(v, w, g);
    std::vector<V> dom(n, boost::graph_traits<G>::null_vertex());
    auto index = boost::get(boost::vertex_index, g);
    auto dom_map = boost::make_iterator_property_map(dom.begin(), index);
    boost::lengauer_tarjan_dominator_tree(g, boost::vertex(0, g), dom_map);
    for (std::size_t v = 0; v < n; ++v)
        if (dom[v] != boost::graph_traits<G>::null_vertex()) out[v] = static_cast<std::uint32_t>(dom[v]);
    return out;
}

std::vector<std::uint32_t> dominated_by(const std::vector<std::uint32_t>& idom, std::uint32_t d) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t v = 0; v < idom.size(); ++v) {
        std::uint32_t x = v;
        std::size_t guard = 0;
        while (x != d && x != UINT32_MAX && guard++ <= idom.size()) x = idom[x];
        if (x == d) out.push_back(v);
    }
    return out;
}

}  // namespace iomc::graph
