// SPDX-License-Identifier: MIT
/// @file Parser, declarations: every top-level declaration and the type syntax.
#include "checker/lang/parser_impl.hpp"

namespace iomc::lang {

using namespace ast;

Decl Parser::parse_decl() {
    Decl d;
    const auto begin = peek().where;
    switch (peek().kind) {
        case Tok::kw_import: {
            advance();
            d.kind = DeclKind::import;
            const auto& s = expect(Tok::string, "(the path of the file to import)");
            d.path = std::string(s.text.substr(1, s.text.size() >= 2 ? s.text.size() - 2 : 0));
            d.name_where = s.where;
            expect(Tok::kw_as, "after the import path");
            d.name = ident("a namespace name after 'as'");
            expect(Tok::semi);
            break;
        }
        case Tok::kw_const: {
            advance();
            if (at(Tok::ident) && peek(1).kind == Tok::coloncolon) {
                // `const ns::NAME = expr;` sets an imported constant for this scenario.
                d.kind = DeclKind::const_override;
                d.name_where = peek().where;
                Name n = parse_name();
                d.name = n.str();
                expect(Tok::assign, "(const ns::NAME = value; sets an imported constant)");
                d.settings.emplace_back(std::move(n), parse_expr());
                expect(Tok::semi);
                break;
            }
            d.kind = DeclKind::const_;
            d.name_where = peek().where;
            d.name = ident("a constant name");
            if (accept(Tok::colon)) d.type = parse_type();
            expect(Tok::assign, "(a constant needs a default value)");
            d.value = parse_expr();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_type: {
            advance();
            d.kind = DeclKind::type;
            d.name_where = peek().where;
            d.name = ident("a type name");
            expect(Tok::assign);
            d.type = parse_type();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_enum: {
            advance();
            d.kind = DeclKind::enum_;
            d.name_where = peek().where;
            d.name = ident("an enum name");
            expect(Tok::lbrace);
            do {
                if (at(Tok::rbrace)) break;
                const auto w = peek().where;
                d.enumerators.emplace_back(ident("an enumerator"), w);
            } while (accept(Tok::comma));
            expect(Tok::rbrace, "to close the enum");
            accept(Tok::semi);
            break;
        }
        case Tok::kw_struct: {
            advance();
            d.kind = DeclKind::struct_;
            d.name_where = peek().where;
            d.name = ident("a struct name");
            expect(Tok::lbrace);
            while (!at(Tok::rbrace) && !at(Tok::eof)) {
                Field f;
                f.where = peek().where;
                f.name = ident("a field name");
                expect(Tok::colon);
                f.type = parse_type();
                if (at(Tok::ident) && peek().text == "lifetime") {
                    f.lifetime = true;
                    f.lifetime_where = advance().where;
                }
                expect(Tok::semi, "after the field (a field reads name: type; or name: kref(N) lifetime;)");
                d.fields.push_back(std::move(f));
            }
            expect(Tok::rbrace, "to close the struct");
            accept(Tok::semi);
            break;
        }
        case Tok::kw_var: {
            advance();
            d.kind = DeclKind::var;
            d.name_where = peek().where;
            d.name = ident("a variable name");
            expect(Tok::colon, "(a variable needs a type)");
            d.type = parse_type();
            if (accept(Tok::assign)) d.value = parse_initializer();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_proc:
        case Tok::kw_process: {
            const bool is_proc = at(Tok::kw_proc);
            advance();
            d.kind = is_proc ? DeclKind::proc : DeclKind::process;
            d.name_where = peek().where;
            d.name = ident(is_proc ? "a procedure name" : "a process name");
            if (accept(Tok::lparen)) {
                if (!at(Tok::rparen)) {
                    do {
                        Param p;
                        p.where = peek().where;
                        p.name = ident("a parameter name");
                        expect(Tok::colon);
                        p.type = parse_type();
                        d.params.push_back(std::move(p));
                    } while (accept(Tok::comma));
                }
                expect(Tok::rparen);
            } else if (is_proc) {
                fail("'(' after the procedure name");
            }
            if (is_proc && accept(Tok::arrow)) d.type = parse_type();
            d.body = parse_block_body();
            break;
        }
        case Tok::kw_metric: {
            // metric NAME: expr [per expr];  a figure measured at every end state.
            advance();
            d.kind = DeclKind::metric;
            d.name_where = peek().where;
            d.name = ident("a metric name");
            expect(Tok::colon);
            d.value = parse_expr();
            if (at(Tok::ident) && peek().text == "per") {
                advance();
                d.per = parse_expr();
            }
            expect(Tok::semi);
            break;
        }
        case Tok::kw_invariant: {
            advance();
            d.kind = DeclKind::invariant;
            d.name_where = peek().where;
            d.name = ident("an invariant name");
            expect(Tok::colon);
            d.value = parse_expr();
            expect(Tok::semi);
            break;
        }
        case Tok::kw_variant: {
            advance();
            d.kind = DeclKind::variant;
            d.name_where = peek().where;
            d.name = ident("a variant name");
            if (at(Tok::string)) {
                const auto& s = advance();
                d.path = std::string(s.text.substr(1, s.text.size() - 2));
            }
            if (accept(Tok::lbrace)) {
                while (!at(Tok::rbrace) && !at(Tok::eof)) {
                    Name n = parse_name();
                    expect(Tok::assign);
                    auto v = parse_expr();
                    expect(Tok::semi);
                    d.settings.emplace_back(std::move(n), std::move(v));
                }
                expect(Tok::rbrace, "to close the variant");
                accept(Tok::semi);
            } else {
                expect(Tok::semi);
            }
            break;
        }
        case Tok::kw_expect: {
            advance();
            d.kind = DeclKind::expect;
            if (at(Tok::star)) {
                advance();
                expect(Tok::colon, "after '*'");
            } else if (at(Tok::ident)) {
                do {
                    const auto w = peek().where;
                    d.variants.emplace_back(ident("a variant name"), w);
                } while (accept(Tok::comma));
                expect(Tok::colon, "after the variant names");
            }
            if (accept(Tok::kw_holds)) d.verdict = Verdict::holds;
            else if (accept(Tok::kw_violates)) d.verdict = Verdict::violates;
            else if (accept(Tok::kw_skip)) d.verdict = Verdict::skip;
            else fail("'holds', 'violates' or 'skip'");
            do {
                // Properties of imported files are named with their namespace: lib::p.
                Name n = parse_name();
                d.properties.emplace_back(n.str(), n.where);
            } while (accept(Tok::comma));
            if (at(Tok::string)) {
                const auto& s = advance();
                d.path = std::string(s.text.substr(1, s.text.size() - 2));
            } else if (d.verdict == Verdict::skip) {
                fail("a string giving the reason for 'skip'");
            }
            expect(Tok::semi);
            break;
        }
        default:
            if (at(Tok::ident) && peek().text == "liveness") {
                parse_liveness(d);
                break;
            }
            if (at(Tok::ident) && peek().text == "lemma" && peek(1).kind == Tok::ident) {
                // `lemma NAME: expr;` (a word only here): an invariant that k-induction also
                // assumes as a strengthening (docs/language.md#lemmas).
                advance();
                d.kind = DeclKind::invariant;
                d.lemma = true;
                d.name_where = peek().where;
                d.name = ident("a lemma name");
                expect(Tok::colon);
                d.value = parse_expr();
                expect(Tok::semi);
                break;
            }
            if (at(Tok::ident) && peek().text == "part" &&
                (peek(1).kind == Tok::string || (peek(1).kind == Tok::ident && peek(1).text == "of"))) {
                // `part "P";` and `part of "F";` (words only here): one module over several files.
                advance();
                d.kind = at(Tok::ident) ? DeclKind::part_of : DeclKind::part;
                if (d.kind == DeclKind::part_of) advance();
                const auto& s = expect(Tok::string, "(the path of the file)");
                d.path = std::string(s.text.substr(1, s.text.size() >= 2 ? s.text.size() - 2 : 0));
                d.name_where = s.where;
                expect(Tok::semi);
                break;
            }
            fail("a declaration (import, part, const, type, enum, struct, var, proc, process, "
                 "invariant, lemma, liveness, metric, variant or expect)");
    }
    d.where = from(begin);
    return d;
}

/// `liveness NAME: [forall v: T.]... (eventually E | always eventually E | E leads_to E);`
/// (`liveness`, `eventually`, `always` and `leads_to` are words only here, not keywords).
void Parser::parse_liveness(Decl& d) {
    advance();
    d.kind = DeclKind::liveness;
    d.name_where = peek().where;
    d.name = ident("a liveness property name");
    expect(Tok::colon);
    // The binders, outermost first, as quant nodes whose body is filled below.
    std::vector<ExprPtr> binders;
    while (at(Tok::kw_forall)) {
        const auto begin = peek().where;
        auto q = node(ExprKind::quant, begin);
        q->forall = true;
        advance();
        q->member_where = peek().where;
        q->member = ident("a bound variable");
        expect(Tok::colon);
        q->name = parse_name();
        expect(Tok::dot, "after the quantifier's type (forall d: Dev. eventually ...)");
        binders.push_back(std::move(q));
    }
    auto word = [&](std::string_view w) { return at(Tok::ident) && peek().text == w; };
    ExprPtr goal;
    if (word("eventually")) {
        advance();
        d.form = "eventually";
        goal = parse_expr();
    } else if (word("always")) {
        advance();
        if (!word("eventually")) fail("'eventually' after 'always' (always eventually P)");
        advance();
        d.form = "always_eventually";
        goal = parse_expr();
    } else {
        d.per = parse_expr();
        if (!word("leads_to")) fail("'leads_to' (P leads_to Q), or 'eventually' before the goal");
        advance();
        d.form = "leads_to";
        goal = parse_expr();
    }
    for (auto it = binders.rbegin(); it != binders.rend(); ++it) {
        (*it)->kids.push_back(std::move(goal));
        goal = std::move(*it);
    }
    d.binders = binders.size();
    d.value = std::move(goal);
    expect(Tok::semi);
}

TypePtr Parser::parse_type() {
    Nesting nest(*this);
    nest.enter("type");
    auto t = std::make_unique<TypeExpr>();
    const auto begin = peek().where;
    switch (peek().kind) {
        case Tok::kw_bool: advance(); t->kind = TypeKind::bool_; break;
        case Tok::kw_mutex: advance(); t->kind = TypeKind::mutex; break;
        case Tok::kw_kref:
        case Tok::kw_scalarset: {
            t->kind = at(Tok::kw_kref) ? TypeKind::kref : TypeKind::scalarset;
            advance();
            expect(Tok::lparen, t->kind == TypeKind::kref ? "(kref needs a bound: kref(4))"
                                                          : "(scalarset needs a size: scalarset(N))");
            t->hi = parse_expr();
            expect(Tok::rparen);
            break;
        }
        case Tok::ident: {
            if (peek(1).kind == Tok::dotdot || (peek(1).kind != Tok::coloncolon &&
                                                is_binary_arith(peek(1).kind))) {
                t->kind = TypeKind::range;
                t->lo = bound();
                expect(Tok::dotdot);
                t->hi = bound();
            } else {
                t->kind = TypeKind::named;
                t->name = parse_name();
            }
            break;
        }
        case Tok::integer:
        case Tok::minus:
        case Tok::lparen:
            t->kind = TypeKind::range;
            t->lo = bound();
            expect(Tok::dotdot, "in a range type such as 0..3");
            t->hi = bound();
            break;
        default:
            fail("a type (bool, a range lo..hi, mutex, kref(N), scalarset(N) or a type name)");
    }
    if (accept(Tok::question)) t->optional = true;
    while (at(Tok::lbracket)) {
        advance();
        t->dims.push_back(parse_type());
        expect(Tok::rbracket);
    }
    t->where = from(begin);
    return t;
}

ExprPtr Parser::bound() {
    const bool saved = in_type_;
    in_type_ = true;
    auto e = parse_additive();
    in_type_ = saved;
    return e;
}

bool Parser::is_binary_arith(Tok k) {
    return k == Tok::plus || k == Tok::minus || k == Tok::star || k == Tok::slash;
}

/// A variable's initializer: an expression, or an element list `{ key: value, ..., _: value }`
/// (values nest for arrays of arrays).
ast::ExprPtr Parser::parse_initializer(int depth) {
    if (!at(Tok::lbrace)) return parse_expr();
    const auto begin = peek().where;
    if (depth >= 8) fail("an expression (element lists nest at most 8 deep)");
    advance();
    auto e = node(ast::ExprKind::elements, begin);
    do {
        if (at(Tok::rbrace)) break;  // a trailing comma
        if (at(Tok::ident) && peek().text == "_") {
            e->kids.push_back(node(ast::ExprKind::wildcard, advance().where));
        } else {
            e->kids.push_back(parse_or());
        }
        expect(Tok::colon, "after the element's key (an element list reads { key: value, ..., _: value })");
        e->kids.push_back(parse_initializer(depth + 1));
    } while (accept(Tok::comma));
    expect(Tok::rbrace, "to close the element list");
    e->where = from(begin);
    return e;
}

}  // namespace iomc::lang
