// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"

using namespace iomc;

TEST_SUITE("explore") {

TEST_CASE("two independent writes form a diamond of four states") {
    // a: x = 1;  b: y = 1.  States (x, y, pc_a, pc_b): 00, 10, 01, 11 = 4 states;
    // transitions: 00->10, 00->01, 10->11, 01->11 = 4.
    const auto ts = testing::compile(R"(
        var x: 0..1 = 0;  var y: 0..1 = 0;
        process a { x = 1; }  process b { y = 1; })");
    for (auto strategy : {explore::Strategy::bfs, explore::Strategy::dfs}) {
        const auto r = explore::check(*ts, {.strategy = strategy});
        CHECK(r.verdict == explore::Verdict::holds);
        CHECK(r.stats.states == 4);
        CHECK(r.stats.transitions == 4);
    }
}

}  // TEST_SUITE
