// SPDX-License-Identifier: MIT
#include "checker/liveness/liveness.hpp"

#include <algorithm>
#include <deque>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "checker/graph/scc.hpp"
#include "checker/ir/interp.hpp"

namespace iomc::liveness {

namespace {

constexpr std::uint32_t none = UINT32_MAX;

/// One goal instance on one graph.
class Search {
public:
    Search(const graph::StateGraph& g, const ir::Property& p, std::uint32_t check, bool strong)
        : g_(g), p_(p), check_(check), strong_(strong) {
        const auto n = g.size();
        ir::Interpreter in(g.system());
        goal_.resize(n);
        trig_.resize(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            const auto r = in.eval(p.goals[check].program, g.state(i));
            goal_[i] = r.ok && r.value != 0;  // a goal that cannot be evaluated is not reached
            switch (p.form) {
                case ir::LivenessForm::eventually: trig_[i] = i == 0; break;
                case ir::LivenessForm::always_eventually: trig_[i] = true; break;
                case ir::LivenessForm::leads_to: {
                    const auto t = in.eval(p.triggers[check].program, g.state(i));
                    trig_[i] = t.ok && t.value != 0;
                    break;
                }
            }
            any_trigger_ = any_trigger_ || trig_[i];
        }
    }

    [[nodiscard]] bool any_trigger() const { return any_trigger_; }

    /// A lasso, or nothing when the goal instance holds.
    std::optional<traces::Counterexample> run() {
        const auto n = g_.size();
        // The not-goal subgraph, its SCCs.
        std::vector<std::uint32_t> local(n, none), global;
        for (std::uint32_t i = 0; i < n; ++i)
            if (!goal_[i]) {
                local[i] = static_cast<std::uint32_t>(global.size());
                global.push_back(i);
            }
        fairc_.assign(n, none);
        fsteps_.clear();
        find_fair(global);
        // Bad states: in a fair component, or where the run ends (no step at all).
        std::vector<char> bad(n, 0);
        for (const auto i : global) bad[i] = fairc_[i] != none || g_.out(i).empty();
        // Backwards inside the not-goal subgraph: the states from which a bad one is reachable.
        // The reversed subgraph in compressed rows, over local ids.
        graph::CompressedGraph rev;
        graph::group_by_key(global.size(), rev.offsets, rev.targets, [&](auto emit) {
            for (std::uint32_t k = 0; k < global.size(); ++k)
                for (const auto& e : g_.out(global[k]))
                    if (local[e.to] != none) emit(local[e.to], k);
        });
        std::vector<char> reach(n, 0);
        std::vector<std::uint32_t> q;  // local ids, visited in order
        for (std::uint32_t k = 0; k < global.size(); ++k)
            if (bad[global[k]]) {
                reach[global[k]] = 1;
                q.push_back(k);
            }
        for (std::size_t head = 0; head < q.size(); ++head) {
            const auto v = q[head];
            for (auto at = rev.offsets[v]; at < rev.offsets[v + 1]; ++at) {
                const auto u = rev.targets[at];
                if (!reach[global[u]]) {
                    reach[global[u]] = 1;
                    q.push_back(u);
                }
            }
        }
        rev = {};
        q = {};
        // The start: a trigger state that can stay out of the goal, with the shortest prefix.
        std::uint32_t start = none;
        std::size_t best = SIZE_MAX;
        for (const auto i : global) {
            if (!trig_[i] || !reach[i]) continue;
            const auto len = g_.path_to(i).size();
            if (len < best) {
                best = len;
                start = i;
            }
        }
        if (start == none) return std::nullopt;
        traces::Counterexample cx;
        cx.trace.model_id = g_.system().model_id();
        cx.trace.steps = g_.path_to(start);
        cx.violation.property = p_.id;
        cx.violation.kind = traces::ViolationKind::lasso;
        cx.violation.check = check_;
        cx.violation.strong_fairness = strong_;
        cx.violation.trigger_at = static_cast<std::uint32_t>(cx.trace.steps.size());
        // To the nearest bad state inside not-goal.
        std::uint32_t b = none;
        auto to_bad = bfs(start, [&](std::uint32_t v) { return bad[v] != 0; },
                          [&](std::uint32_t v) { return local[v] != none; }, b);
        cx.trace.steps.insert(cx.trace.steps.end(), to_bad.begin(), to_bad.end());
        cx.violation.cycle_start = static_cast<std::uint32_t>(cx.trace.steps.size());
        if (b == none || fairc_[b] == none) return cx;  // the run ends at b
        // A fair cycle through b: one internal step of every process that steps in the
        // component, a visit to a state where each other process is disabled, back to b.
        const auto c = fairc_[b];
        const auto np = g_.system().processes().size();
        auto inside = [&](std::uint32_t v) { return fairc_[v] == c; };
        std::uint32_t at = b;
        std::vector<ir::Step> cycle;
        for (std::size_t pq = 0; pq < np; ++pq) {
            if (fsteps_[c][pq]) {
                std::uint32_t u = none;
                auto path = bfs(at, [&](std::uint32_t v) {
                    for (const auto& e : g_.out(v))
                        if (ir::idx(g_.process_of(e)) == pq && inside(e.to)) return true;
                    return false;
                }, inside, u);
                cycle.insert(cycle.end(), path.begin(), path.end());
                for (const auto& e : g_.out(u))
                    if (ir::idx(g_.process_of(e)) == pq && inside(e.to)) {
                        cycle.push_back(e.step);
                        at = e.to;
                        break;
                    }
            } else {
                std::uint32_t u = none;
                auto path = bfs(at, [&](std::uint32_t v) {
                    for (const auto& e : g_.out(v))
                        if (ir::idx(g_.process_of(e)) == pq) return false;
                    return true;
                }, inside, u);
                cycle.insert(cycle.end(), path.begin(), path.end());
                at = u;
            }
        }
        if (at != b || cycle.empty()) {
            // Back to b (at least one step: a cycle is never empty here).
            auto path = bfs_nonempty(at, b, inside);
            cycle.insert(cycle.end(), path.begin(), path.end());
        }
        cx.trace.steps.insert(cx.trace.steps.end(), cycle.begin(), cycle.end());
        return cx;
    }

private:
    /// Marks in fairc_ the fair components inside `states` (global ids): strongly connected
    /// sets with an internal edge on which a fair run can stay forever. Weak fairness: every
    /// process enabled in all of its states steps inside it (a component that fails has no fair
    /// run in any part of it). Strong fairness (Emerson-Lei): a process enabled somewhere in it
    /// but never stepping inside it must be disabled forever, so drop the states where it is
    /// enabled and look again at what remains.
    void find_fair(const std::vector<std::uint32_t>& states) {
        const auto n = g_.size();
        std::vector<std::uint32_t> local(n, none);
        for (std::uint32_t k = 0; k < states.size(); ++k) local[states[k]] = k;
        graph::CompressedGraph sub;
        sub.offsets.reserve(states.size() + 1);
        for (std::uint32_t k = 0; k < states.size(); ++k) {
            for (const auto& e : g_.out(states[k]))
                if (local[e.to] != none) sub.targets.push_back(local[e.to]);
            sub.offsets.push_back(sub.targets.size());
        }
        std::vector<std::uint32_t> comp;
        const auto ncomp = graph::strong_components(sub, comp);
        sub = {};
        // The members of each component, in state order: order[first[c] .. first[c + 1]).
        std::vector<std::uint32_t> first, order;
        graph::group_by_key(ncomp, first, order, [&](auto emit) {
            for (std::uint32_t k = 0; k < states.size(); ++k) emit(comp[k], states[k]);
        });
        const auto np = g_.system().processes().size();
        std::vector<char> steps(np), always(np), some(np), enabled(np), unfair(np);
        for (std::uint32_t c = 0; c < ncomp; ++c) {
            const std::span<const std::uint32_t> members(order.data() + first[c], first[c + 1] - first[c]);
            bool internal = false;
            std::fill(steps.begin(), steps.end(), 0);
            std::fill(always.begin(), always.end(), 1);
            std::fill(some.begin(), some.end(), 0);
            for (const auto i : members) {
                std::fill(enabled.begin(), enabled.end(), 0);
                for (const auto& e : g_.out(i)) {
                    enabled[ir::idx(g_.process_of(e))] = 1;
                    if (local[e.to] != none && comp[local[e.to]] == c) {
                        internal = true;
                        steps[ir::idx(g_.process_of(e))] = 1;
                    }
                }
                for (std::size_t q = 0; q < np; ++q) {
                    if (!enabled[q]) always[q] = 0;
                    if (enabled[q]) some[q] = 1;
                }
            }
            if (!internal) continue;
            bool any = false;
            for (std::size_t q = 0; q < np; ++q) {
                unfair[q] = !steps[q] && (strong_ ? some[q] : always[q]);
                any = any || unfair[q];
            }
            if (!any) {
                const auto id = static_cast<std::uint32_t>(fsteps_.size());
                fsteps_.push_back(steps);
                for (const auto i : members) fairc_[i] = id;
                continue;
            }
            if (!strong_) continue;
            std::vector<std::uint32_t> rest;
            for (const auto i : members) {
                bool keep = true;
                for (const auto& e : g_.out(i)) keep = keep && !unfair[ir::idx(g_.process_of(e))];
                if (keep) rest.push_back(i);
            }
            if (rest.size() < members.size()) find_fair(rest);
        }
    }

    /// Shortest path (as steps) from `from` to the first state satisfying `target` (from itself
    /// included), moving only through states satisfying `allowed`; sets `found`.
    template <class Target, class Allowed>
    std::vector<ir::Step> bfs(std::uint32_t from, Target target, Allowed allowed, std::uint32_t& found) {
        std::unordered_map<std::uint32_t, std::pair<std::uint32_t, ir::Step>> prev;
        std::deque<std::uint32_t> q{from};
        prev[from] = {none, ir::Step{}};
        while (!q.empty()) {
            const auto v = q.front();
            q.pop_front();
            if (target(v)) {
                found = v;
                std::vector<ir::Step> path;
                for (auto w = v; prev[w].first != none; w = prev[w].first) path.push_back(prev[w].second);
                std::reverse(path.begin(), path.end());
                return path;
            }
            for (const auto& e : g_.out(v))
                if (allowed(e.to) && !prev.count(e.to)) {
                    prev[e.to] = {v, e.step};
                    q.push_back(e.to);
                }
        }
        found = from;  // cannot happen: callers search inside a component or towards reach
        return {};
    }

    /// A path of at least one step from `from` to `to` inside `allowed`.
    template <class Allowed>
    std::vector<ir::Step> bfs_nonempty(std::uint32_t from, std::uint32_t to, Allowed allowed) {
        for (const auto& e : g_.out(from)) {
            if (!allowed(e.to)) continue;
            std::uint32_t f = none;
            auto rest = bfs(e.to, [&](std::uint32_t v) { return v == to; }, allowed, f);
            if (f != to) continue;
            rest.insert(rest.begin(), e.step);
            return rest;
        }
        return {};
    }

    const graph::StateGraph& g_;
    const ir::Property& p_;
    std::uint32_t check_;
    std::vector<char> goal_, trig_;
    std::vector<std::uint32_t> fairc_;             ///< per state: its fair component, or none
    std::vector<std::vector<char>> fsteps_;       ///< per fair component: which processes step inside
    bool strong_ = false;
    bool any_trigger_ = false;
};

}  // namespace

Outcome check(const graph::StateGraph& g, const ir::Property& p, bool strong) {
    Outcome out;
    const auto& ts = g.system();
    // Fairness is per process: with no process that has a step, every run is the initial state
    // alone and the verdict would say only whether the goal holds there.
    bool any_step = false;
    for (const auto& proc : ts.processes())
        for (const auto grp : proc.group_at) any_step = any_step || grp != ir::no_group;
    if (!any_step && p.where) {
        out.error = fmt::format("{}: error: liveness property '{}' has no process to be fair to: no process of this "
                                "model takes a step, so its only run is the initial state",
                                ts.sources().location(*p.where), p.name);
        return out;
    }
    for (std::uint32_t c = 0; c < p.goals.size(); ++c) {
        if (p.goals[c].reads.empty() && p.goal_where) {
            out.error = fmt::format("{}: error: the goal of liveness property '{}' reads no variable and no process "
                                    "location: it is a constant",
                                    ts.sources().location(*p.goal_where), p.name);
            return out;
        }
        if (c < p.triggers.size() && p.triggers[c].reads.empty() && p.trigger_where) {
            out.error = fmt::format("{}: error: the left side of 'leads_to' in '{}' reads no variable and no process "
                                    "location: it is a constant",
                                    ts.sources().location(*p.trigger_where), p.name);
            return out;
        }
    }
    if (!g.complete()) {
        out.note = g.incomplete_reason();
        return out;
    }
    bool any_trigger = false;
    std::vector<std::string> without_trigger;
    for (std::uint32_t c = 0; c < p.goals.size(); ++c) {
        const explore::Reservation room(g.budget(), working_bytes(g.size(), g.transitions()));
        if (!room.ok()) {
            out.note = explore::memory_limit_reason(g.limits(), "liveness analysis");
            return out;
        }
        Search s(g, p, c, strong);
        any_trigger = any_trigger || s.any_trigger();
        if (!s.any_trigger()) without_trigger.push_back(p.goals[c].binding);
        if (auto cx = s.run()) {
            out.verdict = explore::Verdict::violated;
            out.counterexample = std::move(cx);
            return out;
        }
    }
    out.verdict = explore::Verdict::holds;
    if (p.form == ir::LivenessForm::leads_to && !without_trigger.empty()) {
        // Never a silently vacuous "holds": the whole property, or the instances, that did.
        out.vacuous = !any_trigger;
        if (any_trigger) out.vacuous_for = std::move(without_trigger);
        out.note = fmt::format("no reachable state satisfies the left side of 'leads_to' ({})",
                               p.trigger_where ? ts.sources().location(*p.trigger_where) : std::string("?"));
    }
    return out;
}

std::uint64_t working_bytes(std::uint64_t states, std::uint64_t transitions) {
    // Per state: goal, trigger, bad, reach (1 B each); local ids twice, global id, fair
    // component (4 B each); the subgraph's offsets and its reverse's (8 B each); Tarjan's
    // index, low, component, stack (4 B each) and depth-first path (16 B); component order
    // and offsets (8 B); the search queue (4 B). Per transition: a target in the subgraph and
    // one in its reverse.
    return states * (4 + 16 + 16 + 32 + 8 + 4) + transitions * 8;
}

}  // namespace iomc::liveness
