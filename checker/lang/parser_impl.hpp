// SPDX-License-Identifier: MIT
/// @file The recursive-descent parser's state and grammar functions, shared by its files:
/// parser.cpp (tokens, recovery, names, the module), parse_decl.cpp (declarations and types),
/// parse_stmt.cpp (statements) and parse_expr.cpp (expressions). Input: the tokens of one file.
/// Output: its ast::Module. Internal to checker/lang; parser.hpp is the entry point.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/lang/ast.hpp"
#include "checker/lang/token.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// Thrown to unwind to the nearest recovery point after an error was reported.
struct ParseError {};

/// Parses one file. Errors go to the sink; a declaration or statement with an error is skipped
/// up to the next recovery point. Not reusable: one Parser per file.
class Parser {
public:
    Parser(const support::SourceManager& sm, support::FileId file, support::DiagnosticSink& sink);

    /// Every declaration of the file that parsed.
    ast::Module parse_module();

private:
    const support::SourceManager& sm_;
    support::FileId file_;
    support::DiagnosticSink& sink_;
    std::vector<Token> toks_;
    std::size_t pos_ = 0;
    bool in_type_ = false;   ///< parsing range bounds: '[' starts array dims, not an index

    /// How deep statements, expressions and types may nest, together. Each level is a
    /// recursive call here and a level of the tree that the passes walk recursively, so deeper
    /// input would overflow the stack; no model comes near it.
    static constexpr unsigned max_depth = 256;
    unsigned depth_ = 0;   ///< levels entered and not yet left

    /// Levels of nesting held while alive: enter() adds one (a nested construct, or one more
    /// link of a left-deep chain such as a + b + c), the destructor gives them all back, also
    /// when an error unwinds past it. Past max_depth, enter() reports the error at the current
    /// token and unwinds to the recovery point.
    class Nesting {
    public:
        explicit Nesting(Parser& p) : p_(p) {}
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;
        ~Nesting() { p_.depth_ -= held_; }
        void enter(const char* what);

    private:
        Parser& p_;
        unsigned held_ = 0;
    };

    // ---------------------------------------------------------------- tokens (parser.cpp)
    [[nodiscard]] const Token& peek(std::size_t k = 0) const {
        return toks_[std::min(pos_ + k, toks_.size() - 1)];
    }
    [[nodiscard]] bool at(Tok k) const { return peek().kind == k; }
    const Token& advance() {
        const Token& t = toks_[pos_];
        if (pos_ + 1 < toks_.size()) ++pos_;
        return t;
    }
    bool accept(Tok k) {
        if (!at(k)) return false;
        advance();
        return true;
    }
    /// Reports "expected X, found Y" and unwinds to the recovery point.
    [[noreturn]] void fail(const std::string& expected);
    const Token& expect(Tok k, const char* context = nullptr);
    /// The range from `begin` to the end of the last token consumed.
    [[nodiscard]] support::SourceRange from(support::SourceRange begin) const;
    std::string ident(const char* what);
    static bool is_decl_start(Tok k);
    void recover_decl();
    void recover_stmt();
    ast::Name parse_name();

    // ---------------------------------------------------------------- declarations (parse_decl.cpp)
    ast::Decl parse_decl();
    void parse_liveness(ast::Decl& d);
    ast::TypePtr parse_type();
    /// A range bound: an additive expression in which '[' ends the bound (T[Index] follows).
    ast::ExprPtr bound();
    static bool is_binary_arith(Tok k);
    /// A variable's initializer: an expression or an element list (parse_decl.cpp).
    ast::ExprPtr parse_initializer(int depth = 0);

    // ---------------------------------------------------------------- statements (parse_stmt.cpp)
    std::vector<ast::StmtPtr> parse_block_body();
    ast::StmtPtr make(ast::StmtKind k, support::SourceRange begin);
    ast::StmtPtr block_stmt();
    ast::StmtPtr parse_stmt();

    // ---------------------------------------------------------------- expressions (parse_expr.cpp)
    ast::ExprPtr node(ast::ExprKind k, support::SourceRange where);
    ast::ExprPtr parse_expr();
    ast::ExprPtr parse_ternary();
    ast::ExprPtr binary(ast::Op op, ast::ExprPtr a, ast::ExprPtr b, support::SourceRange begin);
    ast::ExprPtr parse_implies();
    ast::ExprPtr parse_or();
    ast::ExprPtr parse_and();
    ast::ExprPtr parse_equality();
    ast::ExprPtr parse_relational();
    ast::ExprPtr parse_additive();
    ast::ExprPtr parse_multiplicative();
    ast::ExprPtr parse_unary();
    ast::ExprPtr parse_postfix();
    ast::ExprPtr parse_primary();
};

}  // namespace iomc::lang
