// SPDX-License-Identifier: MIT
#include "checker/symbolic/encoder.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace iomc::symbolic {

namespace {

std::string group_name(const ir::TransitionSystem& ts, const ir::TransitionGroup& g) {
    return fmt::format("step '{}' of {}", g.text, ts.process(g.process).name);
}

}  // namespace

void Deadline::poll(const std::string& what) const {
    if (seconds_ <= 0) return;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >= seconds_)
        throw TimeUp(fmt::format("time limit {}s reached while encoding {}", seconds_, what));
}

bool Deadline::expired() const {
    return seconds_ > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >= seconds_;
}

std::optional<std::chrono::steady_clock::time_point> Deadline::when() const {
    if (seconds_ <= 0) return std::nullopt;
    return start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(seconds_));
}

z3::solver make_solver(z3::context& c) { return z3::solver(c, "QF_BV"); }

bool stopped_by_limit(const std::string& why) {
    return why == "timeout" || why == "canceled" || why == "interrupted";
}

struct Watchdog::State {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread t;
};

Watchdog::Watchdog(z3::context& c, const Deadline& deadline) : state_(std::make_unique<State>()) {
    const auto when = deadline.when();
    if (!when) return;
    State* st = state_.get();
    st->t = std::thread([st, &c, at = *when] {
        std::unique_lock<std::mutex> lock(st->m);
        if (!st->cv.wait_until(lock, at, [st] { return st->done; })) Z3_interrupt(c);
    });
}

Watchdog::~Watchdog() {
    if (!state_->t.joinable()) return;
    {
        const std::lock_guard<std::mutex> lock(state_->m);
        state_->done = true;
    }
    state_->cv.notify_one();
    state_->t.join();
}

Encoder::Encoder(z3::context& c, const ir::TransitionSystem& ts, Deadline deadline, const std::vector<char>& merge_for,
                 bool concurrent)
    : c_(c), ts_(ts), deadline_(deadline), cur_(fresh_state("cur_")), cur_vec_(c), nxt_(fresh_state("nxt_")),
      nxt_vec_(c), concurrent_(concurrent), psel_(c), prev_psel_(c) {
    for (const auto& e : cur_) cur_vec_.push_back(e);
    for (const auto& e : nxt_) nxt_vec_.push_back(e);
    const z3::expr ranges = in_range(cur_);
    for (const auto& g : ts.groups()) {
        const auto& proc = ts.process(g.process);
        const z3::expr at_loc = value(cur_, proc.pc) == c.bv_val(g.location, 64);
        outcomes_.push_back(
            execute_fragment(c, ts.layout(), g.program, cur_, at_loc, ranges, group_name(ts, g), deadline_));
    }
    if (!merge_for.empty()) merge_local_steps(merge_for);
    if (concurrent_) {
        build_concurrent_step();
    } else {
        build_step();
    }
}

void Encoder::build_step() {
    // Successor outcomes, numbered; the selector says which one a step takes.
    std::vector<const Outcome*> succ;
    for (const auto& outs : outcomes_)
        for (const auto& o : outs)
            if (o.successor) succ.push_back(&o);
    if (succ.empty()) {
        step_ = c_.bool_val(false);
        return;
    }
    unsigned w = 1;
    while ((std::uint64_t{1} << w) < succ.size()) ++w;
    sel_ = c_.bv_const("sel_", w);
    auto is = [&](std::size_t k) { return *sel_ == c_.bv_val(static_cast<std::uint64_t>(k), w); };
    z3::expr_vector all(c_);
    if ((std::uint64_t{1} << w) > succ.size()) all.push_back(z3::ule(*sel_, c_.bv_val(succ.size() - 1, w)));
    for (std::size_t k = 0; k < succ.size(); ++k) all.push_back(z3::implies(is(k), succ[k]->cond));
    const auto slots = ts_.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) continue;
        z3::expr v = cur_[i];
        for (std::size_t k = succ.size(); k-- > 0;)
            if (!z3::eq(succ[k]->next[i], cur_[i])) v = z3::ite(is(k), succ[k]->next[i], v);
        all.push_back(nxt_[i] == v);
    }
    step_ = z3::mk_and(all);
}

SymState Encoder::fresh_state(const std::string& prefix) const {
    SymState s;
    const auto slots = ts_.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) {
            s.push_back(c_.bv_val(0, 1));
        } else {
            s.push_back(c_.bv_const(fmt::format("{}{}", prefix, i).c_str(), slots[i].width));
        }
    }
    return s;
}

z3::expr Encoder::at(const z3::expr& e, const SymState& s) const {
    z3::expr_vector to(c_);
    for (const auto& x : s) to.push_back(x);
    z3::expr copy = e;
    return copy.substitute(cur_vec_, to);
}

z3::expr Encoder::value(const SymState& s, ir::SlotId slot) const {
    const auto& sl = ts_.layout().slot(slot);
    const z3::expr lo = c_.bv_val(static_cast<std::uint64_t>(static_cast<std::int64_t>(sl.lo)), 64);
    if (sl.width == 0) return lo;
    return z3::zext(s[ir::idx(slot)], 64 - sl.width) + lo;
}

z3::expr Encoder::initial(const SymState& s) const {
    z3::expr all = c_.bool_val(true);
    const auto slots = ts_.layout().slots();
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) continue;
        all = all && s[i] == c_.bv_val(static_cast<std::uint64_t>(slots[i].init - slots[i].lo), slots[i].width);
    }
    return all;
}

z3::expr Encoder::in_range(const SymState& s) const {
    z3::expr all = c_.bool_val(true);
    const auto slots = ts_.layout().slots();
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        if (slots[i].width == 0) continue;
        const auto top = static_cast<std::uint64_t>(static_cast<std::int64_t>(slots[i].hi) - slots[i].lo);
        if (top + 1 < (std::uint64_t{1} << slots[i].width)) all = all && z3::ule(s[i], c_.bv_val(top, slots[i].width));
    }
    return all;
}

z3::expr Encoder::transition(const SymState& s, const SymState& t, std::vector<z3::expr>* sels) const {
    if (!sel_ && psel_.empty()) return c_.bool_val(false);
    z3::expr_vector from(c_), to(c_);
    for (std::size_t i = 0; i < s.size(); ++i) {
        from.push_back(cur_vec_[static_cast<int>(i)]);
        to.push_back(s[i]);
        from.push_back(nxt_vec_[static_cast<int>(i)]);
        to.push_back(t[i]);
    }
    const std::uint64_t n = steps_made_++;
    auto fresh = [&](const z3::expr& sel, std::optional<std::size_t> k) {
        from.push_back(sel);
        const std::string name = k ? fmt::format("sel{}_{}_", n, *k) : fmt::format("sel{}_", n);
        const z3::expr f = c_.bv_const(name.c_str(), sel.get_sort().bv_size());
        to.push_back(f);
        if (sels) sels->push_back(f);
    };
    if (sel_) fresh(*sel_, std::nullopt);
    for (unsigned k = 0; k < psel_.size(); ++k) fresh(psel_[static_cast<int>(k)], k);
    z3::expr copy = *step_;
    return copy.substitute(from, to);
}

z3::expr Encoder::transition_or_stutter(const SymState& s, const SymState& t, const z3::expr& stutter,
                                        std::vector<z3::expr>* sels) const {
    z3::expr same = c_.bool_val(true);
    const auto slots = ts_.layout().slots();
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i].width > 0) same = same && t[i] == s[i];
    return z3::ite(stutter, same, transition(s, t, sels));
}

z3::expr Encoder::enabled(const SymState& s) const {
    z3::expr_vector any(c_);
    for (const auto& outs : outcomes_)
        for (const auto& o : outs)
            if (o.successor) any.push_back(o.cond);
    return at(z3::mk_or(any), s);
}

z3::expr Encoder::crashes(const SymState& s) const {
    z3::expr_vector any(c_);
    for (const auto& outs : outcomes_)
        for (const auto& o : outs)
            if (!o.successor && o.stops) any.push_back(o.cond);
    return at(z3::mk_or(any), s);
}

z3::expr Encoder::reports(const SymState& s, ir::PropertyId p) const {
    z3::expr_vector any(c_);
    for (const auto& outs : outcomes_)
        for (const auto& o : outs)
            if (!o.successor && o.prop == p) any.push_back(o.cond);
    return at(z3::mk_or(any), s);
}

z3::expr Encoder::all_at_valid_end(const SymState& s) const {
    z3::expr all = c_.bool_val(true);
    for (const auto& p : ts_.processes()) {
        z3::expr_vector ok(c_);
        for (std::uint32_t l = 0; l < p.locations.size(); ++l)
            if (p.locations[l].valid_end) ok.push_back(value(s, p.pc) == c_.bv_val(l, 64));
        all = all && z3::mk_or(ok);
    }
    return all;
}

z3::expr Encoder::check_fails(const SymState& s, const ir::InvariantCheck& ck) const {
    const ExprValue v = execute_expression(c_, ts_.layout(), ck.program, s, in_range(s),
                                           fmt::format("invariant check '{}'", ck.binding), deadline_);
    return v.error || v.value == c_.bv_val(0, 64);
}

void EngineContext::abandon(std::unique_ptr<z3::context> c) {
    static std::mutex lock;
    static std::vector<std::unique_ptr<z3::context>>* kept = new std::vector<std::unique_ptr<z3::context>>;
    const std::lock_guard<std::mutex> g(lock);
    kept->push_back(std::move(c));
}

}  // namespace iomc::symbolic
