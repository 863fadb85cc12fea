// SPDX-License-Identifier: MIT
/// @file The front end's public face: load a .mc file with its imports, list its variants and
/// expectations, and compile one variant (with -D overrides) to an ir::TransitionSystem.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/lang/ast.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// A variant declared by the model.
struct VariantInfo {
    std::string name;
    std::string description;
    support::SourceRange where;
};

/// One `expect` cell: under `variant`, `property` must hold / be violated / is skipped.
struct Expectation {
    std::string variant;       ///< empty when the model declares no variants
    ast::Verdict verdict = ast::Verdict::holds;
    std::string property;
    std::string reason;        ///< for skip
    support::SourceRange where;
};

/// A constant as `iomc list` shows it.
struct ConstantInfo {
    std::string name;          ///< qualified from the root module: "N_DEVS", "core::HAS_FIX"
    std::string default_text;  ///< source text of the default
    support::SourceRange where;
};

struct ProcessInfo {
    std::string name;
    std::string params;        ///< "(d: Dev)" or empty
    support::SourceRange where;
};

struct PropertyInfo {
    std::string name;
    std::string kind;          ///< "invariant", "lemma", "liveness"
    support::SourceRange where;
};

struct Module;

/// A folder of the import search path, with where it came from for messages ("-I", "IOMC_PATH").
struct ImportDir {
    std::string dir;
    std::string origin;
};

/// The parsed files of one model: variant-independent. Immutable once loaded.
class Model {
public:
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    /// Loads `path` and everything it imports. Errors go to `sink`: check sink.has_errors(). The
    /// model is returned even then, so that diagnostics can be rendered against its sources;
    /// null only when the root file cannot be read.
    /// A relative `import "P"` is looked for beside the importing file, then in each folder of
    /// `search` in order (docs/language.md, "Imports").
    static std::unique_ptr<Model> load(const std::string& path, support::DiagnosticSink& sink,
                                       const std::vector<ImportDir>& search = {});
    /// Same, from text in memory (tests); imports resolve against the current directory.
    static std::unique_ptr<Model> from_text(const std::string& name, const std::string& text,
                                            support::DiagnosticSink& sink);

    [[nodiscard]] const std::vector<VariantInfo>& variants() const { return variants_; }
    /// Every expect cell, one per (variant, property), variants expanded.
    [[nodiscard]] std::vector<Expectation> expectations(support::DiagnosticSink& sink) const;
    [[nodiscard]] std::vector<ConstantInfo> constants() const;
    [[nodiscard]] std::vector<ProcessInfo> processes() const;
    [[nodiscard]] std::vector<PropertyInfo> properties() const;
    [[nodiscard]] const support::SourceManager& sources() const { return *sources_; }
    [[nodiscard]] std::shared_ptr<support::SourceManager> sources_ptr() const { return sources_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::vector<std::unique_ptr<Module>>& modules() const { return modules_; }

private:
    Model() = default;
    friend class Loader;
    std::string path_;
    std::shared_ptr<support::SourceManager> sources_;
    std::vector<std::unique_ptr<Module>> modules_;  ///< imports before importers; root last
    std::vector<VariantInfo> variants_;
};

/// A procedure of the scenario that one compilation never called (so never checked).
struct UncalledProc {
    std::string name;
    support::SourceRange where;
};

/// The warnings `iomc lint` prints about procedures: one per procedure that every variant left
/// uncalled (`per_variant` holds one list per compiled variant, all without errors).
void warn_uncalled(const std::vector<std::vector<UncalledProc>>& per_variant, support::DiagnosticSink& sink);

/// What to build: the variant (empty: the first declared, if any) and -D NAME=VALUE texts.
struct CompileOptions {
    std::string variant;
    std::vector<std::string> defines;
    bool library = false;  ///< a file without processes is fine (iomc lint of a library file)
    /// Report each construct that breaks a scalarset's symmetry as a warning (iomc lint). The
    /// breaches are in ir::Symmetry either way.
    bool symmetry_warnings = false;
    /// When set (iomc lint), receives the scenario's procedures this variant never calls, if it
    /// compiled without errors.
    std::vector<UncalledProc>* uncalled = nullptr;
};

/// Compiles one variant. Errors (unknown variant, bad -D, type errors, ...) go to `sink`.
std::unique_ptr<ir::TransitionSystem> compile(const Model& model, const CompileOptions& options,
                                              support::DiagnosticSink& sink);

}  // namespace iomc::lang
