// SPDX-License-Identifier: MIT
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/cli/progress.hpp"
#include "checker/cli/verdicts.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::cli {

namespace fs = std::filesystem;

namespace {

struct Row {
    std::string file, variant, property, expected, got, note;
    std::uint64_t states = 0;
    double seconds = 0;
    bool pass = false;
    bool skipped = false;
    bool incomplete = false;
};

const char* verdict_word(lang::Expectation const& e) {
    switch (e.verdict) {
        case lang::ast::Verdict::holds: return "holds";
        case lang::ast::Verdict::violates: return "violated";
        case lang::ast::Verdict::skip: return "skip";
    }
    return "?";
}

void print_row(const Row& r, std::size_t wf, std::size_t wv, std::size_t wp) {
    const char* status = r.skipped ? "SKIP" : r.pass ? "ok" : r.incomplete ? "INC" : "FAIL";
    std::string line = fmt::format("{:<4}  {:<{}}  {:<{}}  {:<{}}  {:<10}  {:<10}  {:>9}  {:>7.2f}s", status, r.file, wf,
                                   r.variant.empty() ? "-" : r.variant, wv, r.property, wp, r.expected, r.got, r.states,
                                   r.seconds);
    if (!r.note.empty()) line += "  " + r.note;
    std::puts(line.c_str());
    std::fflush(stdout);
}

}  // namespace

int run_test(const TestOptions& o) {
    explore::Options base;
    if (!explorer_options(o.common, base)) return exit_error;
    base.stop_at_first = false;
    install_interrupt_handler();
    // Files: explicit files are taken as given; folders are searched for *.mc, sorted.
    std::vector<std::pair<std::string, bool>> files;  // path, named explicitly
    for (const auto& p : o.paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file() && e.path().extension() == ".mc") found.push_back(e.path().string());
            std::sort(found.begin(), found.end());
            for (auto& f : found) files.emplace_back(std::move(f), false);
        } else if (fs::exists(p, ec)) {
            files.emplace_back(p, true);
        } else {
            std::fprintf(stderr, "iomc: error: no such file or folder '%s'\n", p.c_str());
            return exit_error;
        }
    }
    const std::size_t wf = 28, wv = 14, wp = 34;
    std::printf("%-4s  %-*s  %-*s  %-*s  %-10s  %-10s  %9s  %8s\n", "", static_cast<int>(wf), "file", static_cast<int>(wv),
                "variant", static_cast<int>(wp), "property", "expected", "got", "states", "time");
    int passed = 0, failed = 0, skipped = 0, errors = 0, incomplete = 0;
    int model_errors = 0;  // variants that do not compile, or whose lock_nested contradicts itself
    std::vector<std::string> without;
    // What the searches used, for the reductions line under the table.
    std::uint64_t searches = 0, with_por = 0, with_symmetry = 0;
    std::set<std::string> symmetric, asymmetric;
    for (const auto& [file, explicit_file] : files) {
        support::DiagnosticSink sink;
        auto model = lang::Model::load(file, sink, import_search_path());
        if (!model || sink.has_errors()) {
            const support::SourceManager empty;
            std::fputs(sink.render(model ? model->sources() : empty).c_str(), stderr);
            std::printf("%-4s  %s: does not load (see the errors above)\n", "FAIL", file.c_str());
            ++errors;
            continue;
        }
        const auto cells = model->expectations(sink);
        if (sink.has_errors()) {
            std::fputs(sink.render(model->sources()).c_str(), stderr);
            ++errors;
            continue;
        }
        if (cells.empty()) {
            if (explicit_file) {
                std::fprintf(stderr, "iomc: error: %s has no expect lines; nothing to test\n", file.c_str());
                ++errors;
            } else {
                without.push_back(file);
            }
            continue;
        }
        // One search per variant covers all of its expectations.
        std::vector<std::string> variants;
        for (const auto& c : cells)
            if (std::find(variants.begin(), variants.end(), c.variant) == variants.end()) variants.push_back(c.variant);
        const std::string shown = fs::path(file).filename().string();
        for (const auto& v : variants) {
            std::vector<const lang::Expectation*> mine;
            for (const auto& c : cells)
                if (c.variant == v) mine.push_back(&c);
            // Warnings (a procedure only some variants call) would repeat per variant: `iomc
            // lint` shows them once; here only errors matter.
            auto ts = compile_model(*model, v, o.common.defines, false);
            if (!ts) {
                ++model_errors;
                for (const auto* c : mine) {
                    Row r{shown, v, c->property, verdict_word(*c), "error", "model error (see above)"};
                    print_row(r, wf, wv, wp);
                    ++failed;
                }
                continue;
            }
            explore::Options eo = base;
            std::vector<const lang::Expectation*> run;
            // Rows come out in the order of the expect lines, once the search is done.
            std::map<const lang::Expectation*, Row> rows;
            for (const auto* c : mine) {
                if (c->verdict == lang::ast::Verdict::skip) {
                    Row r{shown, v, c->property, "skip", "skipped", c->reason};
                    r.skipped = true;
                    rows[c] = r;
                    ++skipped;
                    continue;
                }
                auto id = ts->find_property(c->property);
                if (!id) {
                    std::string list;
                    for (const auto& p : ts->properties()) list += (list.empty() ? "" : ", ") + p.name;
                    Row r{shown, v, c->property, verdict_word(*c), "error",
                          fmt::format("unknown property; available: {}", list)};
                    rows[c] = r;
                    ++failed;
                    continue;
                }
                eo.properties.push_back(*id);
                run.push_back(c);
            }
            auto flush = [&] {
                for (const auto* c : mine)
                    if (auto it = rows.find(c); it != rows.end()) print_row(it->second, wf, wv, wp);
            };
            if (run.empty()) {
                flush();
                continue;
            }
            GraphFindings findings;
            const auto res = check_all(*ts, eo, &findings, o.common.fairness == "strong");
            if (!findings.error.empty()) {
                ++model_errors;
                std::fprintf(stderr, "%s\n", findings.error.c_str());
                for (const auto* c : run) {
                    rows[c] = Row{shown, v, c->property, verdict_word(*c), "error", "model error (see above)"};
                    ++failed;
                }
                flush();
                continue;
            }
            ++searches;
            if (res.reductions.por) ++with_por;
            if (res.reductions.symmetry != reduce::SymmetryMode::off) ++with_symmetry;
            symmetric.insert(res.reductions.symmetric.begin(), res.reductions.symmetric.end());
            for (const auto& a : res.reductions.asymmetric) asymmetric.insert(shown + ": " + a);
            for (const auto* c : run) {
                const auto id = *ts->find_property(c->property);
                explore::Verdict got = explore::Verdict::incomplete;
                std::size_t steps = 0;
                for (const auto& p : res.properties)
                    if (p.property == id) {
                        got = p.verdict;
                        if (p.counterexample) steps = p.counterexample->trace.steps.size();
                    }
                Row r{shown, v, c->property, verdict_word(*c), explore::to_string(got)};
                r.states = res.stats.states;
                r.seconds = res.stats.seconds;
                const bool want_violated = c->verdict == lang::ast::Verdict::violates;
                r.pass = got == (want_violated ? explore::Verdict::violated : explore::Verdict::holds);
                if (got == explore::Verdict::violated) r.note = fmt::format("{} steps", steps);
                if (got == explore::Verdict::violated && c->property == "lock_order") r.note = "lockdep report (iomc check --property lock_order)";
                for (const auto& p : res.properties)
                    if (p.property == id && p.counterexample &&
                        p.counterexample->violation.kind == traces::ViolationKind::lasso)
                        r.note = p.counterexample->violation.cycle_start == steps
                                     ? fmt::format("{} steps, then no process can step", steps)
                                     : fmt::format("lasso: {} steps, then a cycle of {}",
                                                   p.counterexample->violation.cycle_start,
                                                   steps - p.counterexample->violation.cycle_start);
                for (const auto& n : findings.notes)
                    if (n.rfind("liveness " + c->property + " holds vacuously", 0) == 0) r.note = "vacuously";
                // Liveness and lock order ran on the whole graph: its states.
                if (ts->property(id).kind == ir::PropertyKind::liveness || ts->property(id).kind == ir::PropertyKind::lock_order)
                    r.states = findings.states;
                if (got == explore::Verdict::incomplete) {
                    r.note = res.incomplete_reason;
                    r.incomplete = true;  // neither a pass nor a refutation
                }
                (r.pass ? passed : r.incomplete ? incomplete : failed)++;
                rows[c] = r;
            }
            flush();
            for (const auto& w : unused_size_warnings(*model, res))
                std::printf("warning: %s%s%s: %s%s\n", shown.c_str(), v.empty() ? "" : " variant ", v.c_str(),
                            w.message.c_str(), w.location.empty() ? "" : fmt::format(" ({})", w.location).c_str());
        }
    }
    if (searches) {
        std::string line = fmt::format("\nreductions: partial-order in {} of {} searches", with_por, searches);
        if (with_symmetry) {
            std::string sets;
            for (const auto& x : symmetric) sets += (sets.empty() ? "" : ", ") + x;
            line += fmt::format("; symmetry in {} (over {})", with_symmetry, sets);
        } else {
            line += "; symmetry in none";
        }
        std::printf("%s\n", line.c_str());
        for (const auto& a : asymmetric) std::printf("symmetry off for %s\n", a.c_str());
    }
    if (!without.empty()) {
        std::printf("\nfiles without expectations (libraries): %zu\n", without.size());
        for (const auto& f : without) std::printf("  %s\n", f.c_str());
    }
    std::printf("\n%d passed, %d failed, %d skipped, %d incomplete", passed, failed, skipped, incomplete);
    if (errors) std::printf(", %d file%s with errors", errors, errors == 1 ? "" : "s");
    if (model_errors) std::printf(", %d variant%s with model errors", model_errors, model_errors == 1 ? "" : "s");
    std::printf("\n");
    // A model error is bad input (exit 2), whatever the other cells say.
    if (errors || model_errors) return exit_error;
    if (failed) return exit_violated;
    return incomplete ? exit_incomplete : exit_holds;
}

}  // namespace iomc::cli
