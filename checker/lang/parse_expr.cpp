// SPDX-License-Identifier: MIT
/// @file Parser, expressions: precedence climbing from quantifiers down to primaries.
#include "checker/lang/parser_impl.hpp"

namespace iomc::lang {

using namespace ast;

ExprPtr Parser::node(ExprKind k, SourceRange where) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->where = where;
    return e;
}

ExprPtr Parser::parse_expr() {
    Nesting nest(*this);
    nest.enter("expression");
    if (at(Tok::kw_forall) || at(Tok::kw_exists)) {
        const auto begin = peek().where;
        auto e = node(ExprKind::quant, begin);
        e->forall = at(Tok::kw_forall);
        advance();
        e->member_where = peek().where;
        e->member = ident("a bound variable");
        expect(Tok::colon);
        e->name = parse_name();
        expect(Tok::dot, "after the quantifier's type (forall d: Dev. ...)");
        e->kids.push_back(parse_expr());
        e->where = from(begin);
        return e;
    }
    return parse_ternary();
}

ExprPtr Parser::parse_ternary() {
    const auto begin = peek().where;
    auto c = parse_implies();
    if (!at(Tok::question)) return c;
    advance();
    auto e = node(ExprKind::ternary, begin);
    e->kids.push_back(std::move(c));
    e->kids.push_back(parse_expr());
    expect(Tok::colon, "in a conditional expression");
    e->kids.push_back(parse_expr());
    e->where = from(begin);
    return e;
}

ExprPtr Parser::binary(Op op, ExprPtr a, ExprPtr b, SourceRange begin) {
    auto e = node(ExprKind::binary, begin);
    e->op = op;
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    e->where = from(begin);
    return e;
}

ExprPtr Parser::parse_implies() {
    const auto begin = peek().where;
    auto a = parse_or();
    if (at(Tok::implies) || at(Tok::arrow)) {
        Nesting nest(*this);
        nest.enter("expression");
        advance();
        auto b = at(Tok::kw_forall) || at(Tok::kw_exists) ? parse_expr() : parse_implies();
        return binary(Op::implies, std::move(a), std::move(b), begin);
    }
    return a;
}

ExprPtr Parser::parse_or() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_and();
    while (at(Tok::oror)) {
        chain.enter("expression");
        advance();
        a = binary(Op::or_, std::move(a), parse_and(), begin);
    }
    return a;
}

ExprPtr Parser::parse_and() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_equality();
    while (at(Tok::andand)) {
        chain.enter("expression");
        advance();
        a = binary(Op::and_, std::move(a), parse_equality(), begin);
    }
    return a;
}

ExprPtr Parser::parse_equality() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_relational();
    while (at(Tok::eq) || at(Tok::ne)) {
        const Op op = at(Tok::eq) ? Op::eq : Op::ne;
        chain.enter("expression");
        advance();
        a = binary(op, std::move(a), parse_relational(), begin);
    }
    return a;
}

ExprPtr Parser::parse_relational() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_additive();
    while (at(Tok::lt) || at(Tok::le) || at(Tok::gt) || at(Tok::ge)) {
        const Op op = at(Tok::lt) ? Op::lt : at(Tok::le) ? Op::le : at(Tok::gt) ? Op::gt : Op::ge;
        chain.enter("expression");
        advance();
        a = binary(op, std::move(a), parse_additive(), begin);
    }
    return a;
}

ExprPtr Parser::parse_additive() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_multiplicative();
    while (at(Tok::plus) || at(Tok::minus)) {
        const Op op = at(Tok::plus) ? Op::add : Op::sub;
        chain.enter("expression");
        advance();
        a = binary(op, std::move(a), parse_multiplicative(), begin);
    }
    return a;
}

ExprPtr Parser::parse_multiplicative() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per operator
    auto a = parse_unary();
    while (at(Tok::star) || at(Tok::slash) || at(Tok::percent)) {
        const Op op = at(Tok::star) ? Op::mul : at(Tok::slash) ? Op::div : Op::mod;
        chain.enter("expression");
        advance();
        a = binary(op, std::move(a), parse_unary(), begin);
    }
    return a;
}

ExprPtr Parser::parse_unary() {
    const auto begin = peek().where;
    if (at(Tok::bang) || at(Tok::minus)) {
        const Op op = at(Tok::bang) ? Op::not_ : Op::neg;
        Nesting nest(*this);
        nest.enter("expression");
        advance();
        auto e = node(ExprKind::unary, begin);
        e->op = op;
        e->kids.push_back(parse_unary());
        e->where = from(begin);
        return e;
    }
    return parse_postfix();
}

ExprPtr Parser::parse_postfix() {
    const auto begin = peek().where;
    Nesting chain(*this);  // a left-deep tree: one level per index, field, call or label test
    auto e = parse_primary();
    for (;;) {
        if (at(Tok::lbracket) && !in_type_) {
            chain.enter("expression");
            advance();
            auto x = node(ExprKind::index, begin);
            x->kids.push_back(std::move(e));
            x->kids.push_back(parse_expr());
            expect(Tok::rbracket);
            x->where = from(begin);
            e = std::move(x);
        } else if (at(Tok::dot) && peek(1).kind == Tok::ident) {
            chain.enter("expression");
            advance();
            auto x = node(ExprKind::field, begin);
            x->member_where = peek().where;
            x->member = std::string(advance().text);
            x->kids.push_back(std::move(e));
            x->where = from(begin);
            e = std::move(x);
        } else if (at(Tok::lparen) && e->kind == ExprKind::name) {
            chain.enter("expression");
            advance();
            auto x = node(ExprKind::call, begin);
            x->name = std::move(e->name);
            if (!at(Tok::rparen)) {
                do x->kids.push_back(parse_expr());
                while (accept(Tok::comma));
            }
            expect(Tok::rparen, "to close the argument list");
            x->where = from(begin);
            e = std::move(x);
        } else if (at(Tok::at) || at(Tok::kw_past)) {
            const bool past = at(Tok::kw_past);
            chain.enter("expression");
            advance();
            auto x = node(past ? ExprKind::past_label : ExprKind::at_label, begin);
            x->member_where = peek().where;
            x->member = ident("a label name");
            x->kids.push_back(std::move(e));
            x->where = from(begin);
            e = std::move(x);
        } else {
            return e;
        }
    }
}

ExprPtr Parser::parse_primary() {
    const auto begin = peek().where;
    switch (peek().kind) {
        case Tok::integer: {
            auto e = node(ExprKind::int_lit, begin);
            e->value = advance().value;
            return e;
        }
        case Tok::kw_true:
        case Tok::kw_false: {
            auto e = node(ExprKind::bool_lit, begin);
            e->value = at(Tok::kw_true) ? 1 : 0;
            advance();
            return e;
        }
        case Tok::kw_none: advance(); return node(ExprKind::none_lit, begin);
        case Tok::kw_self: advance(); return node(ExprKind::self, begin);
        case Tok::kw_variant: {
            advance();
            auto e = node(ExprKind::variant_test, begin);
            expect(Tok::lparen, "after 'variant' (variant(name) tests the selected variant)");
            e->member_where = peek().where;
            e->member = ident("a variant name");
            expect(Tok::rparen);
            e->where = from(begin);
            return e;
        }
        case Tok::ident: {
            auto e = node(ExprKind::name, begin);
            e->name = parse_name();
            e->where = e->name.where;
            return e;
        }
        case Tok::lparen: {
            advance();
            const bool saved = in_type_;
            in_type_ = false;
            auto e = parse_expr();
            in_type_ = saved;
            expect(Tok::rparen);
            return e;
        }
        default:
            fail("an expression");
    }
}

}  // namespace iomc::lang
