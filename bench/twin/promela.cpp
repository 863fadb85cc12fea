// SPDX-License-Identifier: MIT
#include "bench/twin/promela.hpp"

#include <cctype>
#include <set>

#include <fmt/format.h>

#include "bench/twin/wp.hpp"

namespace iomc::bench::twin {

namespace {

using twin::Choices;
using twin::Context;
using twin::in_range;
using twin::k;
using twin::reachable;
using ir::Expr;
using ir::ExprOp;
using ir::Instr;
using ir::InstrKind;

std::string ident(const std::string& s) {
    std::string r;
    for (char c : s) r += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
    while (r.find("__") != std::string::npos) r.erase(r.find("__"), 1);
    while (!r.empty() && r.back() == '_') r.pop_back();
    return r;
}

/// Writes one model as Promela.
class Writer {
public:
    Writer(const Context& cx, Stats& stats) : cx_(cx), stats_(stats) {
        const auto& ts = cx.ts;
        const auto slots = ts.layout().slots();
        owner_.assign(slots.size(), UINT32_MAX);
        pc_of_.assign(slots.size(), UINT32_MAX);
        for (std::uint32_t p = 0; p < ts.processes().size(); ++p) pc_of_[ir::idx(ts.process(ir::ProcessId{p}).pc)] = p;
        // A slot is a local variable of its process when only that process's steps touch it
        // and no invariant reads it (SPIN's partial-order reduction counts on such locals).
        std::vector<std::uint32_t> toucher(slots.size(), UINT32_MAX);
        std::vector<char> shared(slots.size(), 0);
        for (const auto& g : ts.groups()) {
            auto mark = [&](const ir::SlotSet& set) {
                for (auto s : set.to_vector()) {
                    auto& t = toucher[ir::idx(s)];
                    if (t == UINT32_MAX) t = ir::idx(g.process);
                    else if (t != ir::idx(g.process)) shared[ir::idx(s)] = 1;
                }
            };
            mark(g.footprint.reads);
            mark(g.footprint.may_write);
        }
        for (const auto& p : ts.properties())
            for (const auto& c : p.checks)
                for (auto s : c.reads.to_vector()) shared[ir::idx(s)] = 1;
        for (std::size_t s = 0; s < slots.size(); ++s)
            if (slots[s].kind != ir::ValueKind::pc && slots[s].process != UINT32_MAX && !shared[s] &&
                (toucher[s] == UINT32_MAX || toucher[s] == slots[s].process))
                owner_[s] = slots[s].process;
        // A process whose location some expression tests (`p@label`) keeps it in a global
        // variable too: SPIN allows no remote reference inside a d_step.
        pc_var_.assign(ts.processes().size(), 0);
        const auto tests = [&](const Expr& e) { find_location_tests(e); };
        for (const auto& g : ts.groups())
            for (const auto& in : g.code.code) {
                tests(in.a);
                tests(in.target);
                if (in.has_result) tests(in.result);
            }
        for (const auto& p : ts.properties())
            for (const auto& c : p.checks) tests(c.expr);
        printer_.name = [this](std::uint32_t s) { return var(s); };
        printer_.at = [this](std::uint32_t pc, const std::vector<std::uint32_t>& locs) {
            std::string r;
            for (auto l : locs) r += fmt::format("{}{} == {}", r.empty() ? "" : " || ", var(pc), l);
            return r.empty() ? std::string("false") : "(" + r + ")";
        };
    }

    std::string run() {
        const auto& ts = cx_.ts;
        std::string out = header();
        for (std::size_t s = 0; s < ts.layout().slots().size(); ++s)
            if (owner_[s] == UINT32_MAX && (pc_of_[s] == UINT32_MAX ? ts.layout().slots()[s].kind != ir::ValueKind::pc
                                                                    : pc_var_[pc_of_[s]] != 0)) {
                out += declaration(static_cast<std::uint32_t>(s), "");
                ++stats_.globals;
            }
        for (std::uint32_t p = 0; p < ts.processes().size(); ++p) out += process(p);
        return out;
    }

private:
    void find_location_tests(const Expr& e) {
        if (e.op == ExprOp::at_loc) {
            const auto p = pc_of_[ir::idx(e.slot)];
            if (p == UINT32_MAX) throw Error("a location test of a slot that is not a process's pc");
            pc_var_[p] = 1;
        }
        for (const auto& kid : e.kids) find_location_tests(kid);
    }

    std::string var(std::uint32_t s) const {
        const auto& sl = cx_.ts.layout().slots()[s];
        if (sl.kind == ir::ValueKind::pc && !pc_var_[pc_of_[s]])
            throw Error(fmt::format("a step reads the pc '{}' as a value", sl.name));
        return fmt::format("v{}_{}", s, ident(sl.name));
    }
    std::string proc_name(std::uint32_t p) const {
        return fmt::format("p{}_{}", p, ident(cx_.ts.process(ir::ProcessId{p}).name));
    }

    std::string declaration(std::uint32_t s, const std::string& indent) const {
        const auto& sl = cx_.ts.layout().slots()[s];
        const char* type = (sl.lo >= -32768 && sl.hi <= 32767) ? "short" : "int";
        return fmt::format("{}{} {} = {};   /* {} */\n", indent, type, var(s), sl.init, sl.name);
    }

    std::string header() const {
        const auto& ts = cx_.ts;
        const auto& info = ts.info();
        std::string h = "/*\n * Promela twin of " + info.file;
        if (!info.variant.empty()) h += " --variant " + info.variant;
        for (const auto& d : info.defines) h += " -D " + d;
        h += ", written by iomc_bench_twin from iomc's IR.\n"
             " * One d_step per outcome of each step, guarded by the condition under which that outcome\n"
             " * happens; one label per control location (L<n>, end_L<n> where a deadlock is fine).\n"
             " * Without reductions pan stores as many states as `iomc check --no-por --symmetry off`.\n"
             " * Exact twin: spin -a -o2 -o3 twin.pml && cc -O2 -DNOREDUCE -o pan pan.c && ./pan -m10000000\n"
             " * (-o2 keeps SPIN from resetting dead local variables, -o3 from merging statements).\n */\n\n";
        return h;
    }

    std::string process(std::uint32_t p) {
        const auto& ts = cx_.ts;
        const auto& proc = ts.process(ir::ProcessId{p});
        std::string out = fmt::format("active proctype {}()\n{{\n", proc_name(p));
        for (std::size_t s = 0; s < owner_.size(); ++s)
            if (owner_[s] == p) {
                out += declaration(static_cast<std::uint32_t>(s), "    ");
                ++stats_.locals;
            }
        const auto init = static_cast<std::uint32_t>(ts.layout().slot(proc.pc).init);
        std::vector<std::uint32_t> order{init};
        for (std::uint32_t l = 0; l < proc.locations.size(); ++l)
            if (l != init) order.push_back(l);
        bool first = true;
        for (auto l : order) {
            if (!first) out += ";\n";
            first = false;
            out += location(p, l);
        }
        return out + "\n}\n\n";
    }

    std::string location(std::uint32_t p, std::uint32_t l) {
        const auto& proc = cx_.ts.process(ir::ProcessId{p});
        const auto& loc = proc.locations[l];
        std::string out = fmt::format("L{}: ", l);
        if (loc.valid_end) out += fmt::format("end_L{}: ", l);
        const auto g = proc.group_at[l];
        std::vector<std::string> options;
        if (g != ir::no_group) options = step_options(l, cx_.ts.group(g));
        if (options.empty()) return out + "false   /* " + (loc.terminal ? "finished" : "no step") + " */";
        out += "if\n";
        for (const auto& o : options) out += "    :: " + o + "\n";
        return out + "    fi";
    }

    std::vector<std::string> step_options(std::uint32_t l, const ir::TransitionGroup& g) {
        const std::string step = fmt::format("{} at {}", cx_.ts.process(g.process).name, g.text);
        const std::vector<Choices> all = twin::decisions(cx_, g.code, step);
        std::set<std::uint32_t> targets;
        for (const auto& in : g.code.code)
            if (in.kind == InstrKind::finish) targets.insert(in.t1);
        std::vector<std::string> out;
        for (std::size_t c = 0; c < all.size(); ++c)
            for (auto t : targets) {
                const Expr cond = twin::precondition(cx_, g.code, all[c], t, step);
                if (twin::is_false(cond)) continue;
                const std::string tag = fmt::format("L{}_{}_{}", l, c, t);
                out.push_back(fmt::format("d_step {{ {} ->\n{}        {}_end: skip\n      }}; goto L{}", printer_(cond),
                                          body(g, all[c], t, tag), tag, t));
                ++stats_.options;
            }
        return out;
    }

    /// The code of one outcome inside its d_step.
    std::string body(const ir::TransitionGroup& g, const Choices& c, std::uint32_t target, const std::string& tag) {
        const auto& code = g.code.code;
        const auto live = reachable(g.code, c);
        std::vector<char> labelled(code.size() + 1, 0);
        for (std::uint32_t i = 0; i < code.size(); ++i) {
            if (!live[i]) continue;
            const Instr& in = code[i];
            if (in.kind == InstrKind::jump) labelled[in.t1] = 1;
            if (in.kind == InstrKind::branch) labelled[in.t1] = labelled[in.t2] = 1;
            if (in.kind == InstrKind::fork) labelled[in.targets[static_cast<std::size_t>(c.at(i))]] = 1;
        }
        auto label = [&](std::uint32_t i) { return i >= code.size() ? tag + "_end" : fmt::format("{}_{}", tag, i); };
        const auto& P = printer_;
        std::string out;
        auto line = [&](const std::string& s) { out += "        " + s + ";\n"; };
        for (std::uint32_t i = 0; i < code.size(); ++i) {
            if (!live[i]) continue;
            if (labelled[i]) line(label(i) + ": skip");
            const Instr& in = code[i];
            switch (in.kind) {
                case InstrKind::note: break;
                case InstrKind::guard: line(P(in.a)); break;
                case InstrKind::assign: {
                    const auto& s = cx_.slot_of(in.target);
                    const Expr ok = in_range(in.a, s);
                    if (!twin::is_true(ok)) line(fmt::format("assert({})", P(ok)));
                    line(P.write(in.target, P(in.a)));
                    break;
                }
                case InstrKind::choose: line(P.write(in.target, P(k(c.at(i))))); break;
                case InstrKind::branch:
                    line(fmt::format("if :: {} -> goto {} :: else -> goto {} fi", P(in.a), label(in.t1), label(in.t2)));
                    break;
                case InstrKind::jump: line("goto " + label(in.t1)); break;
                case InstrKind::fork: line("goto " + label(in.targets[static_cast<std::size_t>(c.at(i))])); break;
                case InstrKind::check:
                    if (cx_.checks(in.prop)) line(fmt::format("assert({})", P(twin::mk_not(in.a))));
                    else if (in.stop) line(P(twin::mk_not(in.a)));
                    break;
                case InstrKind::lock:
                    if (cx_.checks(ir::prop_mutex)) line(fmt::format("assert({} != {})", P(in.target), in.self));
                    else line(fmt::format("{} == -1", P(in.target)));
                    line(P.write(in.target, fmt::format("{}", in.self)));
                    break;
                case InstrKind::unlock:
                    if (cx_.checks(ir::prop_mutex)) line(fmt::format("assert({} == {})", P(in.target), in.self));
                    line(P.write(in.target, "-1"));
                    break;
                case InstrKind::kref_init: line(P.write(in.target, "1")); break;
                case InstrKind::kref_get: {
                    if (cx_.checks(ir::prop_kref)) line(fmt::format("assert({} != 0)", P(in.target)));
                    const Expr inc = twin::mk_bin(ExprOp::add, in.target, k(1));
                    line(fmt::format("assert({} <= {})", P(inc), cx_.slot_of(in.target).hi));
                    line(P.write(in.target, P(inc)));
                    break;
                }
                case InstrKind::kref_put: {
                    std::string zero = cx_.checks(ir::prop_kref) ? "assert(false)" : "skip";
                    if (in.has_result) zero += "; " + P.write(in.result, "0");
                    std::string dec = P.write(in.target, P(twin::mk_bin(ExprOp::sub, in.target, k(1))));
                    if (in.has_result) dec += "; " + P.write(in.result, P(twin::mk_bin(ExprOp::eq, in.target, k(0))));
                    line(fmt::format("if :: {} == 0 -> {} :: else -> {} fi", P(in.target), zero, dec));
                    break;
                }
                case InstrKind::finish:
                    if (in.t1 != target) {
                        line("assert(false)   /* another outcome's end: the guard rules it out */");
                        break;
                    }
                    if (pc_var_[ir::idx(g.process)])
                        line(fmt::format("{} = {}", var(ir::idx(cx_.ts.process(g.process).pc)), in.t1));
                    if (g.visible) out += invariants();
                    line("goto " + label(static_cast<std::uint32_t>(code.size())));
                    break;
            }
        }
        return out;
    }

    /// The asserted invariants, checked after a step that writes a slot one of them reads.
    std::string invariants() const {
        std::string out;
        for (const auto& p : cx_.ts.properties())
            if (p.kind == ir::PropertyKind::invariant && cx_.checks(p.id))
                for (const auto& c : p.checks) out += fmt::format("        assert({});   /* {} */\n", printer_(c.expr), p.name);
        return out;
    }

    const Context& cx_;
    Stats& stats_;
    std::vector<std::uint32_t> owner_;  ///< per slot: the process it is local to, or UINT32_MAX
    std::vector<std::uint32_t> pc_of_;  ///< per slot: the process whose pc it is, or UINT32_MAX
    std::vector<char> pc_var_;          ///< per process: its location is a global variable too
    twin::Printer printer_;
};

}  // namespace

std::string write_promela(const ir::TransitionSystem& ts, const Options& options, Stats* stats) {
    Context cx{ts, std::vector<char>(ts.properties().size(), options.properties.empty() ? 1 : 0)};
    for (auto p : options.properties) cx.selected[ir::idx(p)] = 1;
    Stats local;
    const twin::RangeScope ranges(ts.layout());
    Writer w(cx, stats ? *stats : local);
    return w.run();
}

}  // namespace iomc::bench::twin
