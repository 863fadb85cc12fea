// SPDX-License-Identifier: MIT
// Unit tests of checker/reduce/symmetry (the canonical form): on directed graphs over a
// scalarset, whose orbits are known (the unlabelled digraphs without loops: 3 on two
// vertices, 16 on three, 218 on four; OEIS A000273), every element has the same key, so the
// exact form must try the orders of ties, and the classes of interchangeable elements must
// not change which representative it picks.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "checker/reduce/symmetry.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
using reduce::Canonicalizer;
using reduce::SymmetryMode;

namespace {

/// N processes, each toggling any subset of its out-edges in one step: every graph is reachable.
const char* const digraphs = R"(
    const N: 1..5 = 3;
    type Dev = scalarset(N);
    var link: bool[Dev][Dev];
    process edge(d: Dev) {
        while (true) {
            atomic {
                for e: Dev {
                    if (e != d) {
                        either { link[d][e] = !link[d][e]; } or { skip; }
                    }
                }
            }
        }
    }
)";

/// The state of graph `edges` (bit d * n + e: the edge d -> e) over n vertices.
struct Graphs {
    std::shared_ptr<const ir::TransitionSystem> ts;
    std::uint32_t n;
    std::vector<std::vector<std::uint32_t>> slot;  ///< slot[d][e]: link[d][e]

    explicit Graphs(std::uint32_t vertices) : ts(testing::compile(digraphs, "", {"N=" + std::to_string(vertices)})), n(vertices) {
        REQUIRE(ts);
        slot.assign(n, std::vector<std::uint32_t>(n, UINT32_MAX));
        const auto slots = ts->layout().slots();
        for (std::uint32_t i = 0; i < slots.size(); ++i)
            for (std::uint32_t d = 0; d < n; ++d)
                for (std::uint32_t e = 0; e < n; ++e)
                    if (slots[i].name == "link[" + std::to_string(d) + "][" + std::to_string(e) + "]") slot[d][e] = i;
        for (const auto& row : slot)
            for (const auto s : row) REQUIRE(s != UINT32_MAX);
    }
    [[nodiscard]] std::vector<std::uint8_t> state(std::uint64_t edges) const {
        std::vector<std::uint8_t> s(ts->state_buffer_size());
        ts->initial_state(s.data());
        for (std::uint32_t d = 0; d < n; ++d)
            for (std::uint32_t e = 0; e < n; ++e)
                ts->layout().write(s.data(), ir::SlotId{slot[d][e]}, static_cast<std::int64_t>(edges >> (d * n + e) & 1U));
        return s;
    }
    /// The graph with vertex v renamed perm[v].
    [[nodiscard]] std::uint64_t permuted(std::uint64_t edges, const std::vector<std::uint32_t>& perm) const {
        std::uint64_t out = 0;
        for (std::uint32_t d = 0; d < n; ++d)
            for (std::uint32_t e = 0; e < n; ++e)
                if ((edges >> (d * n + e) & 1U) != 0) out |= std::uint64_t{1} << (perm[d] * n + perm[e]);
        return out;
    }
    /// The graphs without loops.
    [[nodiscard]] std::vector<std::uint64_t> all() const {
        std::vector<std::uint64_t> out;
        for (std::uint64_t g = 0; g < (std::uint64_t{1} << (n * n)); ++g) {
            bool loop = false;
            for (std::uint32_t d = 0; d < n; ++d) loop = loop || (g >> (d * n + d) & 1U) != 0;
            if (!loop) out.push_back(g);
        }
        return out;
    }
};

std::vector<std::uint8_t> canon(Canonicalizer& c, const std::vector<std::uint8_t>& s) {
    std::vector<std::uint8_t> out(s.size(), 0xEE);
    c.canonicalize(s.data(), out.data());
    return out;
}

}  // namespace

TEST_SUITE("reduce") {

TEST_CASE("the exact form maps every renaming of a graph to one state, one per unlabelled graph") {
    // For each graph g and each permutation p: canon(p(g)) == canon(g), canon(g) is the state
    // of some p(g) (a representative of g's orbit, not another graph), and the representatives
    // are as many as the unlabelled digraphs.
    const std::array<std::size_t, 5> orbits{0, 1, 3, 16, 218};
    for (std::uint32_t n = 2; n <= 4; ++n) {
        CAPTURE(n);
        const Graphs g(n);
        Canonicalizer c(*g.ts, SymmetryMode::exact);
        REQUIRE(c.active());
        std::vector<std::uint32_t> perm(n);
        std::set<std::string> reps;  // the states' bytes (a set of vectors trips GCC 12's -Wstringop-overread)
        for (const auto edges : g.all()) {
            const auto rep = canon(c, g.state(edges));
            reps.insert(std::string(rep.begin(), rep.end()));
            std::iota(perm.begin(), perm.end(), 0U);
            bool in_orbit = false;
            do {
                const auto image = g.state(g.permuted(edges, perm));
                CHECK(canon(c, image) == rep);
                in_orbit = in_orbit || std::memcmp(rep.data(), image.data(), g.ts->layout().bytes()) == 0;
            } while (std::next_permutation(perm.begin(), perm.end()));
            CHECK(in_orbit);
        }
        CHECK(reps.size() == orbits[n]);
        CHECK(c.stats().heuristic == 0);
    }
}

TEST_CASE("the canonical form zeroes the slack and is its own representative") {
    const Graphs g(4);
    Canonicalizer c(*g.ts, SymmetryMode::exact);
    for (const auto edges : {std::uint64_t{0}, std::uint64_t{0b10}, std::uint64_t{0x1248}, std::uint64_t{0x0102}}) {
        const auto rep = canon(c, g.state(edges));
        for (std::size_t i = g.ts->layout().bytes(); i < rep.size(); ++i) CHECK(rep[i] == 0);
        CHECK(canon(c, rep) == rep);
    }
}

TEST_CASE("over the candidate bound the exact form takes one order and counts the state") {
    // The edge 0 -> 1 on four vertices: every vertex has the same key, so 24 orders tie. The
    // classes of interchangeable vertices are {0}, {1} and {2, 3}: 12 distinct orders. With a
    // bound of 12 they are all tried; with 11, one order (ties by index, the identity here) and
    // the state counts as heuristic. The empty graph has one class: one order, never counted.
    const Graphs g(4);
    const auto edge = g.state(std::uint64_t{1} << 1);
    Canonicalizer exact12(*g.ts, SymmetryMode::exact, 12);
    Canonicalizer exact11(*g.ts, SymmetryMode::exact, 11);
    const auto rep12 = canon(exact12, edge);
    CHECK(exact12.stats().heuristic == 0);
    const auto rep11 = canon(exact11, edge);
    CHECK(exact11.stats().heuristic == 1);
    std::vector<std::uint8_t> identity = edge;
    std::fill(identity.begin() + g.ts->layout().bytes(), identity.end(), std::uint8_t{0});
    CHECK(rep11 == identity);
    // The exact representative is the smallest image: the edge's 1 in the last slot it can
    // take, link[3][2] (the edge 3 -> 2: bit 3 * 4 + 2).
    std::vector<std::uint8_t> last = g.state(std::uint64_t{1} << 14);
    std::fill(last.begin() + g.ts->layout().bytes(), last.end(), std::uint8_t{0});
    CHECK(rep12 == last);
    canon(exact11, g.state(0));
    CHECK(exact11.stats().heuristic == 1);
    CHECK(exact11.stats().canonicalized == 2);
}

TEST_CASE("the heuristic form keeps ties in index order: no reduction when every key ties") {
    const Graphs g(3);
    Canonicalizer c(*g.ts, SymmetryMode::heuristic);
    std::set<std::string> reps;  // the states' bytes (a set of vectors trips GCC 12's -Wstringop-overread)
    for (const auto edges : g.all()) {
        const auto rep = canon(c, g.state(edges));
        reps.insert(std::string(rep.begin(), rep.end()));
    }
    CHECK(reps.size() == 64);
}

TEST_CASE("a search with exact symmetry stores one state per unlabelled digraph") {
    // Without symmetry: all 2^(n(n-1)) graphs; exact: A000273; heuristic: every key ties, so
    // no reduction.
    for (const auto& [n, all, orbits] : {std::tuple{3U, 64ULL, 16ULL}, std::tuple{4U, 4096ULL, 218ULL}}) {
        const auto ts = testing::compile(digraphs, "", {"N=" + std::to_string(n)});
        for (const auto& [mode, want] : {std::pair{SymmetryMode::off, all}, std::pair{SymmetryMode::heuristic, all},
                                         std::pair{SymmetryMode::exact, orbits}}) {
            CAPTURE(n);
            CAPTURE(reduce::to_string(mode));
            const auto r = explore::check(*ts, {.stop_at_first = false, .symmetry = mode});
            CHECK(r.verdict == explore::Verdict::holds);
            CHECK(r.stats.states == want);
        }
    }
}

}  // TEST_SUITE
