// SPDX-License-Identifier: MIT
/// @file The proof models (models/proofs/*.mc) repeat a scenario's processes so that their
/// lemmas stay out of the scenario's checked properties. Each must stay the same model as the
/// variant it repeats: the same reachable states and transitions without reductions, the same
/// verdict of the property it proves, at N_DEVS = 1 and 2; and every lemma must hold (the
/// explicit engine checks them like invariants).
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"

using namespace iomc;

TEST_SUITE("models") {

TEST_CASE("the a_66_fix proof model is the scenario's a_66_fix, and its lemmas hold") {
    const std::string p_a1 = "ops::dma_iommu_before_probe_complete";
    for (const std::string n : {"types::N_DEVS=1", "types::N_DEVS=2"}) {
        CAPTURE(n);
        const auto scen = testing::load_file("models/scenarios/probe_iommu_group_race.mc", "a_66_fix", {n});
        const auto proof = testing::load_file("models/proofs/probe_iommu_group_race_a66_fix.mc", "a_66_fix", {n});
        explore::Options o;
        o.stop_at_first = false;
        o.properties = {*scen->find_property(p_a1)};
        const auto a = explore::check(*scen, o);
        o.properties = {*proof->find_property(p_a1)};
        const auto b = explore::check(*proof, o);
        REQUIRE(a.complete);
        REQUIRE(b.complete);
        CHECK(a.verdict == explore::Verdict::holds);
        CHECK(b.verdict == explore::Verdict::holds);
        CHECK(a.stats.states == b.stats.states);
        CHECK(a.stats.transitions == b.stats.transitions);
        // Every invariant and lemma of the proof model, with the default reductions.
        explore::Options all;
        all.stop_at_first = false;
        all.por = true;
        for (const auto& prop : proof->properties())
            if (prop.kind == ir::PropertyKind::invariant && prop.lemma) all.properties.push_back(prop.id);
        REQUIRE(all.properties.size() > 40);
        const auto l = explore::check(*proof, all);
        CHECK(l.verdict == explore::Verdict::holds);
        // The same without partial-order reduction (every lemma reads locals or owners whose
        // writers POR must keep visible), and with symmetry on (at N_DEVS = 2 the written-out
        // walk names devices by number, so Dev is not reduced; at 1 there is nothing to reduce).
        all.por = false;
        CHECK(explore::check(*proof, all).verdict == explore::Verdict::holds);
        all.symmetry = reduce::SymmetryMode::exact;
        CHECK(explore::check(*proof, all).verdict == explore::Verdict::holds);
    }
}

}  // TEST_SUITE
