// SPDX-License-Identifier: MIT
#include "checker/support/source.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace iomc::support {

SourceFile::SourceFile(std::string display_name, std::string text)
    : name_(std::move(display_name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::uint32_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    const std::uint32_t start = line_starts_[line - 1];
    std::uint32_t col = 1;
    for (std::uint32_t i = start; i < offset; ++i) col = text_[i] == '\t' ? ((col - 1) / 8 + 1) * 8 + 1 : col + 1;
    return {line, col};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return {};
    const std::uint32_t start = line_starts_[line - 1];
    std::uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<std::uint32_t>(text_.size());
    while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
    return std::string_view(text_).substr(start, end - start);
}

FileId SourceManager::add(std::string display_name, std::string text) {
    files_.push_back(std::make_unique<SourceFile>(std::move(display_name), std::move(text)));
    return static_cast<FileId>(files_.size() - 1);
}

std::string SourceManager::location(SourceRange r) const {
    const auto& f = file(r.file);
    const auto lc = f.line_col(r.begin);
    return fmt::format("{}:{}:{}", f.name(), lc.line, lc.column);
}

std::string SourceManager::file_line(SourceRange r) const {
    const auto& f = file(r.file);
    return fmt::format("{}:{}", f.name(), f.line_col(r.begin).line);
}

std::string_view SourceManager::text(SourceRange r) const {
    const auto t = file(r.file).text();
    if (r.begin >= t.size()) return {};
    return t.substr(r.begin, std::min<std::size_t>(r.end, t.size()) - r.begin);
}

std::string expand_tabs(std::string_view line) {
    std::string out;
    for (char c : line) {
        if (c == '\t') {
            out.append(8 - out.size() % 8, ' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace iomc::support
