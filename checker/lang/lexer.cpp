// SPDX-License-Identifier: MIT
#include "checker/lang/lexer.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace iomc::lang {

namespace {

constexpr std::array<std::pair<std::string_view, Tok>, 42> keywords{{
    {"import", Tok::kw_import}, {"as", Tok::kw_as}, {"const", Tok::kw_const},
    {"type", Tok::kw_type}, {"enum", Tok::kw_enum}, {"struct", Tok::kw_struct},
    {"var", Tok::kw_var}, {"proc", Tok::kw_proc}, {"process", Tok::kw_process},
    {"invariant", Tok::kw_invariant}, {"variant", Tok::kw_variant}, {"expect", Tok::kw_expect},
    {"holds", Tok::kw_holds}, {"violates", Tok::kw_violates}, {"skip", Tok::kw_skip},
    {"when", Tok::kw_when}, {"if", Tok::kw_if}, {"else", Tok::kw_else},
    {"while", Tok::kw_while}, {"for", Tok::kw_for},
    {"either", Tok::kw_either}, {"or", Tok::kw_or}, {"atomic", Tok::kw_atomic},
    {"await", Tok::kw_await}, {"assert", Tok::kw_assert}, {"return", Tok::kw_return},
    {"goto", Tok::kw_goto}, {"break", Tok::kw_break}, {"continue", Tok::kw_continue},
    {"true", Tok::kw_true}, {"false", Tok::kw_false}, {"none", Tok::kw_none},
    {"scalarset", Tok::kw_scalarset}, {"bool", Tok::kw_bool}, {"mutex", Tok::kw_mutex},
    {"kref", Tok::kw_kref}, {"forall", Tok::kw_forall}, {"exists", Tok::kw_exists},
    {"past", Tok::kw_past}, {"choose", Tok::kw_choose}, {"self", Tok::kw_self},
    {"metric", Tok::kw_metric},
}};

}  // namespace

std::string describe(Tok t) {
    switch (t) {
        case Tok::eof: return "end of file";
        case Tok::error: return "invalid token";
        case Tok::ident: return "identifier";
        case Tok::integer: return "integer";
        case Tok::string: return "string";
        case Tok::lbrace: return "'{'";
        case Tok::rbrace: return "'}'";
        case Tok::lparen: return "'('";
        case Tok::rparen: return "')'";
        case Tok::lbracket: return "'['";
        case Tok::rbracket: return "']'";
        case Tok::semi: return "';'";
        case Tok::colon: return "':'";
        case Tok::coloncolon: return "'::'";
        case Tok::comma: return "','";
        case Tok::dot: return "'.'";
        case Tok::dotdot: return "'..'";
        case Tok::arrow: return "'->'";
        case Tok::assign: return "'='";
        case Tok::plus_assign: return "'+='";
        case Tok::minus_assign: return "'-='";
        case Tok::plusplus: return "'++'";
        case Tok::minusminus: return "'--'";
        case Tok::eq: return "'=='";
        case Tok::ne: return "'!='";
        case Tok::lt: return "'<'";
        case Tok::le: return "'<='";
        case Tok::gt: return "'>'";
        case Tok::ge: return "'>='";
        case Tok::plus: return "'+'";
        case Tok::minus: return "'-'";
        case Tok::star: return "'*'";
        case Tok::slash: return "'/'";
        case Tok::percent: return "'%'";
        case Tok::bang: return "'!'";
        case Tok::andand: return "'&&'";
        case Tok::oror: return "'||'";
        case Tok::question: return "'?'";
        case Tok::at: return "'@'";
        case Tok::implies: return "'=>'";
        default: break;
    }
    for (const auto& [name, kind] : keywords)
        if (kind == t) return fmt::format("'{}'", name);
    return "token";
}

std::string describe(const Token& t) {
    switch (t.kind) {
        case Tok::eof: return "end of file";
        case Tok::string: return fmt::format("string {}", t.text);
        default: return fmt::format("'{}'", t.text);
    }
}

std::vector<Token> lex(const support::SourceManager& sm, support::FileId file,
                       support::DiagnosticSink& sink) {
    const std::string_view src = sm.file(file).text();
    std::vector<Token> out;
    std::uint32_t i = 0;
    const auto n = static_cast<std::uint32_t>(src.size());
    auto range = [&](std::uint32_t b, std::uint32_t e) { return support::SourceRange{file, b, e}; };
    auto push = [&](Tok k, std::uint32_t b, std::uint32_t e) {
        out.push_back(Token{k, range(b, e), src.substr(b, e - b), 0});
    };
    while (i < n) {
        const char c = src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
        if (c == '/' && i + 1 < n && src[i + 1] == '/') {
            while (i < n && src[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && src[i + 1] == '*') {
            const std::uint32_t b = i;
            i += 2;
            while (i + 1 < n && !(src[i] == '*' && src[i + 1] == '/')) ++i;
            if (i + 1 >= n) {
                sink.error(range(b, b + 2), "unterminated comment");
                i = n;
            } else {
                i += 2;
            }
            continue;
        }
        const std::uint32_t b = i;
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            while (i < n && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '_')) ++i;
            const auto word = src.substr(b, i - b);
            Tok k = Tok::ident;
            for (const auto& [name, kind] : keywords)
                if (name == word) k = kind;
            push(k, b, i);
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            std::int64_t v = 0;
            bool overflow = false;
            while (i < n && std::isdigit(static_cast<unsigned char>(src[i]))) {
                if (!overflow) v = v * 10 + (src[i] - '0');
                if (v > std::numeric_limits<std::int32_t>::max()) overflow = true;
                ++i;
            }
            if (i < n && (std::isalpha(static_cast<unsigned char>(src[i])) || src[i] == '_')) {
                while (i < n && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '_')) ++i;
                sink.error(range(b, i), fmt::format("invalid number '{}'", src.substr(b, i - b)));
                push(Tok::error, b, i);
                continue;
            }
            if (overflow) {
                sink.error(range(b, i), fmt::format("integer {} is too large (the limit is 2147483647)",
                                                   src.substr(b, i - b)));
                v = 0;
            }
            push(Tok::integer, b, i);
            out.back().value = v;
            continue;
        }
        if (c == '"') {
            ++i;
            while (i < n && src[i] != '"' && src[i] != '\n') ++i;
            if (i >= n || src[i] != '"') {
                sink.error(range(b, i), "unterminated string");
                push(Tok::string, b, i);
                continue;
            }
            ++i;
            push(Tok::string, b, i);
            continue;
        }
        auto two = [&](char a, char bb) { return c == a && i + 1 < n && src[i + 1] == bb; };
        Tok k = Tok::error;
        std::uint32_t len = 2;
        if (two(':', ':')) k = Tok::coloncolon;
        else if (two('.', '.')) k = Tok::dotdot;
        else if (two('-', '>')) k = Tok::arrow;
        else if (two('=', '>')) k = Tok::implies;
        else if (two('=', '=')) k = Tok::eq;
        else if (two('!', '=')) k = Tok::ne;
        else if (two('<', '=')) k = Tok::le;
        else if (two('>', '=')) k = Tok::ge;
        else if (two('&', '&')) k = Tok::andand;
        else if (two('|', '|')) k = Tok::oror;
        else if (two('+', '=')) k = Tok::plus_assign;
        else if (two('-', '=')) k = Tok::minus_assign;
        else if (two('+', '+')) k = Tok::plusplus;
        else if (two('-', '-')) k = Tok::minusminus;
        else {
            len = 1;
            switch (c) {
                case '{': k = Tok::lbrace; break;
                case '}': k = Tok::rbrace; break;
                case '(': k = Tok::lparen; break;
                case ')': k = Tok::rparen; break;
                case '[': k = Tok::lbracket; break;
                case ']': k = Tok::rbracket; break;
                case ';': k = Tok::semi; break;
                case ':': k = Tok::colon; break;
                case ',': k = Tok::comma; break;
                case '.': k = Tok::dot; break;
                case '=': k = Tok::assign; break;
                case '<': k = Tok::lt; break;
                case '>': k = Tok::gt; break;
                case '+': k = Tok::plus; break;
                case '-': k = Tok::minus; break;
                case '*': k = Tok::star; break;
                case '/': k = Tok::slash; break;
                case '%': k = Tok::percent; break;
                case '!': k = Tok::bang; break;
                case '?': k = Tok::question; break;
                case '@': k = Tok::at; break;
                default: break;
            }
        }
        if (k == Tok::error) {
            const unsigned char uc = static_cast<unsigned char>(c);
            if (uc >= 0x20 && uc < 0x7f) {
                sink.error(range(b, b + 1), fmt::format("unexpected character '{}'", c));
                ++i;
            } else if (uc < 0x80) {
                sink.error(range(b, b + 1), fmt::format("unexpected byte 0x{:02x}", uc));
                ++i;
            } else {
                // One message per character, not per byte: skip UTF-8 continuation bytes.
                ++i;
                while (i < n && (static_cast<unsigned char>(src[i]) & 0xC0U) == 0x80U) ++i;
                sink.error(range(b, i), fmt::format("unexpected character '{}' (only ASCII is allowed outside "
                                                    "comments and strings)", src.substr(b, i - b)));
            }
            continue;
        }
        i += len;
        push(k, b, i);
    }
    out.push_back(Token{Tok::eof, range(n, n), {}, 0});
    return out;
}

}  // namespace iomc::lang
