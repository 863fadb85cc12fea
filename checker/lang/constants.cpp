// SPDX-License-Identifier: MIT
#include "checker/lang/constants.hpp"

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

namespace iomc::lang {

Value Constants::value(const ast::Decl* d, std::size_t module, ConstantEvaluator& eval) {
    auto& [state, val] = consts_[d];
    if (state == CState::done) {
        if (!val.t) throw Abandon{};  // its own error was reported already
        return val;
    }
    if (state == CState::busy) fail(sink_, d->name_where, fmt::format("constant '{}' depends on itself", d->name));
    state = CState::busy;
    // On an error, leave the constant evaluated (to a placeholder) so that later uses do not
    // report it again as "depends on itself".
    struct Poison {
        std::pair<CState, Value>& slot;
        bool armed = true;
        ~Poison() {
            if (armed) slot = {CState::done, Value{0, nullptr}};
        }
    } poison{consts_[d]};
    Value v;
    const Type* declared = d->type ? types_.resolve(module, *d->type, eval) : nullptr;
    if (auto it = define_values_.find(d); it != define_values_.end()) {
        v = it->second;
    } else if (auto vs = variant_settings_.find(d); vs != variant_settings_.end()) {
        v = eval.eval_const(*vs->second.first, vs->second.second);
    } else if (auto ro = root_overrides_.find(d); ro != root_overrides_.end()) {
        v = eval.eval_const(*ro->second.first, ro->second.second);
    } else {
        v = eval.eval_const(*d->value, module);
    }
    if (declared) {
        if (declared->kind == TypeKind::boolean && v.t->kind != TypeKind::boolean)
            fail(sink_, d->name_where, fmt::format("constant '{}' is declared bool but its value is {}", d->name, v.v));
        if (declared->kind == TypeKind::integer) {
            if (v.t->kind != TypeKind::integer)
                fail(sink_, d->name_where,
                     fmt::format("constant '{}' is declared {} but its value is not an integer", d->name,
                                 type_name(declared)));
            if (v.v < declared->lo || v.v > declared->hi) {
                if (define_values_.count(d)) {
                    auto& diag = sink_.error(std::nullopt, fmt::format("-D {}={}: the value is outside the range {} "
                                                                       "of constant '{}'",
                                                                       d->name, v.v, type_name(declared), d->name));
                    diag.notes.push_back({d->name_where, "declared here"});
                    throw Abandon{};
                }
                fail(sink_, d->name_where,
                     fmt::format("value {} of constant '{}' is outside its range {}", v.v, d->name,
                                 type_name(declared)));
            }
        }
    }
    poison.armed = false;
    state = CState::done;
    val = v;
    return v;
}

void Constants::evaluate_all(ir::ModelInfo& info, ConstantEvaluator& eval) {
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
        for (const auto& d : symbols_.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::const_) continue;
            try {
                const Value v = value(&d, mi, eval);
                info.constants.emplace_back(symbols_.qualified(mi, d.name), v.v);
                info.constant_is_bool.push_back(v.t->kind == TypeKind::boolean ? 1 : 0);
            } catch (const Abandon&) {}
        }
}

void Constants::select(const CompileOptions& options, ConstantEvaluator& eval) {
    const Model& model = symbols_.model();
    // Variant.
    if (!options.variant.empty()) {
        bool found = false;
        std::vector<std::string> names;
        for (const auto& v : model.variants()) {
            names.push_back(v.name);
            if (v.name == options.variant) found = true;
        }
        if (!found) {
            if (names.empty()) {
                sink_.error(std::nullopt,
                            fmt::format("unknown variant '{}'; the model declares no variants", options.variant));
            } else {
                std::string list;
                for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
                sink_.error(std::nullopt, fmt::format("unknown variant '{}'; available: {}", options.variant, list));
            }
            throw Abandon{};
        }
        variant_ = options.variant;
    } else if (!model.variants().empty()) {
        variant_ = model.variants().front().name;
    }
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi)
        for (const auto& d : symbols_.mod(mi).ast.decls)
            if (d.kind == ast::DeclKind::variant && d.name == variant_) {
                variant_decl_ = &d;
                variant_module_ = mi;
            }
    if (variant_decl_) {
        for (const auto& [name, value] : variant_decl_->settings) {
            try {
                const Symbol* s = symbols_.find(variant_module_, name);
                if (!s || s->kind != SymKind::constant)
                    unknown(sink_, "constant", name.str(), name.where,
                            symbols_.names(symbols_.resolve_module(variant_module_, name), SymKind::constant));
                variant_settings_[s->decl] = {value.get(), variant_module_};
            } catch (const Abandon&) {}
        }
    }
    // `const ns::NAME = value;` in the scenario: below variant settings and -D.
    const std::size_t root = symbols_.root();
    for (std::size_t mi = 0; mi < symbols_.module_count(); ++mi) {
        for (const auto& d : symbols_.mod(mi).ast.decls) {
            if (d.kind != ast::DeclKind::const_override) continue;
            try {
                if (mi != root)
                    fail(sink_, d.name_where,
                         "only the scenario (the file named on the command line) can set an imported constant");
                const auto& name = d.settings.front().first;
                const Symbol* s = symbols_.find(mi, name);
                if (!s || s->kind != SymKind::constant)
                    unknown(sink_, "constant", name.str(), name.where,
                            symbols_.names(symbols_.resolve_module(mi, name), SymKind::constant));
                if (root_overrides_.count(s->decl))
                    fail(sink_, d.name_where, fmt::format("constant '{}' is set twice", name.str()));
                root_overrides_[s->decl] = {d.settings.front().second.get(), mi};
            } catch (const Abandon&) {}
        }
    }
    apply_defines(options, eval);
}

/// -D NAME=VALUE, names relative to the root module.
void Constants::apply_defines(const CompileOptions& options, ConstantEvaluator& eval) {
    const std::size_t root = symbols_.root();
    for (const auto& def : options.defines) {
        const auto eq = def.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == def.size()) {
            sink_.error(std::nullopt, fmt::format("-D '{}': expected NAME=VALUE", def));
            continue;
        }
        const std::string name = def.substr(0, eq);
        const std::string val = def.substr(eq + 1);
        ast::Name n;
        std::size_t pos = 0;
        while (true) {
            const auto c = name.find("::", pos);
            n.parts.push_back(name.substr(pos, c == std::string::npos ? std::string::npos : c - pos));
            if (c == std::string::npos) break;
            pos = c + 2;
        }
        const Symbol* s = nullptr;
        {
            // Resolve the namespace by hand: an unknown one is a usage error, not a file error.
            std::size_t m = root;
            bool ok = true;
            for (std::size_t i = 0; i + 1 < n.parts.size() && ok; ++i) {
                auto it = symbols_.mod(m).imports.find(n.parts[i]);
                if (it == symbols_.mod(m).imports.end()) ok = false;
                else m = it->second;
            }
            if (ok) {
                auto it = symbols_.in(m).find(n.last());
                if (it != symbols_.in(m).end()) s = &it->second;
            }
        }
        if (!s || s->kind != SymKind::constant) {
            auto& d = sink_.error(std::nullopt, fmt::format("-D {}: no constant '{}'", def, name));
            if (auto best = support::closest_name(n.last(), symbols_.names(root, SymKind::constant)))
                d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
            continue;
        }
        Value v;
        if (val == "true" || val == "false") {
            v = Value{val == "true" ? 1 : 0, types_.arena().boolean()};
        } else {
            char* end = nullptr;
            errno = 0;
            const long long x = std::strtoll(val.c_str(), &end, 10);
            if (*end != '\0' || end == val.c_str()) {
                sink_.error(std::nullopt, fmt::format("-D {}: '{}' is not an integer or true/false", def, val));
                continue;
            }
            if (errno != 0 || x > INT32_MAX || x < INT32_MIN) {
                sink_.error(std::nullopt, fmt::format("-D {}: {} is outside the 32-bit range", def, val));
                continue;
            }
            v = Value{x, types_.arena().integer()};
        }
        // The default's type decides: a bool constant takes true/false, an integer one a number.
        try {
            const Value dflt = eval.eval_const(*s->decl->value, s->module);
            if ((dflt.t->kind == TypeKind::boolean) != (v.t->kind == TypeKind::boolean)) {
                auto& d =
                    sink_.error(std::nullopt, fmt::format("-D {}: constant '{}' is {}, not {}", def, name,
                                                          dflt.t->kind == TypeKind::boolean ? "bool" : "an integer",
                                                          v.t->kind == TypeKind::boolean ? "bool" : "an integer"));
                d.notes.push_back({s->decl->name_where, "declared here"});
                continue;
            }
            consts_.clear();
        } catch (const Abandon&) {
            continue;
        }
        define_values_[s->decl] = v;
    }
}

}  // namespace iomc::lang
