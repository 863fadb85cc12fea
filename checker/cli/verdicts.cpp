// SPDX-License-Identifier: MIT
#include "checker/cli/verdicts.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checker/graph/lock_order.hpp"
#include "checker/graph/lock_subclasses.hpp"
#include "checker/graph/state_graph.hpp"
#include "checker/liveness/liveness.hpp"

namespace iomc::cli {

std::string GraphFindings::text() const {
    if (nested_only && nested_unchecked)
        return fmt::format("lock_nested: the annotations are not checked ({}); the whole state graph has {} states, "
                           "{} transitions\n",
                           incomplete_reason, states, transitions);
    if (nested_only && incomplete_reason.empty())
        return fmt::format("lock_nested: the annotations order the subclasses consistently on the whole state graph, "
                           "{} states, {} transitions (no reductions; every check of a model with lock_nested builds "
                           "it)\n",
                           states, transitions);
    if (nested_only)
        return fmt::format("lock_nested: the annotations order the subclasses consistently in the {} states of the "
                           "whole state graph explored before it stopped ({}; no reductions); the rest is not "
                           "checked\n",
                           states, incomplete_reason);
    if (!ran) return {};
    std::string out = fmt::format(
        "liveness ({} fairness) and lock order: the whole state graph, {} states, {} transitions{}; reductions: "
        "none (partial-order reduction and symmetry are off for them: every interleaving is an edge)\n",
        strong ? "strong" : "weak", states, transitions,
        graph_stopped ? fmt::format(" when it stopped: {}", incomplete_reason) : "");
    for (const auto& n : notes) out += "note: " + n + "\n";
    return out;
}

explore::Result check_all(const ir::TransitionSystem& ts, const explore::Options& o, GraphFindings* findings,
                          bool strong_fairness) {
    GraphFindings local;
    GraphFindings& f = findings ? *findings : local;
    auto r = explore::check(ts, o);
    std::vector<const ir::Property*> mine;
    for (const auto& p : ts.properties()) {
        if (p.kind != ir::PropertyKind::liveness && p.kind != ir::PropertyKind::lock_order) continue;
        const bool named = std::find(o.properties.begin(), o.properties.end(), p.id) != o.properties.end();
        if (named || (o.properties.empty() && p.kind == ir::PropertyKind::liveness)) mine.push_back(&p);
    }
    // A lock_nested annotation that contradicts itself is a model error, whatever is selected.
    // Deciding it needs every path (which subclass a held mutex was taken at is not in the state,
    // and the reduced search may skip the interleaving that takes the other order): the whole
    // state graph, built only for models that use lock_nested, and shared with the analyses
    // below. It changes no verdict and no count of the search above.
    const bool lock_order = std::any_of(mine.begin(), mine.end(),
                                        [](const auto* p) { return p->kind == ir::PropertyKind::lock_order; });
    const bool nested = graph::uses_lock_nested(ts);
    if (mine.empty() && !nested) return r;
    const graph::StateGraph g(ts, o.limits, o.cancel, o.progress);
    f.states = g.size();
    f.transitions = g.transitions();
    f.seconds = g.seconds();
    f.incomplete_reason = g.incomplete_reason();
    f.graph_stopped = !g.complete();
    // The lock analyses' working memory, reserved in the graph's budget before they allocate.
    const auto lock_room = [&](const char* what) {
        auto room = std::make_unique<explore::Reservation>(g.budget(), graph::lock_order_working_bytes(g));
        if (!room->ok() && f.incomplete_reason.empty())
            f.incomplete_reason = explore::memory_limit_reason(o.limits, what);
        return room;
    };
    // lock_order on a complete graph finds it itself (LockOrder::error). On an incomplete graph an
    // error found is still real: every state of it is reachable.
    if (nested && !(lock_order && g.complete())) {
        if (lock_room("lock_nested check")->ok()) {
            f.error = graph::lock_nested_error(g);
            if (!f.error.empty()) return r;
        } else {
            f.nested_unchecked = true;
            f.notes.push_back(fmt::format("lock_nested: the annotations are not checked ({})", f.incomplete_reason));
            // The annotations were not checked: no verdict of this run stands as a proof.
            if (r.verdict == explore::Verdict::holds) {
                r.verdict = explore::Verdict::incomplete;
                r.incomplete_reason = f.incomplete_reason;
            }
        }
    }
    if (mine.empty()) {
        f.nested_only = true;
        return r;
    }
    f.ran = true;
    f.strong = strong_fairness;
    bool violated = false, incomplete = false;
    for (const auto* p : mine) {
        explore::PropertyResult pr;
        pr.property = p->id;
        if (p->kind == ir::PropertyKind::lock_order) {
            if (g.complete() && lock_room("lock-order analysis")->ok()) {
                const auto lo = graph::analyze_lock_order(g);
                if (!lo.error.empty()) {
                    f.error = lo.error;
                    return r;
                }
                pr.verdict = lo.violated() ? explore::Verdict::violated : explore::Verdict::holds;
                f.lock_report = render_lock_order(g, lo);
                if (lo.violated())
                    f.lock_summary = lo.cycles.empty() ? "possible recursive locking" : "possible circular locking dependency";
            }
        } else {
            auto out = liveness::check(g, *p, strong_fairness);
            if (!out.error.empty()) {
                f.error = out.error;
                return r;
            }
            pr.verdict = out.verdict;
            // The graph is complete but the analysis had no room: its reason is the run's.
            if (out.verdict == explore::Verdict::incomplete && f.incomplete_reason.empty()) f.incomplete_reason = out.note;
            pr.counterexample = std::move(out.counterexample);
            if (out.vacuous) f.notes.push_back(fmt::format("liveness {} holds vacuously: {}", p->name, out.note));
            if (!out.vacuous_for.empty())
                f.notes.push_back(fmt::format("liveness {} holds, for {} only vacuously: {}", p->name,
                                              fmt::join(out.vacuous_for, ", "), out.note));
        }
        violated = violated || pr.verdict == explore::Verdict::violated;
        incomplete = incomplete || pr.verdict == explore::Verdict::incomplete;
        if (!r.counterexample && pr.counterexample) r.counterexample = pr.counterexample;
        r.properties.push_back(std::move(pr));
    }
    std::sort(r.properties.begin(), r.properties.end(),
              [](const auto& a, const auto& b) { return ir::idx(a.property) < ir::idx(b.property); });
    if (violated) {
        r.verdict = explore::Verdict::violated;
    } else if (incomplete && r.verdict == explore::Verdict::holds) {
        r.verdict = explore::Verdict::incomplete;
        r.incomplete_reason = f.incomplete_reason;
    }
    return r;
}

std::vector<ResultWarning> unused_size_warnings(const lang::Model& model, const explore::Result& r) {
    std::vector<ResultWarning> out;
    if (!r.complete) return out;
    const auto constants = model.constants();
    for (const auto& u : r.scalarset_use) {
        if (u.most >= u.size) continue;
        const std::string size = u.size_name.empty() ? fmt::format("the size of {}", u.name) : u.size_name;
        const auto colons = u.name.rfind("::");
        const std::string shortname = colons == std::string::npos ? u.name : u.name.substr(colons + 2);
        ResultWarning w;
        if (u.most == 0)
            w.message = fmt::format("{} = {}, but no explored state uses any value of {}", size, u.size, u.name);
        // Under symmetry the search keeps one state per orbit: the value it saw stands for any.
        else if (u.most == 1 && (u.only < 0 || std::any_of(r.reductions.symmetric.begin(), r.reductions.symmetric.end(),
                                                            [&](const std::string& s) { return s.rfind(u.name + " (", 0) == 0; })))
            w.message = fmt::format("{} = {}, but no explored state uses two values of {} at once", size, u.size,
                                    u.name);
        else if (u.most == 1)
            w.message = fmt::format("{} = {}, but only {}({}) is ever used: no explored state uses two values of {}",
                                    size, u.size, shortname, u.only, u.name);
        else
            w.message = fmt::format("{} = {}, but no explored state uses more than {} values of {} at once", size,
                                    u.size, u.most, u.name);
        for (const auto& c : constants)
            if (!u.size_name.empty() && c.name == u.size_name) w.location = model.sources().location(c.where);
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace iomc::cli
