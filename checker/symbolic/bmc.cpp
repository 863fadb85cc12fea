// SPDX-License-Identifier: MIT
#include "checker/symbolic/bmc.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/safety.hpp"

namespace iomc::symbolic {

namespace {

using Clock = std::chrono::steady_clock;

/// Appends to `steps` a step (with merging: a merged step, its chain replayed) from `u` to
/// `to`, the first in group and outcome order, and leaves `to` in `u`; false if there is none.
bool advance(const Encoder& enc, ir::Interpreter& in, std::vector<std::uint8_t>& u, const std::vector<std::uint8_t>& to,
             std::vector<ir::Step>& steps) {
    const auto& ts = enc.ts();
    const std::size_t bytes = ts.layout().bytes();
    if (!enc.merging()) {
        const auto found = step_between(ts, in, u.data(), to.data());
        if (!found) return false;
        steps.push_back(*found);
        u = to;
        return true;
    }
    std::vector<std::pair<ir::Step, std::vector<std::uint8_t>>> firsts;
    in.successors(u.data(), [&](ir::GroupId g, const ir::Emission& e) {
        if (e.next) firsts.emplace_back(ir::Step{g, e.index}, std::vector<std::uint8_t>(e.next, e.next + u.size()));
    });
    for (auto& [first, v] : firsts) {
        std::vector<ir::Step> chain{first};
        const auto& grp = ts.group(first.group);
        replay_merged(ts, in, enc, grp.process, grp.location, v, chain);
        if (std::memcmp(v.data(), to.data(), bytes) != 0) continue;
        steps.insert(steps.end(), chain.begin(), chain.end());
        u = to;
        return true;
    }
    return false;
}

/// Turns the solver's states into a counterexample, replaying each step through the
/// interpreter (a merged step: the step, then its process's local steps, replay_merged(); a
/// concurrent step: the outcomes `fired` names, one after the other in process order, each to
/// the state with its written slots set as in the next state). `on_step`: the last state
/// reports a selected property on some step; else the last state breaks an invariant or
/// deadlocks. An error text if the states do not replay.
std::string reconstruct(const Encoder& enc, const std::vector<char>& sel,
                        const std::vector<std::vector<std::uint8_t>>& states,
                        const std::vector<std::vector<Encoder::Fired>>& fired, bool on_step,
                        traces::Counterexample& cx) {
    const auto& ts = enc.ts();
    ir::Interpreter in(ts);
    const std::size_t bytes = ts.layout().bytes();
    cx.trace.model_id = ts.model_id();
    cx.trace.steps.clear();
    std::vector<std::uint8_t> init(ts.state_buffer_size(), 0);
    ts.initial_state(init.data());
    if (std::memcmp(init.data(), states[0].data(), bytes) != 0) return "the solver's first state is not the initial state";
    for (std::size_t i = 0; i + 1 < states.size(); ++i) {
        std::vector<std::uint8_t> u = states[i];
        if (enc.concurrent()) {
            for (const auto& f : fired[i]) {
                std::vector<std::uint8_t> to = u;
                for (const auto slot : *f.writes)
                    ts.layout().write(to.data(), ir::SlotId{slot}, ts.layout().read(states[i + 1].data(), ir::SlotId{slot}));
                if (!advance(enc, in, u, to, cx.trace.steps))
                    return fmt::format("no step of {} leads on from the solver's state {} towards its state {}",
                                       ts.process(f.proc).name, i, i + 1);
            }
            if (std::memcmp(u.data(), states[i + 1].data(), bytes) != 0)
                return fmt::format("the steps the solver fired from its state {} do not reach its state {}", i, i + 1);
            continue;
        }
        if (!advance(enc, in, u, states[i + 1], cx.trace.steps))
            return fmt::format("no {}step leads from the solver's state {} to its state {}", enc.merging() ? "merged " : "",
                               i, i + 1);
    }
    ir::Interpreter last_in(ts);
    const std::uint8_t* last = states.back().data();
    if (on_step) {
        const auto step = reporting_step(last_in, sel, last, cx.violation);
        if (!step) return "the solver's last state reports no violation on any step";
        cx.trace.steps.push_back(*step);
        return {};
    }
    if (state_violation(ts, last_in, sel, last, cx.violation)) return {};
    return "the solver's last state breaks no selected property";
}

/// BmcOptions::widen: the rounds, each run by bmc_run() with the processes it keeps idle.
BmcResult widened(const Encoder& enc, const std::vector<char>& sel, const BmcOptions& o, Clock::time_point start) {
    const auto& ts = enc.ts();
    // Instance k (0-based, in process order) of its declaration moves from round k + 1 on.
    std::vector<std::uint32_t> from_round(ts.processes().size(), 1);
    std::map<std::string, std::uint32_t> seen;
    std::uint32_t rounds = 1;
    for (const auto& p : ts.processes()) {
        const std::uint32_t k = seen[p.decl]++;
        from_round[&p - ts.processes().data()] = k + 1;
        rounds = std::max(rounds, k + 1);
    }
    BmcResult r;
    for (std::uint32_t round = 1; round <= rounds; ++round) {
        std::vector<char> idle(from_round.size(), 0);
        for (std::size_t p = 0; p < idle.size(); ++p) idle[p] = from_round[p] > round ? 1 : 0;
        r = bmc_run(enc, sel, o, start, round < rounds ? idle : std::vector<char>{});
        r.round = round;
        r.rounds = rounds;
        if (round < rounds) {
            for (std::size_t p = 0; p < idle.size(); ++p)
                if (idle[p]) r.idle.push_back(ir::ProcessId{static_cast<std::uint32_t>(p)});
            // A restricted round claims nothing about the whole model's shorter runs.
            r.clean_to = -1;
            r.shortest = false;
        }
        if (r.verdict != BmcVerdict::no_violation) return r;
    }
    return r;
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
    // A run that stopped before a verdict: why, and the time it took.
    const auto stopped = [&](BmcVerdict v, std::string reason) {
        BmcResult r;
        r.verdict = v;
        r.reason = std::move(reason);
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    };
    try {
        const auto sel = selection(ts, o.properties);
        const Encoder enc(c, ts, deadline, o.merge_local ? sel : std::vector<char>{},
                          o.concurrent || o.widen);
        BmcResult r = o.widen ? widened(enc, sel, o, start) : bmc_run(enc, sel, o, start);
        owner.release_if(r.verdict == BmcVerdict::unknown && r.depth > 0 && deadline.expired());
        return r;
    } catch (const TimeUp& e) {
        return stopped(BmcVerdict::unknown, e.what());
    } catch (const Unsupported& e) {
        return stopped(BmcVerdict::unsupported, e.what());
    } catch (const z3::exception& e) {
        return stopped(BmcVerdict::unknown,
                       deadline.expired() ? fmt::format("time limit {}s reached while encoding the model", o.time_limit)
                                          : fmt::format("Z3 failed while encoding the model ({})", e.msg()));
    }
}

BmcResult bmc_run(const Encoder& enc, const std::vector<char>& sel, const BmcOptions& o, Clock::time_point start,
                  const std::vector<char>& idle) {
    const auto& ts = enc.ts();
    z3::context& c = enc.ctx();
    BmcResult r;
    r.merged_groups = enc.merged_groups();
    r.movers = enc.concurrent() ? enc.movers() : 0;
    auto finish = [&]() -> BmcResult {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    };
    // Checked depths: from, from + step, ..., and depth. Skipping any, the run may stutter at
    // its end (stut[n]: s[n] == s[n-1], and so are all later states), so that the check at n
    // covers every run of at most n steps.
    const std::uint32_t step = std::max<std::uint32_t>(o.step, 1);
    const bool stutter = o.from > 0 || step > 1;
    auto checked = [&](std::uint32_t n) {
        return n == o.depth || (n >= o.from && (n - o.from) % step == 0);
    };
    try {
        z3::solver sol = make_solver(c);
        std::vector<SymState> s;
        std::vector<z3::expr> stut;
        std::vector<std::vector<z3::expr>> sels;  // per transition: its selectors
        s.push_back(enc.fresh_state("s0_"));
        sol.add(enc.initial(s[0]));
        // Query n: a run of n steps that ends in a violation: n - 1 transitions and a step that
        // reports, or n transitions and a state that breaks an invariant or deadlocks.
        for (std::uint32_t n = 0; n <= o.depth; ++n) {
            r.depth = n;
            std::optional<z3::expr> trans;
            z3::expr bad = c.bool_val(false);
            if (n > 0) {
                s.push_back(enc.fresh_state(fmt::format("s{}_", n)));
                sels.emplace_back();
                if (stutter) {
                    stut.push_back(c.bool_const(fmt::format("stut{}", n).c_str()));
                    trans = enc.transition_or_stutter(s[n - 1], s[n], stut.back(), &sels.back());
                    if (stut.size() > 1) trans = *trans && z3::implies(stut[stut.size() - 2], stut.back());
                } else {
                    trans = enc.transition(s[n - 1], s[n], &sels.back());
                }
                // A concurrent step is canonical after the one before (a stutter leaves its
                // selectors free, and every step after it stutters: nothing is excluded).
                if (enc.concurrent() && n > 1) trans = *trans && enc.canonical(sels[n - 2], sels[n - 1]);
                if (!idle.empty()) trans = *trans && enc.idle(sels[n - 1], idle);
            }
            if (!checked(n)) {
                if (trans) sol.add(*trans);
                continue;
            }
            // With stutters, s[n - 1] is any state of at most n - 1 steps, s[n] any of at most n.
            bad = n > 0 ? bad_step(enc, sel, s[n - 1]) || (*trans && bad_state(enc, sel, s[n])) : bad_state(enc, sel, s[0]);
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
                r.reason = stopped_by_limit(why)
                               ? fmt::format("time limit {}s reached at depth {}", o.time_limit, n)
                               : fmt::format("Z3 gave up at depth {} ({})", n, why);
                return finish();
            }
            if (res == z3::sat) {
                const z3::model m = sol.get_model();
                // The real steps: those before the first stutter.
                std::uint32_t len = n;
                for (std::uint32_t k = 1; stutter && k <= n; ++k)
                    if (m.eval(stut[k - 1], true).is_true()) {
                        len = k - 1;
                        break;
                    }
                const bool on_step = n > 0 && m.eval(bad_step(enc, sel, s[n - 1]), true).is_true();
                const std::uint32_t last = on_step ? std::min(len, n - 1) : len;  // s[last] == s[n - 1] or s[n]
                std::vector<std::vector<std::uint8_t>> states;
                for (std::uint32_t k = 0; k <= last; ++k) states.push_back(concrete(ts, m, s[k]));
                std::vector<std::vector<Encoder::Fired>> fired;
                for (std::uint32_t k = 0; enc.concurrent() && k < last; ++k) fired.push_back(enc.fired(m, sels[k]));
                traces::Counterexample cx;
                if (auto err = reconstruct(enc, sel, states, fired, on_step, cx); !err.empty()) {
                    r.verdict = BmcVerdict::internal_error;
                    r.reason = fmt::format("the solver's run of {} steps does not replay: {}", on_step ? last + 1 : last,
                                           err);
                    return finish();
                }
                r.verdict = BmcVerdict::violated;
                r.counterexample = std::move(cx);
                r.depth = on_step ? last + 1 : last;
                r.checked_at = n;
                r.shortest = !stutter;
                return finish();
            }
            r.clean_to = n;
            sol.pop();
            if (trans) sol.add(*trans);
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
