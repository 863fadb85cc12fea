// SPDX-License-Identifier: MIT
#include "checker/symbolic/bmc.hpp"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/safety.hpp"

namespace iomc::symbolic {

namespace {

using Clock = std::chrono::steady_clock;

/// Turns the solver's states into a counterexample, replaying each step through the
/// interpreter. `on_step`: the last state reports a selected property on some step; else the
/// last state breaks an invariant or deadlocks. An error text if the states do not replay.
std::string reconstruct(const ir::TransitionSystem& ts, const std::vector<char>& sel,
                        const std::vector<std::vector<std::uint8_t>>& states, bool on_step, traces::Counterexample& cx) {
    ir::Interpreter in(ts);
    const std::size_t bytes = ts.layout().bytes();
    cx.trace.model_id = ts.model_id();
    cx.trace.steps.clear();
    std::vector<std::uint8_t> init(ts.state_buffer_size(), 0);
    ts.initial_state(init.data());
    if (std::memcmp(init.data(), states[0].data(), bytes) != 0) return "the solver's first state is not the initial state";
    for (std::size_t i = 0; i + 1 < states.size(); ++i) {
        const auto found = step_between(ts, in, states[i].data(), states[i + 1].data());
        if (!found) return fmt::format("no step leads from the solver's state {} to its state {}", i, i + 1);
        cx.trace.steps.push_back(*found);
    }
    const std::uint8_t* last = states.back().data();
    if (on_step) {
        const auto step = reporting_step(in, sel, last, cx.violation);
        if (!step) return "the solver's last state reports no violation on any step";
        cx.trace.steps.push_back(*step);
        return {};
    }
    if (state_violation(ts, in, sel, last, cx.violation)) return {};
    return "the solver's last state breaks no selected property";
}

}  // namespace

std::string z3_version() {
    unsigned major = 0, minor = 0, build = 0, rev = 0;
    Z3_get_version(&major, &minor, &build, &rev);
    return fmt::format("Z3 {}.{}.{}", major, minor, build);
}

BmcResult bmc(const ir::TransitionSystem& ts, const BmcOptions& o) {
    const auto start = Clock::now();
    EngineContext owner;
    z3::context& c = owner.get();
    const Deadline deadline(start, o.time_limit);
    const Watchdog dog(c, deadline);
    try {
        const Encoder enc(c, ts, deadline);
        BmcResult r = bmc_run(enc, selection(ts, o.properties), o, start);
        owner.release_if(r.verdict == BmcVerdict::unknown && r.depth > 0 && deadline.expired());
        return r;
    } catch (const TimeUp& e) {
        BmcResult r;
        r.verdict = BmcVerdict::unknown;
        r.reason = e.what();
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    } catch (const Unsupported& e) {
        BmcResult r;
        r.verdict = BmcVerdict::unsupported;
        r.reason = e.what();
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    } catch (const z3::exception& e) {
        BmcResult r;
        r.verdict = BmcVerdict::unknown;
        r.reason = deadline.expired() ? fmt::format("time limit {}s reached while encoding the model", o.time_limit)
                                      : fmt::format("Z3 failed while encoding the model ({})", e.msg());
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    }
}

BmcResult bmc_run(const Encoder& enc, const std::vector<char>& sel, const BmcOptions& o, Clock::time_point start) {
    const auto& ts = enc.ts();
    z3::context& c = enc.ctx();
    BmcResult r;
    auto finish = [&]() -> BmcResult {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    };
    try {
        z3::solver sol(c);
        std::vector<SymState> s;
        s.push_back(enc.fresh_state("s0_"));
        sol.add(enc.initial(s[0]));
        // Query n: a run of n steps that ends in a violation: n - 1 transitions and a step that
        // reports, or n transitions and a state that breaks an invariant or deadlocks.
        for (std::uint32_t n = 0; n <= o.depth; ++n) {
            r.depth = n;
            std::optional<z3::expr> step;
            z3::expr bad = c.bool_val(false);
            if (n > 0) {
                s.push_back(enc.fresh_state(fmt::format("s{}_", n)));
                step = enc.transition(s[n - 1], s[n]);
                bad = bad_step(enc, sel, s[n - 1]) || (*step && bad_state(enc, sel, s[n]));
            } else {
                bad = bad_state(enc, sel, s[0]);
            }
            if (o.time_limit > 0) {
                const double left = o.time_limit - std::chrono::duration<double>(Clock::now() - start).count();
                if (left <= 0) {
                    r.verdict = BmcVerdict::unknown;
                    r.reason = fmt::format("time limit {}s reached at depth {}", o.time_limit, n);
                    return finish();
                }
                z3::params p(c);
                p.set("timeout", static_cast<unsigned>(left * 1000) + 1);
                sol.set(p);
            }
            sol.push();
            sol.add(bad);
            const auto res = sol.check();
            if (res == z3::unknown) {
                const std::string why = sol.reason_unknown();
                r.verdict = BmcVerdict::unknown;
                r.reason = why == "timeout" || why == "canceled"
                               ? fmt::format("time limit {}s reached at depth {}", o.time_limit, n)
                               : fmt::format("Z3 gave up at depth {} ({})", n, why);
                return finish();
            }
            if (res == z3::sat) {
                const z3::model m = sol.get_model();
                const bool on_step = n > 0 && m.eval(bad_step(enc, sel, s[n - 1]), true).is_true();
                std::vector<std::vector<std::uint8_t>> states;
                for (std::uint32_t k = 0; k < (on_step ? n : n + 1); ++k) states.push_back(concrete(ts, m, s[k]));
                traces::Counterexample cx;
                if (auto err = reconstruct(ts, sel, states, on_step, cx); !err.empty()) {
                    r.verdict = BmcVerdict::internal_error;
                    r.reason = fmt::format("the solver's run of {} steps does not replay: {}", n, err);
                    return finish();
                }
                r.verdict = BmcVerdict::violated;
                r.counterexample = std::move(cx);
                return finish();
            }
            sol.pop();
            if (step) sol.add(*step);
        }
        r.verdict = BmcVerdict::no_violation;
        r.depth = o.depth;
    } catch (const TimeUp& e) {
        r.verdict = BmcVerdict::unknown;
        r.reason = fmt::format("{} at depth {}", e.what(), r.depth);
    } catch (const Unsupported& e) {
        r.verdict = BmcVerdict::unsupported;
        r.reason = e.what();
    } catch (const z3::exception& e) {
        r.verdict = BmcVerdict::unknown;
        r.reason = o.time_limit > 0 && std::chrono::duration<double>(Clock::now() - start).count() >= o.time_limit
                       ? fmt::format("time limit {}s reached at depth {}", o.time_limit, r.depth)
                       : fmt::format("Z3 failed at depth {} ({})", r.depth, e.msg());
    }
    return finish();
}

}  // namespace iomc::symbolic
