// SPDX-License-Identifier: MIT
#include "checker/lang/elaborate.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "checker/graph/dominators.hpp"
#include "checker/lang/constants.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/module.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"
#include "checker/lang/types.hpp"
#include "checker/support/check.hpp"

namespace iomc::lang {

namespace {

using support::SourceRange;

/// A CFG node while a process body is being built.
struct Node {
    std::vector<ir::Fragment> alts;   ///< alternative steps; each ends in finish(node)
    std::vector<std::uint32_t> eps;   ///< epsilon successors (no step)
    std::vector<std::string> labels;
    SourceRange where;
    bool terminal = false;
};

struct LoopFrame {
    std::uint32_t brk, cont;          ///< CFG mode: nodes
    std::vector<std::size_t>* brk_fix = nullptr;   ///< fragment mode: jump instrs to patch
    std::vector<std::size_t>* cont_fix = nullptr;
};

struct ProcFrame {
    const ast::Decl* decl = nullptr;
    std::size_t module = 0;
    std::uint32_t exit = 0;                       ///< CFG mode
    std::optional<TExpr> target;                  ///< where the return value goes
    std::vector<std::pair<TExpr, std::int64_t>> resets;  ///< locals and params to reset on return
    std::map<std::string, std::uint32_t> labels;  ///< CFG mode label nodes
    std::vector<std::size_t>* ret_fix = nullptr;  ///< fragment mode
    std::size_t scope_depth = 0;
};

class Elaborator {
public:
    Elaborator(const Model& m, const CompileOptions& o, support::DiagnosticSink& sink)
        : m_(m), opt_(o), sink_(sink), sm_(m.sources()), symbols_(m, sink), types_(symbols_, arena_, data_.layout, sink),
          constants_(symbols_, types_, sink), layout_(data_.layout, sink),
          exprs_(symbols_, constants_, types_, layout_, inst_info_, sm_, sink) {}

    std::unique_ptr<ir::TransitionSystem> run();

private:
    const Model& m_;
    const CompileOptions& opt_;
    support::DiagnosticSink& sink_;
    const support::SourceManager& sm_;
    TypeArena arena_;
    ir::TransitionSystem::Data data_;
    SymbolTable symbols_;
    TypeResolver types_;
    Constants constants_;
    LayoutBuilder layout_;
    std::vector<InstanceLocations> inst_info_;  ///< compiled instances, for `@` and `past`
    ExprLowering exprs_;

    // state
    std::int64_t instance_count_ = 0;
    std::vector<std::tuple<const ast::Decl*, std::vector<Value>, std::string>> instances_;

    // per process instance
    std::vector<Node> nodes_;
    std::vector<LoopFrame> loops_;
    std::vector<ProcFrame> frames_;
    std::map<const void*, TExpr> locals_;  ///< keyed by declaration, per instance
    std::uint32_t instance_ = 0;
    std::string instance_name_;
    const ast::Decl* process_decl_ = nullptr;
    std::map<std::string, std::uint32_t> process_labels_;
    std::uint32_t temp_counter_ = 0;
    std::vector<std::pair<TExpr, std::int64_t>> pending_resets_;
    std::vector<std::string> locals_in_order_;

    std::map<std::string, ir::PropertyId> named_asserts_;
    std::set<const ast::Decl*> called_;

    /// Every named assertion of every file is a property, whether or not a process reaches it
    /// in this variant (one that no process reaches holds), so expect lines can name it.
    void declare_named_assertions() {
        std::function<void(const ast::Stmt&, std::size_t)> walk = [&](const ast::Stmt& s, std::size_t mi) {
            if (s.kind == ast::StmtKind::assert_ && !s.label.empty()) {
                ExprContext c;
                c.module = mi;
                ctx_stack_.push_back(std::move(c));
                try {
                    assertion_property(s);
                } catch (const Abandon&) {
                }
                ctx_stack_.pop_back();
            }
            for (const auto& b : s.body) walk(*b, mi);
            for (const auto& br : s.branches)
                for (const auto& b : br) walk(*b, mi);
            if (s.else_part) walk(*s.else_part, mi);
        };
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi)
            for (const auto& d : symbols_.mod(mi).ast.decls)
                if (d.kind == ast::DeclKind::proc || d.kind == ast::DeclKind::process)
                    for (const auto& s : d.body) walk(*s, mi);
    }

    void check_uncalled_procs() {
        if (sink_.has_errors()) return;  // an error may have stopped before the call
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi)
            for (const auto& d : symbols_.mod(mi).ast.decls)
                if (d.kind == ast::DeclKind::proc && !called_.count(&d) && symbols_.mod(mi).is_root)
                    sink_.warning(d.name_where, fmt::format("procedure '{}' is never called; its body was not checked",
                                                            d.name));
    }

    std::string text(SourceRange r) const { return source_text(sm_, r); }

    // ------------------------------------------------------------------ statements
    ExprContext& ctx() { return ctx_stack_.back(); }
    std::vector<ExprContext> ctx_stack_;

    std::uint32_t new_node(SourceRange where) {
        nodes_.push_back(Node{});
        nodes_.back().where = where;
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    std::uint32_t statement(const ast::Stmt& s, std::string text_override = {}) {
        ir::Statement st;
        st.where = s.where;
        st.text = text_override.empty() ? stmt_text(s) : text_override;
        st.function = frames_.empty() ? process_decl_->name : frames_.back().decl->name;
        data_.statements.push_back(std::move(st));
        return static_cast<std::uint32_t>(data_.statements.size() - 1);
    }

    std::uint32_t synthetic_statement(SourceRange where, std::string text) {
        ir::Statement st;
        st.where = where;
        st.text = std::move(text);
        st.function = frames_.empty() ? process_decl_->name : frames_.back().decl->name;
        data_.statements.push_back(std::move(st));
        return static_cast<std::uint32_t>(data_.statements.size() - 1);
    }

    /// The nodes of a procedure body: its entry and every node created while compiling it.
    std::vector<std::uint32_t> body_nodes(std::uint32_t entry, std::uint32_t first) const {
        std::vector<std::uint32_t> out{entry};
        for (auto n = first; n < nodes_.size(); ++n)
            if (n != entry) out.push_back(n);
        return out;
    }

    /// What happens when a procedure body runs off its end: a procedure with a result reports a
    /// runtime error; one with locals or parameters to reset takes a step to reset them.
    void fall_off_code(const ProcFrame& fr, std::vector<ir::Instr>& code) {
        if (fr.decl->type) {
            ir::Instr chk;
            chk.kind = ir::InstrKind::check;
            chk.a = ir::Expr::constant(1);
            chk.prop = ir::prop_runtime_error;
            chk.message = message(fmt::format("procedure '{}' reached its end without returning a value",
                                              fr.decl->name));
            chk.stop = true;
            code.push_back(std::move(chk));
            return;
        }
        emit_resets(fr.resets, "local", code);
    }

    std::string stmt_text(const ast::Stmt& s) const {
        std::string t = text(s.where);
        if (t.size() > 1 && t.back() == ';') t.pop_back();
        if (t.size() > 90) t = t.substr(0, 87) + "...";
        return t;
    }

    ir::Instr note(std::uint32_t stmt) {
        ir::Instr in;
        in.kind = ir::InstrKind::note;
        in.stmt = stmt;
        return in;
    }

    ir::Instr finish_to(std::uint32_t node) {
        ir::Instr in;
        in.kind = ir::InstrKind::finish;
        in.t1 = node;
        return in;
    }

    /// Appends `lv = initial value` for each (lvalue, value) pair: dead locals and temporaries
    /// go back to their initial values so that states do not differ by them.
    static void emit_resets(const std::vector<std::pair<TExpr, std::int64_t>>& resets, const char* what,
                            std::vector<ir::Instr>& code) {
        for (const auto& [lv, v] : resets) {
            ir::Instr in;
            in.kind = ir::InstrKind::assign;
            in.target = lv.e;
            in.a = ir::Expr::constant(v);
            in.what = what;
            code.push_back(std::move(in));
        }
    }

    void add_resets(std::vector<ir::Instr>& code) { emit_resets(pending_resets_, "temporary", code); }

    /// Allocates a process-local slot (or reuses the one of an earlier call site).
    TExpr local_slot(const void* key, const Type* t, const std::string& name, std::optional<Value> init, SourceRange where) {
        if (auto it = locals_.find(key); it != locals_.end()) return it->second;
        if (t->kind == TypeKind::mutex) fail(sink_, where, "a mutex must be a global variable (locals are private)");
        const auto first = layout_.alloc(t, instance_name_ + "." + name, init, instance_, where);
        TExpr x = LayoutBuilder::storage(t, first);
        locals_[key] = x;
        return x;
    }

    std::int64_t slot_init(const TExpr& lv) const { return data_.layout.slot(lv.e.slot).init; }

    void bind_local(const std::string& name, TExpr lv, SourceRange where) {
        auto& sc = ctx().scopes.back();
        if (sc.count(name)) fail(sink_, where, fmt::format("'{}' is already declared in this scope", name));
        sc[name] = Binding{false, {}, std::move(lv)};
    }

    /// Collects calls (user procedures, kref_put) inside an expression, innermost first.
    void find_calls(const ast::Expr& e, std::vector<const ast::Expr*>& out, const ExprContext& c) {
        for (const auto& k : e.kids) find_calls(*k, out, c);
        if (e.kind != ast::ExprKind::call) return;
        if (ExprLowering::is_builtin(e.name)) {
            if (e.name.last() == "kref_put") out.push_back(&e);
            return;
        }
        const Symbol* s = nullptr;
        try {
            s = symbols_.find(c.module, e.name);
        } catch (const Abandon&) {
            return;
        }
        if (s && s->kind == SymKind::proc) out.push_back(&e);
    }

    /// Lowers the calls inside `e` into temporaries, in CFG mode, from `entry`; returns the node
    /// where the statement itself starts.
    std::uint32_t hoist_cfg(const ast::Expr* e, std::uint32_t entry, const ast::Stmt& s, bool skip_top = false) {
        if (!e) return entry;
        std::vector<const ast::Expr*> calls;
        find_calls(*e, calls, ctx());
        for (const ast::Expr* call : calls) {
            if (skip_top && call == e) continue;
            const Type* rt = call_result_type(*call);
            TExpr tmp = local_slot(call, rt, fmt::format("tmp{}", temp_counter_++), std::nullopt, call->where);
            const std::uint32_t mid = new_node(call->where);
            call_cfg(*call, tmp, entry, mid, s);
            ctx().hoisted[call] = tmp;
            pending_resets_.emplace_back(tmp, slot_init(tmp));
            entry = mid;
        }
        return entry;
    }

    void hoist_frag(const ast::Expr* e, std::vector<ir::Instr>& code, const ast::Stmt& s, bool skip_top = false) {
        if (!e) return;
        (void)s;
        std::vector<const ast::Expr*> calls;
        find_calls(*e, calls, ctx());
        for (const ast::Expr* call : calls) {
            if (skip_top && call == e) continue;
            const Type* rt = call_result_type(*call);
            TExpr tmp = local_slot(call, rt, fmt::format("tmp{}", temp_counter_++), std::nullopt, call->where);
            call_frag(*call, tmp, code);
            ctx().hoisted[call] = tmp;
            pending_resets_.emplace_back(tmp, slot_init(tmp));
        }
    }

    /// A call to a user procedure (not a built-in, not a scalarset conversion like Dev(0)).
    bool is_proc_call(const ast::Expr& e) {
        if (e.kind != ast::ExprKind::call || ExprLowering::is_builtin(e.name)) return false;
        const Symbol* sym = symbols_.find(ctx().module, e.name);
        return !sym || sym->kind == SymKind::proc;  // unknown names are reported by bind_call
    }

    /// A call the statement itself performs: a procedure call or kref_put as the whole right side.
    bool handles_top_call(const ast::Expr& e) {
        return is_proc_call(e) || (e.kind == ast::ExprKind::call && ExprLowering::is_builtin(e.name) && e.name.last() == "kref_put");
    }

    void reject_calls_in_await(const ast::Stmt& s) {
        std::vector<const ast::Expr*> calls;
        find_calls(*s.cond, calls, ctx());
        if (!calls.empty())
            fail(sink_, calls.front()->where, "await cannot call a procedure or kref_put (await re-evaluates its condition "
                                       "until it holds); call it before the await and test the result");
    }

    const Type* call_result_type(const ast::Expr& call) {
        if (ExprLowering::is_builtin(call.name)) return arena_.boolean();  // kref_put
        const Symbol* s = symbols_.find(ctx().module, call.name);
        if (!s->decl->type) fail(sink_, call.where, fmt::format("procedure '{}' returns no value", call.name.str()));
        return types_.resolve(s->module, *s->decl->type, exprs_);
    }

    const ast::Expr* stmt_expr(const ast::Stmt& s) const {
        switch (s.kind) {
            case ast::StmtKind::assign: return s.rhs.get();
            case ast::StmtKind::if_:
            case ast::StmtKind::while_:
            case ast::StmtKind::assert_: return s.cond.get();
            case ast::StmtKind::return_: return s.rhs.get();
            default: return nullptr;
        }
    }

    /// Lowers a simple statement (one step) into instructions. Returns false if `s` is not simple.
    bool lower_simple(const ast::Stmt& s, std::vector<ir::Instr>& code) {
        ExprContext& c = ctx();
        switch (s.kind) {
            case ast::StmtKind::assign: {
                TExpr lhs = exprs_.lower(*s.lhs, c);
                if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot assign to '{}'", text(s.lhs->where)));
                if (lhs.t->kind == TypeKind::mutex)
                    fail(sink_, s.lhs->where, fmt::format("cannot assign to mutex '{}'; use lock() and unlock()", text(s.lhs->where)));
                if (lhs.t->kind == TypeKind::kref)
                    fail(sink_, s.lhs->where, fmt::format("cannot assign to kref '{}'; use kref_init, kref_get or kref_put",
                                                   text(s.lhs->where)));
                if (lhs.t->kind == TypeKind::structure || lhs.t->kind == TypeKind::array)
                    fail(sink_, s.lhs->where, fmt::format("cannot assign a whole {}; assign its elements", type_name(lhs.t)));
                if (s.rhs->kind == ast::ExprKind::call && ExprLowering::is_builtin(s.rhs->name) && s.rhs->name.last() == "kref_put") {
                    if (lhs.t->kind != TypeKind::boolean)
                        fail(sink_, s.lhs->where, fmt::format("kref_put() gives a bool, but '{}' is {}", text(s.lhs->where),
                                                       type_name(lhs.t)));
                    kref_op(*s.rhs, code, &lhs);
                    return true;
                }
                TExpr rhs = exprs_.lower(*s.rhs, c);
                if (s.assign_op != ast::AssignOp::set) {
                    if (lhs.t->kind != TypeKind::integer || rhs.t->kind != TypeKind::integer)
                        fail(sink_, s.where, fmt::format("'{}' needs integers", s.assign_op == ast::AssignOp::add ? "+=" : "-="));
                    rhs = exprs_.binary_fold(s.assign_op == ast::AssignOp::add ? ir::ExprOp::add : ir::ExprOp::sub, lhs, std::move(rhs),
                                      arena_.integer(), s.where);
                } else if (!assignable(lhs.t, rhs.t)) {
                    fail(sink_, s.rhs->where, fmt::format("cannot assign a value of type {} to '{}' of type {}", type_name(rhs.t),
                                                   text(s.lhs->where), type_name(lhs.t)));
                }
                if (rhs.is_const()) {
                    const auto d = layout_.domain(lhs.t);
                    if (rhs.e.value < d.lo || rhs.e.value > d.hi)
                        fail(sink_, s.rhs->where, fmt::format("value {} is out of range {} of '{}'", rhs.e.value,
                                                       type_name(lhs.t), text(s.lhs->where)));
                }
                ir::Instr in;
                in.kind = ir::InstrKind::assign;
                in.target = std::move(lhs.e);
                in.a = std::move(rhs.e);
                in.what = text(s.lhs->where);
                code.push_back(std::move(in));
                return true;
            }
            case ast::StmtKind::await: {
                TExpr cond = exprs_.lower(*s.cond, c);
                if (cond.t->kind != TypeKind::boolean)
                    fail(sink_, s.cond->where, fmt::format("await needs a bool condition, found {}", type_name(cond.t)));
                ir::Instr in;
                in.kind = ir::InstrKind::guard;
                in.a = std::move(cond.e);
                code.push_back(std::move(in));
                return true;
            }
            case ast::StmtKind::assert_: {
                TExpr cond = exprs_.lower(*s.cond, c);
                if (cond.t->kind != TypeKind::boolean)
                    fail(sink_, s.cond->where, fmt::format("assert needs a bool condition, found {}", type_name(cond.t)));
                ir::Instr in;
                in.kind = ir::InstrKind::check;
                in.a = cond.is_const() ? ir::Expr::constant(!cond.e.value) : ir::Expr::unary(ir::ExprOp::not_, std::move(cond.e));
                in.prop = assertion_property(s);
                in.message = message(fmt::format("assertion '{}' failed", text(s.cond->where)));
                code.push_back(std::move(in));
                return true;
            }
            case ast::StmtKind::choose: {
                TExpr lhs = exprs_.lower(*s.lhs, c);
                if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot choose a value for '{}'", text(s.lhs->where)));
                if (lhs.t->kind == TypeKind::mutex || lhs.t->kind == TypeKind::kref || lhs.t->kind == TypeKind::structure ||
                    lhs.t->kind == TypeKind::array)
                    fail(sink_, s.lhs->where, fmt::format("choose needs a scalar variable, found {}", type_name(lhs.t)));
                ir::Instr in;
                in.kind = ir::InstrKind::choose;
                in.target = std::move(lhs.e);
                in.what = text(s.lhs->where);
                code.push_back(std::move(in));
                return true;
            }
            case ast::StmtKind::call: {
                if (!ExprLowering::is_builtin(s.rhs->name)) return false;
                kref_or_lock(*s.rhs, code);
                return true;
            }
            case ast::StmtKind::skip: return true;
            default: return false;
        }
    }

    std::uint32_t message(std::string m) {
        for (std::size_t i = 0; i < data_.messages.size(); ++i)
            if (data_.messages[i] == m) return static_cast<std::uint32_t>(i);
        data_.messages.push_back(std::move(m));
        return static_cast<std::uint32_t>(data_.messages.size() - 1);
    }

    ir::PropertyId assertion_property(const ast::Stmt& s) {
        if (s.label.empty()) return ir::prop_assertions;
        for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i)
            if (data_.properties[i].name == s.label)
                fail(sink_, s.label_where, fmt::format("'{}' is the name of a built-in property; name the assertion "
                                                "differently", s.label));
        const std::string name = symbols_.qualified(ctx().module, s.label);
        if (auto it = named_asserts_.find(name); it != named_asserts_.end()) return it->second;
        ir::Property p;
        p.id = ir::PropertyId{static_cast<std::uint32_t>(data_.properties.size())};
        p.name = name;
        p.kind = ir::PropertyKind::assertion;
        p.where = s.label_where;
        data_.properties.push_back(p);
        named_asserts_[name] = p.id;
        return p.id;
    }

    void kref_or_lock(const ast::Expr& call, std::vector<ir::Instr>& code) {
        const auto& f = call.name.last();
        if (f == "locked" || f == "held") fail(sink_, call.where, fmt::format("{}() is a test; use it in a condition", f));
        if (f == "kref_init" || f == "kref_get" || f == "kref_put") {
            kref_op(call, code, nullptr);
            return;
        }
        if (call.kids.size() != 1) fail(sink_, call.where, fmt::format("{}() takes one mutex", f));
        TExpr m = exprs_.lower(*call.kids[0], ctx());
        if (m.t->kind != TypeKind::mutex)
            fail(sink_, call.kids[0]->where, fmt::format("{}() needs a mutex, found '{}' of type {}", f, text(call.kids[0]->where),
                                                  type_name(m.t)));
        ir::Instr in;
        in.kind = f == "lock" ? ir::InstrKind::lock : ir::InstrKind::unlock;
        in.target = std::move(m.e);
        in.self = ctx().self;
        in.what = text(call.kids[0]->where);
        code.push_back(std::move(in));
    }

    void kref_op(const ast::Expr& call, std::vector<ir::Instr>& code, const TExpr* result) {
        const auto& f = call.name.last();
        if (call.kids.size() != 1) fail(sink_, call.where, fmt::format("{}() takes one kref", f));
        TExpr r = exprs_.lower(*call.kids[0], ctx());
        if (r.t->kind != TypeKind::kref)
            fail(sink_, call.kids[0]->where, fmt::format("{}() needs a kref, found '{}' of type {}", f, text(call.kids[0]->where),
                                                  type_name(r.t)));
        ir::Instr in;
        in.kind = f == "kref_init" ? ir::InstrKind::kref_init
                  : f == "kref_get" ? ir::InstrKind::kref_get : ir::InstrKind::kref_put;
        in.target = std::move(r.e);
        in.what = text(call.kids[0]->where);
        if (result) {
            in.result = result->e;
            in.has_result = true;
        }
        code.push_back(std::move(in));
    }

    // ---- CFG mode
    void block_cfg(const std::vector<ast::StmtPtr>& body, std::uint32_t entry, std::uint32_t exit) {
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

    void stmt_cfg(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
        try {
            stmt_cfg_inner(s, entry, exit);
        } catch (const Abandon&) {
            nodes_[entry].eps.push_back(exit);  // keep the graph connected after an error
        }
        ctx().hoisted.clear();
        pending_resets_.clear();
    }

    void simple_step(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
        ir::Fragment f;
        f.code.push_back(note(statement(s)));
        lower_simple(s, f.code);
        add_resets(f.code);
        f.code.push_back(finish_to(exit));
        nodes_[entry].alts.push_back(std::move(f));
    }

    void stmt_cfg_inner(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit) {
        using K = ast::StmtKind;
        if (nodes_[entry].where == SourceRange{}) nodes_[entry].where = s.where;
        switch (s.kind) {
            case K::block: block_cfg(s.body, entry, exit); return;
            case K::var_decl: {
                declare_local(*s.decl);
                nodes_[entry].eps.push_back(exit);
                return;
            }
            case K::assign:
                entry = hoist_cfg(s.rhs.get(), entry, s, handles_top_call(*s.rhs));
                entry = hoist_cfg(s.lhs.get(), entry, s);
                if (is_proc_call(*s.rhs)) {
                    TExpr lhs = exprs_.lower(*s.lhs, ctx());
                    if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot assign to '{}'", text(s.lhs->where)));
                    call_cfg(*s.rhs, lhs, entry, exit, s);
                    return;
                }
                simple_step(s, entry, exit);
                return;
            case K::await:
                reject_calls_in_await(s);
                simple_step(s, entry, exit);
                return;
            case K::choose:
                entry = hoist_cfg(s.lhs.get(), entry, s);
                simple_step(s, entry, exit);
                return;
            case K::skip:
                simple_step(s, entry, exit);
                return;
            case K::assert_:
                entry = hoist_cfg(s.cond.get(), entry, s);
                simple_step(s, entry, exit);
                return;
            case K::call:
                entry = hoist_cfg(s.rhs.get(), entry, s, true);
                if (ExprLowering::is_builtin(s.rhs->name)) {
                    simple_step(s, entry, exit);
                    return;
                }
                call_cfg(*s.rhs, std::nullopt, entry, exit, s);
                return;
            case K::if_: {
                entry = hoist_cfg(s.cond.get(), entry, s);
                TExpr cond = exprs_.lower(*s.cond, ctx());
                if (cond.t->kind != TypeKind::boolean)
                    fail(sink_, s.cond->where, fmt::format("if needs a bool condition, found {}", type_name(cond.t)));
                if (cond.is_const()) {
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
                std::uint32_t cur = entry;
                for (std::int64_t i = 0; i < n; ++i) {
                    const std::uint32_t next = i + 1 == n ? exit : new_node(s.body[0]->where);
                    ctx().scopes.emplace_back();
                    ctx().scopes.back()[s.label] = Binding{true, Value{t->kind == TypeKind::integer ? t->lo + i : i, t}, {}};
                    loops_.push_back(LoopFrame{exit, next});
                    stmt_cfg(*s.body[0], cur, next);
                    loops_.pop_back();
                    ctx().scopes.pop_back();
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
                f.code.push_back(note(statement(s, atomic_text(s))));
                atomic_body(s.body, f.code);
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
                if (loops_.empty()) fail(sink_, s.where, fmt::format("'{}' outside a loop", s.kind == K::break_ ? "break" : "continue"));
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
        }
    }

    std::string atomic_text(const ast::Stmt& s) const {
        std::string t = "atomic { ";
        for (std::size_t i = 0; i < s.body.size(); ++i) {
            std::string part = text(s.body[i]->where);
            if (t.size() + part.size() > 80) {
                t += "... ";
                break;
            }
            t += part + " ";
        }
        return t + "}";
    }

    void branch_step(const ast::Stmt& s, TExpr cond, const std::string& ct, std::uint32_t entry, std::uint32_t t,
                     std::uint32_t f) {
        ir::Fragment fr;
        ir::Instr br;
        br.kind = ir::InstrKind::branch;
        br.a = std::move(cond.e);
        fr.code.push_back(std::move(br));
        // then-path
        fr.code[0].t1 = static_cast<std::uint32_t>(fr.code.size());
        fr.code.push_back(note(statement(s, ct + ": true")));
        add_resets(fr.code);
        fr.code.push_back(finish_to(t));
        fr.code[0].t2 = static_cast<std::uint32_t>(fr.code.size());
        fr.code.push_back(note(statement(s, ct + ": false")));
        add_resets(fr.code);
        fr.code.push_back(finish_to(f));
        nodes_[entry].alts.push_back(std::move(fr));
    }

    void declare_local(const ast::VarDecl& d) {
        if (!loops_.empty())
            // Reported, and the variable is still declared so its uses do not cascade.
            sink_.error(d.where, fmt::format("'{}' is declared inside a loop; locals are initialized once (when the "
                                             "process starts, or when the procedure is entered) so declare it before "
                                             "the loop", d.name));
        const Type* t = types_.resolve(ctx().module, *d.type, exprs_);
        std::optional<Value> init;
        if (d.init) init = exprs_.eval_const(*d.init, ctx().module);
        const std::string name = frames_.empty() ? d.name : frames_.back().decl->name + "." + d.name;
        TExpr lv = local_slot(&d, t, name, init, d.where);
        bind_local(d.name, lv, d.where);
        if (!frames_.empty()) {
            if (t->kind == TypeKind::structure || t->kind == TypeKind::array) {
                // Reset every leaf of an aggregate local.
                for (std::uint32_t k = 0; k < leaf_count(t); ++k) {
                    TExpr leaf = lv;
                    leaf.e.slot = ir::SlotId{ir::idx(lv.e.slot) + k};
                    frames_.back().resets.emplace_back(leaf, data_.layout.slot(leaf.e.slot).init);
                }
            } else {
                frames_.back().resets.emplace_back(lv, slot_init(lv));
            }
        }
    }

    void return_code(const ast::Stmt& s, ProcFrame& fr, std::vector<ir::Instr>& code) {
        const ast::Decl* d = fr.decl;
        if (s.rhs && !d->type) fail(sink_, s.rhs->where, fmt::format("procedure '{}' returns no value", d->name));
        if (!s.rhs && d->type) fail(sink_, s.where, fmt::format("procedure '{}' must return a value", d->name));
        if (s.rhs && fr.target) {
            TExpr v = exprs_.lower(*s.rhs, ctx());
            const Type* rt = types_.resolve(fr.module, *d->type, exprs_);
            if (!assignable(rt, v.t))
                fail(sink_, s.rhs->where, fmt::format("returns {} from procedure '{}' declared to return {}", type_name(v.t),
                                               d->name, type_name(rt)));
            if (!assignable(fr.target->t, v.t))
                fail(sink_, s.rhs->where, fmt::format("the caller stores the result in a variable of type {}",
                                               type_name(fr.target->t)));
            ir::Instr in;
            in.kind = ir::InstrKind::assign;
            in.target = fr.target->e;
            in.a = std::move(v.e);
            in.what = "return value";
            code.push_back(std::move(in));
        } else if (s.rhs) {
            TExpr v = exprs_.lower(*s.rhs, ctx());  // type-check even when the caller ignores it
            (void)v;
        }
        emit_resets(fr.resets, "local", code);
    }

    void collect_labels(const std::vector<ast::StmtPtr>& body, std::map<std::string, std::uint32_t>& out) {
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

    /// Checks arguments and binds parameters of a call; returns the assignments for
    /// non-constant arguments.
    const Symbol& bind_call(const ast::Expr& call, ProcFrame& fr, Scope& scope, std::vector<ir::Instr>& assigns) {
        const Symbol* s = symbols_.find(ctx().module, call.name);
        if (!s || s->kind != SymKind::proc) {
            std::vector<std::string> cands;
            for (const auto& [name, sym] : symbols_.in(symbols_.resolve_module(ctx().module, call.name)))
                if (sym.kind == SymKind::proc) cands.push_back(name);
            unknown(sink_, "procedure", call.name.str(), call.name.where, cands);
        }
        const ast::Decl* d = s->decl;
        called_.insert(d);
        for (const auto& f : frames_)
            if (f.decl == d)
                fail(sink_, call.where, fmt::format("recursive call to '{}' (procedures are inlined; recursion is not supported)",
                                             d->name));
        if (call.kids.size() != d->params.size())
            fail(sink_, call.where, fmt::format("'{}' takes {} argument{}, found {}", d->name, d->params.size(),
                                         d->params.size() == 1 ? "" : "s", call.kids.size()));
        for (std::size_t i = 0; i < d->params.size(); ++i) {
            const Type* pt = types_.resolve(s->module, *d->params[i].type, exprs_);
            TExpr a = exprs_.lower(*call.kids[i], ctx());
            if (pt->kind == TypeKind::integer ? a.t->kind != TypeKind::integer : !assignable(pt, a.t))
                fail(sink_, call.kids[i]->where, fmt::format("argument {} of '{}' must be {}, found {}", i + 1, d->name,
                                                      type_name(pt), type_name(a.t)));
            if (a.is_const()) {
                const auto dom = layout_.domain(pt);
                if (a.e.value < dom.lo || a.e.value > dom.hi)
                    fail(sink_, call.kids[i]->where, fmt::format("argument {} of '{}' is {}, outside {}", i + 1, d->name,
                                                          a.e.value, type_name(pt)));
                scope[d->params[i].name] = Binding{true, Value{a.e.value, pt}, {}};
            } else {
                TExpr p = local_slot(&d->params[i], pt, d->name + "." + d->params[i].name, std::nullopt, d->params[i].where);
                ir::Instr in;
                in.kind = ir::InstrKind::assign;
                in.target = p.e;
                in.a = std::move(a.e);
                in.what = d->params[i].name;
                assigns.push_back(std::move(in));
                scope[d->params[i].name] = Binding{false, {}, p};
                fr.resets.emplace_back(p, slot_init(p));
            }
        }
        fr.decl = d;
        fr.module = s->module;
        return *s;
    }

    void call_cfg(const ast::Expr& call, std::optional<TExpr> target, std::uint32_t entry, std::uint32_t exit,
                  const ast::Stmt& s) {
        ProcFrame fr;
        Scope scope;
        std::vector<ir::Instr> assigns;
        bind_call(call, fr, scope, assigns);
        if (target && !fr.decl->type)
            fail(sink_, call.where, fmt::format("procedure '{}' returns no value", fr.decl->name));
        if (target) {
            const Type* rt = types_.resolve(fr.module, *fr.decl->type, exprs_);
            if (!assignable(target->t, rt))
                fail(sink_, call.where, fmt::format("'{}' returns {}, which cannot be stored in {}", fr.decl->name,
                                             type_name(rt), type_name(target->t)));
        }
        fr.target = std::move(target);
        fr.exit = exit;
        std::uint32_t body_entry = entry;
        if (!assigns.empty()) {
            body_entry = new_node(call.where);
            ir::Fragment f;
            f.code.push_back(note(statement(s, text(call.where))));
            for (auto& in : assigns) f.code.push_back(std::move(in));
            add_resets(f.code);  // temporaries of nested calls are consumed here
            f.code.push_back(finish_to(body_entry));
            nodes_[entry].alts.push_back(std::move(f));
        }
        // The body runs in the procedure's own module, with only its parameters in scope.
        ExprContext inner;
        inner.module = fr.module;
        inner.self = ctx().self;
        inner.scopes.push_back(std::move(scope));
        ctx_stack_.push_back(std::move(inner));
        auto saved_resets = std::move(pending_resets_);
        pending_resets_.clear();
        auto saved_loops = std::move(loops_);
        loops_.clear();
        frames_.push_back(std::move(fr));
        collect_labels(frames_.back().decl->body, frames_.back().labels);
        try {
            const std::uint32_t fall = new_node(frames_.back().decl->where);
            const auto first_body_node = static_cast<std::uint32_t>(nodes_.size());
            block_cfg(frames_.back().decl->body, body_entry, fall);
            std::vector<ir::Instr> code;
            fall_off_code(frames_.back(), code);
            // A procedure without a result resets its locals in the steps that leave its body,
            // so running off the end costs no step of its own unless something jumps there
            // without a step (an epsilon edge).
            bool eps_to_fall = body_entry == fall;
            for (std::uint32_t n = first_body_node; n < nodes_.size(); ++n)
                for (auto e : nodes_[n].eps) eps_to_fall = eps_to_fall || e == fall;
            for (auto e : nodes_[body_entry].eps) eps_to_fall = eps_to_fall || e == fall;
            if (!frames_.back().decl->type && !code.empty() && !eps_to_fall) {
                for (std::uint32_t n : body_nodes(body_entry, first_body_node)) {
                    for (auto& alt : nodes_[n].alts) {
                        std::vector<ir::Instr> out;
                        for (auto& in : alt.code) {
                            if (in.kind == ir::InstrKind::finish && in.t1 == fall)
                                for (const auto& r : code) out.push_back(r);
                            out.push_back(std::move(in));
                        }
                        alt.code = std::move(out);
                    }
                }
                code.clear();
            }
            if (code.empty()) {
                nodes_[fall].eps.push_back(exit);
            } else {
                ir::Fragment f;
                f.code.push_back(note(synthetic_statement(frames_.back().decl->where,
                                                          fmt::format("end of {}", frames_.back().decl->name))));
                for (auto& in : code) f.code.push_back(std::move(in));
                f.code.push_back(finish_to(exit));
                nodes_[fall].alts.push_back(std::move(f));
            }
        } catch (...) {
            frames_.pop_back();
            ctx_stack_.pop_back();
            loops_ = std::move(saved_loops);
            throw;
        }
        frames_.pop_back();
        ctx_stack_.pop_back();
        loops_ = std::move(saved_loops);
        pending_resets_ = std::move(saved_resets);
    }

    // ---- fragment mode (atomic blocks)
    struct FragLabels {
        std::map<std::string, std::size_t> at;
        std::vector<std::pair<std::size_t, const ast::Stmt*>> gotos;
    };
    std::vector<FragLabels> frag_labels_;

    void atomic_body(const std::vector<ast::StmtPtr>& body, std::vector<ir::Instr>& code) {
        frag_labels_.emplace_back();
        auto saved_loops = std::move(loops_);
        loops_.clear();
        ctx().scopes.emplace_back();
        for (const auto& s : body) stmt_frag(*s, code);
        ctx().scopes.pop_back();
        loops_ = std::move(saved_loops);
        auto labels = std::move(frag_labels_.back());
        frag_labels_.pop_back();
        for (const auto& [at, s] : labels.gotos) {
            auto it = labels.at.find(s->label);
            if (it == labels.at.end()) {
                std::vector<std::string> cands;
                for (const auto& [l, _] : labels.at) cands.push_back(l);
                auto& d = sink_.error(s->label_where, fmt::format("unknown label '{}' in this atomic block", s->label));
                d.notes.push_back({std::nullopt, "goto inside an atomic block can only reach labels in the same block"});
                continue;
            }
            code[at].t1 = static_cast<std::uint32_t>(it->second);
        }
    }

    static std::size_t emit_jump(std::vector<ir::Instr>& code) {
        ir::Instr j;
        j.kind = ir::InstrKind::jump;
        code.push_back(std::move(j));
        return code.size() - 1;
    }

    void stmt_frag(const ast::Stmt& s, std::vector<ir::Instr>& code) {
        using K = ast::StmtKind;
        auto here = [&] { return static_cast<std::uint32_t>(code.size()); };
        switch (s.kind) {
            case K::block:
                ctx().scopes.emplace_back();
                for (const auto& b : s.body) stmt_frag(*b, code);
                ctx().scopes.pop_back();
                return;
            case K::var_decl: declare_local(*s.decl); return;
            case K::assign:
                hoist_frag(s.rhs.get(), code, s, handles_top_call(*s.rhs));
                hoist_frag(s.lhs.get(), code, s);
                if (is_proc_call(*s.rhs)) {
                    TExpr lhs = exprs_.lower(*s.lhs, ctx());
                    if (!lhs.lvalue) fail(sink_, s.lhs->where, fmt::format("cannot assign to '{}'", text(s.lhs->where)));
                    call_frag(*s.rhs, lhs, code);
                    return;
                }
                lower_simple(s, code);
                return;
            case K::assert_:
                hoist_frag(s.cond.get(), code, s);
                lower_simple(s, code);
                return;
            case K::await:
                reject_calls_in_await(s);
                lower_simple(s, code);
                return;
            case K::choose:
                hoist_frag(s.lhs.get(), code, s);
                lower_simple(s, code);
                return;
            case K::skip:
                lower_simple(s, code);
                return;
            case K::call:
                hoist_frag(s.rhs.get(), code, s, true);
                if (ExprLowering::is_builtin(s.rhs->name)) {
                    lower_simple(s, code);
                    return;
                }
                call_frag(*s.rhs, std::nullopt, code);
                return;
            case K::if_:
            case K::when: {
                hoist_frag(s.cond.get(), code, s);
                TExpr cond = exprs_.lower(*s.cond, ctx());
                if (cond.t->kind != TypeKind::boolean)
                    fail(sink_, s.cond->where, fmt::format("condition must be bool, found {}", type_name(cond.t)));
                if (s.kind == K::when && !cond.is_const())
                    fail(sink_, s.cond->where, "'when' needs a constant bool condition (such as variant(x) or a constant)");
                if (cond.is_const()) {
                    if (cond.e.value) stmt_frag(*s.body[0], code);
                    else if (s.else_part) stmt_frag(*s.else_part, code);
                    return;
                }
                ir::Instr br;
                br.kind = ir::InstrKind::branch;
                br.a = std::move(cond.e);
                code.push_back(std::move(br));
                const std::size_t b = code.size() - 1;
                code[b].t1 = here();
                stmt_frag(*s.body[0], code);
                const std::size_t j = emit_jump(code);
                code[b].t2 = here();
                if (s.else_part) stmt_frag(*s.else_part, code);
                code[j].t1 = here();
                return;
            }
            case K::while_: {
                const std::uint32_t head = here();
                hoist_frag(s.cond.get(), code, s);
                TExpr cond = exprs_.lower(*s.cond, ctx());
                if (cond.t->kind != TypeKind::boolean)
                    fail(sink_, s.cond->where, fmt::format("while needs a bool condition, found {}", type_name(cond.t)));
                std::vector<std::size_t> brk, cont;
                std::size_t b = SIZE_MAX;
                if (!cond.is_const() || !cond.e.value) {
                    ir::Instr br;
                    br.kind = ir::InstrKind::branch;
                    br.a = std::move(cond.e);
                    code.push_back(std::move(br));
                    b = code.size() - 1;
                    code[b].t1 = here();
                }
                loops_.push_back(LoopFrame{0, 0, &brk, &cont});
                stmt_frag(*s.body[0], code);
                loops_.pop_back();
                const std::size_t back = emit_jump(code);
                code[back].t1 = head;
                if (b != SIZE_MAX) code[b].t2 = here();
                for (auto x : brk) code[x].t1 = here();
                for (auto x : cont) code[x].t1 = head;
                return;
            }
            case K::for_: {
                const Symbol* sym = symbols_.find(ctx().module, s.for_type);
                if (!sym || sym->kind != SymKind::type) unknown(sink_, "type", s.for_type.str(), s.for_type.where, {});
                const Type* t = types_.named(*sym, exprs_);
                std::vector<std::size_t> brk;
                for (std::int64_t i = 0; i < domain_size(t); ++i) {
                    std::vector<std::size_t> cont;
                    ctx().scopes.emplace_back();
                    ctx().scopes.back()[s.label] = Binding{true, Value{t->kind == TypeKind::integer ? t->lo + i : i, t}, {}};
                    loops_.push_back(LoopFrame{0, 0, &brk, &cont});
                    stmt_frag(*s.body[0], code);
                    loops_.pop_back();
                    ctx().scopes.pop_back();
                    for (auto x : cont) code[x].t1 = here();
                }
                for (auto x : brk) code[x].t1 = here();
                return;
            }
            case K::either: {
                ir::Instr fk;
                fk.kind = ir::InstrKind::fork;
                code.push_back(std::move(fk));
                const std::size_t f = code.size() - 1;
                std::vector<std::size_t> ends;
                for (const auto& br : s.branches) {
                    code[f].targets.push_back(here());
                    ctx().scopes.emplace_back();
                    for (const auto& b : br) stmt_frag(*b, code);
                    ctx().scopes.pop_back();
                    ends.push_back(emit_jump(code));
                }
                for (auto x : ends) code[x].t1 = here();
                return;
            }
            case K::atomic:
                ctx().scopes.emplace_back();
                for (const auto& b : s.body) stmt_frag(*b, code);
                ctx().scopes.pop_back();
                return;
            case K::return_: {
                if (frames_.empty() || !frames_.back().ret_fix)
                    fail(sink_, s.where, "return inside an atomic block must be inside a procedure called from that block");
                hoist_frag(s.rhs.get(), code, s);
                return_code(s, frames_.back(), code);
                frames_.back().ret_fix->push_back(emit_jump(code));
                return;
            }
            case K::goto_:
                frag_labels_.back().gotos.emplace_back(emit_jump(code), &s);
                return;
            case K::break_:
            case K::continue_:
                if (loops_.empty() || !loops_.back().brk_fix)
                    fail(sink_, s.where, fmt::format("'{}' outside a loop", s.kind == K::break_ ? "break" : "continue"));
                (s.kind == K::break_ ? loops_.back().brk_fix : loops_.back().cont_fix)->push_back(emit_jump(code));
                return;
            case K::labeled:
                if (!frag_labels_.back().at.emplace(s.label, code.size()).second)
                    sink_.error(s.label_where, fmt::format("label '{}' is declared twice", s.label));
                stmt_frag(*s.body[0], code);
                return;
        }
    }

    void call_frag(const ast::Expr& call, std::optional<TExpr> target, std::vector<ir::Instr>& code) {
        ProcFrame fr;
        Scope scope;
        std::vector<ir::Instr> assigns;
        bind_call(call, fr, scope, assigns);
        if (target && !fr.decl->type) fail(sink_, call.where, fmt::format("procedure '{}' returns no value", fr.decl->name));
        fr.target = std::move(target);
        for (auto& in : assigns) code.push_back(std::move(in));
        std::vector<std::size_t> rets;
        fr.ret_fix = &rets;
        ExprContext inner;
        inner.module = fr.module;
        inner.self = ctx().self;
        inner.scopes.push_back(std::move(scope));
        ctx_stack_.push_back(std::move(inner));
        frames_.push_back(std::move(fr));
        frag_labels_.emplace_back();
        auto saved_loops = std::move(loops_);
        loops_.clear();
        try {
            for (const auto& s : frames_.back().decl->body) stmt_frag(*s, code);
            fall_off_code(frames_.back(), code);
        } catch (...) {
            loops_ = std::move(saved_loops);
            frag_labels_.pop_back();
            frames_.pop_back();
            ctx_stack_.pop_back();
            throw;
        }
        loops_ = std::move(saved_loops);
        auto labels = std::move(frag_labels_.back());
        frag_labels_.pop_back();
        for (const auto& [at, s] : labels.gotos) {
            auto it = labels.at.find(s->label);
            if (it == labels.at.end()) {
                sink_.error(s->label_where, fmt::format("unknown label '{}'", s->label));
                continue;
            }
            code[at].t1 = static_cast<std::uint32_t>(it->second);
        }
        for (auto x : rets) code[x].t1 = static_cast<std::uint32_t>(code.size());
        frames_.pop_back();
        ctx_stack_.pop_back();
    }

    // ------------------------------------------------------------------ processes
    std::uint32_t process_end_ = 0;

    void count_instances() {
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi) {
            for (const auto& d : symbols_.mod(mi).ast.decls) {
                if (d.kind != ast::DeclKind::process) continue;
                try {
                    std::vector<std::vector<Value>> combos{{}};
                    for (const auto& p : d.params) {
                        const Type* t = types_.resolve(mi, *p.type, exprs_);
                        if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration &&
                            t->kind != TypeKind::integer && t->kind != TypeKind::boolean)
                            fail(sink_, p.where, fmt::format("a process parameter must be a scalarset, an enum, a range or "
                                                      "bool, not {}", type_name(t)));
                        if (t->optional) fail(sink_, p.where, "a process parameter cannot be optional");
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
                        std::string name = symbols_.qualified(mi, d.name);
                        if (!d.params.empty()) {
                            name += "(";
                            for (std::size_t i = 0; i < c.size(); ++i) {
                                if (i) name += ",";
                                name += index_name(c[i].t, c[i].t->kind == TypeKind::integer ? c[i].v - c[i].t->lo : c[i].v);
                            }
                            name += ")";
                        }
                        instances_.emplace_back(&d, std::move(c), std::move(name));
                    }
                } catch (const Abandon&) {
                }
            }
        }
        instance_count_ = static_cast<std::int64_t>(instances_.size());
        layout_.set_instance_count(instance_count_);
        for (const auto& [d, p, name] : instances_) data_.layout.process_names.push_back(name);
    }

    std::size_t module_of(const ast::Decl* d) const {
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi)
            for (const auto& x : symbols_.mod(mi).ast.decls)
                if (&x == d) return mi;
        IOMC_UNREACHABLE("declaration without module");
    }

    void compile_process(std::uint32_t inst) {
        const auto& [d, params, name] = instances_[inst];
        process_decl_ = d;
        instance_ = inst;
        instance_name_ = name;
        nodes_.clear();
        locals_.clear();
        loops_.clear();
        frames_.clear();
        process_labels_.clear();
        temp_counter_ = 0;
        ExprContext c;
        c.module = module_of(d);
        c.self = inst;
        c.scopes.emplace_back();
        for (std::size_t i = 0; i < params.size(); ++i) c.scopes.back()[d->params[i].name] = Binding{true, params[i], {}};
        ctx_stack_.clear();
        ctx_stack_.push_back(std::move(c));
        const std::uint32_t entry = new_node(SourceRange{});  // takes the first statement's place
        process_end_ = new_node(d->where);
        nodes_[process_end_].terminal = true;
        collect_labels(d->body, process_labels_);
        block_cfg(d->body, entry, process_end_);
        finish_process(inst, name, d);
    }

    /// Follows pure forwarding nodes (no steps, one epsilon edge).
    std::uint32_t canonical(std::uint32_t n) {
        std::uint32_t x = n;
        std::size_t guard = 0;
        while (nodes_[x].alts.empty() && nodes_[x].eps.size() == 1 && !nodes_[x].terminal) {
            x = nodes_[x].eps[0];
            if (++guard > nodes_.size())
                fail(sink_, nodes_[n].where, "this loop has no step (an empty loop body, or gotos in a cycle with nothing between)");
        }
        return x;
    }

    std::vector<const ir::Fragment*> closure(std::uint32_t n) {
        std::vector<const ir::Fragment*> out;
        std::vector<char> seen(nodes_.size(), 0);
        std::function<void(std::uint32_t)> go = [&](std::uint32_t x) {
            if (seen[x]) return;
            seen[x] = 1;
            for (const auto& f : nodes_[x].alts) out.push_back(&f);
            for (auto e : nodes_[x].eps) go(e);
        };
        go(n);
        return out;
    }

    void finish_process(std::uint32_t inst, const std::string& name, const ast::Decl* d) {
        // Reachable canonical nodes, numbered in BFS order from the entry.
        std::map<std::uint32_t, std::uint32_t> loc_of;
        std::vector<std::uint32_t> order;
        auto visit = [&](std::uint32_t n) {
            const std::uint32_t cn = canonical(n);
            if (!loc_of.count(cn)) {
                loc_of[cn] = static_cast<std::uint32_t>(order.size());
                order.push_back(cn);
            }
            return loc_of[cn];
        };
        visit(0);
        std::vector<std::vector<const ir::Fragment*>> alts;
        for (std::size_t i = 0; i < order.size(); ++i) {
            alts.push_back(closure(order[i]));
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
        pcs.process = inst;
        p.pc = data_.layout.add(pcs);
        std::vector<std::vector<std::uint32_t>> succ(nlocs);
        InstanceLocations info;
        info.decl = d;
        info.params = std::get<1>(instances_[inst]);
        info.pc = p.pc;
        for (std::uint32_t l = 0; l < nlocs; ++l) {
            const Node& node = nodes_[order[l]];
            ir::Location loc;
            loc.where = node.where == SourceRange{} ? d->where : node.where;
            loc.terminal = node.terminal;
            loc.valid_end = node.terminal;
            p.locations.push_back(loc);
        }
        // Labels: every label node maps to the location of its canonical node.
        for (std::uint32_t n = 0; n < nodes_.size(); ++n) {
            for (const auto& l : nodes_[n].labels) {
                const std::uint32_t cn = canonical(n);
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
            g.id = ir::GroupId{static_cast<std::uint32_t>(data_.groups.size())};
            g.process = ir::ProcessId{inst};
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
                        case ir::InstrKind::branch: in.t1 += base; in.t2 += base; break;
                        case ir::InstrKind::jump: in.t1 += base; break;
                        case ir::InstrKind::fork: for (auto& t : in.targets) t += base; break;
                        case ir::InstrKind::finish:
                            in.t1 = loc_of.at(canonical(in.t1));
                            succ[l].push_back(in.t1);
                            break;
                        default: break;
                    }
                    g.code.code.push_back(std::move(in));
                }
            }
            for (const auto& in : g.code.code)
                if (in.kind == ir::InstrKind::note) {
                    const auto& st = data_.statements[in.stmt];
                    g.where = st.where;
                    g.text = st.text;
                    // A condition's group is the test itself, not its then-branch outcome.
                    const bool is_branch = g.code.code.front().kind == ir::InstrKind::branch;
                    if (is_branch && g.text.size() > 6 && g.text.ends_with(": true")) g.text.resize(g.text.size() - 6);
                    break;
                }
            p.locations[l].where = g.where;
            p.group_at.push_back(g.id);
            data_.groups.push_back(std::move(g));
        }
        info.idom = graph::immediate_dominators(succ);
        inst_info_.push_back(std::move(info));
        data_.processes.push_back(std::move(p));
    }

    // ------------------------------------------------------------------ invariants
    void compile_invariants() {
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi) {
            for (const auto& d : symbols_.mod(mi).ast.decls) {
                if (d.kind != ast::DeclKind::invariant) continue;
                try {
                    if (named_asserts_.count(symbols_.qualified(mi, d.name)))
                        fail(sink_, d.name_where, fmt::format("invariant '{}' has the name of an assertion", d.name));
                    for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i)
                        if (data_.properties[i].name == d.name)
                            fail(sink_, d.name_where, fmt::format("'{}' is the name of a built-in property; name the "
                                                           "invariant differently", d.name));
                    ir::Property p;
                    p.id = ir::PropertyId{static_cast<std::uint32_t>(data_.properties.size())};
                    p.name = symbols_.qualified(mi, d.name);
                    p.kind = ir::PropertyKind::invariant;
                    p.where = d.name_where;
                    ExprContext c;
                    c.module = mi;
                    c.in_invariant = true;
                    c.scopes.emplace_back();
                    split_invariant(*d.value, c, "", p);
                    data_.properties.push_back(std::move(p));
                } catch (const Abandon&) {
                }
            }
        }
    }

    void compile_metrics() {
        for (std::size_t mi = 0; mi < m_.modules().size(); ++mi) {
            for (const auto& d : symbols_.mod(mi).ast.decls) {
                if (d.kind != ast::DeclKind::metric) continue;
                try {
                    ExprContext c;
                    c.module = mi;
                    c.in_invariant = true;
                    ir::Metric m;
                    m.name = symbols_.qualified(mi, d.name);
                    m.where = d.name_where;
                    TExpr v = exprs_.rvalue(exprs_.lower(*d.value, c));
                    if (v.t->kind != TypeKind::integer)
                        fail(sink_, d.value->where, fmt::format("a metric must be an integer, found {}", type_name(v.t)));
                    m.value = std::move(v.e);
                    if (d.per) {
                        TExpr p = exprs_.rvalue(exprs_.lower(*d.per, c));
                        if (p.t->kind != TypeKind::integer)
                            fail(sink_, d.per->where, fmt::format("'per' needs an integer, found {}", type_name(p.t)));
                        m.per = std::move(p.e);
                    }
                    data_.metrics.push_back(std::move(m));
                } catch (const Abandon&) {
                }
            }
        }
    }

    /// Splits top-level foralls into one check per binding, so a violation names the instance.
    void split_invariant(const ast::Expr& e, ExprContext& c, const std::string& binding, ir::Property& p) {
        if (e.kind == ast::ExprKind::quant && e.forall) {
            const Symbol* s = symbols_.find(c.module, e.name);
            if (!s || s->kind != SymKind::type) unknown(sink_, "type", e.name.str(), e.name.where, {});
            const Type* t = types_.named(*s, exprs_);
            if (t->kind != TypeKind::scalarset && t->kind != TypeKind::enumeration && t->kind != TypeKind::integer &&
                t->kind != TypeKind::boolean)
                fail(sink_, e.name.where, fmt::format("cannot quantify over {}", type_name(t)));
            for (std::int64_t i = 0; i < domain_size(t); ++i) {
                const std::int64_t v = t->kind == TypeKind::integer ? t->lo + i : i;
                c.scopes.back()[e.member] = Binding{true, Value{v, t}, {}};
                const std::string b = (binding.empty() ? "" : binding + ", ") + e.member + " = " + index_name(t, i);
                split_invariant(*e.kids[0], c, b, p);
            }
            c.scopes.back().erase(e.member);
            return;
        }
        TExpr x = exprs_.lower(e, c);
        if (x.t->kind != TypeKind::boolean)
            fail(sink_, e.where, fmt::format("an invariant must be bool, found {}", type_name(x.t)));
        ir::InvariantCheck chk;
        chk.binding = binding;
        chk.expr = std::move(x.e);
        p.checks.push_back(std::move(chk));
    }

};

std::unique_ptr<ir::TransitionSystem> Elaborator::run() {
    try {
        if (sink_.has_errors()) return nullptr;  // duplicate declarations
        constants_.select(opt_, exprs_);
        if (sink_.has_errors()) return nullptr;
        data_.info.file = m_.path();
        data_.info.variant = constants_.variant();
        data_.info.defines = opt_.defines;
        constants_.evaluate_all(data_.info, exprs_);
        types_.resolve_all(exprs_);
        data_.messages.push_back("a path ran more than {value} instructions (a loop in an atomic block that never ends?)");
        // Built-in properties first, at their fixed ids.
        const char* builtin[] = {"runtime_errors", "deadlock", "assertions", "mutex_misuse", "kref_misuse"};
        const ir::PropertyKind kinds[] = {ir::PropertyKind::runtime_error, ir::PropertyKind::deadlock,
                                          ir::PropertyKind::assertion, ir::PropertyKind::mutex_misuse,
                                          ir::PropertyKind::kref_misuse};
        for (std::uint32_t i = 0; i < ir::builtin_property_count; ++i) {
            ir::Property p;
            p.id = ir::PropertyId{i};
            p.name = builtin[i];
            p.kind = kinds[i];
            data_.properties.push_back(p);
        }
        declare_named_assertions();
        count_instances();
        layout_.declare_globals(symbols_, types_, exprs_);
        if (instances_.empty() && !sink_.has_errors() && !opt_.library)
            sink_.error(support::SourceRange{symbols_.mod(m_.modules().size() - 1).ast.file, 0, 0},
                        "the model declares no process; there is nothing to run");
        for (std::uint32_t i = 0; i < instances_.size(); ++i) {
            try {
                compile_process(i);
            } catch (const Abandon&) {
                return nullptr;
            }
        }
        // Procedures are checked where they are inlined; warn about those never called.
        check_uncalled_procs();
        compile_invariants();
        compile_metrics();
        if (sink_.has_errors()) return nullptr;
        data_.layout.finish();
        if (data_.layout.bytes() > 4096) {
            sink_.error(std::nullopt, fmt::format("the state vector needs {} bytes; the limit is 4096", data_.layout.bytes()));
            return nullptr;
        }
        data_.sources = m_.sources_ptr();
        return std::make_unique<ir::TransitionSystem>(std::move(data_));
    } catch (const Abandon&) {
        return nullptr;
    }
}

}  // namespace

std::unique_ptr<ir::TransitionSystem> elaborate(const Model& model, const CompileOptions& options,
                                                support::DiagnosticSink& sink) {
    try {
        Elaborator e(model, options, sink);
        return e.run();
    } catch (const support::TooManyErrors&) {
        return nullptr;
    }
}

}  // namespace iomc::lang
