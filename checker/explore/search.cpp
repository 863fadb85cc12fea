// SPDX-License-Identifier: MIT
#include "checker/explore/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "checker/explore/paths.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/ir/interp.hpp"
#include "checker/reduce/por_check.hpp"
#include "checker/reduce/stubborn_set.hpp"
#include "checker/support/check.hpp"

namespace iomc::explore {

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::holds: return "holds";
        case Verdict::violated: return "violated";
        case Verdict::incomplete: return "incomplete";
    }
    return "incomplete";
}

std::string limit_reason(const Limits& limits, const std::atomic<bool>* cancel, double seconds, std::uint64_t memory) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return "interrupted";
    if (limits.time_limit > 0 && seconds >= limits.time_limit) return fmt::format("time limit {}s reached", limits.time_limit);
    if (limits.max_memory && memory >= limits.max_memory)
        return fmt::format("memory limit {} bytes reached", limits.max_memory);
    return {};
}

std::string format_ratio(const Ratio& r) {
    if (r.num % r.den == 0) return fmt::format("{}", r.num / r.den);
    std::string s = fmt::format("{:.3f}", r.value());
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
}

std::optional<Ratio> evaluate_metric(ir::Interpreter& in, const ir::Metric& m, const std::uint8_t* s) {
    const auto v = in.eval(m.value_program, s);
    if (!v.ok) return std::nullopt;
    Ratio r{v.value, 1};
    if (m.per) {
        const auto d = in.eval(m.per_program, s);
        if (!d.ok || d.value == 0) return std::nullopt;
        r.den = d.value;
        if (r.den < 0) {
            r.den = -r.den;
            r.num = -r.num;
        }
    }
    return r;
}

namespace {

constexpr std::uint32_t no_parent = UINT32_MAX;

/// A growable array of uint32 in fixed 64K-entry chunks: no 2x slack or copying on growth.
class ChunkedVector {
public:
    void push_back(std::uint32_t v) {
        if ((size_ >> shift) == chunks_.size()) chunks_.push_back(std::make_unique<std::uint32_t[]>(std::size_t{1} << shift));
        chunks_[size_ >> shift][size_ & mask] = v;
        ++size_;
    }
    std::uint32_t operator[](std::uint32_t i) const { return chunks_[i >> shift][i & mask]; }
    [[nodiscard]] std::uint64_t memory_bytes() const { return chunks_.size() * (std::size_t{1} << shift) * 4; }

private:
    static constexpr std::uint32_t shift = 16;
    static constexpr std::uint32_t mask = (1U << shift) - 1;
    std::vector<std::unique_ptr<std::uint32_t[]>> chunks_;
    std::uint32_t size_ = 0;
};

class Search {
public:
    Search(const ir::TransitionSystem& ts, const Options& o)
        : ts_(ts), o_(o), store_(ts.layout().bytes()), interp_(ts), start_(Clock::now()) {
        const auto nprops = ts.properties().size();
        selected_.assign(nprops, o.properties.empty());
        for (const auto p : o.properties) selected_[ir::idx(p)] = true;
        selected_[ir::idx(ir::prop_runtime_error)] = true;
        found_.assign(nprops, false);
        for (const auto& p : ts.properties())
            if (selected_[ir::idx(p.id)] && p.kind == ir::PropertyKind::invariant) invariants_.push_back(&p);
        check_deadlock_ = selected_[ir::idx(ir::prop_deadlock)];
        for (const auto& m : ts.metrics()) metrics_.push_back(MetricResult{m.name});
        for (std::size_t i = 0; i < nprops; ++i) remaining_ += selected_[i] ? 1 : 0;
        scratch_.resize(ts.state_buffer_size());
        if (o.symmetry != reduce::SymmetryMode::off) setup_symmetry();
        if (o.por) {
            if (ts.processes().size() > reduce::StubbornSets::max_processes) {
                reductions_.por_off = fmt::format("more than {} processes", reduce::StubbornSets::max_processes);
            } else {
                por_tables_ = std::make_unique<reduce::PorTables>(ts);
                const std::size_t words = por_tables_->words();
                std::vector<std::uint64_t> checks;
                for (const auto* p : invariants_)
                    for (const auto& c : p->checks) {
                        checks.resize(checks.size() + words, 0);
                        for (const auto slot : c.reads.to_vector())
                            checks[checks.size() - words + ir::idx(slot) / 64] |= std::uint64_t{1} << (ir::idx(slot) % 64);
                    }
                por_ = std::make_unique<reduce::StubbornSets>(ts, *por_tables_, interp_, std::move(checks));
                reductions_.por = true;
            }
        }
    }

    Result run() {
        Result r;
        ts_.initial_state(scratch_.data());
        add_state(stored_form(scratch_.data()), no_parent, 0);
        bool stopped = done_;
        if (!stopped) stopped = o_.strategy == Strategy::bfs ? bfs() : dfs();
        r.complete = !stopped;
        finish_stats(r.stats);
        for (std::uint32_t i = 0; i < ts_.properties().size(); ++i) {
            if (!selected_[i]) continue;
            PropertyResult pr;
            pr.property = ir::PropertyId{i};
            if (found_[i]) {
                pr.verdict = Verdict::violated;
                for (const auto& cx : violations_)
                    if (ir::idx(cx.violation.property) == i) pr.counterexample = cx;
            } else {
                pr.verdict = r.complete ? Verdict::holds : Verdict::incomplete;
            }
            r.properties.push_back(std::move(pr));
        }
        if (!violations_.empty()) {
            r.verdict = Verdict::violated;
            r.counterexample = violations_.front();
        } else {
            r.verdict = r.complete ? Verdict::holds : Verdict::incomplete;
        }
        r.incomplete_reason = reason_;
        r.metrics = metrics_;
        if (por_) {
            reductions_.por_expanded = por_->stats().expanded;
            reductions_.por_reduced = por_->stats().reduced;
            reductions_.por_proviso = por_->stats().proviso;
        }
        if (canon_) reductions_.sym_heuristic = canon_->stats().heuristic;
        r.reductions = reductions_;
        r.self_check_failure = self_check_failure_;
        if (!self_check_failure_.empty() && r.verdict == Verdict::holds) r.verdict = Verdict::incomplete;
        return r;
    }

private:
    using Clock = std::chrono::steady_clock;
    const ir::TransitionSystem& ts_;
    const Options& o_;
    StateStore store_;
    ir::Interpreter interp_;
    Clock::time_point start_;
    Clock::time_point last_progress_ = Clock::now();
    std::vector<std::uint8_t> scratch_;
    std::vector<char> selected_, found_;
    std::unique_ptr<reduce::PorTables> por_tables_;
    std::unique_ptr<reduce::StubbornSets> por_;
    std::unique_ptr<reduce::PorSelfCheck> por_check_;
    std::unique_ptr<reduce::Canonicalizer> canon_;  ///< null without symmetry reduction
    std::vector<std::uint8_t> canon_buf_;
    Reductions reductions_;
    std::string self_check_failure_;
    std::vector<const ir::Property*> invariants_;
    bool check_deadlock_ = false;
    std::size_t remaining_ = 0;
    /// Parent of each state (no_parent for the initial one). The step between parent and child
    /// is not stored: counterexample() finds it again by firing the parent, which keeps 4 bytes per
    /// state instead of 12.
    ChunkedVector parent_;
    /// DFS only: depth of each state along the DFS tree. BFS depth is the level, counted.
    ChunkedVector depth_;
    std::uint32_t level_end_ = 1;   ///< BFS: index one past the last state of the current level
    std::uint32_t level_ = 0;
    std::vector<traces::Counterexample> violations_;
    std::uint64_t transitions_ = 0;
    std::uint64_t max_depth_ = 0;
    bool done_ = false;        ///< every checked property violated, or stop_at_first hit
    bool full_ = false;        ///< the state limit is reached: successors are no longer stored
    bool overflow_ = false;    ///< a new state was found past the limit
    std::string reason_;

    std::uint64_t memory() const { return store_.memory_bytes() + parent_.memory_bytes() + depth_.memory_bytes(); }

    void setup_symmetry() {
        const auto& sym = ts_.symmetry();
        for (const auto& sc : sym.scalarsets) {
            if (sc.breaches.empty() || sc.size < 2) continue;
            const auto& b = sc.breaches.front();
            reductions_.asymmetric.push_back(
                fmt::format("{}: {} ({})", sc.name, b.what, ts_.sources().location(b.where)));
        }
        auto c = std::make_unique<reduce::Canonicalizer>(ts_, o_.symmetry);
        if (!c->active()) return;
        for (const auto k : c->reduced())
            reductions_.symmetric.push_back(fmt::format("{} ({})", sym.scalarsets[k].name, sym.scalarsets[k].size));
        reductions_.symmetry = o_.symmetry;
        canon_ = std::move(c);
        canon_buf_.resize(ts_.state_buffer_size());
    }

    /// The form a state is stored in: its representative with symmetry reduction, else itself.
    /// The result is valid until the next call.
    const std::uint8_t* stored_form(const std::uint8_t* s) {
        if (!canon_) return s;
        canon_->canonicalize(s, canon_buf_.data());
        return canon_buf_.data();
    }

    /// The counterexample that ends at stored state i with violation v: the chain of parents,
    /// realized as a run of the unreduced model (paths.hpp).
    traces::Counterexample counterexample(std::uint32_t i, const traces::Violation& v) {
        std::vector<const std::uint8_t*> chain;
        for (std::uint32_t x = i; x != no_parent; x = parent_[x]) chain.push_back(store_.get(x));
        std::reverse(chain.begin(), chain.end());
        std::vector<std::uint8_t> last;
        reduce::Canonicalizer* canon = nullptr;
        std::unique_ptr<reduce::Canonicalizer> own;
        if (canon_) {
            own = std::make_unique<reduce::Canonicalizer>(ts_, o_.symmetry);
            canon = own.get();
        }
        traces::Counterexample cx{realize_path(ts_, chain, canon, last), v};
        if (canon) realize_violation(ts_, last.data(), cx);
        return cx;
    }

    void record(traces::Counterexample cx) {
        const auto p = ir::idx(cx.violation.property);
        if (!selected_[p] || found_[p]) return;
        found_[p] = true;
        violations_.push_back(std::move(cx));
        --remaining_;
        if (o_.stop_at_first || remaining_ == 0) done_ = true;
    }

    /// Stores a state if new; checks invariants on it. Returns its index and whether it was new.
    std::pair<std::uint32_t, bool> add_state(const std::uint8_t* s, std::uint32_t parent, std::uint32_t depth) {
        auto [i, fresh] = store_.insert(s);
        if (!fresh) return {i, false};
        parent_.push_back(parent);
        if (o_.strategy == Strategy::dfs) depth_.push_back(depth);
        max_depth_ = std::max<std::uint64_t>(max_depth_, depth);
        for (const auto* p : invariants_) {
            if (found_[ir::idx(p->id)]) continue;
            for (std::uint32_t c = 0; c < p->checks.size(); ++c) {
                const auto res = interp_.eval(p->checks[c].program, s);
                if (!res.ok) {
                    // An invariant that cannot be evaluated (say it indexes with none) is a model
                    // bug; it counts against the invariant, with the runtime message.
                    traces::Violation v{p->id, traces::ViolationKind::in_state};
                    v.check = c;
                    v.eval_error = true;
                    v.message = res.message;
                    v.value = res.detail;
                    record(counterexample(i, v));
                    break;
                }
                if (res.value == 0) {
                    traces::Violation v{p->id, traces::ViolationKind::in_state};
                    v.check = c;
                    record(counterexample(i, v));
                    break;
                }
            }
        }
        return {i, true};
    }

    /// Checks limits; returns true (and sets the reason) when the search must stop.
    bool limited() {
        if (o_.cancel && o_.cancel->load(std::memory_order_relaxed)) {
            reason_ = "interrupted";  // before the state limit, as a Ctrl-C should read
            return true;
        }
        const auto& l = o_.limits;
        if (overflow_) {
            reason_ = fmt::format("state limit {} reached", l.max_states);
            return true;
        }
        if (store_.size() >= StateStore::max_states - 1024) {
            reason_ = "the state store is full (2^32 states)";
            return true;
        }
        {
            const auto now = Clock::now();
            const double secs = std::chrono::duration<double>(now - start_).count();
            reason_ = limit_reason(l, o_.cancel, secs, memory());
            if (!reason_.empty()) return true;
            if (o_.progress && std::chrono::duration<double>(now - last_progress_).count() >= 0.5) {
                last_progress_ = now;
                Progress p;
                p.states = store_.size();
                p.transitions = transitions_;
                p.depth = max_depth_;
                p.memory = memory();
                p.seconds = secs;
                p.queue = queue_hint_;
                o_.progress(p);
            }
        }
        return false;
    }

    std::uint64_t queue_hint_ = 0;
    std::uint64_t expanded_ = 0;
    std::vector<MetricResult> metrics_;

    void measure(const std::uint8_t* s) {
        const auto ms = ts_.metrics();
        for (std::size_t k = 0; k < ms.size(); ++k) {
            auto& mr = metrics_[k];
            const auto r = evaluate_metric(interp_, ms[k], s);
            if (!r) {
                ++mr.undefined;
                continue;
            }
            if (mr.end_states == 0 || r->less(mr.min)) mr.min = *r;
            if (mr.end_states == 0 || mr.max.less(*r)) mr.max = *r;
            ++mr.end_states;
        }
    }

    /// Expands state i: stores successors, records violations; calls on_new(index) for new ones.
    template <class OnNew>
    void expand(std::uint32_t i, OnNew&& on_new) {
        // Copy: the store may not move states, but the callback writes into scratch.
        std::memcpy(scratch_.data(), store_.get(i), ts_.layout().bytes());
        const std::uint32_t d = o_.strategy == Strategy::dfs ? depth_[i] : level_;
        bool any = false;
        bool crashed = false;  // a path ended in a runtime error or a hang: not a deadlock
        // Returns true when a successor closes a cycle of the reduced graph (the cycle proviso:
        // it was discovered no later than state i).
        auto on_emission = [&](ir::GroupId g, const ir::Emission& e) -> bool {
            if (done_) return false;
            const ir::Step st{g, e.index};
            if (e.next == nullptr) {
                crashed = crashed || e.stops;
                if (!selected_[ir::idx(e.prop)] || found_[ir::idx(e.prop)]) return false;
                traces::Violation v{e.prop, traces::ViolationKind::on_step};
                v.message = e.message;
                v.value = e.value;
                auto cx = counterexample(i, v);
                if (!canon_) cx.trace.steps.push_back(st);  // with symmetry, realize_violation found it
                record(std::move(cx));
                return false;
            }
            any = true;
            const std::uint8_t* next = stored_form(e.next);
            if (full_) {
                // At the state limit: a successor already stored is fine; a new one means the
                // space is larger than the limit, and the run is incomplete.
                const auto found = store_.find(next);
                if (!found) overflow_ = true;
                return found && *found <= i;
            }
            ++transitions_;
            auto [j, fresh] = add_state(next, i, d + 1);
            if (fresh) on_new(j);
            if (fresh && o_.limits.max_states && store_.size() >= o_.limits.max_states) full_ = true;
            return !fresh && j <= i;
        };
        if (por_) {
            auto closes = [&](const std::uint8_t* next) {
                const auto j = store_.find(stored_form(next));
                return j && *j <= i;
            };
            por_->expand(scratch_.data(), closes, on_emission);
            if (o_.por_check && self_check_failure_.empty()) {
                if (!por_check_) por_check_ = std::make_unique<reduce::PorSelfCheck>(ts_);
                self_check_failure_ = por_check_->check(*por_, scratch_.data());
                if (!self_check_failure_.empty()) done_ = true;
            }
        } else {
            interp_.successors(scratch_.data(), on_emission);
        }
        if (!any && !crashed && !metrics_.empty() && ts_.all_at_valid_end(scratch_.data())) measure(scratch_.data());
        if (!any && !crashed && check_deadlock_ && !done_ && !found_[ir::idx(ir::prop_deadlock)] &&
            !ts_.all_at_valid_end(scratch_.data())) {
            record(counterexample(i, {ir::prop_deadlock, traces::ViolationKind::deadlock}));
        }
    }

    /// Returns true if stopped early (limit or done).
    bool bfs() {
        for (std::uint32_t head = 0; head < store_.size(); ++head) {
            if (head == level_end_) {
                ++level_;
                level_end_ = store_.size();
            }
            if (done_) return true;
            if ((head & 255U) == 0 && limited()) return true;
            if (overflow_ && limited()) return true;
            queue_hint_ = store_.size() - head;
            expand(head, [](std::uint32_t) {});
        }
        if (overflow_) return limited();
        return done_;
    }

    bool dfs() {
        std::vector<std::uint32_t> stack{0};
        std::vector<std::uint32_t> fresh;
        while (!stack.empty()) {
            if (done_) return true;
            if (((++expanded_ & 255U) == 0 || overflow_) && limited()) return true;
            queue_hint_ = stack.size();
            const std::uint32_t i = stack.back();
            stack.pop_back();
            fresh.clear();
            expand(i, [&](std::uint32_t j) { fresh.push_back(j); });
            // Push in reverse so the first successor is explored first.
            for (auto it = fresh.rbegin(); it != fresh.rend(); ++it) stack.push_back(*it);
        }
        if (overflow_) return limited();
        return done_;
    }

    void finish_stats(Stats& s) const {
        s.states = store_.size();
        s.transitions = transitions_;
        s.depth = max_depth_;
        s.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        s.memory = memory();
        s.state_bytes = ts_.layout().bytes();
    }
};

}  // namespace

Result check(const ir::TransitionSystem& ts, const Options& options) {
    Search s(ts, options);
    return s.run();
}

}  // namespace iomc::explore
