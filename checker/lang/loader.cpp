// SPDX-License-Identifier: MIT
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "checker/lang/frontend.hpp"
#include "checker/lang/module.hpp"
#include "checker/lang/parser.hpp"
#include "checker/support/read_file.hpp"

namespace iomc::lang {

namespace fs = std::filesystem;

Model::~Model() = default;

/// Loads modules depth-first, imports before importers, detecting cycles.
class Loader {
public:
    Loader(Model& m, support::DiagnosticSink& sink, std::vector<ImportDir> search = {})
        : m_(m), sink_(sink), search_(std::move(search)) {}

    std::optional<std::size_t> load_file(const std::string& display, std::optional<support::SourceRange> from) {
        std::error_code ec;
        fs::path canon = fs::weakly_canonical(fs::path(display), ec);
        const std::string key = ec ? display : canon.string();
        for (std::size_t i = 0; i < m_.modules_.size(); ++i)
            if (m_.modules_[i]->canonical == key) return i;
        for (std::size_t i = 0; i < stack_.size(); ++i) {
            if (stack_[i].first == key) {
                std::string chain;
                for (std::size_t j = i; j < stack_.size(); ++j) chain += stack_[j].second + " -> ";
                chain += display;
                sink_.error(from, fmt::format("import cycle: {}", chain));
                return std::nullopt;
            }
        }
        auto text = read(display, from);
        if (!text) return std::nullopt;
        return add_text(key, display, std::move(*text), from);
    }

    std::optional<std::size_t> add_text(const std::string& key, const std::string& display, std::string text,
                                        std::optional<support::SourceRange> from = std::nullopt) {
        const auto file = m_.sources_->add(display, std::move(text));
        ast::Module ast = parse(*m_.sources_, file, sink_);
        const fs::path dir = fs::path(display).parent_path();
        if (const auto* of = find_part_of(ast)) {
            const std::string owner = resolve(dir, *of);
            if (from || !m_.modules_.empty() || !stack_.empty()) {
                sink_.error(from, fmt::format("'{}' is a part of '{}' (it says `part of` at {}); import '{}'",
                                              display, owner, m_.sources_->location(of->name_where), owner));
                return std::nullopt;
            }
            // The file named on the command line is a part: load the file it belongs to, which
            // takes this parse back when it reaches its `part` declaration.
            parsed_parts_[key] = std::move(ast);
            return load_file(owner, of->name_where);
        }
        auto mod = std::make_unique<Module>();
        mod->canonical = key;
        mod->display = display;
        stack_.emplace_back(key, display);
        mod->ast.file = ast.file;
        for (auto& d : ast.decls) {
            if (d.kind == ast::DeclKind::part) splice(dir, d, key, display, mod->ast.decls);
            else mod->ast.decls.push_back(std::move(d));
        }
        for (const auto& d : mod->ast.decls) {
            if (d.kind != ast::DeclKind::import) continue;
            if (mod->imports.count(d.name)) {
                sink_.error(d.name_where, fmt::format("namespace '{}' is already used by another import", d.name));
                continue;
            }
            auto idx = load_file(resolve(dir, d), d.name_where);
            if (idx) mod->imports[d.name] = *idx;
        }
        stack_.pop_back();
        m_.modules_.push_back(std::move(mod));
        return m_.modules_.size() - 1;
    }

private:
    /// The file's text, or an error at `from` (regular files only, up to a size limit: `import
    /// "/dev/zero"` must not hang).
    std::optional<std::string> read(const std::string& display, std::optional<support::SourceRange> from) {
        std::string why;
        auto text = support::read_regular_file(display, why);
        if (!text) {
            auto& diag = sink_.error(from, fmt::format("cannot open '{}': {}", display, why));
            if (auto it = missing_notes_.find(display); it != missing_notes_.end()) diag.notes = it->second;
        }
        return text;
    }

    static const ast::Decl* find_part_of(const ast::Module& ast) {
        for (const auto& d : ast.decls)
            if (d.kind == ast::DeclKind::part_of) return &d;
        return nullptr;
    }

    /// `part "P";` in the file `owner` (folder `dir`): appends P's declarations to `out`, as if
    /// written in place of the `part` line. P must say `part of` the owner, once, and has no
    /// imports or parts of its own; a file is a part of one file only, and never also a module.
    void splice(const fs::path& dir, const ast::Decl& part, const std::string& owner_key,
                const std::string& owner_display, std::vector<ast::Decl>& out) {
        const std::string display = resolve(dir, part);
        std::error_code ec;
        const fs::path canon = fs::weakly_canonical(fs::path(display), ec);
        const std::string key = ec ? display : canon.string();
        if (auto it = part_owner_.find(key); it != part_owner_.end()) {
            sink_.error(part.name_where, fmt::format("'{}' is already a part of '{}'", display, it->second));
            return;
        }
        bool module = false;
        for (const auto& mod : m_.modules_) module = module || mod->canonical == key;
        for (const auto& [k, _] : stack_) module = module || k == key;
        if (module) {
            sink_.error(part.name_where, fmt::format("'{}' is loaded as a module (a file named on the command line "
                                                     "or imported); a part is only ever a part",
                                                     display));
            return;
        }
        part_owner_[key] = owner_display;
        ast::Module ast;
        if (auto it = parsed_parts_.find(key); it != parsed_parts_.end()) {
            ast = std::move(it->second);
        } else {
            auto text = read(display, part.name_where);
            if (!text) return;
            ast = parse(*m_.sources_, m_.sources_->add(display, std::move(*text)), sink_);
        }
        const ast::Decl* of = find_part_of(ast);
        const fs::path part_dir = fs::path(display).parent_path();
        if (of) {
            const fs::path named = fs::weakly_canonical(fs::path(resolve(part_dir, *of)), ec);
            if (ec || named.string() != owner_key) {
                sink_.error(of->name_where, fmt::format("'{}' says it is a part of '{}', but '{}' includes it",
                                                        display, of->path, owner_display));
                return;
            }
        } else {
            sink_.error(part.name_where, fmt::format("'{}' does not say `part of \"{}\";`: a file included with "
                                                     "`part` names the file it belongs to",
                                                     display, fs::path(owner_display).filename().string()));
            return;
        }
        for (auto& d : ast.decls) {
            if (d.kind == ast::DeclKind::part_of) {
                if (&d != of) sink_.error(d.name_where, "a file is a part of one file only: a second `part of`");
            } else if (d.kind == ast::DeclKind::import) {
                sink_.error(d.name_where, fmt::format("a part has no imports of its own: it uses those of '{}'",
                                                      owner_display));
            } else if (d.kind == ast::DeclKind::part) {
                sink_.error(d.name_where, fmt::format("a part has no parts of its own: list them in '{}'",
                                                      owner_display));
            } else {
                out.push_back(std::move(d));
            }
        }
    }

    /// The file `import "P"` in folder `dir` names: P itself when absolute; else dir/P, unless
    /// that does not exist and a folder of the search path has P. When no candidate exists,
    /// dir/P (load_file reports it) with a note of every place looked at.
    std::string resolve(const fs::path& dir, const ast::Decl& d) {
        const fs::path p(d.path);
        if (p.is_absolute()) return p.string();
        const std::string beside = (dir / p).lexically_normal().string();
        std::error_code ec;
        if (fs::exists(beside, ec)) return beside;
        for (const auto& s : search_) {
            const std::string there = (fs::path(s.dir) / p).lexically_normal().string();
            if (fs::exists(there, ec)) return there;
        }
        std::vector<support::Note> notes;
        if (search_.empty()) {
            notes.push_back({std::nullopt, "a relative import is looked for beside the importing file, then in the "
                                           "folders of -I and IOMC_PATH (none given)"});
        } else {
            for (const auto& s : search_)
                notes.push_back({std::nullopt, fmt::format("not in '{}' either ({} {})",
                                                           (fs::path(s.dir) / p).lexically_normal().string(),
                                                           s.origin, s.dir)});
        }
        missing_notes_[beside] = std::move(notes);
        return beside;
    }

    Model& m_;
    support::DiagnosticSink& sink_;
    std::vector<ImportDir> search_;
    std::map<std::string, std::vector<support::Note>> missing_notes_;
    std::map<std::string, std::string> part_owner_;      ///< a part's canonical path -> its owner
    std::map<std::string, ast::Module> parsed_parts_;    ///< the root file, when it is a part
    std::vector<std::pair<std::string, std::string>> stack_;
};

namespace {

void collect_variants(Model& m, std::vector<VariantInfo>& out, support::DiagnosticSink& sink) {
    for (const auto& mod : m.modules()) {
        for (const auto& d : mod->ast.decls) {
            if (d.kind != ast::DeclKind::variant) continue;
            if (!mod->is_root) {
                sink.error(d.name_where, fmt::format("variant '{}' is declared in an imported file; variants belong "
                                                     "to the scenario (the file named on the command line)", d.name));
                continue;
            }
            bool dup = false;
            for (const auto& v : out)
                if (v.name == d.name) {
                    auto& diag = sink.error(d.name_where, fmt::format("variant '{}' is declared twice", d.name));
                    diag.notes.push_back({v.where, "first declared here"});
                    dup = true;
                }
            if (!dup) out.push_back(VariantInfo{d.name, d.path, d.name_where});
        }
    }
}

}  // namespace

std::unique_ptr<Model> Model::load(const std::string& path, support::DiagnosticSink& sink,
                                   const std::vector<ImportDir>& search) {
    std::unique_ptr<Model> m(new Model());
    m->path_ = path;
    m->sources_ = std::make_shared<support::SourceManager>();
    Loader loader(*m, sink, search);
    try {
        if (!loader.load_file(path, std::nullopt) || m->modules_.empty()) return nullptr;
        m->modules_.back()->is_root = true;
        collect_variants(*m, m->variants_, sink);
    } catch (const support::TooManyErrors&) {
    }
    return m;
}

std::unique_ptr<Model> Model::from_text(const std::string& name, const std::string& text,
                                        support::DiagnosticSink& sink) {
    std::unique_ptr<Model> m(new Model());
    m->path_ = name;
    m->sources_ = std::make_shared<support::SourceManager>();
    Loader loader(*m, sink);
    try {
        if (!loader.add_text(name, name, text)) return nullptr;
        m->modules_.back()->is_root = true;
        collect_variants(*m, m->variants_, sink);
    } catch (const support::TooManyErrors&) {
    }
    return m;
}

}  // namespace iomc::lang
