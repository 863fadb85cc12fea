// SPDX-License-Identifier: MIT
#include "bench/twin/expr.hpp"

#include <algorithm>
#include <climits>
#include <optional>

#include <fmt/format.h>

#include "bench/twin/promela.hpp"

namespace iomc::bench::twin {

namespace {

const ir::StateLayout* ranges = nullptr;  ///< set by RangeScope

struct Interval {
    std::int64_t lo, hi;
};
constexpr Interval unknown{INT32_MIN, INT32_MAX};

Interval interval(const Expr& e) {
    auto kid = [&](std::size_t i) { return interval(e.kids[i]); };
    switch (e.op) {
        case ExprOp::constant: return {e.value, e.value};
        case ExprOp::slot:
        case ExprOp::element: {
            if (!ranges) return unknown;
            const auto& s = ranges->slot(e.slot);
            return {s.lo, s.hi};
        }
        case ExprOp::neg: { const auto a = kid(0); return {-a.hi, -a.lo}; }
        case ExprOp::add: { const auto a = kid(0), b = kid(1); return {a.lo + b.lo, a.hi + b.hi}; }
        case ExprOp::sub: { const auto a = kid(0), b = kid(1); return {a.lo - b.hi, a.hi - b.lo}; }
        case ExprOp::mul: {
            const auto a = kid(0), b = kid(1);
            const std::int64_t p[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
            return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
        }
        case ExprOp::div: case ExprOp::mod: return unknown;
        case ExprOp::ite: { const auto a = kid(1), b = kid(2); return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
        default: return {0, 1};
    }
}

/// A comparison decided by the value ranges of its sides, or nothing.
std::optional<std::int64_t> decide(ExprOp op, const Expr& a, const Expr& b) {
    const Interval x = interval(a), y = interval(b);
    if (x.lo < INT32_MIN || x.hi > INT32_MAX || y.lo < INT32_MIN || y.hi > INT32_MAX) return std::nullopt;
    switch (op) {
        case ExprOp::lt: if (x.hi < y.lo) return 1; if (x.lo >= y.hi) return 0; break;
        case ExprOp::le: if (x.hi <= y.lo) return 1; if (x.lo > y.hi) return 0; break;
        case ExprOp::gt: if (x.lo > y.hi) return 1; if (x.hi <= y.lo) return 0; break;
        case ExprOp::ge: if (x.lo >= y.hi) return 1; if (x.hi < y.lo) return 0; break;
        case ExprOp::eq: if (x.hi < y.lo || y.hi < x.lo) return 0; if (x.lo == x.hi && y.lo == y.hi) return 1; break;
        case ExprOp::ne: if (x.hi < y.lo || y.hi < x.lo) return 1; if (x.lo == x.hi && y.lo == y.hi) return 0; break;
        default: break;
    }
    return std::nullopt;
}

/// Regions larger than this are not written out as conditional chains.
constexpr std::size_t max_region = 4096;

bool is_bool_op(ExprOp op) {
    switch (op) {
        case ExprOp::eq: case ExprOp::ne: case ExprOp::lt: case ExprOp::le: case ExprOp::gt: case ExprOp::ge:
        case ExprOp::and_: case ExprOp::or_: case ExprOp::implies: case ExprOp::not_: case ExprOp::at_loc:
            return true;
        default: return false;
    }
}

std::optional<std::int64_t> eval(ExprOp op, std::int64_t a, std::int64_t b) {
    switch (op) {
        case ExprOp::add: return a + b;
        case ExprOp::sub: return a - b;
        case ExprOp::mul: return a * b;
        case ExprOp::div: if (b == 0) return std::nullopt; return a / b;
        case ExprOp::mod: if (b == 0) return std::nullopt; return a % b;
        case ExprOp::eq: return a == b;
        case ExprOp::ne: return a != b;
        case ExprOp::lt: return a < b;
        case ExprOp::le: return a <= b;
        case ExprOp::gt: return a > b;
        case ExprOp::ge: return a >= b;
        case ExprOp::and_: return a != 0 && b != 0;
        case ExprOp::or_: return a != 0 || b != 0;
        case ExprOp::implies: return a == 0 || b != 0;
        default: return std::nullopt;
    }
}

}  // namespace

RangeScope::RangeScope(const ir::StateLayout& layout) { ranges = &layout; }
RangeScope::~RangeScope() { ranges = nullptr; }

Expr k(std::int64_t v) { return Expr::constant(v); }
bool is_true(const Expr& e) { return e.is_constant() && e.value != 0; }
bool is_false(const Expr& e) { return e.is_constant() && e.value == 0; }

bool same(const Expr& a, const Expr& b) {
    if (a.op != b.op || a.kids.size() != b.kids.size()) return false;
    switch (a.op) {
        case ExprOp::constant: return a.value == b.value;
        case ExprOp::slot: return a.slot == b.slot;
        case ExprOp::element:
            if (a.slot != b.slot || a.dims.size() != b.dims.size()) return false;
            for (std::size_t i = 0; i < a.dims.size(); ++i)
                if (a.dims[i].count != b.dims[i].count || a.dims[i].slot_stride != b.dims[i].slot_stride) return false;
            break;
        case ExprOp::at_loc:
            if (a.slot != b.slot || a.locs != b.locs) return false;
            break;
        default: break;
    }
    for (std::size_t i = 0; i < a.kids.size(); ++i)
        if (!same(a.kids[i], b.kids[i])) return false;
    return true;
}

Expr mk_not(Expr a) {
    if (a.is_constant()) return k(a.value == 0);
    if (a.op == ExprOp::not_) return std::move(a.kids[0]);
    return Expr::unary(ExprOp::not_, std::move(a));
}

Expr mk_and(Expr a, Expr b) {
    if (is_false(a) || is_false(b)) return k(0);
    if (is_true(a)) return b.is_constant() ? k(b.value != 0) : b;
    if (is_true(b)) return a;
    return Expr::binary(ExprOp::and_, std::move(a), std::move(b));
}

Expr mk_or(Expr a, Expr b) {
    if (is_true(a) || is_true(b)) return k(1);
    if (is_false(a)) return b.is_constant() ? k(b.value != 0) : b;
    if (is_false(b)) return a;
    return Expr::binary(ExprOp::or_, std::move(a), std::move(b));
}

Expr mk_ite(Expr c, Expr a, Expr b) {
    if (c.is_constant()) return c.value != 0 ? a : b;
    if (same(a, b)) return a;
    if (is_bool_op(c.op) && a.is_constant() && b.is_constant()) {
        if (a.value == 1 && b.value == 0) return c;
        if (a.value == 0 && b.value == 1) return mk_not(std::move(c));
    }
    if (is_false(b) && is_bool_op(a.op)) return mk_and(std::move(c), std::move(a));
    if (is_true(a) && is_bool_op(b.op) && is_bool_op(c.op)) return mk_or(std::move(c), std::move(b));
    Expr e;
    e.op = ExprOp::ite;
    e.kids = {std::move(c), std::move(a), std::move(b)};
    return e;
}

Expr mk_bin(ExprOp op, Expr a, Expr b) {
    if (op == ExprOp::and_) return mk_and(std::move(a), std::move(b));
    if (op == ExprOp::or_) return mk_or(std::move(a), std::move(b));
    if (op == ExprOp::implies) return mk_or(mk_not(std::move(a)), std::move(b));
    if (a.is_constant() && b.is_constant())
        if (auto v = eval(op, a.value, b.value)) return k(*v);
    if ((op == ExprOp::add || op == ExprOp::sub) && is_false(b)) return a;
    if (op == ExprOp::add && is_false(a)) return b;
    if (op == ExprOp::mul && b.is_constant() && b.value == 1) return a;
    if (op == ExprOp::mul && (is_false(a) || is_false(b))) return k(0);
    if ((op == ExprOp::eq || op == ExprOp::ne) && same(a, b)) return k(op == ExprOp::eq);
    if (ranges)
        if (auto v = decide(op, a, b)) return k(*v);
    return Expr::binary(op, std::move(a), std::move(b));
}

std::vector<std::uint32_t> region(const Expr& lv) {
    std::vector<std::uint32_t> r{ir::idx(lv.slot)};
    if (lv.op != ExprOp::element) return r;
    for (const auto& d : lv.dims) {
        std::vector<std::uint32_t> next;
        for (auto s : r)
            for (std::uint32_t j = 0; j < d.count; ++j) next.push_back(s + j * d.slot_stride);
        r = std::move(next);
        if (r.size() > max_region)
            throw Error(fmt::format("'{}' indexes more than {} elements", lv.name, max_region));
    }
    return r;
}

Expr address(const Expr& lv) {
    Expr a = k(ir::idx(lv.slot));
    if (lv.op != ExprOp::element) return a;
    for (std::size_t i = 0; i < lv.dims.size(); ++i)
        a = mk_bin(ExprOp::add, std::move(a), mk_bin(ExprOp::mul, lv.kids[i], k(lv.dims[i].slot_stride)));
    return a;
}

bool overlap(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    for (auto x : a)
        if (std::find(b.begin(), b.end(), x) != b.end()) return true;
    return false;
}

Expr map_reads(const Expr& e, const std::function<Expr(Expr)>& read) {
    switch (e.op) {
        case ExprOp::constant:
        case ExprOp::at_loc:
            return e;
        case ExprOp::slot:
        case ExprOp::element: {
            Expr r = e;
            for (auto& kid : r.kids) kid = map_reads(kid, read);
            return read(std::move(r));
        }
        case ExprOp::ite:
            return mk_ite(map_reads(e.kids[0], read), map_reads(e.kids[1], read), map_reads(e.kids[2], read));
        case ExprOp::not_: return mk_not(map_reads(e.kids[0], read));
        case ExprOp::neg: {
            Expr a = map_reads(e.kids[0], read);
            if (a.is_constant()) return k(-a.value);
            return Expr::unary(ExprOp::neg, std::move(a));
        }
        default:
            return mk_bin(e.op, map_reads(e.kids[0], read), map_reads(e.kids[1], read));
    }
}

Expr subst(const Expr& e, const Expr& lv, const Expr& v) {
    const auto written = region(lv);
    return map_reads(e, [&](Expr r) {
        if (!overlap(region(r), written)) return r;  // r and lv never name the same slot
        Expr cond = mk_bin(ExprOp::eq, address(r), address(lv));
        return mk_ite(std::move(cond), v, std::move(r));
    });
}

std::string Printer::operator()(const Expr& e) const {
    auto bin = [&](const char* op) { return fmt::format("({} {} {})", (*this)(e.kids[0]), op, (*this)(e.kids[1])); };
    switch (e.op) {
        case ExprOp::constant: return e.value < 0 ? fmt::format("({})", e.value) : fmt::format("{}", e.value);
        case ExprOp::slot: return name(ir::idx(e.slot));
        case ExprOp::element: {
            const Expr addr = address(e);
            if (addr.is_constant()) return name(static_cast<std::uint32_t>(addr.value));
            const auto r = region(e);
            const std::string a = (*this)(addr);
            std::string s = name(r.back());
            for (std::size_t i = r.size() - 1; i-- > 0;) s = fmt::format("({} == {} -> {} : {})", a, r[i], name(r[i]), s);
            return s;
        }
        case ExprOp::at_loc: return at(ir::idx(e.slot), e.locs);
        case ExprOp::neg: return fmt::format("(-{})", (*this)(e.kids[0]));
        case ExprOp::not_: return fmt::format("(!{})", (*this)(e.kids[0]));
        case ExprOp::add: return bin("+");
        case ExprOp::sub: return bin("-");
        case ExprOp::mul: return bin("*");
        case ExprOp::div: return bin("/");
        case ExprOp::mod: return bin("%");
        case ExprOp::eq: return bin("==");
        case ExprOp::ne: return bin("!=");
        case ExprOp::lt: return bin("<");
        case ExprOp::le: return bin("<=");
        case ExprOp::gt: return bin(">");
        case ExprOp::ge: return bin(">=");
        case ExprOp::and_: return bin("&&");
        case ExprOp::or_: return bin("||");
        case ExprOp::implies: return fmt::format("(!{} || {})", (*this)(e.kids[0]), (*this)(e.kids[1]));
        case ExprOp::ite:
            return fmt::format("({} -> {} : {})", (*this)(e.kids[0]), (*this)(e.kids[1]), (*this)(e.kids[2]));
    }
    return "?";
}

std::string Printer::write(const Expr& lv, const std::string& v) const {
    const Expr addr = address(lv);
    if (addr.is_constant()) return fmt::format("{} = {}", name(static_cast<std::uint32_t>(addr.value)), v);
    const std::string a = (*this)(addr);
    std::string s = "if";
    for (auto slot : region(lv)) s += fmt::format(" :: {} == {} -> {} = {}", a, slot, name(slot), v);
    return s + " :: else -> assert(false) fi";
}

}  // namespace iomc::bench::twin
