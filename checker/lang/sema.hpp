// SPDX-License-Identifier: MIT
/// @file The vocabulary the semantic passes hand each other (compile-time values, typed and
/// lowered expressions, process instances, what breaks a scalarset's symmetry) and their error
/// convention. Internal to checker/lang; elaborate.cpp runs the passes in order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "checker/ir/expr.hpp"
#include "checker/ir/symmetry.hpp"
#include "checker/lang/ast.hpp"
#include "checker/lang/types.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// Thrown after an error was reported, to abandon the current declaration, statement or
/// process instance. Each pass catches it at its recovery points.
struct Abandon {};

/// A compile-time value with its type: a constant, a process parameter, a loop variable.
struct Value {
    std::int64_t v = 0;
    const Type* t = nullptr;
};

/// A typed, lowered expression: what the expression pass returns.
struct TExpr {
    ir::Expr e;
    const Type* t = nullptr;
    bool lvalue = false;
    [[nodiscard]] bool is_const() const { return e.is_constant(); }
};

/// One process instance, `client(1)`: what the processes pass enumerates and the statements
/// pass lowers.
struct Instance {
    const ast::Decl* decl = nullptr;
    std::size_t module = 0;     ///< the module that declares the process
    std::vector<Value> params;  ///< one per declared parameter
    std::string name;           ///< "client(1)", qualified from the root module
};

/// An unrolled `for` loop over a scalarset, outside `atomic`, around a control point: the
/// element its current iteration visits. The statements pass marks CFG nodes with these; the
/// symmetry pass turns the marks of locations into ir::Symmetry::walk.
struct LoopVisit {
    std::uint32_t scalarset = 0;      ///< ScalarsetInfo::table
    std::int64_t element = 0;
    const ast::Stmt* loop = nullptr;  ///< the `for` statement
};

/// A condition the statements pass decided at compile time (`if`, `while` or `when` with a
/// constant condition) and the way it went. Instances of one process differ only where these do.
struct Decision {
    const ast::Stmt* stmt = nullptr;
    bool value = false;
};

/// Collects the constructs that break a scalarset's symmetry, as the passes meet them (the
/// way a DiagnosticSink collects errors); the symmetry pass hands them to ir::Symmetry. A
/// construct compiled several times (once per process instance, loop iteration or quantifier
/// value) is recorded once. Not thread-safe.
class BreachLog {
public:
    /// Records that `what` at `where` breaks the symmetry of `ss`. Ignored for a scalarset of
    /// size 1 (its one permutation changes nothing), when `ss` already has a breach at `where`,
    /// and while a Quiet is alive.
    void add(const ScalarsetInfo& ss, std::string what, support::SourceRange where);
    /// While alive, nothing is recorded: for code that is type-checked but folded away (the
    /// branch of `c ? a : b` that a constant `c` does not take).
    class Quiet {
    public:
        explicit Quiet(BreachLog& log) : log_(log) { ++log_.quiet_; }
        ~Quiet() { --log_.quiet_; }
        Quiet(const Quiet&) = delete;
        Quiet& operator=(const Quiet&) = delete;

    private:
        BreachLog& log_;
    };
    /// Forgets everything recorded (the constants pass evaluates defaults that -D replaces).
    void clear() { breaches_.clear(); }
    /// The breaches of each scalarset (by ScalarsetInfo::table), in the order they were met.
    [[nodiscard]] const std::map<std::uint32_t, std::vector<ir::SymmetryBreach>>& all() const { return breaches_; }

private:
    std::map<std::uint32_t, std::vector<ir::SymmetryBreach>> breaches_;
    int quiet_ = 0;
};

/// Bounds one kind of compile-time expansion (issue 10): `for` loops unroll, quantifiers expand
/// per binding, and a construct nested in one is expanded again per iteration. The counter keeps
/// the product of the sizes of the constructs around the current one and the total expanded so
/// far; a construct that would take either past the limit is an error at it, reported once (the
/// constructs met after that abandon quietly), instead of a compile that never ends.
class ExpansionCounter {
public:
    /// `limit`: the most expansions in one compile; `unit`: what one is ("iterations");
    /// `how`: why there are so many ("'for' loops are unrolled at compile time").
    ExpansionCounter(std::int64_t limit, const char* unit, const char* how) : limit_(limit), unit_(unit), how_(how) {}

    /// While alive, the constructs met count `n` times over.
    class Scope {
    public:
        Scope(ExpansionCounter& c, std::int64_t n) : c_(c), saved_(c.factor_) { c_.factor_ *= n; }
        ~Scope() { c_.factor_ = saved_; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        ExpansionCounter& c_;
        std::int64_t saved_;
    };

    /// Counts construct `what` at `where`, which expands `n` times; reports and abandons past
    /// the limit. Open a Scope of `n` around its expansion.
    void count(support::DiagnosticSink& sink, support::SourceRange where, const std::string& what, std::int64_t n);
    /// True once a construct went past the limit: expansions in progress stop.
    [[nodiscard]] bool exceeded() const { return exceeded_; }

private:
    std::int64_t limit_;
    const char* unit_;
    const char* how_;
    std::int64_t factor_ = 1;  ///< the product of the sizes of the constructs around
    std::int64_t total_ = 0;
    bool exceeded_ = false;
};

/// The limits of compile-time expansion: iterations of `for` loops, bindings of quantifiers
/// (each in one compile, nesting multiplied) and process instances.
inline constexpr std::int64_t max_unrolled_iterations = 100'000;
inline constexpr std::int64_t max_quantifier_bindings = 1'000'000;
inline constexpr std::int64_t max_process_instances = 10'000;

/// Evaluates constant expressions. The expression pass implements it; the passes that run
/// before it (constants, types) call back through it, because constants and types are
/// evaluated on demand and refer to each other.
class ConstantEvaluator {
public:
    /// The value of `e`, read in `module`; reports "expected a constant expression" otherwise.
    virtual Value eval_const(const ast::Expr& e, std::size_t module) = 0;
    /// Same, for an integer; `what` names it in the error ("a range bound").
    virtual std::int64_t const_int(const ast::Expr& e, std::size_t module, const char* what) = 0;

protected:
    ConstantEvaluator() = default;
    ConstantEvaluator(const ConstantEvaluator&) = default;
    ConstantEvaluator& operator=(const ConstantEvaluator&) = default;
    ~ConstantEvaluator() = default;
};

/// Reports an error at `where` and abandons.
[[noreturn]] void fail(support::DiagnosticSink& sink, support::SourceRange where, std::string message);

/// Reports "unknown WHAT 'NAME'" with a "did you mean" note from `candidates`, and abandons.
[[noreturn]] void unknown(support::DiagnosticSink& sink, const std::string& what, const std::string& name,
                          support::SourceRange where, const std::vector<std::string>& candidates);

/// How messages name quantifier `e`: "'forall i: R'".
std::string quantifier_text(const ast::Expr& e);

/// `r`'s source text on one line (every run of white space becomes one space), as messages and
/// traces quote it.
std::string source_text(const support::SourceManager& sm, support::SourceRange r);

}  // namespace iomc::lang
