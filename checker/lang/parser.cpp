// SPDX-License-Identifier: MIT
/// @file Parser, the frame: token helpers, error recovery, qualified names and the module loop;
/// the grammar itself is in parse_decl.cpp, parse_stmt.cpp and parse_expr.cpp.
#include "checker/lang/parser.hpp"

#include "checker/lang/lexer.hpp"
#include "checker/lang/parser_impl.hpp"

namespace iomc::lang {

using namespace ast;

Parser::Parser(const support::SourceManager& sm, support::FileId file, support::DiagnosticSink& sink)
    : sm_(sm), file_(file), sink_(sink), toks_(lex(sm, file, sink)) {}

Module Parser::parse_module() {
    Module m;
    m.file = file_;
    while (!at(Tok::eof)) {
        try {
            m.decls.push_back(parse_decl());
        } catch (const ParseError&) {
            recover_decl();
        }
    }
    return m;
}

void Parser::fail(const std::string& expected) {
    // The lexer already reported an invalid token; one message per problem is enough.
    if (peek().kind != Tok::error)
        sink_.error(peek().where, fmt::format("expected {}, found {}", expected, describe(peek())));
    throw ParseError{};
}

void Parser::Nesting::enter(const char* what) {
    ++held_;
    if (++p_.depth_ <= max_depth) return;
    // The caller's recovery skips the rest; the levels are given back as the error unwinds.
    p_.sink_.error(p_.peek().where, fmt::format("too deeply nested {}: statements, expressions and types together "
                                                "nest at most {} levels",
                                                what, max_depth));
    throw ParseError{};
}

const Token& Parser::expect(Tok k, const char* context) {
    if (!at(k)) {
        if (context)
            fail(fmt::format("{} {}", describe(k), context));
        else
            fail(describe(k));
    }
    return advance();
}

SourceRange Parser::from(SourceRange begin) const {
    const auto& prev = toks_[pos_ == 0 ? 0 : pos_ - 1];
    return SourceRange{file_, begin.begin, std::max(begin.end, prev.where.end)};
}

std::string Parser::ident(const char* what) {
    if (!at(Tok::ident)) fail(what);
    return std::string(advance().text);
}

bool Parser::is_decl_start(Tok k) {
    switch (k) {
        case Tok::kw_import: case Tok::kw_const: case Tok::kw_type: case Tok::kw_enum:
        case Tok::kw_struct: case Tok::kw_var: case Tok::kw_proc: case Tok::kw_process:
        case Tok::kw_invariant: case Tok::kw_variant: case Tok::kw_expect: case Tok::kw_metric:
            return true;
        default: return false;
    }
}

void Parser::recover_decl() {
    // Skip to the next declaration keyword at brace depth 0.
    int depth = 0;
    while (!at(Tok::eof)) {
        if (depth == 0 && is_decl_start(peek().kind) && pos_ > 0) return;
        if (at(Tok::lbrace)) ++depth;
        if (at(Tok::rbrace)) {
            if (depth > 0) --depth;
            advance();
            if (depth == 0 && is_decl_start(peek().kind)) return;
            continue;
        }
        advance();
        if (depth == 0 && toks_[pos_ - 1].kind == Tok::semi && is_decl_start(peek().kind)) return;
    }
}

void Parser::recover_stmt() {
    // Skip past the next ';' at this depth, or stop before the '}' closing this block.
    int depth = 0;
    while (!at(Tok::eof)) {
        if (at(Tok::lbrace)) ++depth;
        if (at(Tok::rbrace)) {
            if (depth == 0) return;
            --depth;
            advance();
            if (depth == 0) return;
            continue;
        }
        if (at(Tok::semi) && depth == 0) {
            advance();
            return;
        }
        advance();
    }
}

Name Parser::parse_name() {
    Name n;
    const auto begin = peek().where;
    n.parts.push_back(ident("a name"));
    while (at(Tok::coloncolon)) {
        advance();
        n.parts.push_back(ident("a name after '::'"));
    }
    n.where = from(begin);
    return n;
}

ast::Module parse(const support::SourceManager& sm, support::FileId file,
                  support::DiagnosticSink& sink) {
    Parser p(sm, file, sink);
    return p.parse_module();
}

}  // namespace iomc::lang
