// SPDX-License-Identifier: MIT
/// @file Differential soundness over the model library: every expect cell of every scenario gives
/// the same verdict with each reduction on and off, under BFS and DFS. A disagreement names the
/// file, variant, property and configuration.
#include <algorithm>
#include <filesystem>

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
};

constexpr Config configs[] = {
    {"bfs", explore::Strategy::bfs, false, 1},
    {"bfs+por", explore::Strategy::bfs, true, 1},
    {"dfs", explore::Strategy::dfs, false, 1},
    {"dfs+por", explore::Strategy::dfs, true, 1},
    {"bfs 2 threads", explore::Strategy::bfs, false, 2},
    {"bfs+por 2 threads", explore::Strategy::bfs, true, 2},
};

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("every library cell has the same verdict with and without partial-order reduction in bfs dfs and parallel bfs") {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(testing::source_path("models/scenarios")))
        if (e.path().extension() == ".mc") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::size_t cells = 0;
    for (const auto& file : files) {
        support::DiagnosticSink sink;
        auto model = lang::Model::load(file, sink);
        REQUIRE(model);
        std::vector<std::string> variants;
        for (const auto& v : model->variants()) variants.push_back(v.name);
        if (variants.empty()) variants.emplace_back();
        const auto cells_of_file = model->expectations(sink);
        for (const auto& v : variants) {
            auto ts = lang::compile(*model, {v, {}}, sink);
            REQUIRE(ts);
            // One search per configuration, all properties at once, as iomc test does.
            std::vector<explore::Result> results;
            for (const auto& c : configs) {
                results.push_back(
                    explore::check(*ts, {.strategy = c.strategy, .stop_at_first = false, .por = c.por, .threads = c.threads}));
                MESSAGE(fmt::format("{} {} {}: {} states", fs::path(file).filename().string(), v, c.name,
                                    results.back().stats.states));
            }
            for (const auto& cell : cells_of_file) {
                if (cell.variant != v || cell.verdict == lang::ast::Verdict::skip) continue;
                const auto prop = ts->find_property(cell.property);
                REQUIRE(prop.has_value());
                for (std::size_t k = 0; k < std::size(configs); ++k) {
                    CAPTURE(file);
                    CAPTURE(v);
                    CAPTURE(cell.property);
                    CAPTURE(configs[k].name);
                    const auto& pr = results[k].properties;
                    const auto it = std::find_if(pr.begin(), pr.end(), [&](const auto& x) { return x.property == *prop; });
                    REQUIRE(it != pr.end());
                    CHECK(it->verdict == results[0].properties[static_cast<std::size_t>(it - pr.begin())].verdict);
                }
                ++cells;
            }
            // Without reductions, BFS (on any number of threads) and DFS store the same states;
            // with partial-order reduction BFS stores the same on one thread or two.
            CHECK(results[0].stats.states == results[2].stats.states);
            CHECK(results[0].stats.states == results[4].stats.states);
            CHECK(results[0].stats.transitions == results[4].stats.transitions);
            CHECK(results[1].stats.states == results[5].stats.states);
        }
    }
    CHECK(cells > 300);
}

}  // TEST_SUITE
