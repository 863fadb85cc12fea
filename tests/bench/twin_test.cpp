// SPDX-License-Identifier: MIT
// Tests of the Promela twin (bench/twin/promela.hpp): the d_steps written for locks, guards read
// through earlier writes, choices and loops inside a step, the steps it refuses, and, with SPIN,
// that pan stores exactly as many states as iomc on small models, seeded random models and
// library scenarios (the bench's "step for step" claim), and reports the violations iomc reports.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "bench/twin/promela.hpp"
#include "checker/explore/search.hpp"
#include "tests/differential/random_model.hpp"
#include "tests/support/testing.hpp"

using namespace iomc;
namespace fs = std::filesystem;

namespace {

std::string twin_of(const ir::TransitionSystem& ts, const std::vector<std::string>& props = {}) {
    bench::twin::Options o;
    for (const auto& p : props) {
        const auto id = ts.find_property(p);
        REQUIRE_MESSAGE(id, "no property ", p);
        o.properties.push_back(*id);
    }
    return bench::twin::write_promela(ts, o);
}

/// The `if ... fi` of location `loc` of process `proc` in a twin, from its label to its `fi`.
std::string block(const std::string& pml, const std::string& proc, const std::string& loc) {
    const auto p = pml.find("active proctype " + proc + "()");
    REQUIRE_MESSAGE(p != std::string::npos, "no process ", proc);
    const auto b = pml.find("\n" + loc + ": ", p);
    REQUIRE(b != std::string::npos);
    const auto e = pml.find("\n    fi", b);
    REQUIRE(e != std::string::npos);
    return pml.substr(b + 1, e + 7 - b - 1);
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

/// What pan said about a twin.
struct Pan {
    std::uint64_t states = 0;
    int errors = -1;
    std::string output;
};

bool have_spin() { return std::system("command -v spin >/dev/null 2>&1 && command -v cc >/dev/null 2>&1") == 0; }

/// Writes `pml` under the build folder, runs `spin -a -o2 -o3` (no statement merging, no dead
/// variable reset: iomc's transition system exactly), `cc -DNOREDUCE` and `./pan <pan_args>`.
Pan run_pan(const std::string& name, const std::string& pml, const std::string& pan_args) {
    REQUIRE_MESSAGE(have_spin(), "SPIN is not installed (scripts/dev.sh installs it: apt-get install spin)");
    const fs::path dir = fs::path(IOMC_BINARY_DIR) / "tests" / "twin" / name;
    fs::create_directories(dir);
    std::ofstream(dir / "t.pml") << pml;
    const std::string cmd = fmt::format(
        "cd '{}' && spin -a -o2 -o3 t.pml >spin.out 2>&1 && cc -O0 -w -DNOREDUCE -DVECTORSZ=4096 -o pan pan.c "
        ">cc.out 2>&1 && ./pan -m10000000 -w20 {} >pan.out 2>&1",
        dir.string(), pan_args);
    std::system(cmd.c_str());
    Pan r;
    std::ifstream in(dir / "pan.out");
    std::stringstream ss;
    ss << in.rdbuf();
    r.output = ss.str();
    std::smatch m;
    if (std::regex_search(r.output, m, std::regex(R"((\d+) states, stored)"))) r.states = std::stoull(m[1]);
    if (std::regex_search(r.output, m, std::regex(R"(errors: (\d+))"))) r.errors = std::stoi(m[1]);
    INFO("pan output:\n", r.output);
    REQUIRE(r.errors >= 0);
    return r;
}

/// iomc's state count without reductions, checking `props` (all of them when empty), storing
/// at most `cap` states (0: no cap).
explore::Result plain(const ir::TransitionSystem& ts, const std::vector<std::string>& props, std::uint64_t cap = 0) {
    explore::Options o;
    o.limits.max_states = cap;
    for (const auto& p : props) o.properties.push_back(*ts.find_property(p));
    return explore::check(ts, o);
}

const char* tiny = R"(
var m: mutex;
var x: 0..2;
var y: 0..1;
process p(i: 0..1) {
    lock(m);
    atomic { x = x + 1; await y == x - 1; }
    unlock(m);
}
process q() {
    choose y;
}
)";

}  // namespace

TEST_CASE("a guard after a write is read through the write, and a value out of range enables the step") {
    const auto ts = testing::compile(tiny);
    // x = x + 1 first: the await sees x + 1. x + 1 > 2 is a range error, which the step reports.
    CHECK(block(twin_of(*ts), "p0_p_0", "L1") ==
          "L1: if\n"
          "    :: d_step { ((!((v1_x + 1) <= 2)) || (v2_y == ((v1_x + 1) - 1))) ->\n"
          "        assert(((v1_x + 1) <= 2));\n"
          "        v1_x = (v1_x + 1);\n"
          "        (v2_y == (v1_x - 1));\n"
          "        goto L1_0_2_end;\n"
          "        L1_0_2_end: skip\n"
          "      }; goto L2\n"
          "    fi");
}

TEST_CASE("a lock is taken while free; held by the same process it reports mutex misuse, unless that is not checked") {
    const auto ts = testing::compile(tiny);
    CHECK(block(twin_of(*ts), "p1_p_1", "L0") ==
          "L0: if\n"
          "    :: d_step { ((v0_m == 1) || (v0_m == (-1))) ->\n"
          "        assert(v0_m != 1);\n"
          "        v0_m = 1;\n"
          "        goto L0_0_1_end;\n"
          "        L0_0_1_end: skip\n"
          "      }; goto L1\n"
          "    fi");
    // Not asserted, a recursive lock still ends its path (iomc: no successor).
    CHECK(block(twin_of(*ts, {"runtime_errors"}), "p1_p_1", "L0") ==
          "L0: if\n"
          "    :: d_step { (v0_m == (-1)) ->\n"
          "        v0_m == -1;\n"
          "        v0_m = 1;\n"
          "        goto L0_0_1_end;\n"
          "        L0_0_1_end: skip\n"
          "      }; goto L1\n"
          "    fi");
}

TEST_CASE("a choice is one d_step per value, and a finished process blocks at a valid end") {
    const auto ts = testing::compile(tiny);
    const std::string pml = twin_of(*ts);
    const std::string q = block(pml, "p2_q", "L0");
    CHECK(count(q, ":: d_step { 1 ->") == 2);
    CHECK(q.find("v2_y = 0;") != std::string::npos);
    CHECK(q.find("v2_y = 1;") != std::string::npos);
    CHECK(pml.find("L1: end_L1: false   /* finished */") != std::string::npos);
}

TEST_CASE("a loop inside a step: counted from a constant it unrolls; over a ring it splits on the values at its head") {
    const auto ts = testing::compile(R"(
        type I = 0..2;
        var a: bool[I];
        var head: I;  var tail: I;
        var r: 0..3;
        process scan() {
            var i: 0..3;
            atomic { i = 0; while (i < 3 && a[i]) i += 1; r = i; }
        }
        process ring() {
            atomic { while (head != tail) head = (head + 1) % 3; }
        }
        process set(k: I) {
            a[k] = true;
        }
        process push() {
            tail = (tail + 1) % 3;
        }
    )");
    const std::string pml = twin_of(*ts);
    // The scan ends after 0..3 iterations: one disjunct per length, read from a[] before the step.
    const std::string scan = block(pml, "p0_scan", "L0");
    CHECK(count(scan, ":: d_step") == 1);
    // The ring's loop depends on head and tail: one path per value of head, then of tail.
    CHECK(block(pml, "p1_ring", "L0").find("((v3_head == 0) && (v4_tail == 0))") != std::string::npos);
    if (!have_spin()) return;  // run_pan fails with the reason
    const explore::Result r = plain(*ts, {"runtime_errors"});
    const Pan pan = run_pan("loops", twin_of(*ts, {"runtime_errors"}), "-E");
    CHECK(pan.errors == 0);
    CHECK(pan.states == r.stats.states);
}

TEST_CASE("a location test keeps the tested process's location in a variable: pan agrees with iomc on p@label") {
    const auto ts = testing::compile(R"(
        var x: 0..2;
        process p() {
            x = 1;
        done:
            x = 2;
        }
        process q() {
            await x >= 1;
        fin:
            skip;
        }
        invariant seen: !p@done || x == 1;
        invariant wrong: !p@done || q@fin;
    )");
    const std::string pml = twin_of(*ts, {"seen"});
    CHECK(pml.find("short v1_p_pc = 0;   /* p.pc */") != std::string::npos);
    CHECK(pml.find("        v1_p_pc = 1;\n        assert(((!(v1_p_pc == 1)) || (v0_x == 1)));   /* seen */") !=
          std::string::npos);
    const explore::Result holds = plain(*ts, {"seen"});
    CHECK(holds.verdict == explore::Verdict::holds);
    const Pan pan = run_pan("at_loc_holds", pml, "");
    CHECK(pan.errors == 0);
    CHECK(pan.states == holds.stats.states);
    CHECK(plain(*ts, {"wrong"}).verdict == explore::Verdict::violated);
    const Pan bad = run_pan("at_loc_violated", twin_of(*ts, {"wrong"}), "");
    CHECK(bad.errors == 1);
    CHECK(bad.output.find("assertion violated") != std::string::npos);
}

TEST_CASE("a step that loops without end is refused with its name") {
    const auto ts = testing::compile(R"(
        var x: 0..1;
        process p() {
            atomic { while (true) { x = 1 - x; } }
        }
    )");
    CHECK_THROWS_WITH_AS(bench::twin::write_promela(*ts, {}),
                         "step 'p at atomic { while (true) { x = 1 - x; } }' runs more than 10000 instructions", bench::twin::Error);
}

TEST_CASE("a choice inside a loop is refused: iomc decides it anew on every pass") {
    const auto ts = testing::compile(R"(
        var x: 0..3;
        var y: 0..1;
        process p() {
            atomic { while (x < 3) { choose y; x += 1; } }
        }
    )");
    CHECK_THROWS_WITH_AS(bench::twin::write_promela(*ts, {}),
                         "step 'p at atomic { while (x < 3) { choose y; x += 1; } }' makes a choice inside a loop",
                         bench::twin::Error);
}

TEST_CASE("pan stores as many states as iomc, and both report the deadlock of the tiny model") {
    const auto ts = testing::compile(tiny);
    const explore::Result r = plain(*ts, {"runtime_errors"});
    const Pan quiet = run_pan("tiny_quiet", twin_of(*ts, {"runtime_errors"}), "-E");
    CHECK(quiet.errors == 0);
    CHECK(quiet.states == r.stats.states);
    // q chooses y = 1; p(0), holding m, waits for y == x - 1 = 0 for ever, and p(1) for m: iomc
    // finds a deadlock, pan an invalid end state.
    const explore::Result d = plain(*ts, {"deadlock"});
    CHECK(d.verdict == explore::Verdict::violated);
    const Pan dead = run_pan("tiny_deadlock", twin_of(*ts, {"deadlock"}), "");
    CHECK(dead.errors == 1);
    CHECK(dead.output.find("invalid end state") != std::string::npos);
}

TEST_CASE("library scenarios: pan stores as many states as iomc without reductions") {
    struct Cell {
        const char* file;
        const char* variant;
        std::vector<std::string> defines;
    };
    const Cell cells[] = {
        {"models/scenarios/probe_iommu_group_race.mc", "a_612_stable", {"types::N_DEVS=2"}},
        {"models/scenarios/probe_iommu_group_race.mc", "a_616", {}},
        {"models/scenarios/aux_domain_attach.mc", "d4", {}},
        {"models/scenarios/dma_ownership.mc", "c0", {}},
        {"models/scenarios/iotlb_flush_policy.mc", "dma_strict", {}},  // while loops inside steps
        {"models/scenarios/s390_release_device.mc", "e1", {}},
        {"models/scenarios/smmu_probe_deferral.mc", "b_412_fault", {}},
    };
    for (const auto& c : cells) {
        CAPTURE(c.file);
        CAPTURE(c.variant);
        const auto ts = testing::load_file(c.file, c.variant, c.defines);
        const explore::Result r = plain(*ts, {"runtime_errors"});
        REQUIRE(r.verdict == explore::Verdict::holds);
        const Pan pan = run_pan(fmt::format("{}_{}", fs::path(c.file).stem().string(), c.variant),
                                twin_of(*ts, {"runtime_errors"}), "-E");
        CHECK(pan.errors == 0);
        CHECK(pan.states == r.stats.states);
    }
}

TEST_CASE("the seed scenario at N_DEVS=2: 18,380 states in both, every safety property holds in both; a_66 violates P_A1 in both") {
    const std::vector<std::string> safety{"deadlock", "runtime_errors", "mutex_misuse", "assertions", "kref_misuse",
                                          "ops::dma_iommu_before_probe_complete", "ops::no_path_switch_while_bound",
                                          "ops::no_probe_on_unready_instance",
                                          "ops::bound_device_in_group_once_iommus_up"};
    const auto ts = testing::load_file("models/scenarios/probe_iommu_group_race.mc", "a_612_stable", {"types::N_DEVS=2"});
    const explore::Result r = plain(*ts, safety);
    CHECK(r.verdict == explore::Verdict::holds);
    CHECK(r.stats.states == 18380);
    const Pan pan = run_pan("probe_a612_n2_safety", twin_of(*ts, safety), "");
    CHECK(pan.errors == 0);
    CHECK(pan.states == 18380);

    const auto a66 = testing::load_file("models/scenarios/probe_iommu_group_race.mc", "a_66");
    CHECK(plain(*a66, {"ops::dma_iommu_before_probe_complete"}).verdict == explore::Verdict::violated);
    const Pan v = run_pan("probe_a66_pa1", twin_of(*a66, {"ops::dma_iommu_before_probe_complete"}), "");
    CHECK(v.errors == 1);
    CHECK(v.output.find("assertion violated") != std::string::npos);
}

namespace {

/// Why pan and iomc disagree on the random model `text`, or nothing (also when it does not
/// compile, which a shrunk candidate may not, when iomc finds a runtime error, which ends its
/// search early, when the model has more than 200,000 states, as the differential suite caps
/// them, or when it has no twin).
std::optional<std::string> twin_disagreement(const std::string& text, const std::string& dir, bool& compared,
                                             std::string* refused = nullptr) {
    compared = false;
    auto c = testing::compile_text(text);
    if (!c.ts) return std::nullopt;
    const explore::Result r = plain(*c.ts, {"runtime_errors"}, 200'000);
    if (!r.complete || r.verdict != explore::Verdict::holds) return std::nullopt;
    std::string pml;
    try {
        pml = twin_of(*c.ts, {"runtime_errors"});
    } catch (const bench::twin::Error& e) {
        if (refused) *refused = e.what();
        return std::nullopt;
    }
    compared = true;
    const Pan pan = run_pan(dir, pml, "-E");
    if (pan.errors != 0) return fmt::format("pan reports {} errors", pan.errors);
    if (pan.states != r.stats.states) return fmt::format("pan stores {} states, iomc {}", pan.states, r.stats.states);
    return std::nullopt;
}

}  // namespace

TEST_CASE("seeded random models: pan stores as many states as iomc") {
    const auto n = testing::env_or("IOMC_TWIN_SEEDS", 25);
    const auto base = testing::env_or("IOMC_TWIN_SEED_BASE", 1);
    std::size_t compared = 0, refused = 0;
    for (std::uint64_t seed = base; seed < base + n; ++seed) {
        const auto m = testing::random_model(seed);
        INFO("seed ", seed);
        INFO(m.text());
        REQUIRE_MESSAGE(testing::compile_text(m.text()).ts, "the generator wrote a model that does not compile");
        bool cmp = false;
        std::string why_refused;
        const auto dir = fmt::format("random_{}", seed);
        const auto why = twin_disagreement(m.text(), dir, cmp, &why_refused);
        if (!why_refused.empty()) {
            ++refused;
            // Only a choice inside a loop is refused: the generator writes no endless loop.
            CHECK_MESSAGE(why_refused.ends_with("makes a choice inside a loop"), why_refused);
        }
        if (why) {
            const auto small = testing::shrink(m, [&](const testing::RModel& x) {
                bool unused = false;
                return twin_disagreement(x.text(), dir + "_shrink", unused).has_value();
            });
            bool unused = false;
            FAIL_CHECK("seed ", seed, ": ", *why, "\nsmallest model that shows it (",
                       twin_disagreement(small.text(), dir + "_shrink", unused).value_or("?"), "):\n", small.text());
        }
        compared += cmp ? 1 : 0;
    }
    // Most random models have a twin and no runtime error: the test compares something.
    CHECK(compared * 2 >= n);
    MESSAGE("random models compared with pan: ", compared, " of ", n, " (no twin: ", refused,
            "; the others stop at a runtime error or have more than 200,000 states)");
}
