// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "checker/explore/scalarset_use.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

explore::Result run(const char* text, explore::Options o = {}) {
    const auto ts = testing::compile(text);
    REQUIRE(ts);
    return explore::check(*ts, o);
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("a scalarset that only a variable's first element reaches uses one value") {
    // the_group starts at G(0) and never changes; used[G(0)] becomes true; used[G(1)] never
    // does. Every state uses G(0) only (the_group holds it), so the most is 1, value 0.
    const auto r = run(R"(
        const N_G = 2;
        type G = scalarset(N_G);
        var used: bool[G];
        var the_group: G;
        process p { used[the_group] = true; }
    )");
    CHECK(r.complete);
    REQUIRE(r.scalarset_use.size() == 1);
    CHECK(r.scalarset_use[0].name == "G");
    CHECK(r.scalarset_use[0].size_name == "N_G");
    CHECK(r.scalarset_use[0].size == 2);
    CHECK(r.scalarset_use[0].most == 1);
    CHECK(r.scalarset_use[0].only == 0);
}

TEST_CASE("process instances over a scalarset use each value once they move") {
    // p(0) and p(1) each leave their first location: after both, two values are in use.
    const auto r = run(R"(
        type G = scalarset(3);
        var used: bool[G];
        process p(g: G) { used[g] = true; }
    )");
    REQUIRE(r.scalarset_use.size() == 1);
    CHECK(r.scalarset_use[0].size_name.empty());  // a literal size
    CHECK(r.scalarset_use[0].most == 3);
}

TEST_CASE("a choice among the values uses one at a time") {
    // choose gives a = none, G(0) or G(1); no state holds two values: most 1, but not always
    // the same value, so there is no "only" value (-1). With symmetry the search keeps one
    // state of the two copies: it sees one value only.
    const char* text = R"(
        type G = scalarset(2);
        var a: G?;
        process p { choose a; }
    )";
    const auto r = run(text);
    REQUIRE(r.scalarset_use.size() == 1);
    CHECK(r.scalarset_use[0].most == 1);
    CHECK(r.scalarset_use[0].only == -1);
    const auto sym = run(text, {.symmetry = reduce::SymmetryMode::exact});
    REQUIRE(sym.scalarset_use.size() == 1);
    CHECK(sym.scalarset_use[0].most == 1);
    CHECK(sym.scalarset_use[0].only == 0);
}

TEST_CASE("two choices use two values at once; sizes of one are not counted") {
    const auto r = run(R"(
        type G = scalarset(3);
        type One = scalarset(1);
        var a: G?;
        var b: G?;
        var o: One?;
        process p { choose a; choose b; o = none; }
    )");
    REQUIRE(r.scalarset_use.size() == 1);  // One has size 1
    CHECK(r.scalarset_use[0].name == "G");
    CHECK(r.scalarset_use[0].most == 2);
}

TEST_CASE("an unused scalarset uses no value") {
    const auto r = run(R"(
        type G = scalarset(2);
        var g: G?;
        var x: bool;
        process p { x = true; }
    )");
    REQUIRE(r.scalarset_use.size() == 1);
    CHECK(r.scalarset_use[0].most == 0);
    CHECK(r.scalarset_use[0].only == -1);
}

}  // TEST_SUITE
