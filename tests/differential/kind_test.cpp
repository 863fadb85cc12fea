// SPDX-License-Identifier: MIT
/// @file Differential: k-induction (checker/symbolic) against explicit BFS without reductions,
/// on seeded random models (random_model.hpp) and on the library's shallow violations. Where
/// k-induction decides, the verdicts must agree: `holds` only where BFS explores every state
/// and finds no violation; `violated` only where BFS finds one, with a counterexample of the
/// same (shortest) length. Where the induction does not close, BFS must not prove it wrong
/// either: the base case (BMC to the bound) must have found every violation of at most that
/// many steps. Two engines built differently: a disagreement is a bug in one of them, printed
/// with the seed and the model.
///
/// IOMC_KIND_DIFF_DEPTH (default 3) is the largest k, IOMC_KIND_DIFF_SEEDS (default 8) the
/// number of random models, IOMC_KIND_DIFF_LIBRARY=all widens the library part to every
/// scenario.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/symbolic/kind.hpp"
#include "tests/differential/random_model.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Tally {
    std::size_t proved = 0, violated = 0, open = 0, unsupported = 0, unfinished = 0, skipped = 0;
};

/// Why k-induction disagrees with BFS on `ts` with k up to `k`, checking `props` (empty: all),
/// or nothing. Models whose BFS exceeds `max_states` are skipped; a k-induction that runs out
/// of `time_limit` seconds is not compared. `shallow_only`: only where BFS finds a violation of
/// at most k steps.
std::optional<std::string> disagreement(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props,
                                        std::uint32_t k, Tally& t, std::uint64_t max_states, double time_limit,
                                        bool shallow_only = false) {
    explore::Options eo{.strategy = explore::Strategy::bfs, .limits = {.max_states = max_states}};
    eo.properties = props;
    const auto e = explore::check(ts, eo);
    if (e.verdict == explore::Verdict::incomplete) {
        ++t.unfinished;
        return std::nullopt;
    }
    if (shallow_only && !(e.counterexample && e.counterexample->trace.steps.size() <= k)) {
        ++t.skipped;
        return std::nullopt;
    }
    symbolic::KindOptions o;
    // Shallow violations: k up to the violation's length is enough for the base case.
    o.depth = shallow_only ? static_cast<std::uint32_t>(e.counterexample->trace.steps.size()) : k;
    o.time_limit = time_limit;
    o.properties = props;
    const auto r = symbolic::kind(ts, o);
    switch (r.verdict) {
        case symbolic::KindVerdict::unsupported:
            ++t.unsupported;
            MESSAGE("unsupported: ", r.reason);
            return std::nullopt;
        case symbolic::KindVerdict::internal_error: return fmt::format("kind: {}", r.reason);
        case symbolic::KindVerdict::unknown:  // the time limit: not a verdict
            ++t.skipped;
            return std::nullopt;
        case symbolic::KindVerdict::holds:
            ++t.proved;
            if (e.counterexample)
                return fmt::format("kind proves every property (k = {}), bfs finds a violation of {} steps ({})", r.k,
                                   e.counterexample->trace.steps.size(),
                                   traces::describe(ts, e.counterexample->violation));
            return std::nullopt;
        case symbolic::KindVerdict::violated:
            ++t.violated;
            if (!e.counterexample)
                return fmt::format("kind finds a violation of {} steps ({}), bfs none",
                                   r.counterexample->trace.steps.size(),
                                   traces::describe(ts, r.counterexample->violation));
            if (r.counterexample->trace.steps.size() != e.counterexample->trace.steps.size())
                return fmt::format("kind finds a violation of {} steps, bfs a shortest one of {}",
                                   r.counterexample->trace.steps.size(), e.counterexample->trace.steps.size());
            return std::nullopt;
        case symbolic::KindVerdict::not_inductive:
            ++t.open;
            if (e.counterexample && e.counterexample->trace.steps.size() <= r.base_depth)
                return fmt::format("bfs finds a violation of {} steps, kind's base case none up to depth {}",
                                   e.counterexample->trace.steps.size(), r.base_depth);
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

TEST_SUITE("differential") {

TEST_CASE("kind agrees with explicit bfs on random models") {
    const auto k = static_cast<std::uint32_t>(env_or("IOMC_KIND_DIFF_DEPTH", 3));
    const auto n = env_or("IOMC_KIND_DIFF_SEEDS", 8);
    Tally t;
    testing::for_each_random_model(n, [&](std::uint64_t seed, const ir::TransitionSystem& ts) {
        // All properties together (mostly violated: the base case's counterexample), then each
        // safety property alone (runtime errors always with it), where proofs are more likely.
        std::vector<std::vector<ir::PropertyId>> selections{{}};
        for (const auto& p : ts.properties())
            if (p.kind != ir::PropertyKind::liveness && p.kind != ir::PropertyKind::lock_order) selections.push_back({p.id});
        for (const auto& sel : selections) {
            const auto why = disagreement(ts, sel, k, t, 200'000, 0.5 * testing::slowdown);
            if (why)
                FAIL_CHECK("seed ", seed, ", ", sel.empty() ? std::string("all properties") : ts.property(sel[0]).name,
                           ": ", *why);
        }
    });
    MESSAGE("random models (all properties, then each alone): proved ", t.proved, ", violated ", t.violated,
            ", not inductive up to k = ", k, ": ", t.open, ", not supported: ", t.unsupported, ", bfs unfinished: ",
            t.unfinished, ", time limit: ", t.skipped);
    CHECK(t.proved > 0);
    CHECK(t.violated > 0);
}

TEST_CASE("kind finds the library's shallow violations at the same shortest depth as bfs") {
    // No library variant's properties are k-inductive for small k (the counterexamples to
    // induction start in states no run reaches: mutexes held by processes outside their
    // critical sections, locals that contradict the pc; docs/symbolic.md), and k-induction on
    // every variant takes minutes. So the library part compares the base case: variants whose
    // shortest violation has at most k steps, in the scenario that has them (the others' BFS
    // takes most of a minute; IOMC_KIND_DIFF_LIBRARY=all compares every scenario).
    namespace fs = std::filesystem;
    const auto k = static_cast<std::uint32_t>(env_or("IOMC_KIND_DIFF_DEPTH", 3));
    const char* which = std::getenv("IOMC_KIND_DIFF_LIBRARY");
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(testing::source_path("models/scenarios")))
        if (e.path().extension() == ".mc" &&
            ((which && std::string(which) == "all") || e.path().filename() == "dma_ownership.mc"))
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    Tally t;
    for (const auto& file : files) {
        support::DiagnosticSink sink;
        auto model = lang::Model::load(file, sink);
        REQUIRE(model);
        std::vector<std::string> variants;
        for (const auto& v : model->variants()) variants.push_back(v.name);
        if (variants.empty()) variants.emplace_back();
        for (const auto& v : variants) {
            auto ts = lang::compile(*model, {v, {}}, sink);
            REQUIRE(ts);
            const auto why = disagreement(*ts, {}, k, t, 200'000, 0, true);
            if (why) FAIL_CHECK(fs::path(file).filename().string(), " ", v, ": ", *why);
        }
    }
    MESSAGE("library variants: violated ", t.violated, ", proved ", t.proved, ", deeper than k = ", k,
            " or holding (not compared): ", t.skipped, ", bfs unfinished: ", t.unfinished);
    CHECK(t.violated >= 2);  // dma_ownership c0 (1 step), c6 (3); c1 (4) with IOMC_KIND_DIFF_DEPTH=4
}

}  // TEST_SUITE
