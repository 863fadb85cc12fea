// SPDX-License-Identifier: MIT
/// @file Differential soundness over seeded random models (random_model.hpp): every property's
/// verdict agrees across BFS (one and two threads; exact, compact and hash-compacted storage) and
/// DFS, with and without partial-order reduction (either cycle proviso, with and without
/// single-step chains, its self-check on) and
/// symmetry reduction (exact and heuristic); without reductions every search stores exactly the
/// same states, with partial-order reduction and the static proviso too (BFS on one thread or
/// two, DFS, any storage), and with the stored proviso BFS stores the same on one thread or two.
/// A disagreement prints the seed and the smallest model that still shows it.
///
/// IOMC_DIFF_SEEDS (default 1000) sets how many models, IOMC_DIFF_SEED_BASE (default 1) the
/// first seed: a longer campaign is `IOMC_DIFF_SEEDS=100000 IOMC_DIFF_SEED_BASE=7 ctest -L
/// differential`.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/reduce/bool_locks.hpp"
#include "tests/differential/random_model.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

struct Config {
    const char* name;
    explore::Options options;
};

std::vector<Config> configs() {
    constexpr std::uint64_t cap = 200'000;
    return {
        {"bfs", {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false}},
        {"dfs", {.strategy = explore::Strategy::dfs, .limits = {.max_states = cap}, .stop_at_first = false}},
        {"bfs+por",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .por_check = true}},
        {"dfs+por", {.strategy = explore::Strategy::dfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true}},
        {"bfs 2 threads",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .threads = 2}},
        {"bfs+por 2 threads",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .threads = 2}},
        {"bfs+por compact",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .storage = explore::StorageKind::compact}},
        {"bfs+por hash",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .storage = explore::StorageKind::hash}},
        {"bfs+sym",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false,
          .symmetry = reduce::SymmetryMode::exact}},
        {"bfs+por+sym 2 threads",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .threads = 2, .symmetry = reduce::SymmetryMode::exact}},
        {"dfs+por+sym heuristic",
         {.strategy = explore::Strategy::dfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .symmetry = reduce::SymmetryMode::heuristic}},
        {"bfs+por stored",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .proviso = reduce::Proviso::stored}},
        {"dfs+por stored",
         {.strategy = explore::Strategy::dfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .proviso = reduce::Proviso::stored}},
        {"bfs+por stored 2 threads",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .proviso = reduce::Proviso::stored, .threads = 2}},
        // The configurations above with the static proviso and no symmetry pass through
        // single-step states (explore/chains.hpp); this one stores every state of that graph.
        {"bfs+por no chains",
         {.strategy = explore::Strategy::bfs, .limits = {.max_states = cap}, .stop_at_first = false, .por = true,
          .chains = false}},
    };
}

/// Why the configurations disagree on `text`, or nothing (also nothing when it does not compile
/// or the plain search does not finish: no verdict to compare).
std::optional<std::string> disagreement(const std::string& text) {
    auto c = testing::compile_text(text);
    if (!c.ts) return std::nullopt;
    const auto cs = configs();
    std::vector<explore::Result> rs;
    for (const auto& cfg : cs) rs.push_back(explore::check(*c.ts, cfg.options));
    if (!rs[0].complete) return std::nullopt;
    for (std::size_t k = 0; k < cs.size(); ++k) {
        if (!rs[k].self_check_failure.empty()) return fmt::format("{}: {}", cs[k].name, rs[k].self_check_failure);
        if (!rs[k].complete) return fmt::format("{} did not finish ({})", cs[k].name, rs[k].incomplete_reason);
        for (std::size_t p = 0; p < rs[0].properties.size(); ++p)
            if (rs[k].properties[p].verdict != rs[0].properties[p].verdict)
                return fmt::format("property {}: {} says {}, bfs says {}", c.ts->property(rs[0].properties[p].property).name,
                                   cs[k].name, explore::to_string(rs[k].properties[p].verdict),
                                   explore::to_string(rs[0].properties[p].verdict));
    }
    // Without reductions every search stores the reachable states; with them, the BFS stores
    // the same on any number of threads.
    for (const std::size_t k : {std::size_t{1}, std::size_t{4}})
        if (rs[0].stats.states != rs[k].stats.states || rs[0].stats.transitions != rs[k].stats.transitions)
            return fmt::format("bfs stores {} states and {} transitions, {} {} and {}", rs[0].stats.states,
                               rs[0].stats.transitions, cs[k].name, rs[k].stats.states, rs[k].stats.transitions);
    for (const std::size_t k : {std::size_t{3}, std::size_t{5}, std::size_t{6}, std::size_t{7}})
        if (rs[2].stats.states != rs[k].stats.states || rs[2].stats.transitions != rs[k].stats.transitions)
            return fmt::format("bfs+por stores {} states and {} transitions, {} {} and {}", rs[2].stats.states,
                               rs[2].stats.transitions, cs[k].name, rs[k].stats.states, rs[k].stats.transitions);
    if (rs[11].stats.states != rs[13].stats.states)
        return fmt::format("bfs+por stored stores {} states, {} {}", rs[11].stats.states, cs[13].name,
                           rs[13].stats.states);
    return std::nullopt;
}

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("random models have the same verdicts across bfs dfs and every reduction") {
    const auto n = testing::env_or("IOMC_DIFF_SEEDS", 1000);
    const auto base = testing::env_or("IOMC_DIFF_SEED_BASE", 1);
    std::size_t compiled = 0, compared = 0;
    for (std::uint64_t seed = base; seed < base + n; ++seed) {
        const auto m = testing::random_model(seed);
        const auto text = m.text();
        // A crash (an internal check) shows no INFO: IOMC_DIFF_VERBOSE=1 prints each model first.
        if (testing::env_or("IOMC_DIFF_VERBOSE", 0) != 0) std::fprintf(stderr, "seed %llu:\n%s\n", static_cast<unsigned long long>(seed), text.c_str());
        auto c = testing::compile_text(text);
        INFO("seed ", seed);
        INFO(text);
        INFO(c.diagnostics);
        REQUIRE_MESSAGE(c.ts != nullptr, "the generator wrote a model that does not compile");
        ++compiled;
        const auto why = disagreement(text);
        if (why) {
            const auto small = testing::shrink(m, [](const testing::RModel& x) { return disagreement(x.text()).has_value(); });
            FAIL_CHECK("seed ", seed, ": ", *why, "\nsmallest model that shows it (", *disagreement(small.text()),
                       "):\n", small.text());
        }
        ++compared;
    }
    CHECK(compiled == n);
    MESSAGE("random models compared: ", compared);
}

TEST_CASE("random models take bools as locks, some of which the reduction can use and some not") {
    // The differential test above covers the bool-lock inference only if the generator writes
    // both kinds: bools every step uses as a lock, and bools a stray statement also writes.
    std::size_t inferred = 0, rejected = 0;
    testing::for_each_random_model(300, [&](std::uint64_t, const ir::TransitionSystem& ts) {
        const reduce::BoolLocks bl(ts);
        if (!bl.slots().empty()) ++inferred;
        if (!bl.rejected().empty()) ++rejected;
    });
    MESSAGE("of 300 random models, ", inferred, " have a bool lock the reduction uses, ", rejected, " one it does not");
    CHECK(inferred >= 30);
    CHECK(rejected >= 5);
}

}  // TEST_SUITE
