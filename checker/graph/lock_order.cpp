// SPDX-License-Identifier: MIT
#include "checker/graph/lock_order.hpp"

#include "checker/graph/lock_subclasses.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>

#include "traces/replay.hpp"

namespace iomc::graph {

namespace {

/// "core::group_mutex[0]" -> "core::group_mutex[]": one class per array.
std::string class_name(const std::string& slot) {
    std::string out;
    int depth = 0;
    for (const char c : slot) {
        if (c == '[') {
            if (depth++ == 0) out += '[';
            continue;
        }
        if (c == ']') {
            if (--depth == 0) out += ']';
            continue;
        }
        if (depth == 0) out += c;
    }
    return out;
}

/// A shortest cycle through class `start` inside the component `comp`, as dependency indices.
std::vector<std::size_t> shortest_cycle(const LockOrder& lo, std::uint32_t start, const std::vector<std::uint32_t>& comp) {
    std::map<std::uint32_t, std::size_t> via;  // class -> dependency that reached it
    std::deque<std::uint32_t> q{start};
    while (!q.empty()) {
        const auto v = q.front();
        q.pop_front();
        for (std::size_t k = 0; k < lo.deps.size(); ++k) {
            const auto& d = lo.deps[k];
            if (d.from != v || d.to == d.from || comp[d.to] != comp[start]) continue;
            if (d.to == start) {
                std::vector<std::size_t> chain{k};
                for (auto w = v; w != start; w = lo.deps[via[w]].from) chain.push_back(via[w]);
                std::reverse(chain.begin(), chain.end());
                return chain;
            }
            if (!via.count(d.to)) {
                via[d.to] = k;
                q.push_back(d.to);
            }
        }
    }
    return {};
}

/// Where the first occurrence of `d` took its second mutex: the lock statement (inside an atomic
/// block, the lock, not the block), or the step's statement when the path named none.
std::pair<support::SourceRange, std::string> lock_site(const ir::TransitionSystem& ts, const LockDep& d) {
    if (d.stmt != UINT32_MAX) return {ts.statement(d.stmt).where, ts.statement(d.stmt).text};
    const auto& grp = ts.group(d.edge.step.group);
    return {grp.where, grp.text};
}

/// The error for subclasses of one class that form a cycle among themselves, or empty.
std::string contradiction(const StateGraph& g, const LockOrder& lo, const std::vector<std::uint32_t>& base,
                          const std::vector<std::uint8_t>& subclass) {
    const auto& ts = g.system();
    for (std::uint32_t b = 0; b < lo.classes.size(); ++b) {
        // The dependencies between distinct subclasses of class b, as a graph over classes.
        std::vector<std::uint32_t> comp_of(lo.classes.size(), 0);
        LockOrder only;
        only.classes = lo.classes;
        for (const auto& d : lo.deps)
            if (base[d.from] == b && base[d.to] == b && d.from != d.to) only.deps.push_back(d);
        if (only.deps.empty()) continue;
        for (std::uint32_t c = 0; c < lo.classes.size(); ++c) {
            if (base[c] != b) continue;
            const auto cycle = shortest_cycle(only, c, comp_of);
            if (cycle.empty()) continue;
            // Point at a lock_nested: the dependency whose acquired class has a subclass.
            std::size_t at = 0;
            for (std::size_t k = 0; k < cycle.size(); ++k)
                if (subclass[only.deps[cycle[k]].to] != 0) at = k;
            const auto& d = only.deps[cycle[at]];
            std::string chain = lo.classes[only.deps[cycle[0]].from];
            for (const auto k : cycle) chain += " --> " + lo.classes[only.deps[k].to];
            std::string out = fmt::format(
                "{}: error: the lock_nested subclasses of '{}' contradict themselves: {} (a subclass gives one nesting "
                "order of the instances of a class; these are taken in both orders)",
                ts.sources().location(lock_site(ts, d).first), lo.classes[b], chain);
            for (const auto k : cycle) {
                const auto& x = only.deps[k];
                const auto [where, text] = lock_site(ts, x);
                out += fmt::format("\n{}: note: {} --> {}: {} takes {} holding {}: {}", ts.sources().location(where),
                                   lo.classes[x.from], lo.classes[x.to], ts.process(g.process_of(x.edge)).name,
                                   ts.layout().slot(x.taken).name, ts.layout().slot(x.held).name, text);
            }
            return out;
        }
    }
    return {};
}

/// The classes and the subclass tracking one analysis works with.
struct Classes {
    std::vector<ir::SlotId> mutexes;
    std::vector<std::uint32_t> class_of;   // per slot: its class at subclass 0
    std::vector<std::uint32_t> base;       // per class: its class at subclass 0
    std::vector<std::uint8_t> subclass;    // per class
};

/// Every dependency of the graph, with the classes it names (LockOrder::classes, deps).
LockOrder dependencies(const StateGraph& g, Classes& cl, const LockSubclasses& subs) {
    const auto& ts = g.system();
    const auto& layout = ts.layout();
    LockOrder lo;
    const auto& mutexes = cl.mutexes;
    auto& class_of = cl.class_of;
    auto& base = cl.base;
    auto& subclass = cl.subclass;
    for (const auto mx : mutexes) {
        const auto i = ir::idx(mx);
        const auto name = class_name(layout.slot(mx).name);
        auto it = std::find(lo.classes.begin(), lo.classes.end(), name);
        class_of[i] = static_cast<std::uint32_t>(it - lo.classes.begin());
        if (it == lo.classes.end()) {
            lo.classes.push_back(name);
            base.push_back(class_of[i]);
            subclass.push_back(0);
        }
    }
    // The class of mutex m at subclass `sub`: "m[]/1" in lockdep's notation.
    std::map<std::pair<std::uint32_t, std::uint8_t>, std::uint32_t> nested_class;
    auto class_at = [&](ir::SlotId m, std::uint8_t sub) {
        const auto b = class_of[ir::idx(m)];
        if (sub == 0) return b;
        auto [it, fresh] = nested_class.try_emplace({b, sub}, static_cast<std::uint32_t>(lo.classes.size()));
        if (fresh) {
            lo.classes.push_back(fmt::format("{}/{}", lo.classes[b], sub));
            base.push_back(b);
            subclass.push_back(sub);
        }
        return it->second;
    };
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index;
    std::vector<std::uint64_t> last_edge;  // per dependency: the edge that last counted it, + 1
    // What the acting process holds at a point of its step's path: the mutex, the subclasses it
    // may have been taken at, and whether the step itself took it.
    struct Held {
        ir::SlotId m;
        std::uint8_t mask;
        bool in_step;
    };
    std::vector<Held> held;
    // BFS order: the first occurrence of a dependency has a shortest run to it.
    for (std::uint32_t s = 0; s < g.size(); ++s) {
        const auto* st = g.state(s);
        for (const auto& e : g.out(s)) {
            const auto events = subs.events(e);
            if (events.empty()) continue;
            const auto p = static_cast<std::int64_t>(ir::idx(g.process_of(e)));
            held.clear();
            for (const auto h : mutexes)
                if (layout.read(st, h) == p) held.push_back(Held{h, subs.held(s, h), false});
            // The step's locks and unlocks in the order of its path: each lock depends on what
            // is held at that point, from before the step or taken earlier in it and not dropped.
            for (const auto& ev : events) {
                std::erase_if(held, [&](const Held& x) { return x.m == ev.mutex; });
                if (ev.unlock) continue;
                const auto m = ev.mutex;
                const auto a = ev.subclass;
                for (const auto& h : held)
                    for (std::uint8_t b = 0; b <= ir::max_lock_subclass; ++b) {
                        if ((h.mask >> b & 1U) == 0) continue;
                        const auto key = std::make_pair(class_at(h.m, b), class_at(m, a));
                        std::vector<ir::SlotId> others;
                        for (const auto& o : held)
                            if (class_of[ir::idx(o.m)] != base[key.first] && class_of[ir::idx(o.m)] != base[key.second])
                                others.push_back(o.m);
                        auto it = index.find(key);
                        if (it == index.end()) {
                            index[key] = lo.deps.size();
                            lo.deps.push_back(LockDep{key.first, key.second, s, e, h.m, m, ev.stmt, 1, others, h.in_step});
                            last_edge.push_back(g.edge_index(e) + 1);
                            continue;
                        }
                        auto& d = lo.deps[it->second];
                        if (last_edge[it->second] != g.edge_index(e) + 1) ++d.count;
                        last_edge[it->second] = g.edge_index(e) + 1;
                        d.in_one_step = d.in_one_step && h.in_step;
                        std::vector<ir::SlotId> keep;
                        for (const auto o : d.always_held)
                            if (std::find(others.begin(), others.end(), o) != others.end()) keep.push_back(o);
                        d.always_held = keep;
                    }
                held.push_back(Held{m, static_cast<std::uint8_t>(1U << a), true});
            }
        }
    }
    return lo;
}

/// The mutex slots of the layout, in slot order, and their classes at subclass 0.
Classes mutex_classes(const ir::StateLayout& layout) {
    Classes cl;
    cl.class_of.assign(layout.slots().size(), UINT32_MAX);
    for (std::uint32_t i = 0; i < layout.slots().size(); ++i)
        if (layout.slot(ir::SlotId{i}).kind == ir::ValueKind::mutex) cl.mutexes.push_back(ir::SlotId{i});
    return cl;
}

}  // namespace

std::uint64_t lock_order_working_bytes(const StateGraph& g) {
    const auto mutexes = mutex_classes(g.system().layout()).mutexes.size();
    return g.transitions() * (sizeof(std::size_t) + 2 * sizeof(ir::LockEvent)) + std::uint64_t{g.size()} * (mutexes + 8);
}

std::string lock_nested_error(const StateGraph& g) {
    if (!uses_lock_nested(g.system())) return {};
    auto cl = mutex_classes(g.system().layout());
    const LockSubclasses subs(g, cl.mutexes);
    const auto lo = dependencies(g, cl, subs);
    return contradiction(g, lo, cl.base, cl.subclass);
}

LockOrder analyze_lock_order(const StateGraph& g) {
    const auto& ts = g.system();
    const auto& layout = ts.layout();
    auto cl = mutex_classes(layout);
    const LockSubclasses subs(g, cl.mutexes);
    auto lo = dependencies(g, cl, subs);
    const auto& mutexes = cl.mutexes;
    const auto& class_of = cl.class_of;
    const auto& base = cl.base;
    const auto& subclass = cl.subclass;
    if (subs.nested()) {
        lo.error = contradiction(g, lo, base, subclass);
        if (!lo.error.empty()) return lo;
    }
    for (std::size_t k = 0; k < lo.deps.size(); ++k)
        if (lo.deps[k].from == lo.deps[k].to) lo.recursive.push_back(k);
    // Cycles: one shortest cycle per non-trivial strong component of the class graph.
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    G cg(lo.classes.size());
    for (const auto& d : lo.deps)
        if (d.from != d.to) boost::add_edge(d.from, d.to, cg);
    std::vector<std::uint32_t> comp(lo.classes.size());
    const auto n = lo.classes.empty() ? 0U : boost::strong_components(cg, comp.data());
    for (std::uint32_t c = 0; c < n; ++c) {
        std::uint32_t first = UINT32_MAX, members = 0;
        for (std::uint32_t v = 0; v < comp.size(); ++v)
            if (comp[v] == c) {
                first = std::min(first, v);
                ++members;
            }
        if (members < 2) continue;
        LockCycle cyc;
        cyc.deps = shortest_cycle(lo, first, comp);
        if (cyc.deps.empty()) continue;
        cyc.guards = lo.deps[cyc.deps[0]].always_held;
        for (const auto k : cyc.deps) {
            std::vector<ir::SlotId> keep;
            for (const auto o : cyc.guards)
                if (std::find(lo.deps[k].always_held.begin(), lo.deps[k].always_held.end(), o) !=
                    lo.deps[k].always_held.end())
                    keep.push_back(o);
            cyc.guards = keep;
        }
        for (const auto k : cyc.deps)
            if (lo.deps[k].in_one_step) cyc.atomic.push_back(k);
        // A deadlock of the cycle: a reachable state where no process can step, not at a valid
        // end, or where processes wait for each other in a cycle (the deadlock property's two
        // halves), in which each class of the cycle is held by a different process.
        for (std::uint32_t s = 0; s < g.size() && !cyc.deadlock_state; ++s) {
            const bool stuck = g.out(s).empty() && !ts.all_at_valid_end(g.state(s));
            if (!stuck && ts.wait_cycle(g.state(s)).empty()) continue;
            std::vector<std::int64_t> owners;
            bool ok = true;
            for (const auto k : cyc.deps) {
                std::int64_t owner = -1;
                const auto from = lo.deps[k].from;
                for (const auto m : mutexes)
                    if (class_of[ir::idx(m)] == base[from] && layout.read(g.state(s), m) >= 0 &&
                        (subs.held(s, m) >> subclass[from] & 1U) != 0)
                        owner = layout.read(g.state(s), m);
                if (owner < 0 || std::find(owners.begin(), owners.end(), owner) != owners.end()) ok = false;
                owners.push_back(owner);
            }
            if (ok) cyc.deadlock_state = s;
        }
        lo.cycles.push_back(std::move(cyc));
    }
    return lo;
}

namespace {

std::string run_text(const StateGraph& g, std::uint32_t state, const Edge& last) {
    const auto& ts = g.system();
    traces::Trace t;
    t.steps = g.path_to(state);
    t.steps.push_back(last.step);
    const auto r = traces::replay(ts, t);
    std::string out;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        const auto& grp = ts.group(s.step.group);
        const ir::Statement st = s.stmt != UINT32_MAX ? ts.statement(s.stmt) : ir::Statement{grp.where, grp.text, ""};
        out += fmt::format("   {:>3}  {}  {}  {}\n", i + 1, ts.process(s.process).name, ts.sources().file_line(st.where),
                           st.text);
    }
    return out;
}

std::string where_taken(const StateGraph& g, const LockDep& d) {
    const auto& ts = g.system();
    const auto [where, text] = lock_site(ts, d);
    return fmt::format("{} at {}: {}", ts.process(g.process_of(d.edge)).name, ts.sources().file_line(where), text);
}

}  // namespace

std::string render_lock_order(const StateGraph& g, const LockOrder& lo) {
    const auto& ts = g.system();
    const auto& layout = ts.layout();
    std::string out;
    for (const auto k : lo.recursive) {
        const auto& d = lo.deps[k];
        out += "============================================\n";
        out += "WARNING: possible recursive locking detected\n";
        out += "--------------------------------------------\n";
        out += fmt::format("{} is trying to acquire lock:\n  {} ({})\n\nbut task is already holding lock:\n  {} ({})\n\n",
                           ts.process(g.process_of(d.edge)).name, layout.slot(d.taken).name, lo.classes[d.to],
                           layout.slot(d.held).name, lo.classes[d.from]);
        out += fmt::format(" Possible unsafe locking scenario:\n\n       CPU0\n       ----\n  lock({});\n  lock({});\n\n"
                           " *** DEADLOCK ***\n\n May be due to missing lock nesting notation\n\n",
                           lo.classes[d.from], lo.classes[d.to]);
        out += fmt::format("first taken by {}, {} time{} in all; a shortest run:\n{}\n", where_taken(g, d), d.count,
                           d.count == 1 ? "" : "s",
                           run_text(g, d.state, d.edge));
    }
    for (const auto& c : lo.cycles) {
        out += "======================================================\n";
        out += "WARNING: possible circular locking dependency detected\n";
        out += "------------------------------------------------------\n";
        std::string chain = lo.classes[lo.deps[c.deps[0]].from];
        for (const auto k : c.deps) chain += " --> " + lo.classes[lo.deps[k].to];
        out += fmt::format("Chain exists of:\n  {}\n\n", chain);
        // CPUk holds the source of dependency k and then takes its target, in lockdep's order:
        // every CPU takes its first lock, then the last CPU takes its second, back to CPU0.
        const std::size_t n = c.deps.size();
        const std::size_t w = 24;  // lockdep's column step: "       CPU0                    CPU1"
        out += " Possible unsafe locking scenario:\n\n";
        std::string head = "       CPU0", rule = "       ----";
        for (std::size_t k = 1; k < n; ++k) {
            head += std::string(7 + w * k - head.size(), ' ') + fmt::format("CPU{}", k);
            rule += std::string(7 + w * k - rule.size(), ' ') + "----";
        }
        out += head + "\n" + rule + "\n";
        auto row = [&](std::size_t col, std::uint32_t cls) {
            out += std::string(col == 0 ? 2 : 7 + w * col, ' ') + fmt::format("lock({});\n", lo.classes[cls]);
        };
        for (std::size_t k = 0; k < n; ++k) row(k, lo.deps[c.deps[k]].from);
        for (std::size_t k = n; k-- > 0;) row(k, lo.deps[c.deps[k]].to);
        out += "\n *** DEADLOCK ***\n\n";
        out += "the dependencies, each where it was first taken, with a shortest run to that step:\n";
        for (const auto k : c.deps) {
            const auto& d = lo.deps[k];
            out += fmt::format("{} --> {}: {} takes {} holding {} ({} time{} in all{})\n", lo.classes[d.from],
                               lo.classes[d.to], where_taken(g, d), layout.slot(d.taken).name, layout.slot(d.held).name,
                               d.count, d.count == 1 ? "" : "s",
                               d.in_one_step ? ", each time both inside one atomic step" : "");
            out += run_text(g, d.state, d.edge);
        }
        if (c.deadlock_state) {
            out += fmt::format("a deadlock state of this cycle is reachable in this instance ({} steps):\n",
                               g.path_to(*c.deadlock_state).size());
            for (std::uint32_t i = 0; i < layout.slots().size(); ++i)
                if (layout.slot(ir::SlotId{i}).kind == ir::ValueKind::mutex &&
                    layout.read(g.state(*c.deadlock_state), ir::SlotId{i}) >= 0)
                    out += fmt::format("  {} is {}\n", layout.slot(ir::SlotId{i}).name,
                                       traces::slot_value(ts, ir::SlotId{i}, g.state(*c.deadlock_state)));
        } else if (!c.guards.empty()) {
            std::string gs;
            for (const auto s : c.guards) gs += (gs.empty() ? "" : ", ") + layout.slot(s).name;
            out += fmt::format("no deadlock state is reachable in this instance: every occurrence of every dependency "
                               "of the cycle holds {} (a common outer lock; lockdep reports the cycle all the same)\n",
                               gs);
        } else if (!c.atomic.empty()) {
            std::string ds;
            for (const auto k : c.atomic)
                ds += (ds.empty() ? "" : ", ") + lo.classes[lo.deps[k].from] + " --> " + lo.classes[lo.deps[k].to];
            out += fmt::format("no deadlock state is reachable in this instance: {} {} only ever taken inside one atomic "
                               "step, which no other process interleaves with (the kernel code is not atomic: lockdep "
                               "reports the cycle all the same)\n",
                               ds, c.atomic.size() == 1 ? "is" : "are");
        } else {
            out += "no deadlock state of this cycle is reachable in this instance, and no common outer lock guards "
                   "it: another instance (more devices, other timing) may deadlock\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace iomc::graph
