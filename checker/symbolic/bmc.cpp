// SPDX-License-Identifier: MIT
#include "checker/symbolic/bmc.hpp"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/encoder.hpp"

namespace iomc::symbolic {

namespace {

using Clock = std::chrono::steady_clock;

/// The selected properties, as the explicit engine selects them (runtime errors always).
std::vector<char> selection(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props) {
    std::vector<char> sel(ts.properties().size(), props.empty() ? 1 : 0);
    for (const auto p : props) sel[ir::idx(p)] = 1;
    sel[ir::idx(ir::prop_runtime_error)] = 1;
    // Liveness and lock order are not bounded safety properties (checker/liveness, checker/graph).
    for (const auto& p : ts.properties())
        if (p.kind == ir::PropertyKind::liveness || p.kind == ir::PropertyKind::lock_order) sel[ir::idx(p.id)] = 0;
    return sel;
}

/// Processes wait for each other in a cycle in s (ir::TransitionSystem::wait_cycle): each is at
/// a pure lock of a mutex the next one holds. Each process waits for at most one other, so a
/// cycle through p comes back to p within n steps of following the waits.
z3::expr wait_cycle(const Encoder& enc, const SymState& s) {
    const auto& ts = enc.ts();
    z3::context& c = enc.ctx();
    if (!ts.has_lock_waits()) return c.bool_val(false);
    const auto n = static_cast<std::uint32_t>(ts.processes().size());
    const z3::expr none = c.bv_val(static_cast<std::uint64_t>(std::int64_t{-1}), 64);
    const z3::expr zero = c.bv_val(0, 64);
    std::vector<z3::expr> waits;  // per process: the owner it waits for, or -1
    for (std::uint32_t p = 0; p < n; ++p) {
        const auto& proc = ts.processes()[p];
        const z3::expr pc = enc.value(s, proc.pc);
        z3::expr w = none;
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
            const auto m = ts.lock_wait(p, l);
            if (m == UINT32_MAX) continue;
            const z3::expr owner = enc.value(s, ir::SlotId{m});
            w = z3::ite(pc == c.bv_val(l, 64) && z3::sge(owner, zero) && owner != c.bv_val(p, 64), owner, w);
        }
        waits.push_back(w);
    }
    auto follow = [&](const z3::expr& x) {
        z3::expr out = none;
        for (std::uint32_t q = n; q-- > 0;) out = z3::ite(x == c.bv_val(q, 64), waits[q], out);
        return out;
    };
    z3::expr_vector any(c);
    for (std::uint32_t p = 0; p < n; ++p) {
        z3::expr x = c.bv_val(p, 64);
        for (std::uint32_t k = 0; k < n; ++k) {
            x = follow(x);
            any.push_back(x == c.bv_val(p, 64));
        }
    }
    return z3::mk_or(any);
}

/// A selected property breaks in state s: an invariant, or a deadlock.
z3::expr bad_state(const Encoder& enc, const std::vector<char>& sel, const SymState& s) {
    z3::expr_vector any(enc.ctx());
    for (const auto& p : enc.ts().properties()) {
        if (!sel[ir::idx(p.id)] || p.kind != ir::PropertyKind::invariant) continue;
        for (const auto& ck : p.checks) any.push_back(enc.check_fails(s, ck));
    }
    if (sel[ir::idx(ir::prop_deadlock)])
        any.push_back((!enc.enabled(s) && !enc.crashes(s) && !enc.all_at_valid_end(s)) || wait_cycle(enc, s));
    return z3::mk_or(any);
}

/// Some step from s reports a selected property.
z3::expr bad_step(const Encoder& enc, const std::vector<char>& sel, const SymState& s) {
    z3::expr_vector any(enc.ctx());
    for (const auto& p : enc.ts().properties()) {
        if (!sel[ir::idx(p.id)] || p.kind == ir::PropertyKind::invariant || p.kind == ir::PropertyKind::deadlock)
            continue;
        any.push_back(enc.reports(s, p.id));
    }
    return z3::mk_or(any);
}

/// The model's value of state s, packed.
std::vector<std::uint8_t> concrete(const ir::TransitionSystem& ts, const z3::model& m, const SymState& s) {
    std::vector<std::uint8_t> buf(ts.state_buffer_size(), 0);
    const auto slots = ts.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) continue;
        std::uint64_t raw = 0;
        if (!m.eval(s[i], true).is_numeral_u64(raw)) throw std::runtime_error("a state value is not a numeral");
        ir::store_bits(buf.data(), slots[i].bit_offset, slots[i].width, raw);
    }
    return buf;
}

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
        std::optional<ir::Step> found;
        in.successors(states[i].data(), [&](ir::GroupId g, const ir::Emission& e) {
            if (!found && e.next && std::memcmp(e.next, states[i + 1].data(), bytes) == 0) found = ir::Step{g, e.index};
        });
        if (!found) return fmt::format("no step leads from the solver's state {} to its state {}", i, i + 1);
        cx.trace.steps.push_back(*found);
    }
    const std::uint8_t* last = states.back().data();
    if (on_step) {
        std::optional<ir::Step> step;
        in.successors(last, [&](ir::GroupId g, const ir::Emission& e) {
            if (step || e.next || !sel[ir::idx(e.prop)]) return;
            step = ir::Step{g, e.index};
            cx.violation = traces::Violation{e.prop, traces::ViolationKind::on_step, e.message, e.value};
        });
        if (!step) return "the solver's last state reports no violation on any step";
        cx.trace.steps.push_back(*step);
        return {};
    }
    for (const auto& p : ts.properties()) {
        if (!sel[ir::idx(p.id)] || p.kind != ir::PropertyKind::invariant) continue;
        for (std::uint32_t c = 0; c < p.checks.size(); ++c) {
            const auto r = in.eval(p.checks[c].program, last);
            if (r.ok && r.value != 0) continue;
            cx.violation = traces::Violation{p.id, traces::ViolationKind::in_state};
            cx.violation.check = c;
            if (!r.ok) {
                cx.violation.eval_error = true;
                cx.violation.message = r.message;
                cx.violation.value = r.detail;
            }
            return {};
        }
    }
    if (sel[ir::idx(ir::prop_deadlock)]) {
        bool any = false;
        in.successors(last, [&](ir::GroupId, const ir::Emission& e) { any = any || e.next || e.stops; });
        if (!any && !ts.all_at_valid_end(last)) {
            cx.violation = traces::Violation{ir::prop_deadlock, traces::ViolationKind::deadlock};
            return {};
        }
        if (any && !ts.wait_cycle(last).empty()) {
            cx.violation = traces::Violation{ir::prop_deadlock, traces::ViolationKind::deadlock};
            cx.violation.wait_cycle = true;
            return {};
        }
    }
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
    BmcResult r;
    auto finish = [&]() -> BmcResult {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return r;
    };
    const auto sel = selection(ts, o.properties);
    z3::context c;
    try {
        const Encoder enc(c, ts);
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
    } catch (const Unsupported& e) {
        r.verdict = BmcVerdict::unsupported;
        r.reason = e.what();
    } catch (const z3::exception& e) {
        r.verdict = BmcVerdict::unknown;
        r.reason = fmt::format("Z3 failed at depth {} ({})", r.depth, e.msg());
    }
    return finish();
}

}  // namespace iomc::symbolic
