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

void BreachLog::add(const ScalarsetInfo& ss, std::string what, support::SourceRange where) {
    if (ss.size <= 1 || quiet_ > 0) return;
    auto& list = breaches_[ss.table];
    for (const auto& b : list)
        if (b.where == where) return;
    list.push_back(ir::SymmetryBreach{std::move(what), where});
}

std::string source_text(const support::SourceManager& sm, support::SourceRange r) {
    std::string out;
    bool space = false;
    for (char c : sm.text(r)) {
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
