// SPDX-License-Identifier: MIT
#include "traces/schedule.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace iomc::traces {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string without_blanks(std::string_view s) {
    std::string out;
    for (const char c : s)
        if (c != ' ' && c != '\t') out += c;
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

/// Does `text` call `function`: "function(" not preceded by an identifier character?
bool calls(const std::string& text, const std::string& function) {
    for (std::size_t at = text.find(function); at != std::string::npos; at = text.find(function, at + 1)) {
        if (at > 0 && is_ident(text[at - 1])) continue;
        std::size_t end = at + function.size();
        while (end < text.size() && text[end] == ' ') ++end;
        if (end < text.size() && text[end] == '(') return true;
    }
    return false;
}

/// Statement ids that process `p` can run: the notes in its groups' code.
std::set<std::uint32_t> statements_of(const ir::TransitionSystem& ts, ir::ProcessId p) {
    std::set<std::uint32_t> out;
    for (const auto& g : ts.groups()) {
        if (g.process != p) continue;
        for (const auto& in : g.code.code)
            if (in.kind == ir::InstrKind::note && in.t1 == 0) out.insert(in.stmt);
    }
    return out;
}

class Parser {
public:
    Parser(const ir::TransitionSystem& ts, const support::SourceManager& sm, support::FileId file,
           support::DiagnosticSink& sink)
        : ts_(ts), file_(file), text_(sm.file(file).text()), sink_(sink) {}

    std::optional<Schedule> run() {
        std::size_t pos = 0;
        while (pos <= text_.size()) {
            std::size_t eol = text_.find('\n', pos);
            if (eol == std::string_view::npos) eol = text_.size();
            line(pos, eol);
            if (sink_.limit_reached()) break;
            pos = eol + 1;
        }
        if (!sink_.has_errors() && out_.entries.empty())
            sink_.error(range(0, 0), "the schedule has no entries; write one per line as 'PROCESS: PATTERN'");
        if (sink_.has_errors()) return std::nullopt;
        return std::move(out_);
    }

private:
    const ir::TransitionSystem& ts_;
    support::FileId file_;
    std::string_view text_;
    support::DiagnosticSink& sink_;
    Schedule out_;
    bool have_violates_ = false;
    bool too_many_ = false;  ///< the entry past max_schedule_entries was reported

    [[nodiscard]] support::SourceRange range(std::size_t b, std::size_t e) const {
        return {file_, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
    }

    void skip_blanks(std::size_t& p, std::size_t end) const {
        while (p < end && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
    }

    /// One line [b, e): blank, comment, an entry or `violates P`.
    void line(std::size_t b, std::size_t e) {
        // The comment starts at the first '#' outside a string.
        bool quoted = false;
        for (std::size_t p = b; p < e; ++p) {
            if (text_[p] == '\\' && quoted) {
                ++p;
                continue;
            }
            if (text_[p] == '"') quoted = !quoted;
            if (text_[p] == '#' && !quoted) {
                e = p;
                break;
            }
        }
        skip_blanks(b, e);
        while (e > b && (text_[e - 1] == ' ' || text_[e - 1] == '\t' || text_[e - 1] == '\r')) --e;
        if (b == e) return;
        const std::string_view body = text_.substr(b, e - b);
        if (body.starts_with("violates") && (body.size() == 8 || body[8] == ' ' || body[8] == '\t')) {
            violates(b, e);
            return;
        }
        entry(b, e);
    }

    void violates(std::size_t b, std::size_t e) {
        std::size_t p = b + 8;
        skip_blanks(p, e);
        if (p == e) {
            sink_.error(range(b, e), "expected a property name after 'violates'");
            return;
        }
        if (have_violates_) {
            sink_.error(range(b, e), "a schedule has at most one 'violates' line");
            return;
        }
        have_violates_ = true;
        const std::string name(text_.substr(p, e - p));
        out_.violates_where = range(b, e);
        if (auto id = ts_.find_property(name)) {
            out_.violates = *id;
            return;
        }
        std::vector<std::string> names;
        for (const auto& prop : ts_.properties()) names.push_back(prop.name);
        auto& d = sink_.error(range(p, e), fmt::format("unknown property '{}'; the properties are: {}", name, join(names)));
        if (auto best = support::closest_name(name, names))
            d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
    }

    /// The process an entry names: an instance name as `iomc list` prints it, or a process
    /// declaration with exactly one instance.
    std::optional<ir::ProcessId> process(std::size_t b, std::size_t e) {
        const std::string name = without_blanks(text_.substr(b, e - b));
        std::vector<std::string> names;
        std::vector<ir::ProcessId> of_decl;
        for (std::uint32_t i = 0; i < ts_.processes().size(); ++i) {
            const auto& p = ts_.processes()[i];
            if (without_blanks(p.name) == name) return ir::ProcessId{i};
            if (p.decl == name) of_decl.push_back(ir::ProcessId{i});
            names.push_back(p.name);
        }
        if (of_decl.size() == 1) return of_decl.front();
        if (of_decl.size() > 1) {
            std::vector<std::string> inst;
            for (const auto id : of_decl) inst.push_back(ts_.process(id).name);
            sink_.error(range(b, e), fmt::format("'{}' has {} instances; name one of: {}", name, of_decl.size(), join(inst)));
            return std::nullopt;
        }
        auto& d = sink_.error(range(b, e), fmt::format("unknown process '{}'; the processes are: {}", name, join(names)));
        if (auto best = support::closest_name(name, names))
            d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
        return std::nullopt;
    }

    void entry(std::size_t b, std::size_t e) {
        if (have_violates_) {
            sink_.error(range(b, e), "an entry after the 'violates' line; 'violates' comes after the last entry");
            return;
        }
        const auto colon = text_.find(':', b);
        if (colon == std::string_view::npos || colon >= e) {
            sink_.error(range(b, e), "expected 'PROCESS: PATTERN' or 'violates PROPERTY'");
            return;
        }
        std::size_t pe = colon;
        while (pe > b && (text_[pe - 1] == ' ' || text_[pe - 1] == '\t')) --pe;
        if (pe == b) {
            sink_.error(range(b, colon + 1), "expected a process name before ':'");
            return;
        }
        const auto proc = process(b, pe);
        if (!proc) return;
        ScheduleEntry en;
        en.where = range(b, e);
        en.text = std::string(text_.substr(b, e - b));
        en.process = *proc;
        std::size_t p = colon + 1;
        skip_blanks(p, e);
        if (p == e) {
            sink_.error(range(colon, colon + 1),
                        "expected a pattern after ':': @label, a procedure name, \"text\", or a procedure name "
                        "and \"text\"");
            return;
        }
        if (text_[p] == '@') {
            if (!label(en, p, e)) return;
        } else if (!statement_pattern(en, p, e)) {
            return;
        }
        if (out_.entries.size() == max_schedule_entries) {
            if (!too_many_)
                sink_.error(range(b, e), fmt::format("too many entries: a schedule has at most {}; this is entry {}",
                                                     max_schedule_entries, max_schedule_entries + 1));
            too_many_ = true;
            return;
        }
        out_.entries.push_back(std::move(en));
    }

    bool label(ScheduleEntry& en, std::size_t p, std::size_t e) {
        const std::size_t start = p + 1;
        std::size_t q = start;
        while (q < e && is_ident(text_[q])) ++q;
        if (q == start || !is_ident_start(text_[start])) {
            sink_.error(range(p, e), "expected a label name after '@'");
            return false;
        }
        if (q != e) {
            sink_.error(range(q, e), "unexpected text after the label");
            return false;
        }
        en.label = std::string(text_.substr(start, q - start));
        const auto& proc = ts_.process(en.process);
        std::vector<std::string> labels;
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l) {
            const auto& loc = proc.locations[l];
            if (loc.label.empty()) continue;
            if (loc.label == en.label) en.label_locations.push_back(l);
            if (std::find(labels.begin(), labels.end(), loc.label) == labels.end()) labels.push_back(loc.label);
        }
        if (!en.label_locations.empty()) return true;
        auto& d = sink_.error(range(start, q), labels.empty()
                                                   ? fmt::format("{} has no label '{}'; it has no labels", proc.name, en.label)
                                                   : fmt::format("{} has no label '{}'; its labels are: {}", proc.name,
                                                                 en.label, join(labels)));
        if (auto best = support::closest_name(en.label, labels))
            d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
        return false;
    }

    /// `function`, `function()`, `"text"` or `function "text"`, namespaces allowed.
    bool statement_pattern(ScheduleEntry& en, std::size_t p, std::size_t e) {
        const std::size_t fstart = p;
        if (is_ident_start(text_[p])) {
            while (p < e && (is_ident(text_[p]) || (text_[p] == ':' && p + 1 < e && text_[p + 1] == ':'))) {
                p += text_[p] == ':' ? 2 : 1;
            }
            std::string f(text_.substr(fstart, p - fstart));
            const auto colons = f.rfind("::");
            if (colons != std::string::npos) f = f.substr(colons + 2);
            if (f.empty()) {
                sink_.error(range(fstart, p), "expected a procedure name");
                return false;
            }
            en.function = f;
            if (p + 1 < e && text_[p] == '(' && text_[p + 1] == ')') p += 2;
            skip_blanks(p, e);
        }
        std::size_t tstart = p;
        if (p < e && text_[p] == '"') {
            ++p;
            bool closed = false;
            while (p < e) {
                if (text_[p] == '\\' && p + 1 < e) {
                    en.contains += text_[p + 1];
                    p += 2;
                    continue;
                }
                if (text_[p] == '"') {
                    closed = true;
                    ++p;
                    break;
                }
                en.contains += text_[p++];
            }
            if (!closed) {
                sink_.error(range(tstart, e), "unterminated string: a pattern's text ends with '\"'");
                return false;
            }
            if (en.contains.empty()) {
                sink_.error(range(tstart, p), "the text of a pattern must not be empty");
                return false;
            }
            skip_blanks(p, e);
        }
        if (p != e) {
            sink_.error(range(p, e), en.function.empty() && tstart == p
                                         ? "expected a pattern: @label, a procedure name, \"text\", or a procedure "
                                           "name and \"text\""
                                         : "unexpected text after the pattern");
            return false;
        }
        const auto& stmts = statements_of(ts_, en.process);
        en.statement_matches.assign(stmts.empty() ? 0 : *stmts.rbegin() + 1, 0);
        bool any = false, any_function = en.function.empty();
        std::vector<std::string> functions;
        for (const auto id : stmts) {
            const auto& st = ts_.statement(id);
            const bool fn = en.function.empty() || st.function == en.function || calls(st.text, en.function);
            any_function = any_function || fn;
            const bool hit = fn && (en.contains.empty() || st.text.find(en.contains) != std::string::npos);
            en.statement_matches[id] = hit ? 1 : 0;
            any = any || hit;
            if (std::find(functions.begin(), functions.end(), st.function) == functions.end())
                functions.push_back(st.function);
        }
        if (any) return true;
        const auto& proc = ts_.process(en.process);
        if (!any_function) {
            auto& d = sink_.error(range(fstart, fstart + en.function.size()),
                                  fmt::format("{} runs no procedure '{}' and calls none; its procedures are: {}",
                                              proc.name, en.function, join(functions)));
            if (auto best = support::closest_name(en.function, functions))
                d.notes.push_back({std::nullopt, fmt::format("did you mean '{}'?", *best)});
            return false;
        }
        sink_.error(range(tstart, e), en.function.empty()
                                          ? fmt::format("no statement of {} contains \"{}\"", proc.name, en.contains)
                                          : fmt::format("no statement of {} in or calling {}() contains \"{}\"",
                                                        proc.name, en.function, en.contains));
        return false;
    }
};

}  // namespace

bool ScheduleEntry::matches(ir::ProcessId p, std::uint32_t stmt, std::uint32_t location_after) const {
    if (p != process) return false;
    if (!label.empty())
        return std::find(label_locations.begin(), label_locations.end(), location_after) != label_locations.end();
    return stmt < statement_matches.size() && statement_matches[stmt] != 0;
}

bool ScheduleEntry::could_start_at(const ir::TransitionSystem& ts, std::uint32_t location) const {
    const auto& proc = ts.process(process);
    if (location >= proc.group_at.size() || proc.group_at[location] == ir::no_group) return false;
    for (const auto& in : ts.group(proc.group_at[location]).code.code) {
        if (!label.empty() && in.kind == ir::InstrKind::finish &&
            std::find(label_locations.begin(), label_locations.end(), in.t1) != label_locations.end())
            return true;
        if (label.empty() && in.kind == ir::InstrKind::note && in.t1 == 0 && in.stmt < statement_matches.size() &&
            statement_matches[in.stmt] != 0)
            return true;
    }
    return false;
}

std::optional<Schedule> parse_schedule(const ir::TransitionSystem& ts, const support::SourceManager& sm,
                                       support::FileId file, support::DiagnosticSink& sink) {
    try {
        return Parser(ts, sm, file, sink).run();
    } catch (const support::TooManyErrors&) {
        return std::nullopt;
    }
}

}  // namespace iomc::traces
