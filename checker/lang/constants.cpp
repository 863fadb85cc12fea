// SPDX-License-Identifier: MIT
#include "checker/lang/constants.hpp"

#include <cerrno>
#include <cstdlib>
#include <string_view>

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
    if (auto it = define_texts_.find(d); it != define_texts_.end()) {
        try {
            v = define_value(d, module, declared, it->second.first, it->second.second, eval);
        } catch (const Abandon&) {
            define_error_ = true;
            throw;
        }
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
                if (define_texts_.count(d)) {
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
                std::string text;  // how an enum, scalarset or none value prints
                if (v.t->kind == TypeKind::none) text = "none";
                else if (v.t->kind == TypeKind::enumeration && v.v >= 0 &&
                         v.v < static_cast<std::int64_t>(v.t->en->enumerators.size()))
                    text = v.t->en->enumerators[static_cast<std::size_t>(v.v)];
                else if (v.t->kind == TypeKind::scalarset) text = fmt::format("{}({})", v.t->ss->qualified, v.v);
                info.constant_names.push_back(std::move(text));
            } catch (const Abandon&) {}
        }
}

void Constants::select(const CompileOptions& options) {
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
    apply_defines(options);
}

/// -D NAME=VALUE, names relative to the root module.
void Constants::apply_defines(const CompileOptions& options) {
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
        // Converted when the constant is first evaluated (define_value), once every -D is known:
        // converting here would evaluate defaults and types before later -D values apply.
        define_texts_[s->decl] = {def, val};
    }
}

namespace {

/// "bool", "an integer", "an enum Mode", "a Dev value": what kind of value a constant takes.
std::string kind_text(const Type* t) {
    switch (t->kind) {
        case TypeKind::boolean: return "bool";
        case TypeKind::integer: return "an integer";
        case TypeKind::enumeration: return fmt::format("of enum {}", type_name(t));
        case TypeKind::scalarset: return fmt::format("of scalarset {}", type_name(t));
        default: return type_name(t);
    }
}

}  // namespace

/// The value of `-D def` (`val` the text after '=') for constant `d`, as the constant's type
/// (declared, else its default's) reads it: true/false, a decimal integer, an enumerator's name,
/// `Dev(1)` for a scalarset, `none` for an optional. Errors are about the -D (no place in the
/// file) with a note at the declaration.
Value Constants::define_value(const ast::Decl* d, std::size_t module, const Type* declared, const std::string& def,
                              const std::string& val, ConstantEvaluator& eval) {
    const Type* t = declared ? declared : eval.eval_const(*d->value, module).t;
    auto error = [&](const std::string& message) {
        auto& diag = sink_.error(std::nullopt, fmt::format("-D {}: {}", def, message));
        diag.notes.push_back({d->name_where, "declared here"});
        throw Abandon{};
    };
    const bool is_bool_text = val == "true" || val == "false";
    char* end = nullptr;
    errno = 0;
    const long long x = std::strtoll(val.c_str(), &end, 10);
    const bool is_int_text = end != val.c_str() && *end == '\0';
    switch (t->kind) {
        case TypeKind::boolean:
            if (!is_bool_text)
                error(fmt::format("constant '{}' is bool, not {}", d->name,
                                  is_int_text ? "an integer" : fmt::format("'{}'", val)));
            return Value{val == "true" ? 1 : 0, types_.arena().boolean()};
        case TypeKind::integer:
            if (is_bool_text) error(fmt::format("constant '{}' is an integer, not bool", d->name));
            if (!is_int_text) {
                sink_.error(std::nullopt, fmt::format("-D {}: '{}' is not an integer or true/false", def, val));
                throw Abandon{};
            }
            if (errno != 0 || x > INT32_MAX || x < INT32_MIN) {
                sink_.error(std::nullopt, fmt::format("-D {}: {} is outside the 32-bit range", def, val));
                throw Abandon{};
            }
            return Value{x, types_.arena().integer()};
        case TypeKind::enumeration: {
            if (val == "none" && t->optional) return Value{-1, types_.arena().none()};
            const auto& names = t->en->enumerators;
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] == val) return Value{static_cast<std::int64_t>(i), t};
            std::string list;
            for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
            if (t->optional) list += ", none";
            if (is_int_text || is_bool_text)
                error(fmt::format("constant '{}' is {}: give one of its values by name ({})", d->name,
                                  kind_text(t), list));
            auto& diag = sink_.error(std::nullopt, fmt::format("-D {}: '{}' is not a value of enum {} ({})", def, val,
                                                               type_name(t), list));
            if (auto best = support::closest_name(val, names))
                diag.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
            diag.notes.push_back({d->name_where, "declared here"});
            throw Abandon{};
        }
        case TypeKind::scalarset: {
            if (val == "none" && t->optional) return Value{-1, types_.arena().none()};
            // `Dev(1)`: the scalarset's name (as declared or as the root file names it), then an
            // index in range.
            const auto open = val.find('(');
            const std::string head = open == std::string::npos ? val : val.substr(0, open);
            const bool named = head == t->ss->name || head == t->ss->qualified;
            long long k = -1;
            bool ok = named && open != std::string::npos && val.back() == ')' && val.size() > open + 2;
            if (ok) {
                const std::string digits = val.substr(open + 1, val.size() - open - 2);
                char* e = nullptr;
                errno = 0;
                k = std::strtoll(digits.c_str(), &e, 10);
                ok = *e == '\0' && e != digits.c_str() && errno == 0 && digits.find_first_of("+- ") == std::string::npos;
            }
            const std::string form = fmt::format("{}(0)..{}({})", t->ss->qualified, t->ss->qualified, t->ss->size - 1);
            if (!ok)
                error(fmt::format("constant '{}' is {}: write its value as {}{}", d->name, kind_text(t), form,
                                  t->optional ? " or none" : ""));
            if (k < 0 || k >= t->ss->size)
                error(fmt::format("{} is outside {}", val, form));
            return Value{k, t};
        }
        default: error(fmt::format("constant '{}' of type {} cannot be set", d->name, type_name(t)));
    }
    throw Abandon{};
}

}  // namespace iomc::lang
