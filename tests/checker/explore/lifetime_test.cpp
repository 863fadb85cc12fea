// SPDX-License-Identifier: MIT
// Objects with a lifetime (`refs: kref(N) lifetime;` in a struct): any access to another field
// of the object after its count dropped to zero is the built-in use_after_free, reported on the
// accessing step, with the step that freed it in the report.
#include <doctest/doctest.h>

#include <string>

#include "checker/reduce/symmetry.hpp"
#include "tests/support/testing.hpp"
#include "traces/replay.hpp"
#include "traces/render_steps.hpp"
#include "traces/trace.hpp"

using namespace iomc;
using explore::Strategy;
using explore::Verdict;

namespace {

const char* const kDomain = R"(struct Domain {
    refs: kref(2) lifetime;
    users: 0..2;
    lock: mutex;
}
var dom: Domain;
var ready: bool;
process owner {
    kref_init(dom.refs);
    ready = true;
    kref_put(dom.refs);
}
process user {
    await ready;
    lock(dom.lock);
    dom.users += 1;
    unlock(dom.lock);
}
)";

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("locking a mutex of a freed object is a use after free naming the freeing step") {
    const auto ts = testing::compile(kDomain);
    const auto uaf = ts->find_property("use_after_free");
    REQUIRE(uaf.has_value());
    CHECK(ir::idx(*uaf) == ir::builtin_property_count);
    for (auto strategy : {Strategy::bfs, Strategy::dfs})
        for (bool por : {false, true}) {
            explore::Options o;
            o.strategy = strategy;
            o.por = por;
            o.por_check = por;
            const auto r = explore::check(*ts, o);
            CHECK(r.self_check_failure.empty());
            REQUIRE(r.counterexample.has_value());
            CHECK(r.counterexample->violation.property == *uaf);
            CHECK(traces::describe(*ts, r.counterexample->violation) ==
                  "use after free: 'dom.lock' is used after 'dom' was freed (its count reached zero)");
            if (strategy != Strategy::bfs || por) continue;
            // Shortest: init, ready, put (frees), await ready, lock(dom.lock).
            traces::Replay rep;
            CHECK(!traces::confirm(*ts, *r.counterexample, rep).has_value());
            CHECK(r.counterexample->trace.steps.size() == 5);
            CHECK(traces::render_violation(*ts, *r.counterexample, rep) ==
                  "violated: use after free: 'dom.lock' is used after 'dom' was freed (its count reached zero)\n"
                  "  in user at test.mc:15: lock(dom.lock)\n"
                  "  freed by step 3: owner at test.mc:11: kref_put(dom.refs)\n");
        }
}

TEST_CASE("a reference taken before the last put keeps the object alive") {
    const auto ts = testing::compile(R"(struct Domain {
    refs: kref(2) lifetime;
    users: 0..2;
}
var dom: Domain;
var ready: bool;
var got: bool;
process owner {
    kref_init(dom.refs);
    ready = true;
    await got;
    kref_put(dom.refs);
}
process user {
    await ready;
    kref_get(dom.refs);
    got = true;
    dom.users += 1;
    kref_put(dom.refs);
}
invariant freed_at_zero: true;
)");
    for (bool por : {false, true}) {
        explore::Options o;
        o.por = por;
        o.por_check = por;
        o.stop_at_first = false;
        const auto r = explore::check(*ts, o);
        CHECK(r.self_check_failure.empty());
        CHECK(r.verdict == Verdict::holds);
    }
}

TEST_CASE("the freed flag is per element of an array of objects") {
    // Freeing grp[0] does not free grp[1]; c(1) touches only its own group.
    const auto ts = testing::compile(R"(struct Group { refs: kref(1) lifetime; n: 0..1; }
var grp: Group[0..1];
process c(i: 0..1) {
    kref_init(grp[i].refs);
    grp[i].n = 1;
    kref_put(grp[i].refs);
    when (i == 0) grp[1].n = 0;
}
)");
    const auto r = explore::check(*ts, {});
    REQUIRE(r.counterexample.has_value());
    CHECK(traces::describe(*ts, r.counterexample->violation) ==
          "use after free: 'grp[1].n' is used after 'grp[1]' was freed (its count reached zero)");
    // c(0) writes grp[1].n only after c(1) freed it: 3 steps of c(1), then c(0)'s 4th.
    CHECK(r.counterexample->trace.steps.size() == 7);
}

TEST_CASE("a model without lifetimes has no use_after_free property") {
    CHECK(!testing::compile("var x: bool;\nprocess p { x = true; }\n")->find_property("use_after_free").has_value());
}

TEST_CASE("objects with a lifetime indexed by a scalarset stay symmetric") {
    // Each owner frees its group while its watcher, which saw it alive, still writes to it:
    // a use after free in 5 steps (init, n = 1, the watcher's await, put, the write). The
    // freed flags are fields of the groups, permuted with them: symmetry and partial-order
    // reduction keep the verdict.
    const auto ts = testing::compile(R"(type G = scalarset(2);
struct Group { refs: kref(1) lifetime; n: 0..1; }
var grp: Group[G];
process c(g: G) {
    kref_init(grp[g].refs);
    grp[g].n = 1;
    kref_put(grp[g].refs);
}
process watcher(g: G) {
    await grp[g].refs == 1;
    grp[g].n = 0;
}
)");
    REQUIRE(ts->symmetry().scalarsets.at(0).breaches.empty());
    // Every property to the end: a watcher that arrives after the put waits forever, which is
    // a deadlock too.
    explore::Options full;
    full.stop_at_first = false;
    const auto off = explore::check(*ts, full);
    explore::Options sym = full;
    sym.symmetry = reduce::SymmetryMode::exact;
    sym.por = true;
    sym.por_check = true;
    const auto on = explore::check(*ts, sym);
    CHECK(on.self_check_failure.empty());
    CHECK(on.stats.states < off.stats.states);
    const auto uaf = *ts->find_property("use_after_free");
    for (const auto* r : {&off, &on}) {
        bool found = false;
        for (const auto& p : r->properties)
            if (p.property == uaf) {
                found = true;
                CHECK(p.verdict == Verdict::violated);
                REQUIRE(p.counterexample.has_value());
                CHECK(traces::describe(*ts, p.counterexample->violation) ==
                      "use after free: 'grp[g].n' is used after 'grp[g]' was freed (its count reached zero)");
                if (r == &off) CHECK(p.counterexample->trace.steps.size() == 5);
            }
        CHECK(found);
    }
}

}
