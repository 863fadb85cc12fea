// SPDX-License-Identifier: MIT
#include "checker/lang/symbol_table.hpp"

#include <optional>

#include <fmt/format.h>

namespace iomc::lang {

SymbolTable::SymbolTable(const Model& model, support::DiagnosticSink& sink) : model_(model), sink_(sink) {
    syms_.resize(model_.modules().size());
    for (std::size_t mi = 0; mi < model_.modules().size(); ++mi) {
        auto& table = syms_[mi];
        auto add = [&](const std::string& name, support::SourceRange where, Symbol s) {
            auto [it, ok] = table.emplace(name, s);
            if (!ok) {
                auto& d = sink_.error(where, fmt::format("'{}' is already declared", name));
                d.notes.push_back({it->second.decl ? std::optional(it->second.decl->name_where) : std::nullopt,
                                   "previous declaration is here"});
            }
        };
        for (const auto& d : mod(mi).ast.decls) {
            switch (d.kind) {
                case ast::DeclKind::const_: add(d.name, d.name_where, {SymKind::constant, &d, mi}); break;
                case ast::DeclKind::type:
                case ast::DeclKind::struct_: add(d.name, d.name_where, {SymKind::type, &d, mi}); break;
                case ast::DeclKind::enum_: {
                    add(d.name, d.name_where, {SymKind::type, &d, mi});
                    for (std::size_t k = 0; k < d.enumerators.size(); ++k)
                        add(d.enumerators[k].first, d.enumerators[k].second,
                            {SymKind::enumerator, &d, mi, static_cast<std::int64_t>(k)});
                    break;
                }
                case ast::DeclKind::var: add(d.name, d.name_where, {SymKind::var, &d, mi}); break;
                case ast::DeclKind::proc: add(d.name, d.name_where, {SymKind::proc, &d, mi}); break;
                case ast::DeclKind::process: add(d.name, d.name_where, {SymKind::process, &d, mi}); break;
                case ast::DeclKind::invariant: add(d.name, d.name_where, {SymKind::invariant, &d, mi}); break;
                case ast::DeclKind::metric: add(d.name, d.name_where, {SymKind::invariant, &d, mi}); break;
                case ast::DeclKind::liveness: add(d.name, d.name_where, {SymKind::invariant, &d, mi}); break;
                default: break;
            }
        }
    }
}

std::vector<std::string> SymbolTable::names(std::size_t module, SymKind kind) const {
    std::vector<std::string> out;
    for (const auto& [n, sym] : syms_[module])
        if (sym.kind == kind) out.push_back(n);
    return out;
}

std::size_t SymbolTable::resolve_module(std::size_t module, const ast::Name& n) const {
    std::size_t m = module;
    for (std::size_t i = 0; i + 1 < n.parts.size(); ++i) {
        const auto& imps = mod(m).imports;
        auto it = imps.find(n.parts[i]);
        if (it == imps.end()) {
            std::vector<std::string> cands;
            for (const auto& [a, _] : imps) cands.push_back(a);
            unknown(sink_, "namespace", n.parts[i], n.where, cands);
        }
        m = it->second;
    }
    return m;
}

const Symbol* SymbolTable::find(std::size_t module, const ast::Name& n) const {
    const std::size_t m = resolve_module(module, n);
    auto it = syms_[m].find(n.last());
    return it == syms_[m].end() ? nullptr : &it->second;
}

std::string SymbolTable::qualified(std::size_t module, const std::string& name) const {
    if (mod(module).is_root) return name;
    const std::size_t root = this->root();
    std::vector<std::optional<std::string>> prefix(module_count());
    prefix[root] = "";
    std::vector<std::size_t> queue{root};
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const std::size_t from = queue[q];
        for (const auto& d : mod(from).ast.decls) {
            if (d.kind != ast::DeclKind::import) continue;
            auto it = mod(from).imports.find(d.name);
            if (it == mod(from).imports.end() || prefix[it->second]) continue;
            prefix[it->second] = *prefix[from] + d.name + "::";
            queue.push_back(it->second);
        }
    }
    return prefix[module] ? *prefix[module] + name : name;
}

}  // namespace iomc::lang
