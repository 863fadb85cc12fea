// SPDX-License-Identifier: MIT
// graph::strong_components (Tarjan, iterative, on compressed rows): hand-derived partitions,
// and the same partition as Boost.Graph's strong_components on seeded random graphs.
// Also graph::group_by_key, the counting sort into compressed rows.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include "checker/graph/scc.hpp"

using namespace iomc;

namespace {

graph::CompressedGraph from_lists(const std::vector<std::vector<std::uint32_t>>& succ) {
    graph::CompressedGraph g;
    for (const auto& s : succ) {
        g.targets.insert(g.targets.end(), s.begin(), s.end());
        g.offsets.push_back(g.targets.size());
    }
    return g;
}

/// Component ids renumbered by first appearance, so that two partitions compare equal.
std::vector<std::uint32_t> canonical(const std::vector<std::uint32_t>& comp) {
    std::vector<std::uint32_t> name(comp.size(), UINT32_MAX), out;
    std::uint32_t next = 0;
    for (const auto c : comp) {
        if (name[c] == UINT32_MAX) name[c] = next++;
        out.push_back(name[c]);
    }
    return out;
}

}  // namespace

TEST_SUITE("graph") {

TEST_CASE("strong components of hand-made graphs") {
    std::vector<std::uint32_t> comp;
    SUBCASE("no vertex") {
        CHECK(graph::strong_components(graph::CompressedGraph{}, comp) == 0);
        CHECK(comp.empty());
    }
    SUBCASE("a chain 0 -> 1 -> 2: three components, the sink closed first") {
        CHECK(graph::strong_components(from_lists({{1}, {2}, {}}), comp) == 3);
        CHECK(comp == std::vector<std::uint32_t>{2, 1, 0});
    }
    SUBCASE("a cycle 0 -> 1 -> 2 -> 0 with a tail 2 -> 3 and a self-loop on 3") {
        CHECK(graph::strong_components(from_lists({{1}, {2}, {0, 3}, {3}}), comp) == 2);
        CHECK(comp == std::vector<std::uint32_t>{1, 1, 1, 0});
    }
    SUBCASE("two cycles joined one way, reached from the second root") {
        // 0 <-> 1, 2 <-> 3, 3 -> 0; the search starts at 0, then 2.
        CHECK(graph::strong_components(from_lists({{1}, {0}, {3}, {2, 0}}), comp) == 2);
        CHECK(comp == std::vector<std::uint32_t>{0, 0, 1, 1});
    }
    SUBCASE("a deep chain closes without recursion") {
        std::vector<std::vector<std::uint32_t>> succ(200000);
        for (std::uint32_t v = 0; v + 1 < succ.size(); ++v) succ[v] = {v + 1};
        succ.back() = {0};
        CHECK(graph::strong_components(from_lists(succ), comp) == 1);
    }
}

TEST_CASE("strong components agree with Boost.Graph on seeded random graphs") {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    for (std::uint32_t seed = 1; seed <= 300; ++seed) {
        std::mt19937 rng(seed);
        const std::uint32_t n = 1 + rng() % 60;
        const std::uint32_t degree = rng() % 4;  // sparse to dense: few to many components
        std::vector<std::vector<std::uint32_t>> succ(n);
        G b(n);
        for (std::uint32_t v = 0; v < n; ++v)
            for (std::uint32_t k = rng() % (degree + 1); k > 0; --k) {
                const std::uint32_t w = rng() % n;
                succ[v].push_back(w);
                boost::add_edge(v, w, b);
            }
        std::vector<std::uint32_t> mine, theirs(n);
        const auto count = graph::strong_components(from_lists(succ), mine);
        const auto boost_count = static_cast<std::uint32_t>(boost::strong_components(b, theirs.data()));
        CAPTURE(seed);
        CHECK(count == boost_count);
        CHECK(canonical(mine) == canonical(theirs));
    }
}

}  // TEST_SUITE

TEST_CASE("group_by_key puts each key's values together, in the order given") {
    // Pairs (key, value): key 2 gets 10 and 13, key 0 gets 11, key 1 none, key 3 gets 12.
    const std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs{{2, 10}, {0, 11}, {3, 12}, {2, 13}};
    std::vector<std::uint64_t> offsets;
    std::vector<std::uint32_t> values;
    int calls = 0;
    graph::group_by_key(4, offsets, values, [&](auto emit) {
        ++calls;
        for (const auto& [k, v] : pairs) emit(k, v);
    });
    CHECK(calls == 2);
    CHECK(offsets == std::vector<std::uint64_t>{0, 1, 1, 3, 4});
    CHECK(values == std::vector<std::uint32_t>{11, 10, 13, 12});

    // No pairs: every row empty.
    graph::group_by_key(3, offsets, values, [](auto) {});
    CHECK(offsets == std::vector<std::uint64_t>{0, 0, 0, 0});
    CHECK(values.empty());
}
