// SPDX-License-Identifier: MIT
#include "checker/lang/frontend.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "checker/lang/elaborate.hpp"
#include "checker/lang/module.hpp"

namespace iomc::lang {

std::vector<Expectation> Model::expectations(support::DiagnosticSink& sink) const {
    std::vector<Expectation> out;
    // Past the error limit the sink throws: keep what was collected; the errors say the rest.
    try {
        const Module& root = *modules_.back();
        for (const auto& d : root.ast.decls) {
            if (d.kind != ast::DeclKind::expect) continue;
            std::vector<std::string> vs;
            if (d.variants.empty()) {
                for (const auto& v : variants_) vs.push_back(v.name);
                if (vs.empty()) vs.emplace_back();
            } else {
                for (const auto& [name, where] : d.variants) {
                    bool known = false;
                    for (const auto& v : variants_) known = known || v.name == name;
                    if (!known) {
                        std::string list;
                        for (const auto& v : variants_) list += (list.empty() ? "" : ", ") + v.name;
                        sink.error(where, variants_.empty()
                                              ? fmt::format("unknown variant '{}'; the model declares no variants", name)
                                              : fmt::format("unknown variant '{}'; available: {}", name, list));
                        continue;
                    }
                    vs.push_back(name);
                }
            }
            for (const auto& v : vs)
                for (const auto& [p, where] : d.properties)
                    out.push_back(Expectation{v, d.verdict, p, d.path, where});
        }
        // A (variant, property) pair named twice is an error: which line would win? Each later
        // one is reported with the first (a map, not pairs: many cells must not take quadratic time).
        std::map<std::pair<std::string, std::string>, std::size_t> first;
        for (std::size_t j = 0; j < out.size(); ++j) {
            const auto [it, fresh] = first.try_emplace({out[j].variant, out[j].property}, j);
            if (fresh) continue;
            const std::size_t i = it->second;
            auto& diag = sink.error(out[j].where,
                                    out[j].variant.empty()
                                        ? fmt::format("property '{}' already has an expectation", out[j].property)
                                        : fmt::format("property '{}' already has an expectation for variant '{}'",
                                                      out[j].property, out[j].variant));
            diag.notes.push_back({out[i].where, "the earlier expectation is here"});
        }
    } catch (const support::TooManyErrors&) {
    }
    return out;
}

std::vector<ConstantInfo> Model::constants() const {
    std::vector<ConstantInfo> out;
    for (const auto& m : modules_)
        for (const auto& d : m->ast.decls)
            if (d.kind == ast::DeclKind::const_) {
                std::string name = d.name;
                if (!m->is_root)
                    for (const auto& [alias, idx] : modules_.back()->imports)
                        if (modules_[idx].get() == m.get()) name = alias + "::" + d.name;
                out.push_back({name, std::string(sources_->text(d.value->where)), d.name_where});
            }
    return out;
}

std::vector<ProcessInfo> Model::processes() const {
    std::vector<ProcessInfo> out;
    for (const auto& m : modules_)
        for (const auto& d : m->ast.decls)
            if (d.kind == ast::DeclKind::process) {
                std::string params;
                for (const auto& p : d.params)
                    params += (params.empty() ? "" : ", ") + p.name + ": " + std::string(sources_->text(p.type->where));
                out.push_back({d.name, params.empty() ? "" : "(" + params + ")", d.name_where});
            }
    return out;
}

std::vector<PropertyInfo> Model::properties() const {
    std::vector<PropertyInfo> out;
    for (const auto& m : modules_)
        for (const auto& d : m->ast.decls) {
            if (d.kind == ast::DeclKind::invariant) out.push_back({d.name, d.lemma ? "lemma" : "invariant", d.name_where});
            if (d.kind == ast::DeclKind::liveness) out.push_back({d.name, "liveness", d.name_where});
        }
    return out;
}

void warn_uncalled(const std::vector<std::vector<UncalledProc>>& per_variant, support::DiagnosticSink& sink) {
    if (per_variant.empty()) return;
    for (const auto& p : per_variant.front()) {
        bool everywhere = true;
        for (const auto& other : per_variant) {
            bool found = false;
            for (const auto& q : other) found = found || (q.where.file == p.where.file && q.where.begin == p.where.begin);
            everywhere = everywhere && found;
        }
        if (everywhere)
            sink.warning(p.where, per_variant.size() > 1
                                      ? fmt::format("procedure '{}' is never called in any variant; its body was "
                                                    "not checked",
                                                    p.name)
                                      : fmt::format("procedure '{}' is never called; its body was not checked", p.name));
    }
}

std::unique_ptr<ir::TransitionSystem> compile(const Model& model, const CompileOptions& options,
                                              support::DiagnosticSink& sink) {
    return elaborate(model, options, sink);
}

}  // namespace iomc::lang
