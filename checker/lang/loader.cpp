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
        // Regular files only, up to a size limit: `import "/dev/zero"` must not hang.
        std::string why;
        auto text = support::read_regular_file(display, why);
        if (!text) {
            auto& diag = sink_.error(from, fmt::format("cannot open '{}': {}", display, why));
            if (auto it = missing_notes_.find(display); it != missing_notes_.end()) diag.notes = it->second;
            return std::nullopt;
        }
        return add_text(key, display, std::move(*text));
    }

    std::optional<std::size_t> add_text(const std::string& key, const std::string& display, std::string text) {
        const auto file = m_.sources_->add(display, std::move(text));
        auto mod = std::make_unique<Module>();
        mod->canonical = key;
        mod->display = display;
        mod->ast = parse(*m_.sources_, file, sink_);
        stack_.emplace_back(key, display);
        const fs::path dir = fs::path(display).parent_path();
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
