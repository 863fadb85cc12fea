// SPDX-License-Identifier: MIT
#include "checker/symbolic/kind.hpp"

#include <chrono>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/safety.hpp"
#include "traces/replay.hpp"

namespace iomc::symbolic {

namespace {

using Clock = std::chrono::steady_clock;

/// The two states differ in some slot.
z3::expr differ(const ir::TransitionSystem& ts, z3::context& c, const SymState& a, const SymState& b) {
    z3::expr_vector any(c);
    const auto slots = ts.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i].width > 0) any.push_back(a[i] != b[i]);
    return z3::mk_or(any);
}

/// Recovers the hint's steps and violation through the interpreter; an error text if the
/// solver's states do not replay (a bug in the encoding).
std::string explain(const ir::TransitionSystem& ts, const std::vector<char>& sel, bool on_step, InductionHint& h) {
    ir::Interpreter in(ts);
    for (std::size_t i = 0; i + 1 < h.states.size(); ++i) {
        const auto s = step_between(ts, in, h.states[i].data(), h.states[i + 1].data());
        if (!s) return fmt::format("no step leads from the solver's state {} to its state {}", i, i + 1);
        h.steps.push_back(*s);
    }
    const std::uint8_t* last = h.states.back().data();
    if (on_step) {
        h.reporting = reporting_step(in, sel, last, h.violation);
        if (!h.reporting) return "the solver's last state reports no violation on any step";
        return {};
    }
    if (!state_violation(ts, in, sel, last, h.violation)) return "the solver's last state breaks no selected property";
    return {};
}

}  // namespace

std::vector<ir::PropertyId> with_lemmas(const ir::TransitionSystem& ts, const std::vector<ir::PropertyId>& props) {
    if (props.empty()) return props;
    std::vector<char> in(ts.properties().size(), 0);
    for (const auto p : props) in[ir::idx(p)] = 1;
    std::vector<ir::PropertyId> out;
    for (const auto& p : ts.properties())
        if (in[ir::idx(p.id)] != 0 || p.lemma) out.push_back(p.id);
    return out;
}

KindResult kind(const ir::TransitionSystem& ts, const KindOptions& o) {
    const auto start = Clock::now();
    EngineContext owner;
    z3::context& c = owner.get();
    const Deadline deadline(start, o.time_limit);
    bool encoded = false;
    KindResult r;
    auto finish = [&]() -> KindResult {
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        owner.release_if(r.verdict == KindVerdict::unknown && encoded && deadline.expired());
        return r;
    };
    const auto props = with_lemmas(ts, o.properties);
    const auto sel = selection(ts, props);
    const Watchdog dog(c, deadline);
    try {
        const Encoder enc(c, ts, deadline);
        encoded = true;
        auto good = [&](const SymState& s) { return !bad_state(enc, sel, s) && !bad_step(enc, sel, s); };
        z3::solver sol = make_solver(c);
        std::vector<SymState> t;
        t.push_back(enc.fresh_state("t0_"));
        sol.add(enc.in_range(t[0]));
        bool proved = false;
        std::optional<z3::model> last_cti;
        bool last_on_step = false;
        // Query k: t0..tk as the file's header says. Every constraint but "P fails in tk" stays
        // for query k + 1, where P(tk) joins them.
        for (std::uint32_t k = 1; k <= o.depth && !proved; ++k) {
            r.k = k;
            sol.add(good(t[k - 1]));
            t.push_back(enc.fresh_state(fmt::format("t{}_", k)));
            sol.add(enc.in_range(t[k]));
            sol.add(enc.transition(t[k - 1], t[k]));
            if (o.simple_path)
                for (std::uint32_t j = 0; j < k; ++j) sol.add(differ(ts, c, t[j], t[k]));
            if (o.time_limit > 0) {
                const double left = o.time_limit - std::chrono::duration<double>(Clock::now() - start).count();
                if (left <= 0) {
                    r.verdict = KindVerdict::unknown;
                    r.reason = fmt::format("time limit {}s reached in the induction step at k = {}", o.time_limit, k);
                    return finish();
                }
                z3::params p(c);
                p.set("timeout", static_cast<unsigned>(left * 1000) + 1);
                sol.set(p);
            }
            sol.push();
            sol.add(!good(t[k]));
            const auto res = sol.check();
            if (res == z3::unknown) {
                const std::string why = sol.reason_unknown();
                r.verdict = KindVerdict::unknown;
                r.reason = stopped_by_limit(why)
                               ? fmt::format("time limit {}s reached in the induction step at k = {}", o.time_limit, k)
                               : fmt::format("Z3 gave up in the induction step at k = {} ({})", k, why);
                return finish();
            }
            if (res == z3::unsat) {
                proved = true;
            } else {
                last_cti = sol.get_model();
                last_on_step = last_cti->eval(bad_step(enc, sel, t[k]), true).is_true() &&
                               !last_cti->eval(bad_state(enc, sel, t[k]), true).is_true();
            }
            sol.pop();
        }
        // Base case, to the depth the proof needs (or the bound).
        BmcOptions bo;
        bo.depth = r.k;
        bo.properties = props;
        bo.time_limit = o.time_limit;
        const BmcResult b = bmc_run(enc, sel, bo, start);
        r.base_depth = b.depth;
        switch (b.verdict) {
            case BmcVerdict::violated:
                r.verdict = KindVerdict::violated;
                r.counterexample = b.counterexample;
                return finish();
            case BmcVerdict::no_violation: break;
            case BmcVerdict::unknown:
                r.verdict = KindVerdict::unknown;
                r.reason = fmt::format("{} in the base case", b.reason);
                return finish();
            case BmcVerdict::unsupported:
                r.verdict = KindVerdict::unsupported;
                r.reason = b.reason;
                return finish();
            case BmcVerdict::internal_error:
                r.verdict = KindVerdict::internal_error;
                r.reason = b.reason;
                return finish();
        }
        if (proved) {
            r.verdict = KindVerdict::holds;
            return finish();
        }
        if (!last_cti) {  // depth 0: no step query ran
            r.verdict = KindVerdict::not_inductive;
            return finish();
        }
        InductionHint h;
        for (const auto& s : t) h.states.push_back(concrete(ts, *last_cti, s));
        if (auto err = explain(ts, sel, last_on_step, h); !err.empty()) {
            r.verdict = KindVerdict::internal_error;
            r.reason = fmt::format("the counterexample to induction at k = {} does not replay: {}", r.k, err);
            return finish();
        }
        r.verdict = KindVerdict::not_inductive;
        r.hint = std::move(h);
    } catch (const TimeUp& e) {
        r.verdict = KindVerdict::unknown;
        r.reason = encoded ? fmt::format("{} in the induction step at k = {}", e.what(), r.k) : e.what();
    } catch (const Unsupported& e) {
        r.verdict = KindVerdict::unsupported;
        r.reason = e.what();
    } catch (const z3::exception& e) {
        r.verdict = KindVerdict::unknown;
        r.reason = deadline.expired()
                       ? fmt::format("time limit {}s reached {}", o.time_limit,
                                     encoded ? fmt::format("in the induction step at k = {}", r.k)
                                             : std::string("while encoding the model"))
                       : fmt::format("Z3 failed in the induction step at k = {} ({})", r.k, e.msg());
    }
    return finish();
}

std::string render_hint(const ir::TransitionSystem& ts, const InductionHint& h) {
    std::string out;
    const auto slots = ts.layout().slots();
    auto line = [&](std::uint32_t i, const std::uint8_t* st) {
        out += fmt::format("    {} = {}\n", slots[i].name, traces::slot_value(ts, ir::SlotId{i}, st));
    };
    out += "  state 0 (assumed: it satisfies every checked property, and need not be reachable):\n";
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (!slots[i].hidden) line(i, h.states[0].data());
    for (std::size_t n = 0; n < h.steps.size(); ++n) {
        const auto& g = ts.group(h.steps[n].group);
        out += fmt::format("  step {}: {}: {} -> state {}{}\n", n + 1, ts.process(g.process).name, g.text, n + 1,
                           n + 1 < h.steps.size() ? "" : " (breaks a property)");
        const std::uint8_t* before = h.states[n].data();
        const std::uint8_t* after = h.states[n + 1].data();
        for (std::uint32_t i = 0; i < slots.size(); ++i) {
            if (slots[i].hidden || slots[i].width == 0) continue;
            if (ir::load_bits(before, slots[i].bit_offset, slots[i].width) !=
                ir::load_bits(after, slots[i].bit_offset, slots[i].width))
                line(i, after);
        }
    }
    if (h.reporting) {
        const auto& g = ts.group(h.reporting->group);
        out += fmt::format("  from state {}, {}: {} reports: {}\n", h.steps.size(), ts.process(g.process).name, g.text,
                           traces::describe(ts, h.violation));
    } else {
        out += fmt::format("  state {} breaks: {}\n", h.steps.size(), traces::describe(ts, h.violation));
    }
    return out;
}

}  // namespace iomc::symbolic
