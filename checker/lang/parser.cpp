// SPDX-License-Identifier: MIT
#include "checker/lang/parser.hpp"

#include <fmt/format.h>

#include "checker/lang/lexer.hpp"

namespace iomc::lang {

namespace {

using namespace ast;

/// Thrown to unwind to the nearest recovery point after an error was reported.
struct ParseError {};

class Parser {
public:
    Parser(const support::SourceManager& sm, support::FileId file, support::DiagnosticSink& sink)
        : sm_(sm), file_(file), sink_(sink), toks_(lex(sm, file, sink)) {}

    Module parse_module() {
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

private:
    const support::SourceManager& sm_;
    support::FileId file_;
    support::DiagnosticSink& sink_;
    std::vector<Token> toks_;
    std::size_t pos_ = 0;
    bool in_type_ = false;   ///< parsing range bounds: '[' starts array dims, not an index

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
    [[noreturn]] void fail(const std::string& expected) {
        // The lexer already reported an invalid token; one message per problem is enough.
        if (peek().kind != Tok::error)
            sink_.error(peek().where, fmt::format("expected {}, found {}", expected, describe(peek())));
        throw ParseError{};
    }
    const Token& expect(Tok k, const char* context = nullptr) {
        if (!at(k)) {
            if (context)
                fail(fmt::format("{} {}", describe(k), context));
            else
                fail(describe(k));
        }
        return advance();
    }
    SourceRange from(SourceRange begin) const {
        const auto& prev = toks_[pos_ == 0 ? 0 : pos_ - 1];
        return SourceRange{file_, begin.begin, std::max(begin.end, prev.where.end)};
    }
    std::string ident(const char* what) {
        if (!at(Tok::ident)) fail(what);
        return std::string(advance().text);
    }

    static bool is_decl_start(Tok k) {
        switch (k) {
            case Tok::kw_import: case Tok::kw_const: case Tok::kw_type: case Tok::kw_enum:
            case Tok::kw_struct: case Tok::kw_var: case Tok::kw_proc: case Tok::kw_process:
            case Tok::kw_invariant: case Tok::kw_variant: case Tok::kw_expect: case Tok::kw_metric:
                return true;
            default: return false;
        }
    }

    void recover_decl() {
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

    void recover_stmt() {
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

    Name parse_name() {
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

    // ---------------------------------------------------------------- declarations
    Decl parse_decl() {
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
                    expect(Tok::semi);
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
                if (accept(Tok::assign)) d.value = parse_expr();
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
                fail("a declaration (import, const, type, enum, struct, var, proc, process, "
                     "invariant, metric, variant or expect)");
        }
        d.where = from(begin);
        return d;
    }

    // ---------------------------------------------------------------- types
    TypePtr parse_type() {
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

    /// A range bound: an additive expression in which '[' ends the bound (T[Index] follows).
    ExprPtr bound() {
        const bool saved = in_type_;
        in_type_ = true;
        auto e = parse_additive();
        in_type_ = saved;
        return e;
    }

    static bool is_binary_arith(Tok k) {
        return k == Tok::plus || k == Tok::minus || k == Tok::star || k == Tok::slash;
    }

    // ---------------------------------------------------------------- statements
    std::vector<StmtPtr> parse_block_body() {
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

    StmtPtr make(StmtKind k, SourceRange begin) {
        auto s = std::make_unique<Stmt>();
        s->kind = k;
        s->where = begin;
        return s;
    }

    StmtPtr block_stmt() {
        const auto begin = peek().where;
        auto s = make(StmtKind::block, begin);
        s->body = parse_block_body();
        s->where = from(begin);
        return s;
    }

    StmtPtr parse_stmt() {
        const auto begin = peek().where;
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
                if (accept(Tok::assign)) s->decl->init = parse_expr();
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

    // ---------------------------------------------------------------- expressions
    ExprPtr node(ExprKind k, SourceRange where) {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->where = where;
        return e;
    }

    ExprPtr parse_expr() {
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

    ExprPtr parse_ternary() {
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

    ExprPtr binary(Op op, ExprPtr a, ExprPtr b, SourceRange begin) {
        auto e = node(ExprKind::binary, begin);
        e->op = op;
        e->kids.push_back(std::move(a));
        e->kids.push_back(std::move(b));
        e->where = from(begin);
        return e;
    }

    ExprPtr parse_implies() {
        const auto begin = peek().where;
        auto a = parse_or();
        if (at(Tok::implies) || at(Tok::arrow)) {
            advance();
            auto b = at(Tok::kw_forall) || at(Tok::kw_exists) ? parse_expr() : parse_implies();
            return binary(Op::implies, std::move(a), std::move(b), begin);
        }
        return a;
    }

    ExprPtr parse_or() {
        const auto begin = peek().where;
        auto a = parse_and();
        while (at(Tok::oror)) {
            advance();
            a = binary(Op::or_, std::move(a), parse_and(), begin);
        }
        return a;
    }

    ExprPtr parse_and() {
        const auto begin = peek().where;
        auto a = parse_equality();
        while (at(Tok::andand)) {
            advance();
            a = binary(Op::and_, std::move(a), parse_equality(), begin);
        }
        return a;
    }

    ExprPtr parse_equality() {
        const auto begin = peek().where;
        auto a = parse_relational();
        while (at(Tok::eq) || at(Tok::ne)) {
            const Op op = at(Tok::eq) ? Op::eq : Op::ne;
            advance();
            a = binary(op, std::move(a), parse_relational(), begin);
        }
        return a;
    }

    ExprPtr parse_relational() {
        const auto begin = peek().where;
        auto a = parse_additive();
        while (at(Tok::lt) || at(Tok::le) || at(Tok::gt) || at(Tok::ge)) {
            const Op op = at(Tok::lt) ? Op::lt : at(Tok::le) ? Op::le : at(Tok::gt) ? Op::gt : Op::ge;
            advance();
            a = binary(op, std::move(a), parse_additive(), begin);
        }
        return a;
    }

    ExprPtr parse_additive() {
        const auto begin = peek().where;
        auto a = parse_multiplicative();
        while (at(Tok::plus) || at(Tok::minus)) {
            const Op op = at(Tok::plus) ? Op::add : Op::sub;
            advance();
            a = binary(op, std::move(a), parse_multiplicative(), begin);
        }
        return a;
    }

    ExprPtr parse_multiplicative() {
        const auto begin = peek().where;
        auto a = parse_unary();
        while (at(Tok::star) || at(Tok::slash) || at(Tok::percent)) {
            const Op op = at(Tok::star) ? Op::mul : at(Tok::slash) ? Op::div : Op::mod;
            advance();
            a = binary(op, std::move(a), parse_unary(), begin);
        }
        return a;
    }

    ExprPtr parse_unary() {
        const auto begin = peek().where;
        if (at(Tok::bang) || at(Tok::minus)) {
            const Op op = at(Tok::bang) ? Op::not_ : Op::neg;
            advance();
            auto e = node(ExprKind::unary, begin);
            e->op = op;
            e->kids.push_back(parse_unary());
            e->where = from(begin);
            return e;
        }
        return parse_postfix();
    }

    ExprPtr parse_postfix() {
        const auto begin = peek().where;
        auto e = parse_primary();
        for (;;) {
            if (at(Tok::lbracket) && !in_type_) {
                advance();
                auto x = node(ExprKind::index, begin);
                x->kids.push_back(std::move(e));
                x->kids.push_back(parse_expr());
                expect(Tok::rbracket);
                x->where = from(begin);
                e = std::move(x);
            } else if (at(Tok::dot) && peek(1).kind == Tok::ident) {
                advance();
                auto x = node(ExprKind::field, begin);
                x->member_where = peek().where;
                x->member = std::string(advance().text);
                x->kids.push_back(std::move(e));
                x->where = from(begin);
                e = std::move(x);
            } else if (at(Tok::lparen) && e->kind == ExprKind::name) {
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

    ExprPtr parse_primary() {
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
};

}  // namespace

ast::Module parse(const support::SourceManager& sm, support::FileId file,
                  support::DiagnosticSink& sink) {
    Parser p(sm, file, sink);
    return p.parse_module();
}

}  // namespace iomc::lang
