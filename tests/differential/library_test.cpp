// SPDX-License-Identifier: MIT
/// @file Differential soundness over the model library: every expect cell of every scenario gives
/// the same verdict with each reduction (partial-order with either cycle proviso and with and
/// without single-step chains, symmetry exact and heuristic) on and off, under BFS (one and two threads) and DFS. The library is also run
/// at two devices (-D types::N_DEVS=2), where Dev symmetry has something to reduce. A
/// disagreement names the file, variant, property and configuration.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

struct Config {
    const char* name;
    explore::Strategy strategy;
    bool por;
    unsigned threads;
    reduce::SymmetryMode symmetry = reduce::SymmetryMode::off;
    reduce::Proviso proviso = reduce::Proviso::static_loops;
    bool chains = true;  ///< single-step chains where they apply (static proviso, no symmetry)
};

constexpr Config configs[] = {
    {"bfs", explore::Strategy::bfs, false, 1},
    {"bfs+por", explore::Strategy::bfs, true, 1},
    {"dfs", explore::Strategy::dfs, false, 1},
    {"dfs+por", explore::Strategy::dfs, true, 1},
    {"bfs 2 threads", explore::Strategy::bfs, false, 2},
    {"bfs+por 2 threads", explore::Strategy::bfs, true, 2},
    {"bfs+sym", explore::Strategy::bfs, false, 1, reduce::SymmetryMode::exact},
    {"bfs+por+sym", explore::Strategy::bfs, true, 1, reduce::SymmetryMode::exact},
    {"bfs+por+sym heuristic 2 threads", explore::Strategy::bfs, true, 2, reduce::SymmetryMode::heuristic},
    {"dfs+por+sym", explore::Strategy::dfs, true, 1, reduce::SymmetryMode::exact},
    {"bfs+por stored", explore::Strategy::bfs, true, 1, reduce::SymmetryMode::off, reduce::Proviso::stored},
    {"dfs+por stored", explore::Strategy::dfs, true, 1, reduce::SymmetryMode::off, reduce::Proviso::stored},
    {"bfs+por+sym stored 2 threads", explore::Strategy::bfs, true, 2, reduce::SymmetryMode::exact,
     reduce::Proviso::stored},
    {"bfs+por no chains", explore::Strategy::bfs, true, 1, reduce::SymmetryMode::off, reduce::Proviso::static_loops,
     false},
};

/// Runs every configuration on one build; every property's verdict must be the plain BFS's.
/// Returns the results (configs order).
std::vector<explore::Result> compare(const ir::TransitionSystem& ts, const std::string& what) {
    std::vector<explore::Result> results;
    for (const auto& c : configs) {
        // One search per configuration, all properties at once, as iomc test does.
        results.push_back(explore::check(ts, {.strategy = c.strategy,
                                               .stop_at_first = false,
                                               .por = c.por,
                                               .proviso = c.proviso,
                                               .chains = c.chains,
                                               .threads = c.threads,
                                               .symmetry = c.symmetry}));
        MESSAGE(fmt::format("{} {}: {} states", what, c.name, results.back().stats.states));
    }
    for (std::size_t k = 1; k < std::size(configs); ++k) {
        CAPTURE(what);
        CAPTURE(configs[k].name);
        REQUIRE(results[k].properties.size() == results[0].properties.size());
        for (std::size_t p = 0; p < results[0].properties.size(); ++p) {
            CAPTURE(ts.property(results[0].properties[p].property).name);
            CHECK(results[k].properties[p].verdict == results[0].properties[p].verdict);
        }
    }
    // Without reductions, BFS (on any number of threads) and DFS store the same states; with
    // partial-order reduction and the static proviso, whose reduced graph does not depend on
    // the search, BFS on one thread or two and DFS do too (with exact symmetry, BFS and DFS);
    // with the stored proviso, BFS stores the same on one thread or two.
    CHECK(results[0].stats.states == results[2].stats.states);
    CHECK(results[0].stats.states == results[4].stats.states);
    CHECK(results[0].stats.transitions == results[4].stats.transitions);
    CHECK(results[1].stats.states == results[3].stats.states);
    CHECK(results[1].stats.transitions == results[3].stats.transitions);
    CHECK(results[1].stats.states == results[5].stats.states);
    CHECK(results[7].stats.states == results[9].stats.states);
    return results;
}

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("every library variant has the same verdicts with and without each reduction in bfs dfs and parallel bfs") {
    std::size_t variants_checked = 0;
    testing::for_each_library_variant([&](const std::string& file, const std::string& v, const ir::TransitionSystem& ts) {
        compare(ts, fmt::format("{} {}", file, v));
        ++variants_checked;
    });
    CHECK(variants_checked == 62);
}

TEST_CASE("the seed 004 scenario at two devices has the same verdicts with and without each reduction") {
    // At the default size Dev has one element and symmetry has nothing to do; at two devices
    // the clients are interchangeable once the bus walk cannot run again.
    support::DiagnosticSink sink;
    auto model = lang::Model::load(testing::source_path("models/scenarios/probe_iommu_group_race.mc"), sink);
    REQUIRE(model);
    for (const auto& v : model->variants()) {
        // Two IOMMU instances (and their two bus walks): at two devices the unreduced graph is
        // too large for the suite; the first test case covers them at one device.
        if (v.name == "a_616_multi" || v.name == "f4_ready_unconditional") continue;
        auto ts = lang::compile(*model, {v.name, {"types::N_DEVS=2"}}, sink);
        REQUIRE(ts);
        const auto r = compare(*ts, fmt::format("probe_iommu_group_race.mc {} N_DEVS=2", v.name));
        // Symmetry reduced something, except where the bus walk deadlocks before its loop over
        // Dev (F2): a walk over Dev stays reachable in every state, so Dev is never reduced.
        if (v.name == "f2_walk_device_lock") CHECK(r[6].stats.states == r[0].stats.states);
        else CHECK(r[6].stats.states < r[0].stats.states);
    }
}

}  // TEST_SUITE
