// SPDX-License-Identifier: MIT
/// @file Parser, statements: blocks and every statement form.
#include "checker/lang/parser_impl.hpp"

namespace iomc::lang {

using namespace ast;

std::vector<StmtPtr> Parser::parse_block_body() {
    expect(Tok::lbrace);
    std::vector<StmtPtr> out;
    while (!at(Tok::rbrace) && !at(Tok::eof)) {
        try {
            out.push_back(parse_stmt());
        } catch (const ParseError&) {
            recover_stmt();
        }
    }
    expect(Tok::rbrace, "to close the block");
    return out;
}

StmtPtr Parser::make(StmtKind k, SourceRange begin) {
    auto s = std::make_unique<Stmt>();
    s->kind = k;
    s->where = begin;
    return s;
}

StmtPtr Parser::block_stmt() {
    const auto begin = peek().where;
    auto s = make(StmtKind::block, begin);
    s->body = parse_block_body();
    s->where = from(begin);
    return s;
}

StmtPtr Parser::parse_stmt() {
    const auto begin = peek().where;
    Nesting nest(*this);
    nest.enter("statement");
    StmtPtr s;
    switch (peek().kind) {
        case Tok::lbrace: return block_stmt();
        case Tok::kw_var: {
            advance();
            s = make(StmtKind::var_decl, begin);
            s->decl = std::make_unique<VarDecl>();
            s->decl->where = peek().where;
            s->decl->name = ident("a variable name");
            expect(Tok::colon, "(a variable needs a type)");
            s->decl->type = parse_type();
            if (accept(Tok::assign)) s->decl->init = parse_initializer();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_if:
        case Tok::kw_when: {
            const bool when = at(Tok::kw_when);
            advance();
            s = make(when ? StmtKind::when : StmtKind::if_, begin);
            expect(Tok::lparen, when ? "after 'when'" : "after 'if'");
            s->cond = parse_expr();
            expect(Tok::rparen);
            s->body.push_back(parse_stmt());
            if (accept(Tok::kw_else)) s->else_part = parse_stmt();
            break;
        }
        case Tok::kw_while: {
            advance();
            s = make(StmtKind::while_, begin);
            expect(Tok::lparen, "after 'while'");
            s->cond = parse_expr();
            expect(Tok::rparen);
            s->body.push_back(parse_stmt());
            break;
        }
        case Tok::kw_for: {
            advance();
            s = make(StmtKind::for_, begin);
            s->label_where = peek().where;
            s->label = ident("a loop variable");
            expect(Tok::colon, "(for d: Dev { ... })");
            s->for_type = parse_name();
            s->body.push_back(parse_stmt());
            break;
        }
        case Tok::kw_either: {
            advance();
            s = make(StmtKind::either, begin);
            s->branches.push_back(parse_block_body());
            if (!at(Tok::kw_or)) fail("'or' (either needs at least two alternatives)");
            while (accept(Tok::kw_or)) s->branches.push_back(parse_block_body());
            break;
        }
        case Tok::kw_atomic: {
            advance();
            s = make(StmtKind::atomic, begin);
            s->body = parse_block_body();
            break;
        }
        case Tok::kw_await: {
            advance();
            s = make(StmtKind::await, begin);
            s->cond = parse_expr();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_assert: {
            advance();
            s = make(StmtKind::assert_, begin);
            if (at(Tok::ident) && peek(1).kind == Tok::colon) {
                s->label_where = peek().where;
                s->label = std::string(advance().text);
                advance();
            }
            s->cond = parse_expr();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_return: {
            advance();
            s = make(StmtKind::return_, begin);
            if (!at(Tok::semi)) s->rhs = parse_expr();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_goto: {
            advance();
            s = make(StmtKind::goto_, begin);
            s->label_where = peek().where;
            s->label = ident("a label after 'goto'");
            expect(Tok::semi);
            break;
        }
        case Tok::kw_break:
        case Tok::kw_continue:
        case Tok::kw_skip: {
            const auto k = peek().kind;
            advance();
            s = make(k == Tok::kw_break ? StmtKind::break_
                     : k == Tok::kw_continue ? StmtKind::continue_ : StmtKind::skip, begin);
            expect(Tok::semi);
            break;
        }
        case Tok::kw_choose: {
            advance();
            s = make(StmtKind::choose, begin);
            s->lhs = parse_postfix();
            expect(Tok::semi);
            break;
        }
        case Tok::ident:
            if (peek(1).kind == Tok::colon) {
                s = make(StmtKind::labeled, begin);
                s->label_where = peek().where;
                s->label = std::string(advance().text);
                advance();
                if (at(Tok::rbrace)) {
                    // A label at the end of a block labels an implicit skip-free point.
                    s->body.push_back(make(StmtKind::block, peek().where));
                } else {
                    s->body.push_back(parse_stmt());
                }
                break;
            }
            [[fallthrough]];
        default: {
            auto e = parse_expr();
            if (at(Tok::assign) || at(Tok::plus_assign) || at(Tok::minus_assign)) {
                s = make(StmtKind::assign, begin);
                s->assign_op = at(Tok::assign) ? AssignOp::set
                               : at(Tok::plus_assign) ? AssignOp::add : AssignOp::sub;
                advance();
                s->lhs = std::move(e);
                s->rhs = parse_expr();
            } else if (at(Tok::plusplus) || at(Tok::minusminus)) {
                s = make(StmtKind::assign, begin);
                s->assign_op = at(Tok::plusplus) ? AssignOp::add : AssignOp::sub;
                const auto w = peek().where;
                advance();
                s->lhs = std::move(e);
                s->rhs = std::make_unique<Expr>(Expr{ExprKind::int_lit, w, 1});
            } else if (e->kind == ExprKind::call) {
                s = make(StmtKind::call, begin);
                s->rhs = std::move(e);
            } else {
                sink_.error(e->where, "expression is not a statement; expected an assignment, "
                                      "a call or a keyword statement");
                throw ParseError{};
            }
            expect(Tok::semi, "after the statement");
            break;
        }
    }
    s->where = from(begin);
    return s;
}

}  // namespace iomc::lang
