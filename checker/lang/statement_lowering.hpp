// SPDX-License-Identifier: MIT
/// @file Statements pass: lowers the body of one process instance, with every procedure call
/// inlined at its call site, to a control-flow graph whose edges are steps. A statement outside
/// `atomic` becomes nodes and alternatives between them (steps.cpp: the one-step statements and
/// the built-in operations; cfg.cpp: control flow, labels, the graph itself); an `atomic` block
/// becomes one fragment of instructions (atomic.cpp); calls are inlined in either mode
/// (inline.cpp). Input: one Instance and the earlier passes (SymbolTable, TypeResolver,
/// ExprLowering, LayoutBuilder for local slots, PropertyBuilder for named assertions). Output:
/// the instance's ProcessCfg; its local and temporary slots; ir::Statements and runtime
/// messages; the procedures it called; in the BreachLog, the loops over a scalarset inside one
/// step whose result depends on the order they visit its elements (loop_order.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/frontend.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/loop_order.hpp"
#include "checker/lang/properties.hpp"
#include "checker/lang/sema.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

/// A control point of a process body. Its alternatives are the steps that leave it.
struct CfgNode {
    std::vector<ir::Fragment> alts;  ///< alternative steps; each ends in finish(node)
    std::vector<std::uint32_t> eps;  ///< epsilon successors (no step)
    std::vector<std::string> labels;
    support::SourceRange where;
    bool terminal = false;  ///< the process end
    std::vector<LoopVisit> visits;  ///< the scalarset loops around it (outside atomic), outermost first
};

/// The statements pass's output for one process instance. Node 0 is the entry; nodes that
/// only forward (one epsilon edge, no step) are removed by the processes pass.
struct ProcessCfg {
    std::vector<CfgNode> nodes;
    std::vector<Decision> decisions;  ///< for the symmetry pass: where instances may differ
    /// Its local variables by the name traces print after the instance ("r",
    /// "of_iommu_configure.replay"), for `client(0).r` in invariants; temporaries left out. Two
    /// procedures of one name in different modules can give a name two slots.
    std::map<std::string, std::vector<TExpr>> locals;
    std::set<std::string> procs;  ///< the procedures it inlined, by name
};

/// Lowers process bodies, one instance at a time. Not thread-safe.
class StatementLowering {
public:
    StatementLowering(const SymbolTable& symbols, TypeResolver& types, ExprLowering& exprs, LayoutBuilder& layout,
                      PropertyBuilder& properties, ir::TransitionSystem::Data& data, BreachLog& breaches,
                      support::DiagnosticSink& sink)
        : symbols_(symbols), types_(types), exprs_(exprs), layout_(layout), properties_(properties),
          statements_(data.statements), messages_(data.messages), slots_(data.layout), breaches_(breaches),
          sink_(sink) {}

    /// The control-flow graph of instance `number`. An error inside a statement is reported and
    /// the statement skipped; an error that leaves no graph (a loop without a step) abandons.
    ProcessCfg lower(const Instance& inst, std::uint32_t number);
    /// Procedures are checked where they are inlined: records in `out` each procedure of the
    /// root module that no instance called (unless there were errors, which may have hidden a
    /// call). `iomc lint` warns about those that no variant calls.
    void record_uncalled(std::vector<UncalledProc>& out) const;
    /// Inserts at `at` in `code` a use-after-free check for each object with a lifetime that the
    /// expressions lowered since the last call access (ExprLowering::take_uaf).
    void insert_uaf_checks(std::vector<ir::Instr>& code, std::size_t at);

private:
    struct LoopFrame {
        std::uint32_t brk, cont;                      ///< CFG mode: nodes
        std::vector<std::size_t>* brk_fix = nullptr;  ///< fragment mode: jump instrs to patch
        std::vector<std::size_t>* cont_fix = nullptr;
    };

    /// One inlined procedure call.
    struct ProcFrame {
        const ast::Decl* decl = nullptr;
        std::size_t module = 0;
        std::uint32_t exit = 0;                              ///< CFG mode
        std::optional<TExpr> target;                         ///< where the return value goes
        std::vector<std::pair<TExpr, std::int64_t>> resets;  ///< locals and params to reset on return
        std::map<std::string, std::uint32_t> labels;         ///< CFG mode label nodes
        std::vector<std::size_t>* ret_fix = nullptr;         ///< fragment mode
    };

    /// Labels and gotos of one atomic block or one procedure inlined into it.
    struct FragLabels {
        std::map<std::string, std::size_t> at;
        std::vector<std::pair<std::size_t, const ast::Stmt*>> gotos;
    };

    /// Where a one-step statement's code goes: the CFG (hoisted calls and the step itself become
    /// nodes and alternatives) or an atomic fragment (instructions appended in place).
    struct StepEmitter {
        std::function<void(const ast::Expr* e, bool skip_top)> hoist;  ///< run e's calls into temporaries
        std::function<void(const ast::Expr& call, std::optional<TExpr> target)> call;  ///< inline a call
        std::function<void(const ast::Stmt& s)> step;  ///< the statement's own instructions
    };

    // ---- steps.cpp: one-step statements, statements and messages, locals, calls in expressions
    ExprContext& ctx() { return ctx_stack_.back(); }
    [[nodiscard]] std::string text(support::SourceRange r) const { return exprs_.text(r); }
    std::uint32_t statement(const ast::Stmt& s, std::string text_override = {});
    std::uint32_t synthetic_statement(support::SourceRange where, std::string text);
    [[nodiscard]] std::string stmt_text(const ast::Stmt& s) const;
    static ir::Instr note(std::uint32_t stmt);
    static ir::Instr finish_to(std::uint32_t node);
    static void emit_resets(const std::vector<std::pair<TExpr, std::int64_t>>& resets, const char* what,
                            std::vector<ir::Instr>& code);
    void add_resets(std::vector<ir::Instr>& code);
    std::uint32_t message(std::string m);
    TExpr local_slot(const void* key, const Type* t, const std::string& name, const Initial& init,
                     support::SourceRange where, bool hidden = false);
    [[nodiscard]] std::int64_t slot_init(const TExpr& lv) const;
    void bind_local(const std::string& name, TExpr lv, support::SourceRange where);
    void declare_local(const ast::VarDecl& d);
    void find_calls(const ast::Expr& e, std::vector<const ast::Expr*>& out, const ExprContext& c);
    bool is_proc_call(const ast::Expr& e);
    bool handles_top_call(const ast::Expr& e);
    void reject_calls_in_await(const ast::Stmt& s);
    const Type* call_result_type(const ast::Expr& call);
    bool step_stmt(const ast::Stmt& s, const StepEmitter& emit);
    bool lower_simple(const ast::Stmt& s, std::vector<ir::Instr>& code);
    bool lower_simple_step(const ast::Stmt& s, std::vector<ir::Instr>& code);

    // ---- cfg.cpp: control flow outside atomic blocks
    std::uint32_t new_node(support::SourceRange where);
    void collect_labels(const std::vector<ast::StmtPtr>& body, std::map<std::string, std::uint32_t>& out);
    void block_cfg(const std::vector<ast::StmtPtr>& body, std::uint32_t entry, std::uint32_t exit);
    void stmt_cfg(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit);
    void simple_step(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit);
    void stmt_cfg_inner(const ast::Stmt& s, std::uint32_t entry, std::uint32_t exit);
    /// Counts the iterations of `for` loop `s` over `t` (unrolled_); abandons past the limit.
    std::int64_t count_unrolled(const ast::Stmt& s, const Type* t);
    /// "atomic { a; b; ... }": its statements up to about 80 characters, or all of them.
    [[nodiscard]] std::string atomic_text(const ast::Stmt& s, bool whole) const;
    void check_loop_orders(const std::vector<ir::Instr>& code);
    void branch_step(const ast::Stmt& s, TExpr cond, const std::string& ct, std::uint32_t entry, std::uint32_t t,
                     std::uint32_t f);
    std::uint32_t hoist_cfg(const ast::Expr* e, std::uint32_t entry, const ast::Stmt& s, bool skip_top = false);

    // ---- atomic.cpp: atomic blocks as one fragment
    void atomic_body(const std::vector<ast::StmtPtr>& body, std::vector<ir::Instr>& code);
    static std::size_t emit_jump(std::vector<ir::Instr>& code);
    void stmt_frag(const ast::Stmt& s, std::vector<ir::Instr>& code);
    void hoist_frag(const ast::Expr* e, std::vector<ir::Instr>& code, bool skip_top = false);

    // ---- inline.cpp: procedure calls
    const Symbol& bind_call(const ast::Expr& call, ProcFrame& fr, Scope& scope, std::vector<ir::Instr>& assigns);
    void call_cfg(const ast::Expr& call, std::optional<TExpr> target, std::uint32_t entry, std::uint32_t exit,
                  const ast::Stmt& s);
    void call_frag(const ast::Expr& call, std::optional<TExpr> target, std::vector<ir::Instr>& code);
    void return_code(const ast::Stmt& s, ProcFrame& fr, std::vector<ir::Instr>& code);
    void return_value_code(const ast::Stmt& s, ProcFrame& fr, std::vector<ir::Instr>& code);
    void fall_off_code(const ProcFrame& fr, std::vector<ir::Instr>& code);
    [[nodiscard]] std::vector<std::uint32_t> body_nodes(std::uint32_t entry, std::uint32_t first) const;

    const SymbolTable& symbols_;
    TypeResolver& types_;
    ExprLowering& exprs_;
    LayoutBuilder& layout_;
    PropertyBuilder& properties_;
    std::vector<ir::Statement>& statements_;
    std::vector<std::string>& messages_;
    const ir::StateLayout& slots_;
    BreachLog& breaches_;
    support::DiagnosticSink& sink_;
    std::set<const ast::Decl*> called_;
    ExpansionCounter unrolled_{max_unrolled_iterations, "iterations", "'for' loops are unrolled at compile time"};

    // per process instance
    std::vector<CfgNode> nodes_;
    std::vector<LoopFrame> loops_;
    std::vector<ProcFrame> frames_;
    std::vector<ExprContext> ctx_stack_;
    std::vector<FragLabels> frag_labels_;
    std::map<const void*, TExpr> locals_;  ///< keyed by declaration or call, per instance
    std::map<std::string, std::vector<TExpr>> named_locals_;  ///< ProcessCfg::locals
    std::set<std::string> inlined_;                           ///< ProcessCfg::procs
    std::uint32_t instance_ = 0;
    std::string instance_name_;
    const ast::Decl* process_decl_ = nullptr;
    std::map<std::string, std::uint32_t> process_labels_;
    std::uint32_t process_end_ = 0;
    std::uint32_t temp_counter_ = 0;
    std::vector<std::pair<TExpr, std::int64_t>> pending_resets_;  ///< temporaries of this statement
    std::vector<LoopVisit> visiting_;         ///< scalarset loops (outside atomic) around new nodes
    std::vector<Decision> decisions_;
    std::vector<UnrolledLoop> atomic_loops_;  ///< scalarset loops of the atomic block being lowered
};

}  // namespace iomc::lang
