// SPDX-License-Identifier: MIT
/// @file Tokens of the .mc language, as the lexer hands them to the parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "checker/support/source.hpp"

namespace iomc::lang {

enum class Tok : std::uint8_t {
    eof, error, ident, integer, string,
    // punctuation
    lbrace, rbrace, lparen, rparen, lbracket, rbracket, semi, colon, coloncolon, comma, dot,
    dotdot, arrow, assign, plus_assign, minus_assign, plusplus, minusminus, eq, ne, lt, le, gt,
    ge, plus, minus, star, slash, percent, bang, andand, oror, question, at, implies,
    // keywords
    kw_import, kw_as, kw_const, kw_type, kw_enum, kw_struct, kw_var, kw_proc, kw_process,
    kw_invariant, kw_variant, kw_expect, kw_holds, kw_violates, kw_skip, kw_when, kw_if, kw_else,
    kw_while, kw_for, kw_either, kw_or, kw_atomic, kw_await, kw_assert, kw_return,
    kw_goto, kw_break, kw_continue, kw_true, kw_false, kw_none, kw_scalarset, kw_bool, kw_mutex,
    kw_kref, kw_forall, kw_exists, kw_past, kw_choose, kw_self, kw_metric,
};

struct Token {
    Tok kind = Tok::eof;
    support::SourceRange where;
    std::string_view text;  ///< points into the SourceFile's text
    std::int64_t value = 0; ///< for integers
};

/// How a token kind reads in a message: "'{'", "identifier", "end of file".
std::string describe(Tok t);
/// How a concrete token reads in a message: "'foo'", "end of file".
std::string describe(const Token& t);

}  // namespace iomc::lang
