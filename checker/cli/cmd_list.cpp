// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::cli {

int run_list(const ListOptions& o) {
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.defines);
    if (!ts) return exit_error;
    std::string out;
    out += fmt::format("model: {}\n", model->path());
    out += "variants:\n";
    if (model->variants().empty()) out += "  (none)\n";
    for (const auto& v : model->variants())
        out += fmt::format("  {}{}{}\n", v.name, v.description.empty() ? "" : "  ", v.description);
    out += "constants (value in this build, default in the file):\n";
    const auto consts = model->constants();
    for (std::size_t i = 0; i < ts->info().constants.size(); ++i) {
        const auto& name = ts->info().constants[i].first;
        std::string dflt;
        for (const auto& c : consts)
            if (c.name == name) dflt = c.default_text;
        out += fmt::format("  {} = {}   (default {})\n", name, ts->info().constant_text(i), dflt);
    }
    out += "processes:\n";
    for (const auto& p : ts->processes()) {
        std::size_t groups = 0;
        for (auto g : p.group_at) groups += g != ir::no_group ? 1 : 0;
        // Labels, for `iomc query` schedules (`client(0): @probe_complete`).
        std::vector<std::string> seen;
        std::string labels;
        for (const auto& l : p.locations) {
            if (l.label.empty() || std::find(seen.begin(), seen.end(), l.label) != seen.end()) continue;
            seen.push_back(l.label);
            labels += (labels.empty() ? "  labels: " : ", ") + l.label;
        }
        out += fmt::format("  {:<24} {} location{}, {} step{}  ({}){}\n", p.name, p.locations.size(),
                           p.locations.size() == 1 ? "" : "s", groups, groups == 1 ? "" : "s",
                           ts->sources().file_line(p.where), labels);
    }
    out += "properties:\n";
    for (const auto& p : ts->properties()) {
        const char* kind = "";
        switch (p.kind) {
            case ir::PropertyKind::runtime_error: kind = "built-in, always checked"; break;
            case ir::PropertyKind::deadlock:
            case ir::PropertyKind::mutex_misuse:
            case ir::PropertyKind::kref_misuse:
            case ir::PropertyKind::use_after_free: kind = "built-in"; break;
            case ir::PropertyKind::assertion: kind = p.where ? "assertion" : "built-in (unnamed asserts)"; break;
            case ir::PropertyKind::invariant: kind = p.lemma ? "lemma" : "invariant"; break;
            case ir::PropertyKind::liveness: kind = "liveness"; break;
            case ir::PropertyKind::lock_order: kind = "built-in, checked when named"; break;
        }
        out += fmt::format("  {:<40} {}{}\n", p.name, kind,
                           p.where ? fmt::format(" ({})", ts->sources().file_line(*p.where)) : "");
    }
    support::DiagnosticSink sink;
    const auto cells = model->expectations(sink);
    out += fmt::format("expectations: {}\n", cells.size());
    if (sink.has_errors()) {
        std::fputs(out.c_str(), stdout);
        std::fputs(sink.render(model->sources()).c_str(), stderr);
        return exit_error;
    }
    out += fmt::format("state vector: {} bytes ({} bits, {} slots)\n", ts->layout().bytes(), ts->layout().bits(),
                       ts->layout().slots().size());
    std::fputs(out.c_str(), stdout);
    return exit_holds;
}

int run_lint(const LintOptions& o) {
    int code = exit_holds;
    for (const auto& path : o.models) {
        auto model = load_model(path);
        if (!model) {
            code = exit_error;
            continue;
        }
        // Every variant must compile: an error only one variant reaches is still an error.
        std::vector<std::string> variants;
        for (const auto& v : model->variants()) variants.push_back(v.name);
        if (variants.empty()) variants.emplace_back();
        // Print each distinct diagnostic once: most are the same in every variant.
        bool ok = true;
        support::DiagnosticSink all(1000);
        std::set<std::string> seen;
        std::vector<std::vector<lang::UncalledProc>> uncalled;
        try {
            for (const auto& v : variants) {
                support::DiagnosticSink vs;
                // Lint also shows what breaks a scalarset's symmetry (check reports it from the IR).
                std::vector<lang::UncalledProc> never;
                if (!lang::compile(*model, lang::CompileOptions{v, o.defines, true, true, &never}, vs)) ok = false;
                if (!vs.has_errors()) uncalled.push_back(std::move(never));
                for (const auto& d : vs.all()) {
                    if (!seen.insert(support::render_diagnostic(d, model->sources())).second) continue;
                    auto& copy = d.severity == support::Severity::error ? all.error(d.where, d.message)
                                                                         : all.warning(d.where, d.message);
                    copy.notes = d.notes;
                }
            }
        } catch (const support::TooManyErrors&) {
            // 1000 distinct errors (a file with as many broken variants): the rest are left out,
            // and the count line says so.
            ok = false;
        }
        // A procedure some variant calls is not dead code: warn only when no variant calls it.
        if (uncalled.size() == variants.size()) lang::warn_uncalled(uncalled, all);
        if (!all.all().empty()) std::fputs(all.render(model->sources()).c_str(), stderr);
        support::DiagnosticSink sink;
        (void)model->expectations(sink);
        if (!sink.all().empty()) {
            std::fputs(sink.render(model->sources()).c_str(), stderr);
            ok = ok && !sink.has_errors();
        }
        if (ok) {
            if (model->variants().empty())
                std::printf("%s: ok (no variants)\n", path.c_str());
            else
                std::printf("%s: ok (%zu variant%s)\n", path.c_str(), variants.size(), variants.size() == 1 ? "" : "s");
        } else {
            code = exit_error;
        }
    }
    return code;
}

}  // namespace iomc::cli
