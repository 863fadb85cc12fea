// SPDX-License-Identifier: MIT
/// @file Differential: bounded model checking (checker/symbolic) against explicit BFS without
/// reductions, on the library's variants and on seeded random models (random_model.hpp). With
/// a bound of K steps: where BFS finds a shortest counterexample of L <= K steps, BMC must find
/// one of exactly L steps; otherwise (a longer counterexample, or every property holds) BMC must
/// find no violation up to K (up to BFS's depth when that is smaller). Two engines built
/// differently: a disagreement is a bug in one of them, printed with the model.
///
/// On the library only variants whose shortest violation has at most K steps are compared (the
/// models are large; BMC at the bound on every variant would take minutes).
/// IOMC_BMC_DIFF_DEPTH (default 4) sets K, IOMC_BMC_DIFF_SEEDS (default 12) the random models.
#include <algorithm>
#include <cstdlib>
#include <optional>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/symbolic/bmc.hpp"
#include "tests/differential/random_model.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

struct Tally {
    std::size_t compared = 0, found = 0, unsupported = 0, unfinished = 0, deeper = 0;
};

/// Why BMC disagrees with BFS on `ts` at bound `k`, or nothing. `shallow_only`: compare only
/// where BFS finds a violation within the bound (the library's models are large: BMC at the
/// bound on every variant would take minutes).
std::optional<std::string> disagreement(const ir::TransitionSystem& ts, std::uint32_t k, Tally& t,
                                        bool shallow_only = false) {
    const auto e = explore::check(ts, {.strategy = explore::Strategy::bfs, .limits = {.max_states = 200'000}});
    if (e.verdict == explore::Verdict::incomplete) {
        ++t.unfinished;
        return std::nullopt;
    }
    std::optional<std::size_t> shortest;
    if (e.counterexample) shortest = e.counterexample->trace.steps.size();
    if (shallow_only && !(shortest && *shortest <= k)) {
        ++t.deeper;
        return std::nullopt;
    }
    symbolic::BmcOptions o;
    o.depth = shortest && *shortest <= k ? static_cast<std::uint32_t>(*shortest)
                                         : static_cast<std::uint32_t>(std::min<std::uint64_t>(k, e.stats.depth + 1));
    const auto r = symbolic::bmc(ts, o);
    if (r.verdict == symbolic::BmcVerdict::unsupported) {
        ++t.unsupported;
        MESSAGE("unsupported: ", r.reason);
        return std::nullopt;
    }
    ++t.compared;
    if (r.verdict == symbolic::BmcVerdict::internal_error || r.verdict == symbolic::BmcVerdict::unknown)
        return fmt::format("bmc: {}", r.reason);
    if (shortest && *shortest <= k) {
        if (r.verdict != symbolic::BmcVerdict::violated)
            return fmt::format("bfs finds a violation of {} steps, bmc none up to {}", *shortest, o.depth);
        if (r.counterexample->trace.steps.size() != *shortest)
            return fmt::format("bfs finds a violation of {} steps, bmc one of {}", *shortest,
                               r.counterexample->trace.steps.size());
        ++t.found;
        return std::nullopt;
    }
    if (r.verdict == symbolic::BmcVerdict::violated)
        return fmt::format("bmc finds a violation of {} steps ({}), bfs {}", r.counterexample->trace.steps.size(),
                           traces::describe(ts, r.counterexample->violation),
                           shortest ? fmt::format("only one of {} steps", *shortest) : std::string("none"));
    return std::nullopt;
}

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("bmc finds the library's violations within the bound at the same shortest depth as bfs") {
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_DEPTH", 4));
    Tally t;
    testing::for_each_library_variant([&](const std::string& file, const std::string& v, const ir::TransitionSystem& ts) {
        const auto why = disagreement(ts, k, t, true);
        if (why) FAIL_CHECK(file, " ", v, ": ", *why);
    });
    MESSAGE("library variants compared: ", t.compared, " (", t.found, " violations found at the same depth), ",
            "not supported by the encoding: ", t.unsupported, ", deeper than the bound (not compared): ", t.deeper);
    CHECK(t.found >= 3);  // dma_ownership c0 (1 step), c1 (4), c6 (3)
}

TEST_CASE("bmc agrees with explicit bfs on random models up to the bound") {
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_DEPTH", 4));
    const auto n = testing::env_or("IOMC_BMC_DIFF_SEEDS", 12);
    Tally t;
    for (std::uint64_t seed = 1; seed <= n; ++seed) {
        const auto text = testing::random_model(seed).text();
        auto c = testing::compile_text(text);
        INFO("seed ", seed);
        INFO(text);
        REQUIRE(c.ts);
        const auto why = disagreement(*c.ts, k, t);
        if (why) FAIL_CHECK("seed ", seed, ": ", *why);
    }
    MESSAGE("random models compared: ", t.compared, " (", t.found, " violations found at the same depth), ",
            "not supported: ", t.unsupported, ", bfs unfinished: ", t.unfinished);
    CHECK(t.compared > 0);
    CHECK(t.found > 0);
}

}  // TEST_SUITE
