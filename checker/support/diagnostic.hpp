// SPDX-License-Identifier: MIT
/// @file Diagnostics for errors in user files: collected in a sink, printed like a compiler's.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/support/source.hpp"

namespace iomc::support {

enum class Severity { error, warning, note };

/// A note attached to a diagnostic; `where` may be absent for a plain hint.
struct Note {
    std::optional<SourceRange> where;
    std::string message;
};

/// One message about a user file. Messages start lower case (CBMC style).
struct Diagnostic {
    Severity severity = Severity::error;
    std::optional<SourceRange> where;  ///< absent only for errors with no file (e.g. a bad path)
    std::string message;
    std::vector<Note> notes;
};

/// Thrown by a sink when the error limit is reached, and by front-end passes that cannot go on.
struct TooManyErrors : std::runtime_error {
    TooManyErrors() : std::runtime_error("too many errors") {}
};

/// Collects diagnostics of one run. Stops (throws TooManyErrors) after `limit` errors.
/// Identical diagnostics (same place, same text) are kept once. Not thread-safe.
class DiagnosticSink {
public:
    explicit DiagnosticSink(std::size_t limit = 20) : limit_(limit) {}
    Diagnostic& error(std::optional<SourceRange> where, std::string message);
    Diagnostic& warning(std::optional<SourceRange> where, std::string message);
    [[nodiscard]] bool has_errors() const { return errors_ > 0; }
    [[nodiscard]] std::size_t error_count() const { return errors_; }
    [[nodiscard]] const std::vector<Diagnostic>& all() const { return diags_; }
    [[nodiscard]] bool limit_reached() const { return errors_ >= limit_; }
    /// Renders every diagnostic in order, as a compiler prints them, ending with a summary line
    /// when there are errors.
    [[nodiscard]] std::string render(const SourceManager& sm) const;

private:
    Diagnostic& add(Severity s, std::optional<SourceRange> where, std::string message);
    std::size_t limit_;
    std::size_t errors_ = 0;
    bool dropped_ = false;  ///< an error beyond the limit arrived and was not kept
    std::vector<Diagnostic> diags_;
    Diagnostic scratch_;  ///< returned for duplicates so callers can still add notes
};

/// Renders one diagnostic: "file:line:col: error: message", the source line and a caret line.
std::string render_diagnostic(const Diagnostic& d, const SourceManager& sm);

/// Edit distance, for "did you mean" notes.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The closest candidate to `name` within a small edit distance, if any.
std::optional<std::string> closest_name(const std::string& name,
                                        const std::vector<std::string>& candidates);

}  // namespace iomc::support
