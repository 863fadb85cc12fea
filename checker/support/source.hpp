// SPDX-License-Identifier: MIT
/// @file Source files and ranges: what every diagnostic, IR group and trace step points into.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace iomc::support {

/// Index of a file in a SourceManager.
using FileId = std::uint32_t;

/// A half-open byte range [begin, end) in one file.
struct SourceRange {
    FileId file = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

/// 1-based line and column (columns count characters after expanding tabs to 8).
struct LineCol {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

/// One loaded file: its name as the user should see it, and its text.
class SourceFile {
public:
    SourceFile(std::string display_name, std::string text);
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] std::string_view text() const { return text_; }
    [[nodiscard]] LineCol line_col(std::uint32_t offset) const;
    /// The text of 1-based line `line`, without its newline.
    [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
    [[nodiscard]] std::uint32_t line_count() const {
        return static_cast<std::uint32_t>(line_starts_.size());
    }

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

/// Owns every file of one run. Not thread-safe for adding; reading is safe once loading ends.
class SourceManager {
public:
    FileId add(std::string display_name, std::string text);
    [[nodiscard]] const SourceFile& file(FileId id) const { return *files_.at(id); }
    [[nodiscard]] std::size_t size() const { return files_.size(); }
    /// "path:line:col" of the start of `r`.
    [[nodiscard]] std::string location(SourceRange r) const;
    /// "path:line" of the start of `r`, as traces print it.
    [[nodiscard]] std::string file_line(SourceRange r) const;
    /// The source text of `r`.
    [[nodiscard]] std::string_view text(SourceRange r) const;

private:
    std::vector<std::unique_ptr<SourceFile>> files_;
};

/// Expands tabs to the next multiple of 8 columns.
std::string expand_tabs(std::string_view line);

}  // namespace iomc::support
