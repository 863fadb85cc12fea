// SPDX-License-Identifier: MIT
#include "checker/support/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace iomc::support {

Diagnostic& DiagnosticSink::add(Severity s, std::optional<SourceRange> where, std::string message) {
    for (const auto& d : diags_)
        if (d.severity == s && d.where == where && d.message == message) {
            scratch_ = {};
            return scratch_;
        }
    if (s == Severity::error) {
        if (errors_ >= limit_) {
            dropped_ = true;
            throw TooManyErrors();
        }
        ++errors_;
    }
    diags_.push_back(Diagnostic{s, where, std::move(message), {}});
    return diags_.back();
}

Diagnostic& DiagnosticSink::error(std::optional<SourceRange> where, std::string message) {
    return add(Severity::error, where, std::move(message));
}

Diagnostic& DiagnosticSink::warning(std::optional<SourceRange> where, std::string message) {
    return add(Severity::warning, where, std::move(message));
}

namespace {

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

void render_one(std::string& out, Severity sev, const std::optional<SourceRange>& where,
                const std::string& message, const SourceManager& sm) {
    if (!where) {
        // A note without a place (a hint) belongs to the message above it.
        if (sev == Severity::note)
            out += fmt::format("note: {}\n", message);
        else
            out += fmt::format("iomc: {}: {}\n", severity_name(sev), message);
        return;
    }
    const auto& f = sm.file(where->file);
    const auto lc = f.line_col(where->begin);
    out += fmt::format("{}:{}:{}: {}: {}\n", f.name(), lc.line, lc.column, severity_name(sev), message);
    const std::string line = expand_tabs(f.line_text(lc.line));
    if (line.empty() && where->begin >= f.text().size() && f.text().empty()) return;
    const std::string gutter = fmt::format("{:>5}", lc.line);
    out += fmt::format("{} | {}\n", gutter, line);
    // The caret covers the range on its first line.
    std::uint32_t end_col = lc.column + 1;
    if (where->end > where->begin) {
        const auto le = f.line_col(where->end);
        end_col = le.line == lc.line ? le.column : static_cast<std::uint32_t>(line.size()) + 1;
    }
    if (end_col <= lc.column) end_col = lc.column + 1;
    std::string marker(lc.column - 1, ' ');
    marker += '^';
    marker.append(end_col - lc.column - 1, '~');
    out += fmt::format("{} | {}\n", std::string(gutter.size(), ' '), marker);
}

}  // namespace

std::string render_diagnostic(const Diagnostic& d, const SourceManager& sm) {
    std::string out;
    render_one(out, d.severity, d.where, d.message, sm);
    for (const auto& n : d.notes) render_one(out, Severity::note, n.where, n.message, sm);
    return out;
}

std::string DiagnosticSink::render(const SourceManager& sm) const {
    // Sorted: diagnostics without a place (command line) first, then by file and offset. The
    // front end's passes run in their own order; the reader wants the file's.
    std::vector<const Diagnostic*> order;
    for (const auto& d : diags_) order.push_back(&d);
    std::stable_sort(order.begin(), order.end(), [](const Diagnostic* a, const Diagnostic* b) {
        if (a->where.has_value() != b->where.has_value()) return !a->where.has_value();
        if (!a->where) return false;
        if (a->where->file != b->where->file) return a->where->file < b->where->file;
        return a->where->begin < b->where->begin;
    });
    std::string out;
    for (const auto* d : order) out += render_diagnostic(*d, sm);
    if (errors_ > 0) {
        out += fmt::format("{} error{}{}\n", errors_, errors_ == 1 ? "" : "s",
                           dropped_ ? " (stopped at the limit)" : "");
    }
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string> closest_name(const std::string& name,
                                        const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const auto& c : candidates) {
        const auto d = edit_distance(name, c);
        if (d < best_d || (d == best_d && best && c < *best)) {
            if (d < best_d) best_d = d;
            best = c;
        }
    }
    return best;
}

}  // namespace iomc::support
