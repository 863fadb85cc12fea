// SPDX-License-Identifier: MIT
#include "checker/lang/sema.hpp"

#include <fmt/format.h>

namespace iomc::lang {

void fail(support::DiagnosticSink& sink, support::SourceRange where, std::string message) {
    sink.error(where, std::move(message));
    throw Abandon{};
}

void unknown(support::DiagnosticSink& sink, const std::string& what, const std::string& name,
             support::SourceRange where, const std::vector<std::string>& candidates) {
    auto& d = sink.error(where, fmt::format("unknown {} '{}'", what, name));
    if (auto best = support::closest_name(name, candidates))
        d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
    throw Abandon{};
}

void ExpansionCounter::count(support::DiagnosticSink& sink, support::SourceRange where, const std::string& what,
                             std::int64_t n) {
    if (exceeded_) throw Abandon{};
    if (n <= 0) return;
    const bool nested = n > limit_ / factor_;  // factor_ * n > limit_, without overflow
    if (nested || total_ > limit_ - n) {
        exceeded_ = true;
        std::string detail;
        if (factor_ == 1 && nested)
            detail = fmt::format("it has {}", n);
        else if (nested)
            detail = fmt::format("{} here, repeated {} times by the constructs around it", n, factor_);
        else
            detail = fmt::format("{} here, after {} before it", n, total_);
        fail(sink, where, fmt::format("{} expands to more than {} {} ({}); {}", what, limit_, unit_, detail, how_));
    }
    total_ += n;
}

void BreachLog::add(const ScalarsetInfo& ss, std::string what, support::SourceRange where) {
    if (ss.size <= 1 || quiet_ > 0) return;
    auto& list = breaches_[ss.table];
    for (const auto& b : list)
        if (b.where == where) return;
    list.push_back(ir::SymmetryBreach{std::move(what), where});
}

std::string quantifier_text(const ast::Expr& e) {
    return fmt::format("'{} {}: {}'", e.forall ? "forall" : "exists", e.member, e.name.str());
}

std::string source_text(const support::SourceManager& sm, support::SourceRange r) {
    std::string out;
    bool space = false;
    const std::string_view text = sm.text(r);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        // Comments go: on one line, a `//` comment would seem to swallow what follows it.
        // (No string literal appears inside code: strings are only import paths and names.)
        if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
            const bool line = text[i + 1] == '/';
            const auto end = line ? text.find('\n', i) : text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : (line ? end : end + 1);
            space = !out.empty();
            continue;
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

}  // namespace iomc::lang
