// SPDX-License-Identifier: MIT
// The claims of audit.hpp as Z3 queries: each claim's negation over one symbolic state x (every
// slot in its range, the processes at the steps' locations) is satisfiable exactly when the
// claim fails; the model is the state that shows it, and the failing part is found again by
// evaluating each part of the negation in the model.
#include "checker/symbolic/audit.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "checker/reduce/por_tables.hpp"
#include "checker/symbolic/encoder.hpp"

namespace iomc::symbolic {

const char* claim_name(AuditClaim c) {
    switch (c) {
        case AuditClaim::independence: return "independence";
        case AuditClaim::pure_lock: return "pure lock";
        case AuditClaim::release: return "release";
        case AuditClaim::control_flow: return "control flow";
        case AuditClaim::bool_lock: return "bool lock";
    }
    return "?";
}

bool statically_independent(const ir::TransitionGroup& a, const ir::TransitionGroup& b) {
    const auto& fa = a.footprint;
    const auto& fb = b.footprint;
    return !fa.may_write.intersects(fb.reads) && !fa.may_write.intersects(fb.may_write) &&
           !fb.may_write.intersects(fa.reads);
}

namespace {

/// One part of a claim's negation and how to say it when the model makes it true.
struct Part {
    z3::expr holds;
    std::function<std::string(const z3::model&)> say;
};

}  // namespace

struct PorAuditor::Impl {
    // x is the encoder's own current state ("cur_<slot>": the same Z3 constants), so that the
    // outcomes need no substitution to be read over x.
    Impl(const ir::TransitionSystem& t, unsigned timeout_ms, const Deadline& deadline)
        : ts(t), dog(c, deadline), enc(c, t, deadline), x(enc.fresh_state("cur_")), xs(c), ranges(enc.in_range(x)), sol(c) {
        for (const auto& e : x) xs.push_back(e);
        if (timeout_ms > 0) {
            z3::params p(c);
            p.set("timeout", timeout_ms);
            sol.set(p);
        }
    }

    const ir::TransitionSystem& ts;
    z3::context c;
    Watchdog dog;
    Encoder enc;
    SymState x;
    z3::expr_vector xs;
    z3::expr ranges;
    z3::solver sol;
    std::uint64_t queries = 0;

    /// Slots as a bitset.
    using Bits = std::vector<std::uint64_t>;
    static bool meets(const Bits& a, const Bits& b) {
        for (std::size_t w = 0; w < a.size(); ++w)
            if ((a[w] & b[w]) != 0) return true;
        return false;
    }
    std::unordered_map<unsigned, std::uint32_t> slot_of;  ///< AST id of x[k] -> k

    /// The slots whose x constants occur in e.
    Bits reads_of(const z3::expr& e) {
        if (slot_of.empty())
            for (std::uint32_t k = 0; k < x.size(); ++k)
                if (x[k].is_const() && !x[k].is_numeral()) slot_of.emplace(Z3_get_ast_id(c, x[k]), k);
        Bits out((x.size() + 63) / 64, 0);
        std::unordered_set<unsigned> seen;
        std::vector<z3::expr> stack{e};
        while (!stack.empty()) {
            const z3::expr t = stack.back();
            stack.pop_back();
            if (!seen.insert(Z3_get_ast_id(c, t)).second || !t.is_app()) continue;
            if (t.num_args() == 0) {
                const auto it = slot_of.find(Z3_get_ast_id(c, t));
                if (it != slot_of.end()) out[it->second / 64] |= std::uint64_t{1} << (it->second % 64);
                continue;
            }
            for (unsigned a = 0; a < t.num_args(); ++a) stack.push_back(t.arg(a));
        }
        return out;
    }

    /// A group's outcomes over x: when each runs, and its successor (none for reports), with the
    /// slots the successor changes (term for term: next[k] is not x[k]) and the slots each term
    /// reads, so that a substitution that cannot change a term is never made.
    struct Paths {
        std::vector<z3::expr> cond;
        std::vector<Bits> cond_reads;
        std::vector<std::optional<SymState>> next;
        std::vector<std::vector<std::uint32_t>> written;
        std::vector<Bits> writes;                    ///< written, as a bitset
        std::vector<std::map<std::uint32_t, Bits>> next_reads;  ///< per written slot
        std::vector<std::optional<std::pair<z3::expr_vector, z3::expr_vector>>> sub;  ///< from x, to next
    };
    std::map<std::uint32_t, Paths> cache;

    const Paths& paths(ir::GroupId g) {
        auto it = cache.find(ir::idx(g));
        if (it != cache.end()) return it->second;
        Paths out;
        const Bits none((x.size() + 63) / 64, 0);
        for (const auto& o : enc.outcomes(g)) {
            out.cond.push_back(o.cond);
            out.cond_reads.push_back(reads_of(o.cond));
            out.written.emplace_back();
            out.writes.push_back(none);
            out.next_reads.emplace_back();
            if (!o.successor) {
                out.next.emplace_back();
                out.sub.emplace_back();
                continue;
            }
            out.next.emplace_back(o.next);
            z3::expr_vector from(c), to(c);
            for (std::uint32_t k = 0; k < o.next.size(); ++k) {
                if (z3::eq(o.next[k], x[k])) continue;
                out.written.back().push_back(k);
                out.writes.back()[k / 64] |= std::uint64_t{1} << (k % 64);
                out.next_reads.back().emplace(k, reads_of(o.next[k]));
                from.push_back(x[k]);
                to.push_back(o.next[k]);
            }
            out.sub.emplace_back(std::make_pair(std::move(from), std::move(to)));
        }
        return cache.emplace(ir::idx(g), std::move(out)).first->second;
    }

    /// `e` (over x, reading the slots `reads`) in the successor of path i of `p`.
    static z3::expr after(const z3::expr& e, const Bits& reads, const Paths& p, std::size_t i) {
        const auto& [from, to] = *p.sub[i];
        if (from.empty() || !meets(reads, p.writes[i])) return e;
        z3::expr copy = e;
        return copy.substitute(from, to);
    }

    /// Slot k of the successor of path j of `p` (x[k] if it leaves k alone) in the successor of
    /// path i of `q`.
    z3::expr slot_after(const Paths& p, std::size_t j, std::uint32_t k, const Paths& q, std::size_t i) {
        const auto r = p.next_reads[j].find(k);
        if (r == p.next_reads[j].end()) {
            const auto w = q.next_reads[i].find(k);
            return w == q.next_reads[i].end() ? x[k] : (*q.next[i])[k];
        }
        return after((*p.next[j])[k], r->second, q, i);
    }

    std::string step_name(ir::GroupId g) const {
        const auto& grp = ts.group(g);
        return fmt::format("{} '{}'", ts.process(grp.process).name, grp.text);
    }

    z3::expr at_location(ir::GroupId g) {
        const auto& grp = ts.group(g);
        return enc.value(x, ts.process(grp.process).pc) == c.bv_val(grp.location, 64);
    }

    /// Held by a process other than `self`. A bool lock (the only bool slot the reduction
    /// treats as a mutex) is held when true; its `bool lock` claims prove that then another
    /// process holds it (a process only takes it from a location that does not hold it).
    z3::expr held_by_other(std::uint32_t m, ir::ProcessId self) {
        const z3::expr v = enc.value(x, ir::SlotId{m});
        if (ts.layout().slots()[m].kind == ir::ValueKind::boolean) return v == c.bv_val(1, 64);
        return z3::sge(v, c.bv_val(0, 64)) && v != c.bv_val(ir::idx(self), 64);
    }

    /// The value of `e`, slot `slot`'s stored bits, in m.
    std::int64_t eval_expr(const z3::model& m, const z3::expr& e, std::uint32_t slot) const {
        const auto& sl = ts.layout().slots()[slot];
        if (sl.width == 0) return sl.lo;
        std::uint64_t raw = 0;
        if (!m.eval(e, true).is_numeral_u64(raw)) return sl.lo;
        return static_cast<std::int64_t>(raw) + sl.lo;
    }
    std::int64_t eval(const z3::model& m, const SymState& s, std::uint32_t slot) const {
        return eval_expr(m, s[slot], slot);
    }

    std::string shown(const z3::model& m, const SymState& s, std::uint32_t slot) const {
        return ts.layout().format(ir::SlotId{slot}, eval(m, s, slot));
    }

    /// Asks whether some part of `negation` can hold under `base`; fills f.
    void decide(AuditFinding& f, const z3::expr& base, const std::vector<Part>& negation,
                const std::vector<ir::GroupId>& shown_groups) {
        if (negation.empty()) {  // every part was the same term on both sides
            f.verdict = ClaimVerdict::proved;
            return;
        }
        ++queries;
        z3::expr_vector any(c);
        for (const auto& p : negation) any.push_back(p.holds);
        sol.push();
        sol.add(ranges && base && z3::mk_or(any));
        const auto r = sol.check();
        if (r == z3::unsat) {
            f.verdict = ClaimVerdict::proved;
        } else if (r == z3::unknown) {
            f.verdict = ClaimVerdict::unknown;
            const std::string why = sol.reason_unknown();
            f.problem = stopped_by_limit(why) ? "Z3 timed out" : fmt::format("Z3 gave up ({})", why);
        } else {
            f.verdict = ClaimVerdict::failed;
            std::set<std::uint32_t> slots;
            for (const auto g : shown_groups) {
                const auto& grp = ts.group(g);
                slots.insert(ir::idx(ts.process(grp.process).pc));
                for (const auto s : grp.footprint.reads.to_vector()) slots.insert(ir::idx(s));
                for (const auto s : grp.footprint.may_write.to_vector()) slots.insert(ir::idx(s));
            }
            if (f.mutex != UINT32_MAX) slots.insert(f.mutex);
            // Of the states that show it, the one closest to the initial values, slot by slot in
            // slot order: readable, and the same on every run.
            unsigned kept = 0;
            for (const auto s : slots) {
                const auto& sl = ts.layout().slots()[s];
                if (sl.width == 0) continue;
                sol.push();
                sol.add(x[s] == c.bv_val(static_cast<std::uint64_t>(sl.init - sl.lo), sl.width));
                if (sol.check() == z3::sat) ++kept;
                else sol.pop();
            }
            if (sol.check() != z3::sat && kept > 0) {  // a timeout in between: take the first model
                sol.pop(kept);
                kept = 0;
                sol.check();
            }
            const z3::model m = sol.get_model();
            for (const auto& p : negation)
                if (m.eval(p.holds, true).is_true()) {
                    f.problem = p.say(m);
                    break;
                }
            for (const auto s : slots) f.state.emplace_back(ts.layout().slots()[s].name, shown(m, x, s));
            if (kept > 0) sol.pop(kept);
        }
        sol.pop();
    }

};

PorAuditor::PorAuditor(const ir::TransitionSystem& ts, unsigned timeout_ms, double seconds)
    : impl_(std::make_unique<Impl>(ts, timeout_ms, Deadline(std::chrono::steady_clock::now(), seconds))) {}
PorAuditor::~PorAuditor() = default;

std::uint64_t PorAuditor::queries() const { return impl_->queries; }

void PorAuditor::set_timeout(unsigned timeout_ms) {
    z3::params p(impl_->c);
    p.set("timeout", timeout_ms == 0 ? UINT32_MAX : timeout_ms);
    impl_->sol.set(p);
}

AuditFinding PorAuditor::independence(ir::GroupId a, ir::GroupId b) {
    auto& I = *impl_;
    AuditFinding f;
    f.claim = AuditClaim::independence;
    f.a = a;
    f.b = b;
    const auto& pa = I.paths(a);
    const auto& pb = I.paths(b);
    const auto slots = I.ts.layout().slots();
    const std::string na = I.step_name(a), nb = I.step_name(b);
    std::vector<Part> neg;
    // One direction: after a path of `first`, each path of `second` runs exactly when it ran
    // before. And both orders of two successors end in the same state.
    using Paths = Impl::Paths;
    auto enabling = [&](const Paths& p1, const std::string& n1, const Paths& p2, const std::string& n2) {
        for (std::size_t i = 0; i < p1.cond.size(); ++i) {
            if (!p1.next[i]) continue;
            for (std::size_t j = 0; j < p2.cond.size(); ++j) {
                const z3::expr after = Impl::after(p2.cond[j], p2.cond_reads[j], p1, i);
                const z3::expr before = p2.cond[j];
                if (z3::eq(after, before)) continue;  // the same term: nothing to ask
                const bool report = !p2.next[j];
                neg.push_back(Part{p1.cond[i] && before && !after, [n1, n2, report](const z3::model&) {
                                       return fmt::format("{} disables {}: a path of {} that {} runs before it and "
                                                          "not after it",
                                                          n1, n2, n2, report ? "reports" : "has a successor");
                                   }});
                neg.push_back(Part{p1.cond[i] && !before && after, [n1, n2, report](const z3::model&) {
                                       return fmt::format("{} enables {}: a path of {} that {} runs after it and not "
                                                          "before it",
                                                          n1, n2, n2, report ? "reports" : "has a successor");
                                   }});
            }
        }
    };
    enabling(pa, na, pb, nb);
    enabling(pb, nb, pa, na);
    for (std::size_t i = 0; i < pa.cond.size(); ++i) {
        if (!pa.next[i]) continue;
        for (std::size_t j = 0; j < pb.cond.size(); ++j) {
            if (!pb.next[j]) continue;
            // Slots neither path changes are x's in both orders; compare the others.
            std::vector<std::uint32_t> touched = pa.written[i];
            touched.insert(touched.end(), pb.written[j].begin(), pb.written[j].end());
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
            std::vector<std::uint32_t> ks;
            std::vector<z3::expr> ab, ba;
            z3::expr_vector differs(I.c);
            for (const auto k : touched) {
                if (slots[k].width == 0) continue;
                z3::expr u = I.slot_after(pb, j, k, pa, i);
                z3::expr v = I.slot_after(pa, i, k, pb, j);
                if (z3::eq(u, v)) continue;
                differs.push_back(u != v);
                ks.push_back(k);
                ab.push_back(std::move(u));
                ba.push_back(std::move(v));
            }
            if (differs.empty()) continue;
            neg.push_back(Part{pa.cond[i] && pb.cond[j] && z3::mk_or(differs),
                               [&I, na, nb, ks, ab, ba](const z3::model& m) {
                                   std::size_t d = 0;
                                   while (d + 1 < ks.size() && I.eval_expr(m, ab[d], ks[d]) == I.eval_expr(m, ba[d], ks[d])) ++d;
                                   const auto k = ks[d];
                                   const auto& layout = I.ts.layout();
                                   return fmt::format("the two orders end in different states: {} is {} after {} "
                                                      "then {}, {} after {} then {}",
                                                      layout.slots()[k].name,
                                                      layout.format(ir::SlotId{k}, I.eval_expr(m, ab[d], k)), na, nb,
                                                      layout.format(ir::SlotId{k}, I.eval_expr(m, ba[d], k)), nb, na);
                               }});
        }
    }
    I.decide(f, I.at_location(a) && I.at_location(b), neg, {a, b});
    return f;
}

namespace {

/// A claim about step g while another process holds mutex m: each part of `neg` (one per path
/// of g that breaks the claim) must be impossible there.
template <class Auditor, class Parts>
AuditFinding held_claim(Auditor& I, AuditClaim claim, ir::GroupId g, std::uint32_t m, Parts&& parts) {
    AuditFinding f;
    f.claim = claim;
    f.a = g;
    f.mutex = m;
    const auto& p = I.paths(g);
    const std::string name = I.step_name(g);
    std::vector<Part> neg;
    for (std::size_t i = 0; i < p.cond.size(); ++i) parts(p, i, name, neg);
    I.decide(f, I.at_location(g) && I.held_by_other(m, I.ts.group(g).process), neg, {g});
    return f;
}

}  // namespace

AuditFinding PorAuditor::pure_lock(ir::GroupId g, std::uint32_t m) {
    auto& I = *impl_;
    // No path of g, a successor or a report, while m is held by another process.
    return held_claim(I, AuditClaim::pure_lock, g, m, [&I, m](const auto& p, std::size_t i, const std::string& name,
                                                              std::vector<Part>& neg) {
        const bool report = !p.next[i];
        neg.push_back(Part{p.cond[i], [&I, name, m, report](const z3::model& md) {
                               return fmt::format("{} {} while {} is {}", name, report ? "reports" : "has a successor",
                                                  I.ts.layout().slots()[m].name, I.shown(md, I.x, m));
                           }});
    });
}

AuditFinding PorAuditor::release(ir::GroupId g, std::uint32_t m) {
    auto& I = *impl_;
    // No successor of g changes m while another process holds it.
    return held_claim(I, AuditClaim::release, g, m, [&I, m](const auto& p, std::size_t i, const std::string& name,
                                                            std::vector<Part>& neg) {
        if (!p.next[i]) return;
        const SymState next = *p.next[i];
        neg.push_back(Part{p.cond[i] && next[m] != I.x[m], [&I, name, m, next](const z3::model& md) {
                               return fmt::format("{} changes {} from {} to {} with no unlock", name,
                                                  I.ts.layout().slots()[m].name, I.shown(md, I.x, m),
                                                  I.shown(md, next, m));
                           }});
    });
}

namespace {

/// A claim about every successor of step g from the states where `base` holds: part_for(cond,
/// next, name) is the part of the negation for one path with a successor (`name`: the step's).
template <class Auditor, class PartFor>
AuditFinding successor_claim(Auditor& I, AuditClaim claim, ir::GroupId g, std::uint32_t mutex, const z3::expr& base,
                             PartFor&& part_for) {
    AuditFinding f;
    f.claim = claim;
    f.a = g;
    f.mutex = mutex;
    const auto& p = I.paths(g);
    const std::string name = I.step_name(g);
    std::vector<Part> neg;
    for (std::size_t i = 0; i < p.cond.size(); ++i)
        if (p.next[i]) neg.push_back(part_for(p.cond[i], *p.next[i], name));
    I.decide(f, base, neg, {g});
    return f;
}

}  // namespace

AuditFinding PorAuditor::control_flow(ir::GroupId g, const std::vector<std::uint32_t>& targets) {
    auto& I = *impl_;
    const auto pc = I.ts.process(I.ts.group(g).process).pc;
    return successor_claim(I, AuditClaim::control_flow, g, UINT32_MAX, I.at_location(g),
                           [&](const z3::expr& cond, const SymState& next, const std::string& name) {
                               z3::expr elsewhere = I.c.bool_val(true);
                               for (const auto t : targets)
                                   elsewhere = elsewhere && I.enc.value(next, pc) != I.c.bv_val(t, 64);
                               return Part{cond && elsewhere, [&I, name, pc, next](const z3::model& md) {
                                               return fmt::format("{} moves its process to location {}, which its "
                                                                  "control-flow graph does not list",
                                                                  name, I.eval(md, next, ir::idx(pc)));
                                           }};
                           });
}

AuditFinding PorAuditor::bool_lock(ir::GroupId g, std::uint32_t m,
                                   const std::vector<std::vector<std::uint32_t>>& holding) {
    auto& I = *impl_;
    const auto& lock = I.ts.layout().slots()[m];
    const z3::expr one = I.c.bv_val(1, 64), zero = I.c.bv_val(0, 64);
    // The number of processes at a location that holds m equals m (true: 1).
    auto invariant = [&](const SymState& s) {
        z3::expr holders = zero;
        for (std::uint32_t q = 0; q < holding.size(); ++q) {
            z3::expr at = I.c.bool_val(false);
            const z3::expr pc = I.enc.value(s, I.ts.process(ir::ProcessId{q}).pc);
            for (const auto l : holding[q]) at = at || pc == I.c.bv_val(l, 64);
            holders = holders + z3::ite(at, one, zero);
        }
        return holders == z3::ite(I.enc.value(s, ir::SlotId{m}) == one, one, zero);
    };
    return successor_claim(I, AuditClaim::bool_lock, g, m, I.at_location(g) && invariant(I.x),
                           [&](const z3::expr& cond, const SymState& next, const std::string& name) {
                               return Part{cond && !invariant(next), [&I, name, m, next, lock](const z3::model& md) {
                                               return fmt::format("{} leaves {} {} with the wrong number of "
                                                                  "processes at locations that hold it",
                                                                  name, lock.name, I.shown(md, next, m));
                                           }};
                           });
}

AuditResult audit_por(const ir::TransitionSystem& ts, const AuditOptions& o) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    AuditResult r;
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    try {
        PorAuditor au(ts, 0, o.time_limit);
        const reduce::PorTables tables(ts);
        auto take = [&](AuditCounts& n, AuditFinding f) {
            ++n.audited;
            if (f.verdict == ClaimVerdict::proved) ++n.proved;
            if (f.verdict == ClaimVerdict::failed) r.failed.push_back(std::move(f));
            else if (f.verdict == ClaimVerdict::unknown) r.unknown.push_back(std::move(f));
        };
        auto out_of_time = [&] {
            if (o.time_limit <= 0) return false;
            const double left = o.time_limit - elapsed();
            if (left <= 0) r.time_out = true;
            else au.set_timeout(static_cast<unsigned>(left * 1000) + 1);
            return r.time_out;
        };
        const auto groups = ts.groups();
        // Per bool lock, per process: the locations that hold it.
        const auto& bl = tables.bool_locks();
        std::vector<std::vector<std::vector<std::uint32_t>>> holding(bl.slots().size());
        for (std::size_t k = 0; k < bl.slots().size(); ++k) {
            holding[k].resize(ts.processes().size());
            for (std::uint32_t p = 0; p < ts.processes().size(); ++p)
                for (std::uint32_t l = 0; l < ts.processes()[p].locations.size(); ++l)
                    if ((bl.held(p, l) >> k & 1U) != 0) holding[k][p].push_back(l);
        }
        for (const auto& g : groups) {
            if (out_of_time()) break;
            const auto p = ir::idx(g.process);
            const auto nx = tables.next(p, g.location);
            take(r.control_flow, au.control_flow(g.id, std::vector<std::uint32_t>(nx.begin(), nx.end())));
            const auto m = tables.lock_target(p, g.location);
            if (m != UINT32_MAX) take(r.pure_lock, au.pure_lock(g.id, m));
            ir::SlotSet unlocked;
            for (const auto& in : g.code.code)
                if (in.kind == ir::InstrKind::unlock) ir::lvalue_slots(in.target, unlocked);
            if (const auto b = bl.releases(p, g.location); b != UINT32_MAX) unlocked.insert(ir::SlotId{b});
            for (std::size_t k = 0; k < bl.slots().size(); ++k) take(r.bool_lock, au.bool_lock(g.id, bl.slots()[k], holding[k]));
            for (const auto mx : tables.mutexes())
                if (g.footprint.may_write.contains(ir::SlotId{mx}) && !unlocked.contains(ir::SlotId{mx}))
                    take(r.release, au.release(g.id, mx));
        }
        for (std::size_t i = 0; i < groups.size() && !r.time_out; ++i)
            for (std::size_t j = i + 1; j < groups.size(); ++j) {
                if (groups[i].process == groups[j].process) continue;
                if (!statically_independent(groups[i], groups[j])) {
                    ++r.dependent_pairs;
                    continue;
                }
                if (out_of_time()) break;
                take(r.independence, au.independence(groups[i].id, groups[j].id));
            }
        r.queries = au.queries();
    } catch (const TimeUp& e) {
        r.time_out = true;
        r.time_out_reason = e.what();
    } catch (const Unsupported& e) {
        r.unsupported = e.what();
    } catch (const z3::exception& e) {
        r.solver_error = e.msg();
    }
    r.seconds = elapsed();
    return r;
}

}  // namespace iomc::symbolic
