// SPDX-License-Identifier: MIT
/// @file Statements pass, outside atomic blocks: the control-flow graph of a process body.
/// Each step becomes an alternative of the node it leaves (an `if` is one two-way step); blocks,
/// `either`, loops, labels and gotos become nodes and epsilon edges; `for` is unrolled.
#include <functional>

#include <fmt/format.h>

#include "checker/lang/statement_lowering.hpp"
#include "checker/support/check.hpp"

namespace iomc::lang {

using support::SourceRange;

ProcessCfg StatementLowering::lower(const Instance& inst, std::uint32_t number) {
    const ast::Decl* d = inst.decl;
    process_decl_ = d;
    instance_ = number;
    instance_name_ = inst.name;
    nodes_.clear();
    locals_.clear();
    named_locals_.clear();
    inlined_.clear();
    loops_.clear();
    frames_.clear();
    frag_labels_.clear();
    pending_resets_.clear();
    process_labels_.clear();
    visiting_.clear();
    decisions_.clear();
    temp_counter_ = 0;
    ExprContext c;
    c.module = inst.module;
    c.self = number;
    c.scopes.emplace_back();
    for (std::size_t i = 0; i < inst.params.size(); ++i)
        c.scopes.back()[d->params[i].name] = Binding{true, inst.params[i], {}};
    ctx_stack_.clear();
    ctx_stack_.push_back(std::move(c));
    const std::uint32_t entry = new_node(SourceRange{});  // takes the first statement's place
    process_end_ = new_node(d->where);
    nodes_[process_end_].terminal = true;
    collect_labels(d->body, process_labels_);
    block_cfg(d->body, entry, process_end_);
    return ProcessCfg{std::move(nodes_), std::move(decisions_), std::move(named_locals_), std::move(inlined_)};
}

std::uint32_t StatementLowering::new_node(SourceRange where) {
    nodes_.push_back(CfgNode{});
    nodes_.back().where = where;
    nodes_.back().visits = visiting_;
    return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void StatementLowering::collect_labels(const std::vector<ast::StmtPtr>& body,
                                       std::map<std::string, std::uint32_t>& out) {
    std::function<void(const ast::Stmt&)> walk = [&](const ast::Stmt& s) {
        if (s.kind == ast::StmtKind::labeled) {
            if (out.count(s.label)) {
                sink_.error(s.label_where, fmt::format("label '{}' is declared twice", s.label));
            } else {
                out[s.label] = new_node(s.where);
                nodes_[out[s.label]].labels.push_back(s.label);
            }
        }
        if (s.kind == ast::StmtKind::atomic) return;  // labels inside atomic are not locations
        if (s.kind == ast::StmtKind::for_) {
            // The body is unrolled once per value: one label would name several places.
            std::function<void(const ast::Stmt&)> reject = [&](const ast::Stmt& x) {
                if (x.kind == ast::StmtKind::labeled)
                    sink_.error(x.label_where, fmt::format("label '{}' is inside a 'for' body, which is unrolled "
                                                           "once per value; move the label out of the loop",
                                                           x.label));
                for (const auto& b : x.body) reject(*b);
                for (const auto& br : x.branches)
                    for (const auto& b : br) reject(*b);
                if (x.else_part) reject(*x.else_part);
            };
            for (const auto& b : s.body) reject(*b);
            return;
        }
        for (const auto& b : s.body) walk(*b);
        for (const auto& br : s.branches)
            for (const auto& b : br) walk(*b);
        if (s.else_part) walk(*s.else_part);
    };
    for (const auto& s : body) walk(*s);
}

void StatementLowering::block_cfg(const std::vector<ast::StmtPtr>& body, std::uint32_t entry, std::uint32_t exit) {
    ctx().scopes.emplace_back();
    std::uint32_t cur = entry;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const std::uint32_t next = i + 1 == body.size() ? exit : new_node(body[i + 1]->where);
        stmt_cfg(*body[i], cur, next);
        cur = next;
    }
    if (body.empty()) nodes_[entry].eps.push_back(exit);
    ctx().scopes.pop_back();
}

void StatementLowering::stmt_cfg(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
    try {
        stmt_cfg_inner(s, entry, exit);
    } catch (const Abandon&) {
        nodes_[entry].eps.push_back(exit);  // keep the graph connected after an error
    }
    ctx().hoisted.clear();
    pending_resets_.clear();
    (void)exprs_.take_uaf();
}

std::int64_t StatementLowering::count_unrolled(const ast::Stmt& s, const Type* t) {
    const std::int64_t n = domain_size(t);
    unrolled_.count(sink_, s.where, fmt::format("'for {}: {}'", s.label, s.for_type.str()), n);
    return n;
}

void StatementLowering::simple_step(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
    ir::Fragment f;
    f.code.push_back(note(statement(s)));
    lower_simple(s, f.code);
    add_resets(f.code);
    f.code.push_back(finish_to(exit));
    nodes_[entry].alts.push_back(std::move(f));
}

void StatementLowering::stmt_cfg_inner(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
    using K = ast::StmtKind;
    if (nodes_[entry].where == SourceRange{}) nodes_[entry].where = s.where;
    const StepEmitter emit{
        [&](const ast::Expr* e, bool skip_top) { entry = hoist_cfg(e, entry, s, skip_top); },
        [&](const ast::Expr& call, std::optional<TExpr> target) { call_cfg(call, std::move(target), entry, exit, s); },
        [&](const ast::Stmt& step) { simple_step(step, entry, exit); },
    };
    if (step_stmt(s, emit)) return;
    switch (s.kind) {
        case K::block: block_cfg(s.body, entry, exit); return;
        case K::var_decl: {
            declare_local(*s.decl);
            nodes_[entry].eps.push_back(exit);
            return;
        }
        case K::if_: {
            entry = hoist_cfg(s.cond.get(), entry, s);
            TExpr cond = exprs_.lower(*s.cond, ctx());
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("if needs a bool condition, found {}", type_name(cond.t)));
            if (cond.is_const()) {
                decisions_.push_back(Decision{&s, cond.e.value != 0});
                if (cond.e.value) stmt_cfg(*s.body[0], entry, exit);
                else if (s.else_part) stmt_cfg(*s.else_part, entry, exit);
                else nodes_[entry].eps.push_back(exit);
                return;
            }
            const std::uint32_t t = new_node(s.body[0]->where);
            const std::uint32_t f = s.else_part ? new_node(s.else_part->where) : exit;
            const std::string ct = fmt::format("if ({})", text(s.cond->where));
            branch_step(s, std::move(cond), ct, entry, t, f);
            stmt_cfg(*s.body[0], t, exit);
            if (s.else_part) stmt_cfg(*s.else_part, f, exit);
            return;
        }
        case K::when: {
            TExpr cond = exprs_.lower(*s.cond, ctx());
            if (!cond.is_const() || cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, "'when' needs a constant bool condition (such as variant(x) or a constant)");
            decisions_.push_back(Decision{&s, cond.e.value != 0});
            if (cond.e.value) stmt_cfg(*s.body[0], entry, exit);
            else if (s.else_part) stmt_cfg(*s.else_part, entry, exit);
            else nodes_[entry].eps.push_back(exit);
            return;
        }
        case K::while_: {
            const std::uint32_t head = entry;
            const std::uint32_t test = hoist_cfg(s.cond.get(), head, s);
            TExpr cond = exprs_.lower(*s.cond, ctx());
            if (cond.t->kind != TypeKind::boolean)
                fail(sink_, s.cond->where, fmt::format("while needs a bool condition, found {}", type_name(cond.t)));
            if (cond.is_const()) decisions_.push_back(Decision{&s, cond.e.value != 0});
            if (cond.is_const() && !cond.e.value) {
                nodes_[test].eps.push_back(exit);
                return;
            }
            const std::uint32_t body = cond.is_const() ? test : new_node(s.body[0]->where);
            if (!cond.is_const()) {
                branch_step(s, std::move(cond), fmt::format("while ({})", text(s.cond->where)), test, body, exit);
            }
            pending_resets_.clear();
            ctx().hoisted.clear();
            loops_.push_back(LoopFrame{exit, head});
            stmt_cfg(*s.body[0], body, head);
            loops_.pop_back();
            return;
        }
        case K::for_: {
            const Symbol* sym = symbols_.find(ctx().module, s.for_type);
            if (!sym || sym->kind != SymKind::type) unknown(sink_, "type", s.for_type.str(), s.for_type.where, {});
            const Type* t = types_.named(*sym, exprs_);
            const auto n = domain_size(t);
            if (n <= 0 || t->kind == TypeKind::mutex || t->kind == TypeKind::kref)
                fail(sink_, s.for_type.where, fmt::format("cannot loop over {}", type_name(t)));
            // Over a scalarset, every node of iteration i (its entry included) records that it
            // visits element i, for the symmetry pass.
            count_unrolled(s, t);
            const ExpansionCounter::Scope unrolling(unrolled_, n);
            const bool over_scalarset = t->kind == TypeKind::scalarset;
            std::uint32_t cur = entry;
            for (std::int64_t i = 0; i < n; ++i) {
                if (unrolled_.exceeded()) throw Abandon{};  // a loop inside went past the limit
                if (over_scalarset) {
                    visiting_.push_back(LoopVisit{t->ss->table, i, &s});
                    nodes_[cur].visits = visiting_;
                }
                const std::uint32_t next = i + 1 == n ? exit : new_node(s.body[0]->where);
                ctx().scopes.emplace_back();
                ctx().scopes.back()[s.label] =
                    Binding{true, Value{t->kind == TypeKind::integer ? t->lo + i : i, t}, {}};
                loops_.push_back(LoopFrame{exit, next});
                stmt_cfg(*s.body[0], cur, next);
                loops_.pop_back();
                ctx().scopes.pop_back();
                if (over_scalarset) visiting_.pop_back();
                cur = next;
            }
            return;
        }
        case K::either: {
            for (const auto& br : s.branches) {
                const std::uint32_t b = new_node(br.empty() ? s.where : br.front()->where);
                nodes_[entry].eps.push_back(b);
                block_cfg(br, b, exit);
            }
            return;
        }
        case K::atomic: {
            ir::Fragment f;
            // Schedules match the short text; traces print the whole block (column diagrams
            // wrap it).
            const std::uint32_t id = statement(s, atomic_text(s, false));
            if (std::string whole = atomic_text(s, true); whole != statements_[id].text)
                statements_[id].full = std::move(whole);
            f.code.push_back(note(id));
            atomic_loops_.clear();
            atomic_body(s.body, f.code);
            check_loop_orders(f.code);
            add_resets(f.code);  // the block's call temporaries: states must not differ by them
            f.code.push_back(finish_to(exit));
            nodes_[entry].alts.push_back(std::move(f));
            return;
        }
        case K::return_: {
            if (frames_.empty()) {
                if (s.rhs) fail(sink_, s.rhs->where, "a process cannot return a value");
                nodes_[entry].eps.push_back(process_end_);
                return;
            }
            entry = hoist_cfg(s.rhs.get(), entry, s);
            ProcFrame& fr = frames_.back();
            std::vector<ir::Instr> code;
            return_code(s, fr, code);
            add_resets(code);
            if (code.empty()) {
                nodes_[entry].eps.push_back(fr.exit);
                return;
            }
            ir::Fragment f;
            f.code.push_back(note(statement(s)));
            for (auto& in : code) f.code.push_back(std::move(in));
            f.code.push_back(finish_to(fr.exit));
            nodes_[entry].alts.push_back(std::move(f));
            return;
        }
        case K::goto_: {
            auto& labels = frames_.empty() ? process_labels_ : frames_.back().labels;
            auto it = labels.find(s.label);
            if (it == labels.end()) {
                std::vector<std::string> cands;
                for (const auto& [l, _] : labels) cands.push_back(l);
                unknown(sink_, "label", s.label, s.label_where, cands);
            }
            nodes_[entry].eps.push_back(it->second);
            return;
        }
        case K::break_:
        case K::continue_: {
            if (loops_.empty())
                fail(sink_, s.where, fmt::format("'{}' outside a loop", s.kind == K::break_ ? "break" : "continue"));
            nodes_[entry].eps.push_back(s.kind == K::break_ ? loops_.back().brk : loops_.back().cont);
            return;
        }
        case K::labeled: {
            auto& labels = frames_.empty() ? process_labels_ : frames_.back().labels;
            auto found = labels.find(s.label);
            if (found == labels.end()) throw Abandon{};  // reported by collect_labels
            const std::uint32_t l = found->second;
            nodes_[entry].eps.push_back(l);
            if (nodes_[l].where == SourceRange{}) nodes_[l].where = s.body[0]->where;
            stmt_cfg(*s.body[0], l, exit);
            return;
        }
        default: IOMC_UNREACHABLE("a one-step statement that step_stmt() does not lower");
    }
}

/// Records in the BreachLog each scalarset loop of the atomic block just lowered into `code`
/// whose iterations do not commute (loop_order.hpp).
void StatementLowering::check_loop_orders(const std::vector<ir::Instr>& code) {
    for (const auto& l : atomic_loops_)
        if (auto why = order_dependence(code, l, slots_))
            breaches_.add(*l.scalarset,
                          fmt::format("the loop over {} visits its elements in order within one step, and {}",
                                      l.loop->for_type.str(), *why),
                          loop_head(*l.loop));
    atomic_loops_.clear();
}

std::string StatementLowering::atomic_text(const ast::Stmt& s, bool whole) const {
    std::string t = "atomic { ";
    for (std::size_t i = 0; i < s.body.size(); ++i) {
        std::string part = text(s.body[i]->where);
        if (!whole && t.size() + part.size() > 80) {
            t += "... ";
            break;
        }
        t += part + " ";
    }
    return t + "}";
}

void StatementLowering::branch_step(const ast::Stmt& s, TExpr cond, const std::string& ct, std::uint32_t entry,
                                    std::uint32_t t, std::uint32_t f) {
    ir::Fragment fr;
    insert_uaf_checks(fr.code, 0);  // the objects the condition reads
    const std::size_t b = fr.code.size();
    ir::Instr br;
    br.kind = ir::InstrKind::branch;
    br.a = std::move(cond.e);
    fr.code.push_back(std::move(br));
    // then-path
    fr.code[b].t1 = static_cast<std::uint32_t>(fr.code.size());
    fr.code.push_back(note(statement(s, ct + ": true")));
    add_resets(fr.code);
    fr.code.push_back(finish_to(t));
    fr.code[b].t2 = static_cast<std::uint32_t>(fr.code.size());
    fr.code.push_back(note(statement(s, ct + ": false")));
    add_resets(fr.code);
    fr.code.push_back(finish_to(f));
    nodes_[entry].alts.push_back(std::move(fr));
}

/// Lowers the calls inside `e` into temporaries, in CFG mode, from `entry`; returns the node
/// where the statement itself starts.
std::uint32_t StatementLowering::hoist_cfg(const ast::Expr* e, std::uint32_t entry, const ast::Stmt& s, bool skip_top) {
    if (!e) return entry;
    std::vector<const ast::Expr*> calls;
    find_calls(*e, calls, ctx());
    for (const ast::Expr* call : calls) {
        if (skip_top && call == e) continue;
        const Type* rt = call_result_type(*call);
        TExpr tmp = local_slot(call, rt, fmt::format("tmp{}", temp_counter_++), Initial{}, call->where, true);
        const std::uint32_t mid = new_node(call->where);
        call_cfg(*call, tmp, entry, mid, s);
        ctx().hoisted[call] = tmp;
        pending_resets_.emplace_back(tmp, slot_init(tmp));
        entry = mid;
    }
    return entry;
}

}  // namespace iomc::lang
