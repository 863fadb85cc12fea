// SPDX-License-Identifier: MIT
// Unit tests of checker/reduce/bool_locks: which bools are inferred locks, where each process
// holds them, why the others are not, and that the reduction treats an inferred bool lock
// exactly as it treats a mutex.
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "checker/reduce/bool_locks.hpp"
#include "checker/reduce/por_tables.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

std::uint32_t slot(const ir::TransitionSystem& ts, const std::string& name) {
    for (std::uint32_t i = 0; i < ts.layout().slots().size(); ++i)
        if (ts.layout().slots()[i].name == name) return i;
    FAIL("no slot ", name);
    return 0;
}

/// Per location of process p, "text:H" where it holds bool lock k, "text:-" where it does not.
std::string holding(const ir::TransitionSystem& ts, const reduce::BoolLocks& bl, std::uint32_t p, std::uint32_t k) {
    std::string out;
    const auto& proc = ts.process(ir::ProcessId{p});
    for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
        const auto g = proc.group_at[l];
        out += (g == ir::no_group ? std::string("end") : ts.group(g).text) + ((bl.held(p, l) >> k & 1U) ? ":H" : ":-");
        if (l + 1 < proc.locations.size()) out += " | ";
    }
    return out;
}

/// The locks workload (bench/locks) on two workers, its locks written as `lock`: bools taken by
/// one atomic step, or mutexes.
std::string workers(bool bools, const std::string& extra = "") {
    const std::string decl = bools ? "bool" : "mutex";
    auto take = [&](const char* m) {
        return bools ? fmt::format("atomic {{ await !{0}; {0} = true; }}", m) : fmt::format("lock({});", m);
    };
    auto free = [&](const char* m) { return bools ? fmt::format("{} = false;", m) : fmt::format("unlock({});", m); };
    return fmt::format(R"(
        type Wid = 0..1;
        var m1: {0};  var m2: {0};
        var in_cs: 0..2;  var total: 0..2;
        process worker(w: Wid) {{
            var work: 0..2;  var mine: 0..2;
            while (true) {{
                either {{
                    work = (work + 1) % 3;
                    {1}
                    mine = (mine + 1) % 3;
                    {2}
                    in_cs++;
                    assert in_cs == 1;
                    total = (total + 1) % 3;
                    in_cs--;
                    {3}
                    {4}
                }} or {{
                    work = (work + 2) % 3;
                    {2}
                    in_cs++;
                    assert in_cs == 1;
                    total = (total + 2) % 3;
                    in_cs--;
                    {3}
                }}
            }}
        }}
        {5})",
                       decl, take("m1"), take("m2"), free("m2"), free("m1"), extra);
}

}  // namespace

TEST_SUITE("reduce") {

TEST_CASE("a bool taken by atomic await and cleared by its holder is a lock, held between the two") {
    const auto ts = testing::compile(R"(
        var m: bool;  var c: 0..2;
        process p { var t: 0..1;
            t = 1;
            atomic { await !m; m = true; }
            c = c + 1;
            m = false;
            t = 0;
        }
        process q { await m; c = 0; })");
    const reduce::BoolLocks bl(*ts);
    REQUIRE(bl.slots().size() == 1);
    CHECK(bl.slots()[0] == slot(*ts, "m"));
    CHECK(bl.rejected().empty());
    CHECK(holding(*ts, bl, 0, 0) ==
          "t = 1:- | atomic { await !m; m = true; }:- | c = c + 1:H | m = false:H | t = 0:- | end:-");
    CHECK(bl.acquires(0, 1) == slot(*ts, "m"));
    CHECK(bl.releases(0, 3) == slot(*ts, "m"));
    CHECK(bl.acquires(0, 0) == UINT32_MAX);
    CHECK(bl.releases(0, 2) == UINT32_MAX);
    // q only reads m: it never holds it.
    CHECK(holding(*ts, bl, 1, 0) == "await m:- | c = 0:- | end:-");
    // The tables treat it as a mutex: the acquire is a pure lock, the holder may release it.
    const reduce::PorTables t(*ts);
    REQUIRE(t.mutexes().size() == 1);
    CHECK(t.is_bool_lock(0));
    CHECK(t.lock_target(0, 1) == slot(*ts, "m"));
    const auto m = slot(*ts, "m");
    CHECK((t.may_release(0, 2)[m / 64] >> (m % 64) & 1U) != 0);
    CHECK((t.may_release(0, 4)[m / 64] >> (m % 64) & 1U) == 0);
}

TEST_CASE("an element of a bool array is a lock per object when each process names it with its parameter") {
    // Each worker takes its own l[w] (a constant index in its instance) and the other's
    // element in turn: both elements are locks, unless a sweeper names one through a variable.
    const std::string own = R"(
        type Wid = 0..1;
        var l: bool[Wid];
        var c: 0..2;
        process worker(w: Wid) {
            atomic { await !l[w]; l[w] = true; }
            c = (c + 1) % 3;
            l[w] = false;
            atomic { await !l[1 - w]; l[1 - w] = true; }
            l[1 - w] = false;
        })";
    const auto ts = testing::compile(
        own + "process sweeper { var i: Wid; choose i; atomic { await !l[i]; l[i] = true; } l[i] = false; }");
    const reduce::BoolLocks none(*ts);
    CHECK(none.slots().empty());
    REQUIRE(none.rejected().size() == 2);
    CHECK(none.rejected()[0] ==
          "l[0]: `atomic { await !l[i]; l[i] = true; }` writes it other than as `atomic { await !l[0]; l[0] = true; }` "
          "or `l[0] = false` on every path");

    const auto two = testing::compile(own);
    const reduce::BoolLocks bl(*two);
    REQUIRE(bl.slots().size() == 2);
    CHECK(bl.slots()[0] == slot(*two, "l[0]"));
    CHECK(bl.slots()[1] == slot(*two, "l[1]"));
    CHECK(bl.rejected().empty());
    // worker(0) holds l[0] at c = ... and its release, l[1] at the last release.
    CHECK(holding(*two, bl, 0, 0) ==
          "atomic { await !l[w]; l[w] = true; }:- | c = (c + 1) % 3:H | l[w] = false:H | "
          "atomic { await !l[1 - w]; l[1 - w] = true; }:- | l[1 - w] = false:- | end:-");
    CHECK(holding(*two, bl, 0, 1) ==
          "atomic { await !l[w]; l[w] = true; }:- | c = (c + 1) % 3:- | l[w] = false:- | "
          "atomic { await !l[1 - w]; l[1 - w] = true; }:- | l[1 - w] = false:H | end:-");
    const auto r = explore::check(*two, {.stop_at_first = false, .por = true, .por_check = true});
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.self_check_failure.empty());
    CHECK(r.reductions.bool_locks == std::vector<std::string>{"l[0]", "l[1]"});
}

TEST_CASE("a bool is no lock when a step writes it otherwise, or a process may take it twice or clear it free") {
    auto rejected = [](const char* text) {
        const auto ts = testing::compile(text);
        const reduce::BoolLocks bl(*ts);
        CHECK(bl.slots().empty());
        return bl.rejected().size() == 1 ? bl.rejected()[0] : std::string("(none)");
    };
    CHECK(rejected(R"(var m: bool;
        process p { atomic { await !m; m = true; } m = false; }
        process q { m = true; })") ==
          "m: `m = true` writes it other than as `atomic { await !m; m = true; }` or `m = false` on every path");
    CHECK(rejected(R"(var m: bool;
        process p { atomic { await !m; m = true; } atomic { await !m; m = true; } m = false; })") ==
          "m: `atomic { await !m; m = true; }` may take it while already holding it");
    CHECK(rejected(R"(var m: bool;
        process p { atomic { await !m; m = true; } m = false; m = false; })") ==
          "m: `m = false` may clear it without holding it");
    // Taken on one branch only: the release after the join is reached not holding it first
    // (the walk is depth first, the branch that skips the acquire is walked first), and the end
    // of a process that keeps it is reached holding it and not.
    CHECK(rejected(R"(var m: bool;
        process p { var t: bool; choose t; if (t) { atomic { await !m; m = true; } } m = false; })") ==
          "m: `m = false` may clear it without holding it");
    CHECK(rejected(R"(var m: bool;
        process p { var t: bool; choose t; if (t) { atomic { await !m; m = true; } } })") ==
          "m: p reaches one location both holding it and not");
    // The clear may be skipped within its step.
    CHECK(rejected(R"(var m: bool;
        process p { var t: bool; atomic { await !m; m = true; } atomic { if (t) { m = false; } t = true; } })") ==
          "m: `atomic { if (t) { m = false; } t = true; }` writes it other than as `atomic { await !m; m = true; }` "
          "or `m = false` on every path");
    // A bool that starts true, that nothing takes, or that is set with something between the
    // test and the set (no test-and-set), is a plain bool without a word.
    CHECK(rejected(R"(var m: bool; var x: 0..1;
        process p { atomic { await !m; x = 1; m = true; } m = false; })") == "(none)");
    CHECK(rejected("var m: bool = true; process p { atomic { await !m; m = true; } m = false; }") == "(none)");
    CHECK(rejected("var m: bool; process p { m = true; m = false; }") == "(none)");
}

TEST_CASE("partial-order reduction treats an inferred bool lock as it treats a mutex") {
    // The locks workload on two workers: 2 processes, locks m1 then m2 on one path, m2 on the
    // other. Without reductions both forms have the same states (a bool lock's `true` is the
    // mutex's owner), and with partial-order reduction the same reduced graph.
    const auto bools = testing::compile(workers(true));
    const auto mutexes = testing::compile(workers(false));
    // A third process that may clear m2 (it never can: nothing sets `never`) makes m2 a plain
    // bool to the reduction; m1 stays a lock.
    const auto stray = testing::compile(workers(true, "var never: bool; process z { await never; m2 = false; }"));
    CHECK(reduce::BoolLocks(*bools).slots().size() == 2);
    const reduce::BoolLocks z(*stray);
    CHECK(z.slots().size() == 1);
    REQUIRE(z.rejected().size() == 1);
    CHECK(z.rejected()[0] == "m2: `m2 = false` may clear it without holding it");

    auto run = [](const ir::TransitionSystem& ts, bool por) {
        return explore::check(ts, {.stop_at_first = false, .por = por, .por_check = por});
    };
    const auto full = run(*bools, false);
    CHECK(full.verdict == explore::Verdict::holds);
    CHECK(run(*mutexes, false).stats.states == full.stats.states);
    CHECK(run(*stray, false).stats.states == full.stats.states);
    const auto b = run(*bools, true);
    const auto m = run(*mutexes, true);
    const auto s = run(*stray, true);
    CHECK(b.verdict == explore::Verdict::holds);
    CHECK(s.verdict == explore::Verdict::holds);
    CHECK(b.self_check_failure.empty());
    CHECK(s.self_check_failure.empty());
    CHECK(b.stats.states == m.stats.states);
    CHECK(b.stats.transitions == m.stats.transitions);
    CHECK(b.stats.states < full.stats.states);
    // Without m2 as a lock, a worker in the m2 section conflicts with the other's future writes
    // of in_cs and total: fewer states are reduced.
    CHECK(b.stats.states < s.stats.states);
}

}  // TEST_SUITE
