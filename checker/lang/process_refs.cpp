// SPDX-License-Identifier: MIT
/// @file Expressions pass, process instances named in invariants: `client(0).r` and
/// `client(d).of_iommu_configure.replay` (a process's locals, by the path traces print), and
/// `held_by(m, client(d))` (who holds a mutex). Both lower to plain slot reads and comparisons,
/// so every engine and reduction reads them as it reads a global: an invariant's footprint
/// holds the local's slot, the symmetry canonicaliser maps client(0)'s locals to client(1)'s,
/// and a mutex slot holds its owner's instance number. A literal instance (`client(0)`) names
/// one element of its scalarset, like `client(0) @ L`.
#include <algorithm>

#include <fmt/format.h>

#include "checker/lang/expr_lowering.hpp"

namespace iomc::lang {

const Symbol* ExprLowering::process_symbol(const ast::Expr& p, const ExprContext& c) const {
    if (p.kind != ast::ExprKind::name && p.kind != ast::ExprKind::call) return nullptr;
    if (p.kind == ast::ExprKind::name && p.name.parts.size() == 1)
        for (const auto& sc : c.scopes)
            if (sc.count(p.name.last())) return nullptr;  // a local name hides the process
    const Symbol* s = symbols_.find(c.module, p.name);
    return s && s->kind == SymKind::process ? s : nullptr;
}

const InstanceLocations& ExprLowering::instance_of(const ast::Expr& p, const Symbol& s, ExprContext& c) {
    const ast::Decl* d = s.decl;
    if (p.kids.size() != d->params.size())
        fail(sink_, p.where,
             fmt::format("process '{}' takes {} parameter{}, found {}", d->name, d->params.size(),
                         d->params.size() == 1 ? "" : "s", p.kids.size()));
    std::vector<std::int64_t> args;
    for (std::size_t i = 0; i < p.kids.size(); ++i) {
        const ast::Expr& k = *p.kids[i];
        TExpr a = lower(k, c);
        if (!a.is_const())
            fail(sink_, k.where, "a process instance needs constant parameters (or quantified variables)");
        args.push_back(a.e.value);
        const Type* pt = types_.resolve(s.module, *d->params[i].type, *this);
        if (a.t->kind == TypeKind::integer && (pt->kind == TypeKind::scalarset || pt->kind == TypeKind::integer)) {
            const std::int64_t lo = pt->kind == TypeKind::integer ? pt->lo : 0;
            const std::int64_t hi = lo + domain_size(pt) - 1;
            if (a.e.value < lo || a.e.value > hi)
                fail(sink_, k.where,
                     fmt::format("index {} is out of range {}..{} of process '{}'", a.e.value, lo, hi, d->name));
        }
        // A scalarset parameter named by a number (`client(0)`) picks one element; a value of
        // the scalarset (a quantified variable) does not.
        if (pt->kind == TypeKind::scalarset && (a.t->kind != TypeKind::scalarset || a.t->ss != pt->ss))
            breaches_.add(*pt->ss,
                          a.t->kind == TypeKind::integer
                              ? fmt::format("the instance {} names one element", text(p.where))
                              : fmt::format("the instance {} gives its {} parameter a value of type {}", text(p.where),
                                            pt->ss->name, type_name(a.t)),
                          k.where);
    }
    for (const auto& inst : locations_) {
        if (inst.decl != d) continue;
        bool same = true;
        for (std::size_t i = 0; i < args.size(); ++i) same = same && inst.params[i].v == args[i];
        if (same) return inst;
    }
    fail(sink_, p.where, "no such process instance");
}

std::optional<TExpr> ExprLowering::process_local(const ast::Expr& e, ExprContext& c) {
    std::vector<const ast::Expr*> chain;  // the field accesses, innermost (the first name) first
    const ast::Expr* root = &e;
    while (root->kind == ast::ExprKind::field) {
        chain.push_back(root);
        root = root->kids[0].get();
    }
    const Symbol* s = process_symbol(*root, c);
    if (!s) return std::nullopt;
    std::reverse(chain.begin(), chain.end());
    if (c.const_only)
        fail(sink_, e.where, fmt::format("'{}' is a local of a process; a constant is needed here", text(e.where)));
    if (!c.in_invariant)
        fail(sink_, e.where,
             fmt::format("'{}' is a local of another process; a process's locals can be read only in invariants, "
                         "lemmas, liveness properties and metrics",
                         text(e.where)));
    const InstanceLocations& inst = instance_of(*root, *s, c);
    const std::string who = text(root->where);
    // The longest path that names a local ("r", "proc.x"); the rest are struct fields.
    const std::vector<TExpr>* hit = nullptr;
    std::size_t used = 0;
    std::string name;
    for (std::size_t j = 0; j < chain.size(); ++j) {
        name += (j ? "." : "") + chain[j]->member;
        if (auto it = inst.locals.find(name); it != inst.locals.end()) {
            hit = &it->second;
            used = j + 1;
        }
    }
    if (!hit) {
        const std::string& first = chain[0]->member;
        bool proc = false, param = false;
        for (std::size_t mi = 0; mi < symbols_.module_count() && chain.size() > 1; ++mi)
            for (const auto& d : symbols_.mod(mi).ast.decls) {
                if (d.kind != ast::DeclKind::proc || d.name != first) continue;
                proc = true;
                for (const auto& prm : d.params) param = param || prm.name == chain[1]->member;
            }
        if (proc && !inst.procs.count(first))
            fail(sink_, chain[0]->member_where,
                 fmt::format("{} never calls procedure '{}', so it has no local '{}.{}'", who, first, first,
                             chain[1]->member));
        std::vector<std::string> cands, same_last;
        for (const auto& [n, _] : inst.locals) {
            cands.push_back(n);
            const auto dot = n.rfind('.');
            if (dot != std::string::npos && n.substr(dot + 1) == first) same_last.push_back(n);
        }
        const auto& at = proc ? chain[1]->member_where : chain[0]->member_where;
        auto& diag = sink_.error(
            at, proc ? fmt::format("procedure '{}' has no local '{}' in {}", first, chain[1]->member, who)
                     : fmt::format("process '{}' has no local '{}'", s->decl->name, first));
        if (proc && param)
            diag.notes.push_back({std::nullopt, fmt::format("every call of '{}' in {} passes '{}' a constant, which "
                                                            "is substituted: it has no slot",
                                                            first, who, chain[1]->member)});
        else if (!proc && same_last.size() == 1)
            diag.notes.push_back({std::nullopt, fmt::format("a procedure's local is named by the procedure: did you "
                                                            "mean '{}.{}'?",
                                                            who, same_last[0])});
        else if (auto best = support::closest_name(proc ? first + "." + chain[1]->member : first, cands))
            diag.notes.push_back({std::nullopt, fmt::format("did you mean '{}.{}'?", who, *best)});
        throw Abandon{};
    }
    if (hit->size() > 1)
        fail(sink_, e.where,
             fmt::format("'{}' names {} locals: procedures of one name in different modules each have one", text(e.where),
                         hit->size()));
    TExpr x = hit->front();
    for (std::size_t j = used; j < chain.size(); ++j) x = field_of(std::move(x), *chain[j], c);
    return x;
}

TExpr ExprLowering::held_by(const ast::Expr& call, ExprContext& c) {
    if (call.kids.size() != 2)
        fail(sink_, call.where, "held_by() takes a mutex and a process instance: held_by(m, client(d))");
    if (!c.in_invariant)
        fail(sink_, call.where,
             "held_by() can be used only in invariants, lemmas, liveness properties and metrics; inside a process, "
             "held(m) tests the process's own ownership");
    TExpr m = lower(*call.kids[0], c);
    if (m.t->kind != TypeKind::mutex)
        fail(sink_, call.kids[0]->where, fmt::format("held_by() needs a mutex, found {}", type_name(m.t)));
    const ast::Expr& p = *call.kids[1];
    const Symbol* s = process_symbol(p, c);
    if (!s)
        fail(sink_, p.where,
             fmt::format("held_by() needs a process instance such as client(d), found '{}'", text(p.where)));
    const InstanceLocations& inst = instance_of(p, *s, c);
    // A mutex slot holds its owner's instance number (-1 free); instances are compiled in order.
    const auto number = static_cast<std::int64_t>(&inst - locations_.data());
    return binary_fold(ir::ExprOp::eq, std::move(m), constant(number, arena_.integer()), arena_.boolean(),
                       call.where);
}

}  // namespace iomc::lang
