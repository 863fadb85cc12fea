// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"
#include "traces/render_columns.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

std::string columns(const std::string& text, std::size_t width) {
    const auto ts = testing::compile(text);
    const auto r = explore::check(*ts, {});
    REQUIRE(r.counterexample.has_value());
    traces::Replay rep;
    REQUIRE_FALSE(traces::confirm(*ts, *r.counterexample, rep).has_value());
    return traces::render_columns(*ts, *r.counterexample, rep, width);
}

}  // namespace

TEST_SUITE("traces") {

TEST_CASE("the column diagram puts each process in its own column with locks held and changes") {
    // Lost update under a lock that is dropped between read and write:
    //   a: lock; t = x; unlock; x = t + 1     b: the same.  Shortest: a reads, b reads, a
    //   writes, b writes: x ends at 1 with both done (invariant done => x == 2).
    const std::string text = R"(var m: mutex;
var x: 0..2;
var done: 0..2;
proc read() -> 0..2 { lock(m); var t: 0..2 = 0; t = x; unlock(m); return t; }
process a { var v: 0..2 = 0; v = read(); x = v + 1; done += 1; }
process b { var v: 0..2 = 0; v = read(); x = v + 1; done += 1; }
invariant counted: done == 2 => x == 2;
)";
    // BFS meets this interleaving first: b reads x (still 0) before a writes, so both write 1.
    CHECK(columns(text, 60) ==
          "a                              b\n"
          "-                              -\n"
          "1) read(): lock(m) [m]\n"
          "2) read(): t = x [m]\n"
          "3) read(): unlock(m)\n"
          "4) read(): return t\n"
          "                               5) read(): lock(m) [m]\n"
          "                               6) read(): t = x [m]\n"
          "7) x = v + 1\n"
          "   x: 0 -> 1\n"
          "8) done += 1\n"
          "   done: 0 -> 1\n"
          "                               9) read(): unlock(m)\n"
          "                               10) read(): return t\n"
          "                               11) x = v + 1\n"
          "                               12) done += 1\n"
          "                                  done: 1 -> 2\n"
          "\n"
          "violated: invariant counted (test.mc:7)\n"
          "  x = 1\n"
          "  done = 2\n");
}

TEST_CASE("long statements wrap inside their column and reports are marked") {
    const std::string text = R"(var flag_with_a_long_name: bool;
process writer { flag_with_a_long_name = true; }
process checker { await flag_with_a_long_name; assert flag_with_a_long_name == false; }
)";
    // Width 48 would give columns of 22; they get the minimum of 24 instead. A word longer than
    // the room keeps its own line instead of being split.
    CHECK(columns(text, 48) ==
          "writer                     checker\n"
          "------                     -------\n"
          "1) flag_with_a_long_name\n"
          "   = true\n"
          "   flag_with_a_long_name:\n"
          "      false -> true\n"
          "                           2) await\n"
          "                              flag_with_a_long_name\n"
          "                           3) assert\n"
          "                              flag_with_a_long_name\n"
          "                              == false\n"
          "                              ! assertion\n"
          "                                   'flag_with_a_long_name\n"
          "                                   == false' failed\n"
          "\n"
          "violated: assertion 'flag_with_a_long_name == false' failed\n"
          "  in checker at test.mc:3: assert flag_with_a_long_name == false\n");
}

}  // TEST_SUITE
