// SPDX-License-Identifier: MIT
/// @file The front end's semantic pipeline. One Elaboration per (model, variant, -D list) owns
/// the IR being built and one object per pass, constructed in this order, each using only
/// the ones before it (docs/architecture.md, "The front end's passes"):
///   resolve      symbol_table.cpp     every module's names             -> SymbolTable
///   types        type_resolver.cpp    type expressions, named types    -> Types
///   constants    constants.cpp        variant, -D, constant values     -> Constants
///   layout       layout_builder.cpp   slot domains, globals            -> StateLayout slots
///   expressions  expr_lowering.cpp    typing and lowering              -> TExpr
///   properties   properties.cpp       built-ins, assertions, invariants, metrics -> ir::Property
///   statements   steps.cpp, cfg.cpp, atomic.cpp, inline.cpp            -> ProcessCfg
///   processes    processes.cpp        instances; CFG to locations      -> ir::Process, groups
///   symmetry     symmetry.cpp         shapes, walks, breaches          -> ir::Symmetry
/// Constants, types and expressions are evaluated on demand and refer to each other, so the
/// types and constants passes call back into the expression pass through ConstantEvaluator.
/// What breaks a scalarset's symmetry is recorded where it is met (BreachLog) and gathered by
/// the symmetry pass.
/// run() gives the order in which the passes run.
#include "checker/lang/elaborate.hpp"

#include <fmt/format.h>

#include "checker/lang/constants.hpp"
#include "checker/lang/expr_lowering.hpp"
#include "checker/lang/layout_builder.hpp"
#include "checker/lang/processes.hpp"
#include "checker/lang/properties.hpp"
#include "checker/lang/statement_lowering.hpp"
#include "checker/lang/symbol_table.hpp"
#include "checker/lang/symmetry.hpp"
#include "checker/lang/type_resolver.hpp"

namespace iomc::lang {

namespace {

class Elaboration {
public:
    Elaboration(const Model& m, const CompileOptions& o, support::DiagnosticSink& sink)
        : model_(m), options_(o), sink_(sink), symbols_(m, sink), types_(symbols_, arena_, data_.layout, sink),
          constants_(symbols_, types_, sink), layout_(data_.layout, sink),
          exprs_(symbols_, constants_, types_, layout_, locations_, m.sources(), breaches_, sink),
          properties_(symbols_, types_, exprs_, data_, sink),
          statements_(symbols_, types_, exprs_, layout_, properties_, data_, breaches_, sink) {}

    std::unique_ptr<ir::TransitionSystem> run();

private:
    const Model& model_;
    const CompileOptions& options_;
    support::DiagnosticSink& sink_;
    TypeArena arena_;
    ir::TransitionSystem::Data data_;
    SymbolTable symbols_;
    TypeResolver types_;
    Constants constants_;
    LayoutBuilder layout_;
    BreachLog breaches_;
    std::vector<InstanceLocations> locations_;  ///< compiled instances, for `@`, `past` and symmetry
    ExprLowering exprs_;
    PropertyBuilder properties_;
    StatementLowering statements_;
};

std::unique_ptr<ir::TransitionSystem> Elaboration::run() {
    try {
        if (sink_.has_errors()) return nullptr;  // duplicate declarations
        constants_.select(options_);
        if (sink_.has_errors()) return nullptr;
        breaches_.clear();  // nothing is evaluated before the constants below
        data_.info.file = model_.path();
        data_.info.variant = constants_.variant();
        data_.info.defines = options_.defines;
        constants_.evaluate_all(data_.info, exprs_);
        if (constants_.define_error()) return nullptr;
        types_.resolve_all(exprs_);
        // Message 0 is the interpreter's report of a runaway path (interp.cpp).
        data_.messages.push_back(
            "a path ran more than {value} instructions (a loop in an atomic block that never ends?)");
        properties_.add_builtins();
        bool lifetimes = false;  // some struct ties its objects to a kref: use_after_free is checked
        for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
            for (const auto& d : symbols_.mod(mi).ast.decls)
                for (const auto& f : d.fields) lifetimes = lifetimes || f.lifetime;
        if (lifetimes) properties_.add_use_after_free();
        properties_.declare_named_assertions();
        const std::vector<Instance> instances = enumerate_instances(symbols_, types_, exprs_, data_.layout, sink_);
        layout_.set_instance_count(static_cast<std::int64_t>(instances.size()));
        layout_.declare_globals(symbols_, types_, exprs_);
        if (instances.empty() && !sink_.has_errors() && !options_.library)
            sink_.error(support::SourceRange{symbols_.mod(symbols_.root()).ast.file, 0, 0},
                        "the model declares no process; there is nothing to run");
        for (std::uint32_t i = 0; i < instances.size(); ++i) {
            try {
                ProcessCfg cfg = statements_.lower(instances[i], i);
                locations_.push_back(build_process(cfg, instances[i], i, data_, sink_));
                locations_.back().locals = std::move(cfg.locals);
                locations_.back().procs = std::move(cfg.procs);
            } catch (const Abandon&) {
                return nullptr;
            }
        }
        if (options_.uncalled) statements_.record_uncalled(*options_.uncalled);
        properties_.compile_invariants();
        properties_.compile_liveness();
        properties_.add_lock_order();
        properties_.compile_metrics();
        if (sink_.has_errors()) return nullptr;
        data_.layout.finish();
        if (data_.layout.bytes() > 4096) {
            sink_.error(std::nullopt,
                        fmt::format("the state vector needs {} bytes; the limit is 4096", data_.layout.bytes()));
            return nullptr;
        }
        data_.symmetry = describe_symmetry(types_, layout_, instances, locations_, data_, model_.sources(), breaches_,
                                           options_.symmetry_warnings ? &sink_ : nullptr);
        data_.sources = model_.sources_ptr();
        return std::make_unique<ir::TransitionSystem>(std::move(data_));
    } catch (const Abandon&) {
        return nullptr;
    }
}

}  // namespace

std::unique_ptr<ir::TransitionSystem> elaborate(const Model& model, const CompileOptions& options,
                                                support::DiagnosticSink& sink) {
    try {
        Elaboration e(model, options, sink);
        return e.run();
    } catch (const support::TooManyErrors&) {
        return nullptr;
    }
}

}  // namespace iomc::lang
