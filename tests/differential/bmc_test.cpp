// SPDX-License-Identifier: MIT
/// @file Differential: bounded model checking (checker/symbolic) against explicit BFS without
/// reductions, on the library's variants and on seeded random models (random_model.hpp). With
/// a bound of K steps: where BFS finds a shortest counterexample of L <= K steps, BMC must find
/// one of exactly L steps; otherwise (a longer counterexample, or every property holds) BMC must
/// find no violation up to K (up to BFS's depth when that is smaller). Two engines built
/// differently: a disagreement is a bug in one of them, printed with the model.
///
/// On the library only variants whose shortest violation has at most K_lib steps are compared
/// (the models are large; BMC at the bound on every variant would take minutes).
/// The options that count fewer steps (merged local steps, concurrent steps) must find every
/// violation of L <= K steps at a depth of at most L, and only violations BFS finds too.
///
/// IOMC_BMC_DIFF_DEPTH (default 4) sets K for the random models, IOMC_BMC_DIFF_SEEDS (default
/// 12) their number, IOMC_BMC_DIFF_LIBRARY_DEPTH (default 16) K_lib.
#include <algorithm>
#include <cstdlib>
#include <optional>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/symbolic/bmc.hpp"
#include "tests/differential/random_model.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

struct Tally {
    std::size_t compared = 0, found = 0, unsupported = 0, unfinished = 0, deeper = 0;
};

/// Explicit BFS without reductions, within 200,000 states; nothing (counted as unfinished) when
/// it does not finish.
std::optional<explore::Result> explicit_bfs(const ir::TransitionSystem& ts, Tally& t) {
    auto e = explore::check(ts, {.strategy = explore::Strategy::bfs, .limits = {.max_states = 200'000}});
    if (e.verdict != explore::Verdict::incomplete) return e;
    ++t.unfinished;
    return std::nullopt;
}

/// The length of BFS's (shortest) counterexample, if it found one.
std::optional<std::size_t> shortest_of(const explore::Result& e) {
    if (!e.counterexample) return std::nullopt;
    return e.counterexample->trace.steps.size();
}

/// Why BMC disagrees with BFS on `ts` at bound `k`, or nothing. `shallow_only`: compare only
/// where BFS finds a violation within the bound (the library's models are large: BMC at the
/// bound on every variant would take minutes).
std::optional<std::string> disagreement(const ir::TransitionSystem& ts, std::uint32_t k, Tally& t,
                                        bool shallow_only = false) {
    const auto e = explicit_bfs(ts, t);
    if (!e) return std::nullopt;
    const auto shortest = shortest_of(*e);
    if (shallow_only && !(shortest && *shortest <= k)) {
        ++t.deeper;
        return std::nullopt;
    }
    symbolic::BmcOptions o;
    o.depth = shortest && *shortest <= k ? static_cast<std::uint32_t>(*shortest)
                                         : static_cast<std::uint32_t>(std::min<std::uint64_t>(k, e->stats.depth + 1));
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

/// The result `m` of BMC whose depth counts fewer steps than BFS's (merged local steps,
/// concurrent steps, or both, named `what`) at bound k against BFS's shortest violation
/// `shortest`: a violation of L <= K steps must be found, at a depth of at most L; where BFS has
/// none of at most K steps, BMC may only find one BFS has too (a longer one: a reduced step is
/// several steps), and its trace must replay. Widening (BmcOptions::widen): a round that kept
/// processes idle may find a violation deeper than L, but not past K.
std::optional<std::string> disagreement_fewer(const ir::TransitionSystem& ts, const symbolic::BmcResult& m,
                                              std::uint32_t k, const char* what, std::optional<std::size_t> shortest,
                                              Tally& t) {
    const bool within = shortest && *shortest <= k && m.idle.empty();
    if (m.verdict != symbolic::BmcVerdict::violated && m.verdict != symbolic::BmcVerdict::no_violation)
        return fmt::format("bmc {}: {}", what, m.reason);
    if (shortest && *shortest <= k && m.verdict != symbolic::BmcVerdict::violated)
        return fmt::format("bfs finds a violation of {} steps, bmc {} none up to {}", *shortest, what, k);
    if (m.verdict == symbolic::BmcVerdict::violated) {
        if (!shortest)
            return fmt::format("bmc {} finds a violation ({}), bfs none", what,
                               traces::describe(ts, m.counterexample->violation));
        if (m.counterexample->trace.steps.size() < *shortest || (within && m.depth > *shortest) || m.depth > k)
            return fmt::format("bmc {}: a violation of {} steps at depth {}; bfs's shortest has {}", what,
                               m.counterexample->trace.steps.size(), m.depth, *shortest);
        traces::Replay rep;
        if (auto err = traces::confirm(ts, *m.counterexample, rep)) return fmt::format("bmc {}: {}", what, *err);
        ++t.found;
    }
    return std::nullopt;
}

/// BMC with merged local steps, with concurrent steps, with both (disagreement_fewer()), and
/// with checked depths from 2 every 3 (stutters) against BFS on `ts` at bound `k`. Strided:
/// exactly the verdict of BFS within k (each check covers the shorter runs), a violation of at
/// most k steps.
std::optional<std::string> disagreement_reduced(const ir::TransitionSystem& ts, std::uint32_t k, Tally& t,
                                                std::size_t& merged) {
    const auto e = explicit_bfs(ts, t);
    if (!e) return std::nullopt;
    const auto shortest = shortest_of(*e);
    const bool within = shortest && *shortest <= k;
    symbolic::BmcOptions o;
    o.depth = k;
    o.merge_local = true;
    const auto m = symbolic::bmc(ts, o);
    if (m.verdict == symbolic::BmcVerdict::unsupported) {
        ++t.unsupported;
        return std::nullopt;
    }
    ++t.compared;
    merged += m.merged_groups;
    if (auto why = disagreement_fewer(ts, m, k, "merged", shortest, t)) return why;
    o.concurrent = true;
    if (auto why = disagreement_fewer(ts, symbolic::bmc(ts, o), k, "merged concurrent", shortest, t)) return why;
    o.merge_local = false;
    if (auto why = disagreement_fewer(ts, symbolic::bmc(ts, o), k, "concurrent", shortest, t)) return why;
    o.widen = true;
    if (auto why = disagreement_fewer(ts, symbolic::bmc(ts, o), k, "widened", shortest, t)) return why;
    o.widen = false;
    o.concurrent = false;
    o.from = 2;
    o.step = 3;
    const auto s = symbolic::bmc(ts, o);
    if (s.verdict == symbolic::BmcVerdict::violated) {
        if (!within)
            return fmt::format("bmc strided finds a violation of {} steps, bfs {}", s.counterexample->trace.steps.size(),
                               shortest ? fmt::format("only one of {} steps", *shortest) : std::string("none"));
        if (s.counterexample->trace.steps.size() < *shortest || s.counterexample->trace.steps.size() > k)
            return fmt::format("bmc strided: a violation of {} steps; bfs's shortest has {}",
                               s.counterexample->trace.steps.size(), *shortest);
        traces::Replay rep;
        if (auto err = traces::confirm(ts, *s.counterexample, rep)) return fmt::format("bmc strided: {}", *err);
    } else if (s.verdict != symbolic::BmcVerdict::no_violation) {
        return fmt::format("bmc strided: {}", s.reason);
    } else if (within) {
        return fmt::format("bfs finds a violation of {} steps, bmc strided none up to {}", *shortest, k);
    } else if (s.clean_to != k) {
        return fmt::format("bmc strided: no violation, but clean only to {}", s.clean_to);
    }
    return std::nullopt;
}

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("bmc finds the library's violations within the bound at the same shortest depth as bfs") {
    // 16: the first violations of 20 variants are that short (4 at 8, 14 at 12); about 13 CPU s.
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_LIBRARY_DEPTH", 16));
    Tally t;
    testing::for_each_library_variant([&](const std::string& file, const std::string& v, const ir::TransitionSystem& ts) {
        const auto why = disagreement(ts, k, t, true);
        if (why) FAIL_CHECK(file, " ", v, ": ", *why);
    });
    MESSAGE("library variants compared: ", t.compared, " (", t.found, " violations found at the same depth), ",
            "not supported by the encoding: ", t.unsupported, ", deeper than the bound (not compared): ", t.deeper);
    // At K_lib = 16 (the default) the library has 20 such variants; fewer is a change to the
    // library or to BFS that this test should be told about.
    CHECK(t.found >= (k >= 16 ? 20U : 3U));
}

TEST_CASE("bmc with concurrent merged steps, and with widening, finds the library's violations within the bound") {
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_LIBRARY_DEPTH", 16));
    Tally t, widened;
    testing::for_each_library_variant([&](const std::string& file, const std::string& v, const ir::TransitionSystem& ts) {
        const auto e = explicit_bfs(ts, t);
        if (!e) return;
        const auto shortest = shortest_of(*e);
        if (!shortest || *shortest > k) {
            ++t.deeper;
            return;
        }
        symbolic::BmcOptions o;
        o.depth = static_cast<std::uint32_t>(*shortest);
        o.merge_local = true;
        o.concurrent = true;
        const auto r = symbolic::bmc(ts, o);
        if (r.verdict == symbolic::BmcVerdict::unsupported) {
            ++t.unsupported;
            return;
        }
        ++t.compared;
        if (const auto why = disagreement_fewer(ts, r, o.depth, "merged concurrent", shortest, t))
            FAIL_CHECK(file, " ", v, ": ", *why);
        o.widen = true;
        if (const auto why = disagreement_fewer(ts, symbolic::bmc(ts, o), o.depth, "merged widened", shortest, widened))
            FAIL_CHECK(file, " ", v, ": ", *why);
    });
    MESSAGE("library variants compared: ", t.compared, " (", t.found, " found; ", widened.found,
            " with widening), not supported: ", t.unsupported, ", deeper than the bound (not compared): ", t.deeper);
    CHECK(t.found >= (k >= 16 ? 20U : 3U));
    CHECK(widened.found == t.found);
}

TEST_CASE("bmc agrees with explicit bfs on random models up to the bound") {
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_DEPTH", 4));
    const auto n = testing::env_or("IOMC_BMC_DIFF_SEEDS", 12);
    Tally t;
    testing::for_each_random_model(n, [&](std::uint64_t seed, const ir::TransitionSystem& ts) {
        const auto why = disagreement(ts, k, t);
        if (why) FAIL_CHECK("seed ", seed, ": ", *why);
    });
    MESSAGE("random models compared: ", t.compared, " (", t.found, " violations found at the same depth), ",
            "not supported: ", t.unsupported, ", bfs unfinished: ", t.unfinished);
    CHECK(t.compared > 0);
    CHECK(t.found > 0);
}

TEST_CASE("bmc with merged local steps, concurrent steps, both, widening, and strided depths agrees with explicit "
          "bfs on random models") {
    const auto k = static_cast<std::uint32_t>(testing::env_or("IOMC_BMC_DIFF_DEPTH", 4));
    const auto n = testing::env_or("IOMC_BMC_DIFF_SEEDS", 12);
    Tally t;
    std::size_t merged = 0;
    testing::for_each_random_model(n, [&](std::uint64_t seed, const ir::TransitionSystem& ts) {
        const auto why = disagreement_reduced(ts, k, t, merged);
        if (why) FAIL_CHECK("seed ", seed, ": ", *why);
    });
    MESSAGE("random models compared: ", t.compared, " (", t.found, " violations found by the merged, merged concurrent, concurrent and widened runs), local steps "
            "merged: ",
            merged, ", not supported: ", t.unsupported, ", bfs unfinished: ", t.unfinished);
    CHECK(t.compared > 0);
    CHECK(t.found > 0);
}

}  // TEST_SUITE
