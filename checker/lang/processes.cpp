// SPDX-License-Identifier: MIT
#include "checker/lang/processes.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "checker/graph/dominators.hpp"

namespace iomc::lang {

using support::SourceRange;

std::vector<Instance> enumerate_instances(const SymbolTable& symbols, TypeResolver& types, ConstantEvaluator& eval,
                                          ir::StateLayout& layout, support::DiagnosticSink& sink) {
    std::vector<Instance> instances;
    for (std::size_t mi = 0; mi < symbols.module_count(); ++mi) {
        for (const auto& d : symbols.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::process) continue;
            try {
                std::vector<std::vector<Value>> combos{{}};
                for (const auto& p : d.params) {
                    const Type* t = types.resolve(mi, *p.type, eval);
                    if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration &&
                        t->kind != TypeKind::integer && t->kind != TypeKind::boolean)
                        fail(sink, p.where,
                             fmt::format("a process parameter must be a scalarset, an enum, a range or bool, not {}",
                                         type_name(t)));
                    if (t->optional) fail(sink, p.where, "a process parameter cannot be optional");
                    // Bounded before the combinations are built (issue 10).
                    const auto n = static_cast<std::size_t>(domain_size(t));
                    const auto room = static_cast<std::size_t>(max_process_instances) - instances.size();
                    if (n > room / combos.size())
                        fail(sink, p.where,
                             fmt::format("process '{}' has too many instances: this parameter's {} values take it "
                                         "past the {} process instances a model may have",
                                         d.name, n, max_process_instances));
                    std::vector<std::vector<Value>> next;
                    for (const auto& c : combos)
                        for (std::int64_t i = 0; i < domain_size(t); ++i) {
                            auto x = c;
                            x.push_back(Value{t->kind == TypeKind::integer ? t->lo + i : i, t});
                            next.push_back(std::move(x));
                        }
                    combos = std::move(next);
                }
                for (auto& c : combos) {
                    std::string name = symbols.qualified(mi, d.name);
                    if (!d.params.empty()) {
                        name += "(";
                        for (std::size_t i = 0; i < c.size(); ++i) {
                            if (i) name += ",";
                            name +=
                                index_name(c[i].t, c[i].t->kind == TypeKind::integer ? c[i].v - c[i].t->lo : c[i].v);
                        }
                        name += ")";
                    }
                    instances.push_back(Instance{&d, mi, std::move(c), std::move(name)});
                }
            } catch (const Abandon&) {}
        }
    }
    for (const auto& inst : instances) layout.process_names.push_back(inst.name);
    return instances;
}

namespace {

/// Follows pure forwarding nodes (no steps, one epsilon edge).
std::uint32_t canonical(const std::vector<CfgNode>& nodes, std::uint32_t n, support::DiagnosticSink& sink) {
    std::uint32_t x = n;
    std::size_t guard = 0;
    while (nodes[x].alts.empty() && nodes[x].eps.size() == 1 && !nodes[x].terminal) {
        x = nodes[x].eps[0];
        if (++guard > nodes.size()) {
            // After an error the statement it abandoned is an empty edge: a loop around it
            // has no step because of that error, not of its own (issue 10).
            if (sink.has_errors()) throw Abandon{};
            fail(sink, nodes[n].where,
                 "this loop has no step (an empty loop body, or gotos in a cycle with nothing between)");
        }
    }
    return x;
}

/// The steps that leave node `n`, following epsilon edges.
std::vector<const ir::Fragment*> closure(const std::vector<CfgNode>& nodes, std::uint32_t n) {
    std::vector<const ir::Fragment*> out;
    std::vector<char> seen(nodes.size(), 0);
    std::function<void(std::uint32_t)> go = [&](std::uint32_t x) {
        if (seen[x]) return;
        seen[x] = 1;
        for (const auto& f : nodes[x].alts) out.push_back(&f);
        for (auto e : nodes[x].eps) go(e);
    };
    go(n);
    return out;
}

}  // namespace

InstanceLocations build_process(const ProcessCfg& cfg, const Instance& inst, std::uint32_t number,
                                ir::TransitionSystem::Data& data, support::DiagnosticSink& sink) {
    const std::vector<CfgNode>& nodes = cfg.nodes;
    const ast::Decl* d = inst.decl;
    const std::string& name = inst.name;
    // Reachable canonical nodes, numbered in BFS order from the entry.
    std::map<std::uint32_t, std::uint32_t> loc_of;
    std::vector<std::uint32_t> order;
    auto visit = [&](std::uint32_t n) {
        const std::uint32_t cn = canonical(nodes, n, sink);
        if (!loc_of.count(cn)) {
            loc_of[cn] = static_cast<std::uint32_t>(order.size());
            order.push_back(cn);
        }
        return loc_of[cn];
    };
    visit(0);
    std::vector<std::vector<const ir::Fragment*>> alts;
    for (std::size_t i = 0; i < order.size(); ++i) {
        alts.push_back(closure(nodes, order[i]));
        for (const auto* f : alts.back())
            for (const auto& in : f->code)
                if (in.kind == ir::InstrKind::finish) visit(in.t1);
    }
    const std::uint32_t nlocs = static_cast<std::uint32_t>(order.size());
    ir::Process p;
    p.name = name;
    p.decl = d->name;
    p.where = d->where;
    ir::Slot pcs;
    pcs.name = name + ".pc";
    pcs.kind = ir::ValueKind::pc;
    pcs.lo = 0;
    pcs.hi = static_cast<std::int32_t>(std::max<std::uint32_t>(nlocs, 1) - 1);
    pcs.process = number;
    p.pc = data.layout.add(pcs);
    std::vector<std::vector<std::uint32_t>> succ(nlocs);
    InstanceLocations info;
    info.decl = d;
    info.params = inst.params;
    info.pc = p.pc;
    info.decisions = cfg.decisions;
    for (std::uint32_t l = 0; l < nlocs; ++l) {
        const CfgNode& node = nodes[order[l]];
        info.visits.push_back(node.visits);
        ir::Location loc;
        loc.where = node.where == SourceRange{} ? d->where : node.where;
        loc.terminal = node.terminal;
        loc.valid_end = node.terminal;
        p.locations.push_back(loc);
    }
    // Labels: every label node maps to the location of its canonical node.
    for (std::uint32_t n = 0; n < nodes.size(); ++n) {
        for (const auto& l : nodes[n].labels) {
            const std::uint32_t cn = canonical(nodes, n, sink);
            auto it = loc_of.find(cn);
            if (it == loc_of.end()) continue;  // unreachable label
            info.label_locs[l].push_back(it->second);
            auto& loc = p.locations[it->second];
            if (loc.label.empty()) loc.label = l;
            if (l.rfind("end", 0) == 0) loc.valid_end = true;
        }
    }
    for (std::uint32_t l = 0; l < nlocs; ++l) {
        if (alts[l].empty()) {
            p.group_at.push_back(ir::no_group);
            continue;
        }
        ir::TransitionGroup g;
        g.id = ir::GroupId{static_cast<std::uint32_t>(data.groups.size())};
        g.process = ir::ProcessId{number};
        g.location = l;
        // Merge alternatives: fork to each, then their code with shifted jump targets.
        if (alts[l].size() > 1) {
            ir::Instr fk;
            fk.kind = ir::InstrKind::fork;
            g.code.code.push_back(fk);
        }
        for (const auto* f : alts[l]) {
            const auto base = static_cast<std::uint32_t>(g.code.code.size());
            if (alts[l].size() > 1) g.code.code[0].targets.push_back(base);
            for (auto in : f->code) {
                switch (in.kind) {
                    case ir::InstrKind::branch:
                        in.t1 += base;
                        in.t2 += base;
                        break;
                    case ir::InstrKind::jump: in.t1 += base; break;
                    case ir::InstrKind::fork:
                        for (auto& t : in.targets) t += base;
                        break;
                    case ir::InstrKind::finish:
                        in.t1 = loc_of.at(canonical(nodes, in.t1, sink));
                        succ[l].push_back(in.t1);
                        break;
                    default: break;
                }
                g.code.code.push_back(std::move(in));
            }
        }
        for (const auto& in : g.code.code)
            if (in.kind == ir::InstrKind::note) {
                const auto& st = data.statements[in.stmt];
                g.where = st.where;
                g.text = st.text;
                // A condition's group is the test itself, not its then-branch outcome.
                const bool is_branch = g.code.code.front().kind == ir::InstrKind::branch;
                if (is_branch && g.text.size() > 6 && g.text.ends_with(": true")) g.text.resize(g.text.size() - 6);
                break;
            }
        p.locations[l].where = g.where;
        p.group_at.push_back(g.id);
        data.groups.push_back(std::move(g));
    }
    info.idom = graph::immediate_dominators(succ);
    data.processes.push_back(std::move(p));
    return info;
}

}  // namespace iomc::lang
