// SPDX-License-Identifier: MIT
// Tests of checker/lang/lexer.cpp: token kinds, values and ranges, and the lexer's own errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/lang/lexer.hpp"
#include "checker/support/diagnostic.hpp"

using namespace iomc;
using lang::Tok;

namespace {

struct Lexed {
    support::SourceManager sm;
    support::DiagnosticSink sink;
    std::vector<lang::Token> toks;
    std::string diagnostics;
};

/// Lexes `text` as "lex.mc" and renders whatever the lexer reported.
Lexed lex_text(const std::string& text) {
    Lexed l;
    const auto f = l.sm.add("lex.mc", text);
    l.toks = lang::lex(l.sm, f, l.sink);
    l.diagnostics = l.sink.render(l.sm);
    return l;
}

std::vector<Tok> kinds(const Lexed& l) {
    std::vector<Tok> out;
    for (const auto& t : l.toks) out.push_back(t.kind);
    return out;
}

}  // namespace

TEST_SUITE("lang") {

TEST_CASE("two-character operators are single tokens") {
    const auto l = lex_text(":: .. -> => == != <= >= && || += -= ++ --");
    CHECK(l.diagnostics.empty());
    CHECK(kinds(l) == std::vector<Tok>{Tok::coloncolon, Tok::dotdot, Tok::arrow, Tok::implies,
                                       Tok::eq, Tok::ne, Tok::le, Tok::ge, Tok::andand,
                                       Tok::oror, Tok::plus_assign, Tok::minus_assign,
                                       Tok::plusplus, Tok::minusminus, Tok::eof});
}

TEST_CASE("one-character punctuation is recognised") {
    const auto l = lex_text("{}()[];:,.=<>+-*/%!?@");
    CHECK(l.diagnostics.empty());
    CHECK(kinds(l) == std::vector<Tok>{Tok::lbrace, Tok::rbrace, Tok::lparen, Tok::rparen,
                                       Tok::lbracket, Tok::rbracket, Tok::semi, Tok::colon,
                                       Tok::comma, Tok::dot, Tok::assign, Tok::lt, Tok::gt,
                                       Tok::plus, Tok::minus, Tok::star, Tok::slash,
                                       Tok::percent, Tok::bang, Tok::question, Tok::at, Tok::eof});
}

TEST_CASE("keywords are whole words and other words are identifiers") {
    const auto l = lex_text("import imports _x x1 self past kref mutex");
    CHECK(l.diagnostics.empty());
    CHECK(kinds(l) == std::vector<Tok>{Tok::kw_import, Tok::ident, Tok::ident, Tok::ident,
                                       Tok::kw_self, Tok::kw_past, Tok::kw_kref, Tok::kw_mutex,
                                       Tok::eof});
    CHECK(l.toks[1].text == "imports");
    // "imports" is [7, 14).
    CHECK(l.toks[1].where.begin == 7);
    CHECK(l.toks[1].where.end == 14);
}

TEST_CASE("integers carry their value up to the 32-bit limit") {
    const auto l = lex_text("0 42 2147483647");
    CHECK(l.diagnostics.empty());
    REQUIRE(l.toks.size() == 4);
    CHECK(l.toks[0].value == 0);
    CHECK(l.toks[1].value == 42);
    CHECK(l.toks[2].value == 2147483647);
}

TEST_CASE("an integer above 2147483647 is an error and lexes as zero") {
    const auto l = lex_text("x = 2147483648;");
    CHECK(l.diagnostics ==
          "lex.mc:1:5: error: integer 2147483648 is too large (the limit is 2147483647)\n"
          "    1 | x = 2147483648;\n"
          "      |     ^~~~~~~~~~\n"
          "1 error\n");
    REQUIRE(l.toks.size() == 5);
    CHECK(l.toks[2].kind == Tok::integer);
    CHECK(l.toks[2].value == 0);
}

TEST_CASE("a very long integer is reported once without overflowing the accumulator") {
    // 25 digits overflow even a 64-bit accumulator; the lexer must stop accumulating once the
    // value passes the 32-bit limit (signed overflow is undefined behaviour, caught by UBSan).
    const auto l = lex_text("1234567890123456789012345");
    CHECK(l.diagnostics ==
          "lex.mc:1:1: error: integer 1234567890123456789012345 is too large (the limit is "
          "2147483647)\n"
          "    1 | 1234567890123456789012345\n"
          "      | ^~~~~~~~~~~~~~~~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("digits followed by letters are an invalid number token") {
    const auto l = lex_text("x = 12ab;");
    CHECK(l.diagnostics ==
          "lex.mc:1:5: error: invalid number '12ab'\n"
          "    1 | x = 12ab;\n"
          "      |     ^~~~\n"
          "1 error\n");
    CHECK(kinds(l) == std::vector<Tok>{Tok::ident, Tok::assign, Tok::error, Tok::semi, Tok::eof});
}

TEST_CASE("an unexpected character is reported and skipped") {
    const auto l = lex_text("a & b $ c");
    CHECK(l.diagnostics ==
          "lex.mc:1:3: error: unexpected character '&'\n"
          "    1 | a & b $ c\n"
          "      |   ^\n"
          "lex.mc:1:7: error: unexpected character '$'\n"
          "    1 | a & b $ c\n"
          "      |       ^\n"
          "2 errors\n");
    CHECK(kinds(l) == std::vector<Tok>{Tok::ident, Tok::ident, Tok::ident, Tok::eof});
}

TEST_CASE("a non-ASCII character is one error however many bytes it has") {
    // "x \xe2\x89\xa4 3" is "x <= 3" written with U+2264: three bytes, one character at [2, 5).
    const auto l = lex_text("x \xe2\x89\xa4 3");
    REQUIRE(l.sink.all().size() == 1);
    CHECK(l.sink.all()[0].message ==
          "unexpected character '\xe2\x89\xa4' (only ASCII is allowed outside comments and "
          "strings)");
    CHECK(l.sink.all()[0].where->begin == 2);
    CHECK(l.sink.all()[0].where->end == 5);
    CHECK(kinds(l) == std::vector<Tok>{Tok::ident, Tok::integer, Tok::eof});
}

TEST_CASE("a control byte is reported in hex") {
    // 0x01 is ASCII, so "only ASCII is allowed" would be wrong, and printing it raw between
    // quotes puts an invisible control character into the terminal.
    const auto l = lex_text(std::string("a\x01") + "b");
    REQUIRE(l.sink.all().size() == 1);
    CHECK(l.sink.all()[0].message == "unexpected byte 0x01");
    CHECK(kinds(l) == std::vector<Tok>{Tok::ident, Tok::ident, Tok::eof});
}

TEST_CASE("comments are skipped and lines still count") {
    const auto l = lex_text("// line comment\n/* block\n   comment */ x");
    CHECK(l.diagnostics.empty());
    REQUIRE(kinds(l) == std::vector<Tok>{Tok::ident, Tok::eof});
    CHECK(l.sm.location(l.toks[0].where) == "lex.mc:3:15");
}

TEST_CASE("an unterminated block comment is reported at its opening") {
    const auto l = lex_text("x /* never closed\n");
    CHECK(l.diagnostics ==
          "lex.mc:1:3: error: unterminated comment\n"
          "    1 | x /* never closed\n"
          "      |   ^~\n"
          "1 error\n");
    CHECK(kinds(l) == std::vector<Tok>{Tok::ident, Tok::eof});
}

TEST_CASE("a string ends at its quote and an unterminated one at the end of the line") {
    const auto ok = lex_text("\"lib.mc\"");
    CHECK(ok.diagnostics.empty());
    REQUIRE(ok.toks.size() == 2);
    CHECK(ok.toks[0].kind == Tok::string);
    CHECK(ok.toks[0].text == "\"lib.mc\"");

    const auto bad = lex_text("import \"lib.mc\nx");
    CHECK(bad.diagnostics ==
          "lex.mc:1:8: error: unterminated string\n"
          "    1 | import \"lib.mc\n"
          "      |        ^~~~~~~\n"
          "1 error\n");
    CHECK(kinds(bad) == std::vector<Tok>{Tok::kw_import, Tok::string, Tok::ident, Tok::eof});
}

TEST_CASE("the end of file token sits at the end of the text") {
    const auto l = lex_text("x \n");
    REQUIRE(l.toks.size() == 2);
    CHECK(l.toks[1].kind == Tok::eof);
    CHECK(l.toks[1].where.begin == 3);
    CHECK(l.toks[1].where.end == 3);
    CHECK(lex_text("").toks.size() == 1);
}

TEST_CASE("tokens describe themselves for messages") {
    CHECK(lang::describe(Tok::eof) == "end of file");
    CHECK(lang::describe(Tok::ident) == "identifier");
    CHECK(lang::describe(Tok::semi) == "';'");
    CHECK(lang::describe(Tok::implies) == "'=>'");
    CHECK(lang::describe(Tok::kw_import) == "'import'");
    CHECK(lang::describe(Tok::kw_self) == "'self'");
    const auto l = lex_text("foo \"s\"");
    CHECK(lang::describe(l.toks[0]) == "'foo'");
    CHECK(lang::describe(l.toks[1]) == "string \"s\"");
    CHECK(lang::describe(l.toks[2]) == "end of file");
}

}  // TEST_SUITE
