// SPDX-License-Identifier: MIT
#include "checker/lang/symmetry.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "checker/lang/loop_order.hpp"

namespace iomc::lang {

namespace {

std::string key_of(const void* p) { return fmt::format("{}", p); }

/// How a breach names slot `s`: a global by its name, a local with its process's name in place
/// of the instance's ("client.ret", not "client(0).ret"), the same in every instance.
std::string display_name(const ir::Slot& s, const std::vector<Instance>& instances) {
    if (s.process == UINT32_MAX) return s.name;
    const std::string& inst = instances[s.process].name;
    return inst.substr(0, inst.find('(')) + s.name.substr(inst.size());
}

/// What must be equal in two instances of one process for a permutation to map one onto the
/// other with its pc unchanged: the locations (flags, scalarset loops around them, statement,
/// successors) and the local slots (variable, place in it, domain, initial value).
std::string instance_signature(std::uint32_t p, const ir::TransitionSystem::Data& data,
                               const InstanceLocations& compiled, const LayoutBuilder& layout) {
    std::string sig;
    const ir::Process& proc = data.processes[p];
    for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
        const ir::Location& loc = proc.locations[l];
        sig += fmt::format("L{}{}{}", loc.valid_end ? 1 : 0, loc.terminal ? 1 : 0, loc.label);
        for (const auto& v : compiled.visits[l]) sig += fmt::format("v{}:{}", v.scalarset, v.element);
        const auto g = proc.group_at[l];
        if (g == ir::no_group) continue;
        const ir::TransitionGroup& grp = data.groups[ir::idx(g)];
        sig += fmt::format("g{}:{}:{}:{}", grp.where.file, grp.where.begin, grp.where.end, grp.text);
        for (const auto& in : grp.code.code)
            if (in.kind == ir::InstrKind::finish) sig += fmt::format(">{}", in.t1);
    }
    std::vector<std::string> locals;
    for (std::uint32_t i = 0; i < data.layout.slots().size(); ++i) {
        const ir::Slot& s = data.layout.slots()[i];
        if (s.process != p || s.kind == ir::ValueKind::pc) continue;
        const SlotOrigin& o = layout.origin(ir::SlotId{i});
        std::string one = fmt::format("{}{}", key_of(o.variable), o.path);
        for (const auto& c : o.coords) one += fmt::format(",{}", c.value);
        locals.push_back(one + fmt::format("|{}|{}|{}|{}", static_cast<int>(s.kind), s.lo, s.hi, s.init));
    }
    std::sort(locals.begin(), locals.end());
    for (const auto& x : locals) sig += "S" + x;
    return sig;
}

/// Records why the instances `a` and `b` of one process differ: the first condition decided
/// differently at compile time, else the process declaration.
void blame_difference(const Instance& a, const Instance& b, const InstanceLocations& ca, const InstanceLocations& cb,
                      const support::SourceManager& sm, BreachLog& breaches) {
    std::string what = fmt::format("the instances {} and {} do not have the same steps", a.name, b.name);
    support::SourceRange where = a.decl->name_where;
    const auto n = std::min(ca.decisions.size(), cb.decisions.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Decision& x = ca.decisions[i];
        const Decision& y = cb.decisions[i];
        if (x.stmt == y.stmt && x.value == y.value) continue;
        const ast::Stmt& s = *x.stmt;
        what = fmt::format("'{}' is decided at compile time, differently in {} and {}, so their steps differ",
                           source_text(sm, s.cond->where), a.name, b.name);
        where = s.cond->where;
        break;
    }
    std::set<const ScalarsetInfo*> seen;
    for (const auto& p : a.params)
        if (p.t->kind == TypeKind::scalarset && seen.insert(p.t->ss).second) breaches.add(*p.t->ss, what, where);
}

}  // namespace

ir::Symmetry describe_symmetry(const TypeResolver& types, const LayoutBuilder& layout,
                               const std::vector<Instance>& instances, const std::vector<InstanceLocations>& compiled,
                               const ir::TransitionSystem::Data& data, const support::SourceManager& sm,
                               BreachLog& breaches, support::DiagnosticSink* warnings) {
    ir::Symmetry sym;
    const auto& sets = types.scalarsets();
    if (sets.empty()) return sym;
    const auto nsets = sets.size();
    for (const ScalarsetInfo* ss : sets)
        sym.scalarsets.push_back(
            ir::ScalarsetSymmetry{ss->qualified, static_cast<std::uint32_t>(ss->size), ss->table, {}, ss->size_name});

    // Families: the instances of one process that differ only in scalarset parameters. Their
    // coordinates are those parameters, in order.
    const auto nproc = static_cast<std::uint32_t>(instances.size());
    std::vector<std::string> family(nproc);
    std::vector<std::vector<ir::SymmetryCoord>> coords(nproc);
    std::map<std::string, std::vector<std::uint32_t>> members;
    for (std::uint32_t p = 0; p < nproc; ++p) {
        family[p] = key_of(instances[p].decl);
        for (const auto& v : instances[p].params) {
            if (v.t->kind == TypeKind::scalarset)
                coords[p].push_back(ir::SymmetryCoord{v.t->ss->table, static_cast<std::uint32_t>(v.v)});
            else
                family[p] += fmt::format(",{}", v.v);
        }
        members[family[p]].push_back(p);
    }
    // A family whose instances are not alike keeps each instance apart (no coordinates from
    // its parameters) and breaks the symmetry of their scalarsets.
    std::vector<char> alike(nproc, 0);
    for (const auto& [key, ps] : members) {
        if (coords[ps.front()].empty()) continue;
        const std::string first = instance_signature(ps.front(), data, compiled[ps.front()], layout);
        bool same = true;
        for (const auto p : ps) {
            if (p == ps.front() || instance_signature(p, data, compiled[p], layout) == first) continue;
            blame_difference(instances[ps.front()], instances[p], compiled[ps.front()], compiled[p], sm, breaches);
            same = false;
            break;
        }
        if (same)
            for (const auto p : ps) alike[p] = 1;
    }

    // Slot shapes: slots that are images of each other share a key.
    const auto& slots = data.layout.slots();
    std::map<std::string, std::uint32_t> shape_ids;
    auto shape_of = [&](const std::string& key) {
        return shape_ids.emplace(key, static_cast<std::uint32_t>(shape_ids.size() + 1)).first->second;
    };
    sym.slot_shape.assign(slots.size(), 0);
    sym.slot_coords.assign(slots.size(), {});
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        const ir::Slot& s = slots[i];
        const SlotOrigin& o = layout.origin(ir::SlotId{i});
        std::string key;
        std::vector<ir::SymmetryCoord> c;
        if (s.kind == ir::ValueKind::pc) {
            if (alike[s.process]) {
                key = "pc|" + family[s.process];
                c = coords[s.process];
            }
        } else if (o.variable && s.process == UINT32_MAX) {
            key = "global|" + key_of(o.variable) + o.path;
            c = o.coords;
        } else if (o.variable) {
            key = alike[s.process] ? "local|" + family[s.process] : fmt::format("instance|{}", s.process);
            key += "|" + key_of(o.variable) + o.path;
            if (alike[s.process]) c = coords[s.process];
            c.insert(c.end(), o.coords.begin(), o.coords.end());
        }
        if (c.empty()) continue;
        sym.slot_shape[i] = shape_of(key);
        sym.slot_coords[i] = std::move(c);
    }
    std::map<std::string, std::uint32_t> process_ids;
    sym.process_shape.assign(nproc, 0);
    sym.process_coords.assign(nproc, {});
    for (std::uint32_t p = 0; p < nproc; ++p) {
        if (!alike[p] || coords[p].empty()) continue;
        const auto next = static_cast<std::uint32_t>(process_ids.size() + 1);
        sym.process_shape[p] = process_ids.emplace(family[p], next).first->second;
        sym.process_coords[p] = coords[p];
    }

    // Walks: the element each location visits in the scalarset loops with steps around it.
    // Other processes see the order in which a walk visits the elements, so a state and its
    // image under a permutation do not have the same futures while some process can still
    // reach a walk; the canonicalizer leaves the scalarset as it is in those states and reduces
    // over it only once no walk over it can run again (tests/checker/lang/symmetry_test.cpp, "a
    // loop with steps keeps its scalarset unreduced while it can still run"). Two walks over
    // one scalarset nested in one process cannot be described by the table: that breaks it.
    sym.walk.assign(nproc, {});
    for (std::uint32_t p = 0; p < nproc; ++p) {
        const auto& visits = compiled[p].visits;
        for (std::uint32_t l = 0; l < visits.size(); ++l) {
            for (std::size_t a = 0; a < visits[l].size(); ++a) {
                const LoopVisit& v = visits[l][a];
                if (sym.walk[p].empty()) sym.walk[p].assign(visits.size() * nsets, -1);
                sym.walk[p][l * nsets + v.scalarset] = static_cast<std::int16_t>(v.element);
                for (std::size_t b = 0; b < a; ++b)
                    if (visits[l][b].scalarset == v.scalarset)
                        breaches.add(*sets[v.scalarset],
                                     fmt::format("nested loops over {} with steps", v.loop->for_type.str()),
                                     loop_head(*v.loop));
            }
        }
    }

    // Variables of a scalarset type without none start at element 0, which names one element.
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        const ir::Slot& s = slots[i];
        const SlotOrigin& o = layout.origin(ir::SlotId{i});
        if (s.kind != ir::ValueKind::scalarset || s.lo != 0 || !o.variable || o.initialized) continue;
        const ScalarsetInfo& ss = *sets[s.type_index];
        breaches.add(ss,
                     fmt::format("'{}' starts at {}(0): a variable of a scalarset type without none starts at its "
                                 "first element",
                                 display_name(s, instances), ss.name),
                     o.where);
    }

    for (const auto& [table, list] : breaches.all()) {
        auto& out = sym.scalarsets[table].breaches;
        out = list;
        std::stable_sort(out.begin(), out.end(), [](const ir::SymmetryBreach& a, const ir::SymmetryBreach& b) {
            return a.where.file != b.where.file ? a.where.file < b.where.file : a.where.begin < b.where.begin;
        });
        if (warnings)
            for (const auto& b : out)
                warnings->warning(b.where, fmt::format("symmetry reduction is off for scalarset '{}': {}",
                                                       sym.scalarsets[table].name, b.what));
    }
    return sym;
}

}  // namespace iomc::lang
