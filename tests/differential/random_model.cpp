// SPDX-License-Identifier: MIT
#include "tests/differential/random_model.hpp"

#include <fmt/format.h>

namespace iomc::testing {

namespace {

/// splitmix64: the same sequence everywhere (std distributions are not portable).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in 0..n-1.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    std::uint64_t s_;
};

/// What a statement may name, in the process being generated.
struct Scope {
    bool family = false;                 ///< inside `process w(i: Id)`: `i` is its element
    std::vector<std::string> flags;      ///< bool globals
    std::vector<std::string> counters;   ///< 0..2 globals
    std::vector<std::string> bool_arrays, count_arrays;  ///< bool[Id], 0..2[Id]
    bool ptr = false;                    ///< var ptr: Id?
    bool kref = false;                   ///< var r: kref(3)
    std::vector<std::string> mutexes;    ///< global mutexes
    std::vector<std::string> bool_locks; ///< global bools taken as locks
    bool bool_lock_array = false;        ///< var bl: bool[Id], element i taken by w(i) as a lock
    bool mutex_array = false;            ///< var ma: mutex[Id]
    bool rel = false;                    ///< var rel: bool[Id][Id] (a relation: ties of equal keys)
    bool grows = false;                  ///< var k: 0..3, only ever increased (a bounded loop's counter)
    std::vector<std::string> held;       ///< mutexes held at this point (no recursive locks)
    int* asserts = nullptr;              ///< next assertion number
};

class Gen {
public:
    explicit Gen(std::uint64_t seed) : r_(seed) {}

    RModel model() {
        RModel m;
        // Half the models keep the scalarset symmetric (no literal Id(k), no variable that
        // starts at an element), so that symmetry reduction has something to reduce; they
        // also walk it in loops with steps.
        sym_ = r_.chance(50);
        const int k = r_.chance(70) ? 2 : 3;
        m.decls.push_back(fmt::format("type Id = scalarset({});", k));
        Scope sc;
        const std::size_t nflags = 1 + r_.below(3);
        for (std::size_t f = 0; f < nflags; ++f) sc.flags.push_back(fmt::format("f{}", f));
        for (std::size_t c = 0, n = r_.below(3); c < n; ++c) sc.counters.push_back(fmt::format("n{}", c));
        if (r_.chance(60)) sc.bool_arrays.push_back("a");
        if (r_.chance(40)) sc.count_arrays.push_back("c");
        sc.ptr = r_.chance(40);
        sc.kref = r_.chance(15);
        for (std::size_t c = 0, n = r_.below(3); c < n; ++c) sc.mutexes.push_back(fmt::format("m{}", c));
        sc.mutex_array = r_.chance(35);
        sc.rel = r_.chance(35);
        sc.grows = r_.chance(35);
        if (r_.chance(40))
            for (std::size_t c = 0, n = 1 + r_.below(2); c < n; ++c) sc.bool_locks.push_back(fmt::format("b{}", c));
        sc.bool_lock_array = r_.chance(25);
        for (const auto& f : sc.flags) m.decls.push_back(fmt::format("var {}: bool{};", f, r_.chance(20) ? " = true" : ""));
        for (const auto& c : sc.counters) m.decls.push_back(fmt::format("var {}: 0..2;", c));
        for (const auto& a : sc.bool_arrays) m.decls.push_back(fmt::format("var {}: bool[Id];", a));
        for (const auto& a : sc.count_arrays) m.decls.push_back(fmt::format("var {}: 0..2[Id];", a));
        if (sc.ptr) m.decls.push_back("var ptr: Id?;");
        if (sc.kref) m.decls.push_back("var r: kref(3) = 1;");
        for (const auto& mu : sc.mutexes) m.decls.push_back(fmt::format("var {}: mutex;", mu));
        if (sc.mutex_array) m.decls.push_back("var ma: mutex[Id];");
        if (sc.rel) m.decls.push_back("var rel: bool[Id][Id];");
        if (sc.grows) m.decls.push_back("var k: 0..3;");
        for (const auto& b : sc.bool_locks) m.decls.push_back(fmt::format("var {}: bool;", b));
        if (sc.bool_lock_array) m.decls.push_back("var bl: bool[Id];");
        int asserts = 0;
        sc.asserts = &asserts;
        const std::size_t singles = 1 + r_.below(2);
        const bool family = r_.chance(65) || singles == 1;
        for (std::size_t p = 0; p < singles + (family ? 1 : 0); ++p) {
            RProcess proc;
            Scope ps = sc;
            ps.family = family && p == singles;
            proc.header = ps.family ? "process w(i: Id)" : fmt::format("process p{}", p);
            if (r_.chance(50)) proc.locals.push_back("var t: 0..2;");
            if (r_.chance(40)) proc.locals.push_back(sym_ ? "var q: Id?;" : "var q: Id;");
            locals_t_ = proc.locals.size() > 0 && proc.locals[0] == "var t: 0..2;";
            locals_q_ = !proc.locals.empty() && proc.locals.back().rfind("var q:", 0) == 0;
            const std::size_t n = 2 + r_.below(4);
            for (std::size_t s = 0; s < n; ++s) proc.body.push_back(stmt(ps, 0, false));
            if (r_.chance(50)) proc.body.push_back(RStmt{RStmt::Kind::simple, "done: skip;", {}, {}});
            m.processes.push_back(std::move(proc));
        }
        for (std::size_t i = 0, n = r_.below(3); i < n; ++i)
            m.properties.push_back(fmt::format("invariant inv{}: {};", i, invariant(sc, m)));
        return m;
    }

private:
    Rng r_;
    bool locals_t_ = false, locals_q_ = false;
    bool sym_ = false;
    std::string loopvar_;  ///< the variable of the scalarset loop being generated, if any

    /// An index into an array over Id, or "" when none may be written here (symmetric models
    /// have no literal).
    std::string index(const Scope& sc) {
        std::vector<std::string> ix;
        if (!sym_) ix.push_back("Id(0)");
        if (sc.family) ix.insert(ix.end(), {"i", "i"});
        if (!loopvar_.empty()) ix.insert(ix.end(), {loopvar_, loopvar_});
        if (locals_q_ && (!sym_ || r_.chance(30))) ix.push_back("q");
        if (sc.ptr && (r_.chance(30) || ix.empty())) ix.push_back("ptr");
        return ix.empty() ? std::string() : r_.pick(ix);
    }

    std::string cond(const Scope& sc, int depth = 0) {
        std::vector<std::string> c;
        for (const auto& f : sc.flags) c.insert(c.end(), {f, "!" + f});
        for (const auto& n : sc.counters) c.insert(c.end(), {n + " < 2", n + " == 0"});
        if (const auto ix = index(sc); !ix.empty()) {
            for (const auto& a : sc.bool_arrays) c.push_back(fmt::format("{}[{}]", a, ix));
            for (const auto& a : sc.count_arrays) c.push_back(fmt::format("{}[{}] == 1", a, ix));
        }
        for (const auto& a : sc.bool_arrays) c.push_back(fmt::format("(exists e: Id. {}[e])", a));
        if (sc.rel) {
            if (const auto a = index(sc), b = index(sc); !a.empty() && !b.empty()) c.push_back(fmt::format("rel[{}][{}]", a, b));
            c.push_back("(exists e: Id. rel[e][e])");
        }
        if (sc.ptr) c.insert(c.end(), {"ptr == none", "ptr != none"});
        if (sc.grows) c.insert(c.end(), {"k < 3", "k < 2"});
        for (const auto& mu : sc.mutexes) c.push_back(fmt::format("!locked({})", mu));
        for (const auto& b : sc.bool_locks) c.insert(c.end(), {b, "!" + b});
        if (sc.bool_lock_array) c.push_back("(exists e: Id. bl[e])");
        if (locals_t_) c.push_back("t != 1");
        if (locals_q_ && sc.family) c.push_back("q == i");
        if (sc.kref) c.push_back("r > 0");
        std::string e = r_.pick(c);
        if (depth == 0 && r_.chance(25)) e = fmt::format("({} {} {})", e, r_.chance(50) ? "&&" : "||", cond(sc, 1));
        return e;
    }

    RStmt simple(const Scope& sc) {
        std::vector<std::string> s{"skip;"};
        for (const auto& f : sc.flags) s.insert(s.end(), {f + " = true;", f + " = false;", f + " = " + cond(sc) + ";"});
        for (const auto& n : sc.counters) s.insert(s.end(), {fmt::format("{} = ({} + 1) % 3;", n, n), "choose " + n + ";"});
        if (const auto ix = index(sc); !ix.empty()) {
            for (const auto& a : sc.bool_arrays)
                s.push_back(fmt::format("{}[{}] = {};", a, ix, r_.chance(50) ? "true" : cond(sc)));
            for (const auto& a : sc.count_arrays) s.push_back(fmt::format("{}[{}] = ({}[{}] + 1) % 3;", a, ix, a, ix));
        }
        if (sc.rel)
            if (const auto a = index(sc), b = index(sc); !a.empty() && !b.empty())
                s.insert(s.end(), {fmt::format("rel[{}][{}] = !rel[{}][{}];", a, b, a, b),
                                   fmt::format("rel[{}][{}] = {};", a, b, cond(sc))});
        if (sc.grows) s.insert(s.end(), {"atomic { await k < 3; k += 1; }", "atomic { await k < 3; k = k + 1; }"});
        if (sc.ptr) s.insert(s.end(), {sc.family ? "ptr = i;" : "ptr = none;", "choose ptr;"});
        if (sc.ptr && !loopvar_.empty()) s.push_back("ptr = " + loopvar_ + ";");
        if (locals_t_) s.insert(s.end(), {"t = (t + 1) % 3;", "choose t;"});
        if (locals_q_) {
            s.push_back("choose q;");
            if (const auto ix = index(sc); !ix.empty() && ix != "q") s.push_back("q = " + ix + ";");
        }
        s.push_back("await " + cond(sc) + ";");
        if (r_.chance(30)) s.push_back(fmt::format("assert a{}: {};", (*sc.asserts)++, cond(sc)));
        if (sc.kref) s.insert(s.end(), {"kref_get(r);", "kref_put(r);"});
        if (!sc.mutexes.empty() && r_.chance(5)) s.push_back("unlock(" + r_.pick(sc.mutexes) + ");");
        // A stray write: the bool is no lock to the reduction (bool_locks.hpp).
        if (!sc.bool_locks.empty() && r_.chance(40)) s.push_back(r_.pick(sc.bool_locks) + (r_.chance(50) ? " = false;" : " = true;"));
        if (sc.bool_lock_array && sc.family && r_.chance(20)) s.push_back("bl[i] = false;");
        return RStmt{RStmt::Kind::simple, r_.pick(s), {}, {}};
    }

    RStmt stmt(const Scope& sc, int depth, bool in_atomic) {
        const unsigned compound = depth >= 2 ? 0 : 35;
        if (!r_.chance(compound)) return simple(sc);
        std::vector<RStmt::Kind> kinds{RStmt::Kind::if_, RStmt::Kind::either};
        if (!in_atomic) kinds.insert(kinds.end(), {RStmt::Kind::while_, RStmt::Kind::atomic});
        std::vector<std::string> free;
        for (const auto& mu : sc.mutexes)
            if (std::find(sc.held.begin(), sc.held.end(), mu) == sc.held.end()) free.push_back(mu);
        if (sc.mutex_array && std::find(sc.held.begin(), sc.held.end(), "ma") == sc.held.end()) {
            const auto ix = index(sc);
            if (!ix.empty() && ix != "ptr" && ix != "q") free.push_back(fmt::format("ma[{}]", ix));
            // A mutex selected by a global other processes write: a wait that another process
            // can redirect (its unlock may then be of another element: mutex misuse, reported).
            if (sc.ptr && r_.chance(25)) free.push_back("ma[ptr]");
        }
        if (!free.empty()) kinds.insert(kinds.end(), {RStmt::Kind::locked, RStmt::Kind::locked});
        std::vector<std::string> free_bools;
        for (const auto& b : sc.bool_locks)
            if (std::find(sc.held.begin(), sc.held.end(), b) == sc.held.end()) free_bools.push_back(b);
        if (sc.bool_lock_array && sc.family && std::find(sc.held.begin(), sc.held.end(), "bl[i]") == sc.held.end())
            free_bools.push_back("bl[i]");
        if (!in_atomic && !free_bools.empty()) kinds.insert(kinds.end(), {RStmt::Kind::bool_locked, RStmt::Kind::bool_locked});
        if (loopvar_.empty() && (sym_ || r_.chance(30))) kinds.push_back(RStmt::Kind::for_);
        RStmt st;
        st.kind = r_.pick(kinds);
        auto fill = [&](std::vector<RStmt>& out, const Scope& inner, bool atomic, std::size_t min) {
            for (std::size_t k = 0, n = min + r_.below(3); k < n; ++k) out.push_back(stmt(inner, depth + 1, atomic));
        };
        switch (st.kind) {
            case RStmt::Kind::if_:
                st.text = cond(sc);
                fill(st.body, sc, in_atomic, 1);
                if (r_.chance(50)) fill(st.other, sc, in_atomic, 1);
                break;
            case RStmt::Kind::either:
                fill(st.body, sc, in_atomic, 1);
                fill(st.other, sc, in_atomic, r_.chance(30) ? 0 : 1);
                break;
            case RStmt::Kind::while_: {
                // Bounded by a counter the body advances, or by a flag another process sets.
                st.text = cond(sc);
                fill(st.body, sc, false, 1);
                if (sc.grows && r_.chance(50)) {
                    // A loop bounded by the counter it advances: no cycle of states goes round it.
                    st.text = "k < 3";
                    st.body.push_back(RStmt{RStmt::Kind::simple, "atomic { await k < 3; k += 1; }", {}, {}});
                }
                break;
            }
            case RStmt::Kind::atomic: fill(st.body, sc, true, 1); break;
            case RStmt::Kind::for_: {
                // A loop over Id: with steps (a walk) outside atomic, one step inside it.
                loopvar_ = "e";
                st.text = loopvar_;
                fill(st.body, sc, in_atomic, 1);
                loopvar_.clear();
                break;
            }
            case RStmt::Kind::locked: {
                st.text = r_.pick(free);
                Scope inner = sc;
                inner.held.push_back(st.text.rfind("ma[", 0) == 0 ? "ma" : st.text);
                fill(st.body, inner, in_atomic, 1);
                break;
            }
            case RStmt::Kind::bool_locked: {
                st.text = r_.pick(free_bools);
                Scope inner = sc;
                inner.held.push_back(st.text);
                fill(st.body, inner, false, 1);
                break;
            }
            case RStmt::Kind::simple: break;
        }
        return st;
    }

    std::string invariant(const Scope& global, const RModel& m) {
        Scope sc = global;  // no process locals or parameter here
        sc.family = false;
        locals_t_ = locals_q_ = false;
        std::vector<std::string> c;
        for (const auto& f : sc.flags)
            for (const auto& g : sc.flags)
                if (f < g) c.push_back(fmt::format("!({} && {})", f, g));
        for (const auto& n : sc.counters) c.push_back(n + " != 2");
        for (const auto& a : sc.bool_arrays) c.push_back(fmt::format("forall j: Id. {}[j] -> {}", a, r_.pick(sc.flags)));
        for (const auto& a : sc.count_arrays) c.push_back(fmt::format("forall j: Id. {}[j] < 2", a));
        if (sc.ptr && !sc.bool_arrays.empty()) c.push_back("ptr != none -> !a[ptr]");
        for (const auto& mu : sc.mutexes) c.push_back(fmt::format("locked({}) -> {}", mu, r_.pick(sc.flags)));
        for (const auto& b : sc.bool_locks) c.push_back(fmt::format("{} -> {}", b, r_.pick(sc.flags)));
        for (const auto& p : m.processes) {
            const bool has_done = !p.body.empty() && p.body.back().text == "done: skip;";
            if (!has_done) continue;
            if (p.header == "process w(i: Id)")
                c.push_back(fmt::format("forall j: Id. w(j) @ done -> {}", cond(sc)));
            else
                c.push_back(fmt::format("{} @ done -> {}", p.header.substr(8), cond(sc)));
        }
        if (sc.kref) c.push_back("r > 0");
        if (c.empty()) c.push_back(r_.pick(sc.flags));
        return r_.pick(c);
    }
};

void render(const std::vector<RStmt>& body, int indent, std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent) * 4, ' ');
    for (const auto& s : body) {
        switch (s.kind) {
            case RStmt::Kind::simple: out += pad + s.text + "\n"; break;
            case RStmt::Kind::if_:
                out += pad + "if (" + s.text + ") {\n";
                render(s.body, indent + 1, out);
                if (!s.other.empty()) {
                    out += pad + "} else {\n";
                    render(s.other, indent + 1, out);
                }
                out += pad + "}\n";
                break;
            case RStmt::Kind::while_:
                out += pad + "while (" + s.text + ") {\n";
                render(s.body, indent + 1, out);
                out += pad + "}\n";
                break;
            case RStmt::Kind::atomic:
                out += pad + "atomic {\n";
                render(s.body, indent + 1, out);
                out += pad + "}\n";
                break;
            case RStmt::Kind::either:
                out += pad + "either {\n";
                render(s.body, indent + 1, out);
                out += pad + "} or {\n";
                render(s.other, indent + 1, out);
                out += pad + "}\n";
                break;
            case RStmt::Kind::for_:
                out += pad + "for " + s.text + ": Id {\n";
                render(s.body, indent + 1, out);
                out += pad + "}\n";
                break;
            case RStmt::Kind::locked:
                out += pad + "lock(" + s.text + ");\n";
                render(s.body, indent, out);
                out += pad + "unlock(" + s.text + ");\n";
                break;
            case RStmt::Kind::bool_locked:
                out += pad + "atomic { await !" + s.text + "; " + s.text + " = true; }\n";
                render(s.body, indent, out);
                out += pad + s.text + " = false;\n";
                break;
        }
    }
}

std::size_t count(const std::vector<RStmt>& body) {
    std::size_t n = 0;
    for (const auto& s : body) n += 1 + count(s.body) + count(s.other);
    return n;
}

/// Every way to remove one statement (or unwrap one compound statement) from `body`.
void one_smaller(const std::vector<RStmt>& body, std::vector<std::vector<RStmt>>& out) {
    for (std::size_t k = 0; k < body.size(); ++k) {
        auto removed = body;
        removed.erase(removed.begin() + static_cast<std::ptrdiff_t>(k));
        out.push_back(removed);
        if (body[k].kind != RStmt::Kind::simple) {
            auto unwrapped = body;
            unwrapped.erase(unwrapped.begin() + static_cast<std::ptrdiff_t>(k));
            unwrapped.insert(unwrapped.begin() + static_cast<std::ptrdiff_t>(k), body[k].body.begin(), body[k].body.end());
            out.push_back(unwrapped);
            for (auto part : {&RStmt::body, &RStmt::other}) {
                std::vector<std::vector<RStmt>> inner;
                one_smaller(body[k].*part, inner);
                for (auto& in : inner) {
                    auto changed = body;
                    changed[k].*part = std::move(in);
                    out.push_back(std::move(changed));
                }
            }
        }
    }
}

}  // namespace

std::string RModel::text() const {
    std::string out;
    for (const auto& d : decls) out += d + "\n";
    for (const auto& p : processes) {
        out += p.header + " {\n";
        for (const auto& l : p.locals) out += "    " + l + "\n";
        render(p.body, 1, out);
        out += "}\n";
    }
    for (const auto& p : properties) out += p + "\n";
    return out;
}

std::size_t RModel::size() const {
    std::size_t n = properties.size();
    for (const auto& p : processes) n += 1 + count(p.body);
    return n;
}

RModel random_model(std::uint64_t seed) { return Gen(seed).model(); }

RModel shrink(RModel m, const std::function<bool(const RModel&)>& still_fails) {
    for (bool progress = true; progress;) {
        progress = false;
        std::vector<RModel> candidates;
        for (std::size_t p = 0; p < m.processes.size(); ++p) {
            auto c = m;
            c.processes.erase(c.processes.begin() + static_cast<std::ptrdiff_t>(p));
            candidates.push_back(std::move(c));
        }
        for (std::size_t i = 0; i < m.properties.size(); ++i) {
            auto c = m;
            c.properties.erase(c.properties.begin() + static_cast<std::ptrdiff_t>(i));
            candidates.push_back(std::move(c));
        }
        for (std::size_t p = 0; p < m.processes.size(); ++p) {
            std::vector<std::vector<RStmt>> bodies;
            one_smaller(m.processes[p].body, bodies);
            for (auto& b : bodies) {
                auto c = m;
                c.processes[p].body = std::move(b);
                candidates.push_back(std::move(c));
            }
        }
        for (auto& c : candidates) {
            if (c.size() < m.size() && still_fails(c)) {
                m = std::move(c);
                progress = true;
                break;
            }
        }
    }
    return m;
}

}  // namespace iomc::testing
