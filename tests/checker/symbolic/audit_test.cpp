// SPDX-License-Identifier: MIT
// audit-por's claims (checker/symbolic/audit.hpp) on a model small enough to decide each by
// hand: steps with disjoint static footprints commute; pairs that do not are shown with the
// state (slots closest to their initial values) and the part that fails, word for word.
#include <doctest/doctest.h>

#include "checker/symbolic/audit.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

// p's and q's first steps both read x and write their own slot: independent. Their second
// steps both write x (1, 2): the two orders leave x at 2 and 1. q's third step waits for x to
// be 1, which p's second step can make true (enable) or false (disable).
const char* const model = R"(
var x: 0..3 = 0;
var a: 0..3 = 0;
var b: 0..3 = 0;
var m: mutex;

process p {
    a = x;
    x = 1;
    lock(m);
    unlock(m);
}

process q {
    b = x;
    x = 2;
    await x == 1;
    lock(m);
    unlock(m);
}
)";

ir::GroupId step(const ir::TransitionSystem& ts, const std::string& proc, std::uint32_t location) {
    for (const auto& g : ts.groups())
        if (ts.process(g.process).name == proc && g.location == location) return g.id;
    FAIL("no step at ", proc, " location ", location);
    return ir::no_group;
}

std::uint32_t slot(const ir::TransitionSystem& ts, const std::string& name) {
    const auto slots = ts.layout().slots();
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (slots[i].name == name) return i;
    FAIL("no slot ", name);
    return 0;
}

std::string state_text(const symbolic::AuditFinding& f) {
    std::string s;
    for (const auto& [slot, value] : f.state) s += (s.empty() ? "" : " ") + slot + "=" + value;
    return s;
}

}  // namespace

TEST_CASE("audit-por: a pair with disjoint writes commutes; a pair writing one slot does not") {
    auto ts = testing::compile(model);
    symbolic::PorAuditor au(*ts);
    const auto p0 = step(*ts, "p", 0), q0 = step(*ts, "q", 0), p1 = step(*ts, "p", 1), q1 = step(*ts, "q", 1);
    CHECK(symbolic::statically_independent(ts->group(p0), ts->group(q0)));
    CHECK(au.independence(p0, q0).verdict == symbolic::ClaimVerdict::proved);

    CHECK(!symbolic::statically_independent(ts->group(p1), ts->group(q1)));
    const auto f = au.independence(p1, q1);
    REQUIRE(f.verdict == symbolic::ClaimVerdict::failed);
    CHECK(f.problem == "the two orders end in different states: x is 2 after p 'x = 1' then q 'x = 2', 1 after "
                       "q 'x = 2' then p 'x = 1'");
    CHECK(state_text(f) == "x=0 p.pc=1 q.pc=1");
}

TEST_CASE("audit-por: a write that makes an await true enables it; one that makes it false disables it") {
    auto ts = testing::compile(model);
    symbolic::PorAuditor au(*ts);
    const auto p1 = step(*ts, "p", 1), q2 = step(*ts, "q", 2);
    CHECK(!symbolic::statically_independent(ts->group(p1), ts->group(q2)));
    const auto f = au.independence(p1, q2);
    REQUIRE(f.verdict == symbolic::ClaimVerdict::failed);
    // x = 0 is the state closest to the initial one: p's x = 1 makes q's await true.
    CHECK(f.problem == "p 'x = 1' enables q 'await x == 1': a path of q 'await x == 1' that has a successor runs "
                       "after it and not before it");
    CHECK(state_text(f) == "x=0 p.pc=1 q.pc=2");
}

TEST_CASE("audit-por: the whole model: the independent pairs commute, locks block, control flow") {
    auto ts = testing::compile(model);
    const auto r = symbolic::audit_por(*ts);
    CHECK(r.unsupported.empty());
    CHECK(r.failed.empty());
    CHECK(r.unknown.empty());
    // Steps: p 4 (a = x, x = 1, lock, unlock), q 5. Pairs across: 4 x 5 = 20. Conflicting:
    // p's a = x (reads x) with q's x = 2; p's x = 1 with q's b = x, x = 2, await x == 1;
    // q's b = x and await with... (p's x = 1 only, counted); the lock and unlock steps of both
    // write m: p lock/unlock x q lock/unlock = 4 pairs. Total conflicting: 1 + 3 + 4 = 8.
    CHECK(r.dependent_pairs == 8);
    CHECK(r.independence.audited == 12);
    CHECK(r.independence.proved == 12);
    // Pure locks: p's lock(m) and q's lock(m).
    CHECK(r.pure_lock.audited == 2);
    CHECK(r.pure_lock.proved == 2);
    // Steps that may write m without an unlock of it: the two lock steps.
    CHECK(r.release.audited == 2);
    CHECK(r.release.proved == 2);
    CHECK(r.control_flow.audited == 9);
    CHECK(r.control_flow.proved == 9);
}

TEST_CASE("audit-por: a lock step that is not pure: the claim fails, with the holder") {
    // q's step at location 4 is `unlock(m)`, not a pure lock: asked anyway, it runs while p holds m
    // (and reports unlock by a non-owner).
    auto ts = testing::compile(model);
    symbolic::PorAuditor au(*ts);
    const auto q4 = step(*ts, "q", 4);
    const auto f = au.pure_lock(q4, slot(*ts, "m"));
    REQUIRE(f.verdict == symbolic::ClaimVerdict::failed);
    CHECK(f.problem == "q 'unlock(m)' reports while m is held by p");
    CHECK(state_text(f) == "m=held by p q.pc=4");
}

// A bool taken as a lock (reduce/bool_locks.hpp): p holds m at its locations 1 (c = 1) and 2
// (m = false); q only reads it.
const char* const bool_lock_model = R"(
var m: bool;
var c: 0..1;

process p {
    atomic { await !m; m = true; }
    c = 1;
    m = false;
}

process q {
    await !m;
}
)";

TEST_CASE("audit-por: a bool taken as a lock: the holding count is inductive, the acquire blocks while it is true") {
    auto ts = testing::compile(bool_lock_model);
    const auto r = symbolic::audit_por(*ts);
    CHECK(r.failed.empty());
    CHECK(r.unknown.empty());
    // Every step (p's 3, q's 1) keeps the invariant for the one bool lock.
    CHECK(r.bool_lock.audited == 4);
    CHECK(r.bool_lock.proved == 4);
    // The acquire is a pure lock; it is the one step that writes m and is no release.
    CHECK(r.pure_lock.audited == 1);
    CHECK(r.pure_lock.proved == 1);
    CHECK(r.release.audited == 1);
    CHECK(r.release.proved == 1);

    // Claimed with the wrong holding locations (p holds m at location 1 only), p's c = 1 breaks
    // it: from p at 1 with m true (one holder), it moves p to 2, which does not hold m by that
    // claim, and leaves m true (no holder).
    symbolic::PorAuditor au(*ts);
    const auto f = au.bool_lock(step(*ts, "p", 1), slot(*ts, "m"), {{1}, {}});
    REQUIRE(f.verdict == symbolic::ClaimVerdict::failed);
    CHECK(f.problem == "p 'c = 1' leaves m true with the wrong number of processes at locations that hold it");
    CHECK(state_text(f) == "m=true c=0 p.pc=1");
    CHECK(au.bool_lock(step(*ts, "p", 1), slot(*ts, "m"), {{1, 2}, {}}).verdict == symbolic::ClaimVerdict::proved);
}

TEST_CASE("audit-por: the time limit is polled while the encoding is built") {
    auto ts = testing::compile(model);
    symbolic::AuditOptions o;
    o.time_limit = 1e-9;  // spent before the first step's encoding is under way
    const auto r = symbolic::audit_por(*ts, o);
    CHECK(r.time_out);
    CHECK(r.time_out_reason == "time limit 1e-09s reached while encoding step 'a = x' of p");
    CHECK(r.independence.audited == 0);
    CHECK(r.control_flow.audited == 0);
}
