// SPDX-License-Identifier: MIT
// The symbolic wait-cycle formula (checker/symbolic/wait_cycle.cpp) against the explicit check
// it encodes (ir::TransitionSystem::wait_cycle): equal on every reachable state of the wait-cycle
// models, for fixed mutexes, mutexes an index selects, mutexes behind a use-after-free check,
// and cycles a process outside may still open. Then BMC and k-induction on the same models:
// the deadlocks that only the wait-cycle check can report (a process runs forever beside them),
// at the explicit engine's shortest depth.
#include <doctest/doctest.h>

#include <deque>
#include <set>
#include <string>
#include <vector>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/bmc.hpp"
#include "checker/symbolic/kind.hpp"
#include "checker/symbolic/safety.hpp"
#include "tests/support/testing.hpp"
#include "tests/support/wait_cycle_models.hpp"
#include "traces/replay.hpp"

using namespace iomc;
using namespace iomc::testing::wait_models;

namespace {

/// Every reachable state of `ts`, packed (layout().bytes() bytes each; kept as strings, whose
/// ordering GCC 12 at -O3 does not mistake for an overread as it does vector<uint8_t>'s).
std::vector<std::vector<std::uint8_t>> reachable(const ir::TransitionSystem& ts) {
    const std::size_t bytes = ts.layout().bytes();
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> buf(ts.state_buffer_size());
    ts.initial_state(buf.data());
    const auto key = [&](const std::uint8_t* p) { return std::string(reinterpret_cast<const char*>(p), bytes); };
    std::set<std::string> seen{key(buf.data())};
    std::deque<std::string> queue{*seen.begin()};
    while (!queue.empty()) {
        std::copy(queue.front().begin(), queue.front().end(), buf.begin());
        queue.pop_front();
        in.successors(buf.data(), [&](ir::GroupId, const ir::Emission& e) {
            if (e.next == nullptr) return;
            if (auto k = key(e.next); seen.insert(k).second) queue.push_back(std::move(k));
        });
    }
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& k : seen) out.emplace_back(k.begin(), k.end());
    return out;
}

/// Compares the formula with the explicit check on every reachable state; returns how many of
/// them have a wait cycle.
std::size_t agree_everywhere(const ir::TransitionSystem& ts) {
    z3::context c;
    const symbolic::Encoder enc(c, ts);
    const auto s = enc.fresh_state("s");
    const z3::expr formula = symbolic::wait_cycle(enc, s);
    const auto slots = ts.layout().slots();
    std::size_t cycles = 0;
    for (auto st : reachable(ts)) {
        st.resize(ts.state_buffer_size(), 0);
        z3::expr_vector from(c), to(c);
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (slots[i].width == 0) continue;
            from.push_back(s[i]);
            to.push_back(c.bv_val(ir::load_bits(st.data(), slots[i].bit_offset, slots[i].width), slots[i].width));
        }
        z3::expr at = formula;
        at = at.substitute(from, to).simplify();
        const bool explicit_cycle = !ts.wait_cycle(st.data()).empty();
        CHECK(at.is_true() == explicit_cycle);
        CHECK(at.is_false() == !explicit_cycle);
        cycles += explicit_cycle ? 1 : 0;
    }
    return cycles;
}

symbolic::BmcResult bmc_deadlock(const ir::TransitionSystem& ts, std::uint32_t depth) {
    symbolic::BmcOptions o;
    o.depth = depth;
    o.properties = {ir::prop_deadlock};
    auto r = symbolic::bmc(ts, o);
    testing::check_replays(ts, r.counterexample);  // every one must replay
    return r;
}

/// The explicit engine's shortest counterexample to deadlock (BFS, no reductions): its length.
std::size_t explicit_depth(const ir::TransitionSystem& ts) {
    explore::Options o;
    o.properties = {ir::prop_deadlock};
    const auto r = explore::check(ts, o);
    REQUIRE(r.verdict == explore::Verdict::violated);
    CHECK(r.counterexample->violation.wait_cycle);
    return r.counterexample->trace.steps.size();
}

/// BMC finds the wait cycle at the explicit engine's depth, and the last state has it.
void bmc_finds_cycle(const ir::TransitionSystem& ts, const std::vector<std::uint32_t>& cycle) {
    const auto depth = explicit_depth(ts);
    const auto r = bmc_deadlock(ts, 10);
    REQUIRE(r.verdict == symbolic::BmcVerdict::violated);
    CHECK(r.counterexample->violation.wait_cycle);
    CHECK(r.counterexample->trace.steps.size() == depth);
    const auto rep = traces::replay(ts, r.counterexample->trace);
    REQUIRE(rep.ok);
    CHECK(ts.wait_cycle(rep.states.back().data()) == cycle);
}

}  // namespace

TEST_CASE("wait-cycle formula: equal to the explicit check on every reachable state") {
    SUBCASE("fixed mutexes (ABBA)") { CHECK(agree_everywhere(*testing::compile(kAbbaBusy)) == 2); }
    SUBCASE("a mutex an index selects") { CHECK(agree_everywhere(*testing::compile(kIndexedAbba)) > 0); }
    SUBCASE("a cycle a process outside may open") {
        // The explicit check never counts the cycle here while mover can still move device 0
        // back, and mover's end comes after that step.
        CHECK(agree_everywhere(*testing::compile(kMoverBreaks)) == 0);
    }
    SUBCASE("the same once the mover is done") { CHECK(agree_everywhere(*testing::compile(mover_stays())) > 0); }
    SUBCASE("a mover that waits for the cycle") { CHECK(agree_everywhere(*testing::compile(mover_waits())) > 0); }
    SUBCASE("a mutex behind a use-after-free check") {
        CHECK(agree_everywhere(*testing::compile(kLifetimeCycle)) > 0);
    }
}

TEST_CASE("bmc: a wait cycle through a mutex an index selects, at the explicit engine's depth") {
    // setup moves device 0 into group 1, client takes dev_mutex[0], walker group_mutex[1]: 3 steps.
    const auto ts = testing::compile(kIndexedAbba);
    CHECK(explicit_depth(*ts) == 3);
    bmc_finds_cycle(*ts, {1, 2});
}

TEST_CASE("bmc: a wait cycle a process outside may still open is no deadlock; once it cannot, it is") {
    const auto open = testing::compile(kMoverBreaks);
    CHECK(explore::check(*open, {.properties = {ir::prop_deadlock}}).verdict == explore::Verdict::holds);
    const auto r = bmc_deadlock(*open, 10);
    CHECK(r.verdict == symbolic::BmcVerdict::no_violation);
    CHECK(r.depth == 10);
    bmc_finds_cycle(*testing::compile(mover_stays()), {0, 1});
    bmc_finds_cycle(*testing::compile(mover_waits()), {0, 1});
}

TEST_CASE("bmc: a wait cycle through a mutex behind a use-after-free check") {
    // Three steps: until init has run, kref_init may still write dom.refs (wait_breaker()).
    const auto ts = testing::compile(kLifetimeCycle);
    CHECK(explicit_depth(*ts) == 3);
    bmc_finds_cycle(*ts, {0, 1});
}

TEST_CASE("kind: deadlock with a mutex an index selects is checked, never proved where it is violated") {
    const auto ts = testing::compile(mover_stays());
    symbolic::KindOptions o;
    o.depth = 8;
    o.properties = {ir::prop_deadlock};
    const auto r = symbolic::kind(*ts, o);
    REQUIRE(r.verdict == symbolic::KindVerdict::violated);
    CHECK(r.counterexample->violation.wait_cycle);
    CHECK(r.counterexample->trace.steps.size() == 3);
    // Where the explicit engine says holds, k-induction proves it or says why not: never violated.
    const auto open = testing::compile(kMoverBreaks);
    const auto ro = symbolic::kind(*open, o);
    CHECK((ro.verdict == symbolic::KindVerdict::holds || ro.verdict == symbolic::KindVerdict::not_inductive));
}
