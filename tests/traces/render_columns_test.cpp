// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"
#include "traces/render_columns.hpp"
#include "traces/replay.hpp"

using namespace iomc;

namespace {

std::string columns(const std::string& text, const traces::ColumnOptions& options) {
    const auto ts = testing::compile(text);
    const auto r = explore::check(*ts, {});
    REQUIRE(r.counterexample.has_value());
    traces::Replay rep;
    REQUIRE_FALSE(traces::confirm(*ts, *r.counterexample, rep).has_value());
    return traces::render_columns(*ts, *r.counterexample, rep, options);
}

/// One entry per step, every change shown.
traces::ColumnOptions unfolded(std::size_t width) {
    traces::ColumnOptions o;
    o.width = width;
    o.fold = false;
    return o;
}

traces::ColumnOptions folded(std::size_t width, std::vector<std::string> marks = {}) {
    traces::ColumnOptions o;
    o.width = width;
    o.marks = std::move(marks);
    return o;
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
    // Unfolded: one entry per step.
    CHECK(columns(text, unfolded(60)) ==
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
    // Folded (the default): one entry per run of a process inside one procedure.
    CHECK(columns(text, folded(60)) ==
          "a                              b\n"
          "-                              -\n"
          "1-4) read(): lock(m); t = x;\n"
          "   unlock(m); return t\n"
          "                               5-6) read(): lock(m); t = x\n"
          "                                  [m]\n"
          "7-8) x = v + 1; done += 1\n"
          "   x: 0 -> 1\n"
          "   done: 0 -> 1\n"
          "                               9-10) read(): unlock(m);\n"
          "                                  return t\n"
          "                               11-12) x = v + 1; done += 1\n"
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
    CHECK(columns(text, unfolded(48)) ==
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

TEST_CASE("folded, a run of one process in one procedure is one entry with its net changes") {
    // Lost update through a procedure: each process copies x into the procedure local t, adds
    // one and writes it back, then updates its own `last` twice and counts itself done.
    const std::string text = R"(var x: 0..2;
var done: 0..2;
proc incr() { var t: 0..2 = 0; t = x; t = t + 1; x = t; }
process a { var last: 0..3 = 0; incr(); last = x; last = last + 1; done += 1; }
process b { var last: 0..3 = 0; incr(); last = x; last = last + 1; done += 1; }
invariant counted: done == 2 => x == 2;
)";
    // BFS: a reads and adds (1-2), b reads (3), a writes (4) and finishes (5-7), b adds and
    // writes the same 1 (8-9) and finishes (10-12). Steps 5-7 set a.last to 1, then 2: the entry
    // shows the net change 0 -> 2. The procedure local a.incr.t (0 -> 1 after step 2, reset by
    // the return in step 4) is left out; the process local a.last is not.
    CHECK(columns(text, folded(72)) ==
          "a                                    b\n"
          "-                                    -\n"
          "1-2) incr(): t = x; t = t + 1\n"
          "                                     3) incr(): t = x\n"
          "4) incr(): x = t\n"
          "   x: 0 -> 1\n"
          "5-7) last = x; last = last + 1;\n"
          "   done += 1\n"
          "   done: 0 -> 1\n"
          "   a.last: 0 -> 2\n"
          "                                     8-9) incr(): t = t + 1; x = t\n"
          "                                     10-12) last = x; last = last + 1;\n"
          "                                        done += 1\n"
          "                                        done: 1 -> 2\n"
          "                                        b.last: 0 -> 2\n"
          "\n"
          "violated: invariant counted (test.mc:6)\n"
          "  x = 1\n"
          "  done = 2\n");
    // Unfolded, every step is its own entry and shows the procedure local too.
    const std::string all = columns(text, unfolded(72));
    CHECK(all.find("1) incr(): t = x\n2) incr(): t = t + 1\n   a.incr.t: 0 -> 1\n") != std::string::npos);
    CHECK(all.find("   a.last: 0 -> 1\n6) last = last + 1\n   a.last: 1 -> 2\n") != std::string::npos);
}

TEST_CASE("folded, a report ends its run, and marks name their step inside a run") {
    const std::string text = R"(var x: 0..2;
proc publish(v: 0..2) { x = v; }
process writer { publish(1); publish(2); }
process reader { var seen: 0..2 = 0; await x != 0; seen = x; assert seen != 1; }
)";
    // The reader's await, read and failing assertion (2-4) are one run: the changes, then the
    // report, then the marks, "(step N)" inside the run; a one-step entry's mark has no number.
    CHECK(columns(text, folded(60, {"entry 1", "", "entry 2", "entry 3"})) ==
          "writer                         reader\n"
          "------                         ------\n"
          "1) publish(): x = v\n"
          "   x: 0 -> 1\n"
          "   <- entry 1\n"
          "                               2-4) await x != 0; seen = x;\n"
          "                                  assert seen != 1\n"
          "                                  reader.seen: 0 -> 1\n"
          "                                  ! assertion 'seen != 1'\n"
          "                                       failed\n"
          "                                  <- entry 2 (step 3)\n"
          "                                  <- entry 3 (step 4)\n"
          "\n"
          "violated: assertion 'seen != 1' failed\n"
          "  in reader at test.mc:4: assert seen != 1\n");
    // Marks work unfolded too; no marks (or an empty list) print nothing.
    CHECK(columns(text, unfolded(60)).find("<-") == std::string::npos);
    auto o = unfolded(60);
    o.marks = {"", "", "entry 2"};
    CHECK(columns(text, o).find("                               3) seen = x\n"
                                "                                  reader.seen: 0 -> 1\n"
                                "                                  <- entry 2\n"
                                "                               4) assert seen != 1\n") != std::string::npos);
}

TEST_CASE("folded, a long run wraps inside its column like a long step") {
    const std::string text = R"(var big_lock: mutex;
var counter_with_a_long_name: 0..3;
proc update_counter_twice() { lock(big_lock); counter_with_a_long_name += 1; counter_with_a_long_name += 1; unlock(big_lock); }
process first { update_counter_twice(); }
process second { await counter_with_a_long_name == 2; assert false; }
)";
    // Columns of 24 (the minimum); the run ends holding big_lock; head, changes and marks wrap
    // with the same rules as an unfolded step's.
    CHECK(columns(text, folded(48, {"", "first increment"})) ==
          "first                      second\n"
          "-----                      ------\n"
          "1-3)\n"
          "   update_counter_twice():\n"
          "   lock(big_lock);\n"
          "   counter_with_a_long_name\n"
          "   += 1;\n"
          "   counter_with_a_long_name\n"
          "   += 1 [big_lock]\n"
          "   counter_with_a_long_name:\n"
          "      0 -> 2\n"
          "   <- first increment\n"
          "      (step 2)\n"
          "                           4-5) await\n"
          "                              counter_with_a_long_name\n"
          "                              == 2; assert false\n"
          "                              ! assertion 'false'\n"
          "                                   failed\n"
          "\n"
          "violated: assertion 'false' failed\n"
          "  in second at test.mc:5: assert false\n");
}

}  // TEST_SUITE
