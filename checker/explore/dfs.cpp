// SPDX-License-Identifier: MIT
/// @file Depth-first search, sequential: a stack of stored states, a parent link and a depth per
/// state. The stored cycle proviso of partial-order reduction asks whether a successor was
/// stored before the state being expanded (its index is not larger): every cycle of the reduced
/// graph has such an edge. The static one asks nothing of the search.
#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "checker/explore/bfs.hpp"
#include "checker/explore/chunked.hpp"
#include "checker/explore/expander.hpp"
#include "checker/explore/paths.hpp"
#include "checker/explore/state_store.hpp"

namespace iomc::explore {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t no_parent = UINT32_MAX;

class Dfs {
public:
    explicit Dfs(const Plan& plan)
        : plan_(plan),
          o_(plan.options),
          log_(plan),
          budget_(o_.limits.max_memory, MemoryBudget::process_base(o_.limits.max_memory)),
          store_(plan.ts.layout().bytes(), &budget_),
          w_(plan),
          start_(Clock::now()) {}

    Result run() {
        std::vector<std::uint8_t> init(plan_.ts.state_buffer_size());
        plan_.ts.initial_state(init.data());
        const std::uint8_t* first = w_.stored_form(init.data());
        add(first, store_.hash(first), no_parent, 0);
        bool stopped = log_.done() || !reason_.empty();
        std::vector<std::uint32_t> stack{0};
        while (!stopped && !stack.empty()) {
            if ((++expanded_ & 255U) == 0 && limited(stack.size())) break;
            const std::uint32_t i = stack.back();
            stack.pop_back();
            fresh_.clear();
            Host h{*this, i};
            w_.expand(store_.get(i), log_, h);
            if (!w_.self_check_failure.empty()) log_.stop();
            // Push in reverse so the first successor is explored first.
            for (auto it = fresh_.rbegin(); it != fresh_.rend(); ++it) stack.push_back(*it);
            stopped = log_.done() || !reason_.empty();
        }
        if (!stopped && !stack.empty()) stopped = true;  // limited() set the reason
        stopped = stopped || !reason_.empty();
        Result r;
        log_.fill(r, !stopped);
        r.complete = !stopped;
        r.incomplete_reason = reason_;
        r.stats.states = store_.size();
        r.stats.transitions = w_.transitions;
        r.stats.depth = max_depth_;
        r.stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        r.stats.memory = budget_.used();
        r.stats.state_bytes = plan_.ts.layout().bytes();
        r.metrics = w_.metrics;
        r.scalarset_use = w_.use.result();
        r.reductions = plan_.reductions;
        w_.add_counts_to(r);
        if (!r.self_check_failure.empty() && r.verdict == Verdict::holds) r.verdict = Verdict::incomplete;
        return r;
    }

private:
    struct Host {
        Dfs& d;
        std::uint32_t from;
        bool stopped() const { return d.log_.done() || !d.reason_.empty(); }
        void report(const ir::Step& st, const ir::Emission& e) {
            d.log_.record(make_counterexample(d.plan_, d.chain(from), step_violation(e), st));
        }
        void deadlock(bool wait_cycle) {
            d.log_.record(make_counterexample(d.plan_, d.chain(from), deadlock_violation(wait_cycle)));
        }
        static bool fetches_early() { return true; }
        void prefetch(const std::uint8_t* next, Lookup& l) { d.store_.prefetch(l.hash_in(d.store_, next)); }
        bool closes(const std::uint8_t* next, Lookup& l) { return l.stored_in(d.store_, next) && l.ref <= from; }
        void self_loop() {
            if (!d.o_.limits.max_states || d.store_.size() < d.o_.limits.max_states) ++d.w_.transitions;
        }
        void successor(const std::uint8_t* next, const Lookup& l) {
            if (d.o_.limits.max_states && d.store_.size() >= d.o_.limits.max_states) {
                // At the state limit: a successor already stored is fine; a new one means the
                // space is larger than the limit, and the run is incomplete.
                if (!d.store_.find(next)) d.halt(fmt::format("state limit {} reached", d.o_.limits.max_states));
                return;
            }
            ++d.w_.transitions;
            if (l.found) return;  // stored already when the cycle proviso looked it up
            d.add(next, l.hash_of(d.store_, next), from, d.depth_[from] + 1);
        }
    };

    /// Stores `s` (of hash `h`) unless present, and pushes it if new.
    void add(const std::uint8_t* s, std::uint64_t h, std::uint32_t parent, std::uint32_t depth) {
        if (store_.size() >= StateStore::max_states - 1024) return halt("the state store is full (2^32 states)");
        const auto ins = store_.insert(s, h);
        if (ins.refused) return halt(memory_limit_reason(o_.limits));
        if (!ins.fresh) return;
        if (!parent_.push_back(parent, &budget_) || !depth_.push_back(depth, &budget_))
            return halt(memory_limit_reason(o_.limits));
        max_depth_ = std::max<std::uint64_t>(max_depth_, depth);
        fresh_.push_back(ins.index);
        for (const auto& v : w_.check_invariants(store_.get(ins.index), log_))
            log_.record(make_counterexample(plan_, chain(ins.index), v));
    }

    StoredChain chain(std::uint32_t i) const {
        std::vector<std::uint32_t> refs;
        for (std::uint32_t x = i; x != no_parent; x = parent_[x]) refs.push_back(x);
        std::reverse(refs.begin(), refs.end());
        StoredChain c;
        for (const auto x : refs) c.forms.emplace_back(store_.get(x), store_.get(x) + plan_.ts.layout().bytes());
        return c;
    }

    void halt(const std::string& why) {
        if (reason_.empty()) reason_ = o_.cancel && o_.cancel->load() ? "interrupted" : why;
    }

    bool limited(std::uint64_t queue) {
        const auto now = Clock::now();
        const double secs = std::chrono::duration<double>(now - start_).count();
        const auto why = limit_reason(o_.limits, o_.cancel, secs, budget_.used());
        if (!why.empty()) {
            halt(why);
            return true;
        }
        if (o_.progress && std::chrono::duration<double>(now - last_progress_).count() >= 0.5) {
            last_progress_ = now;
            Progress p;
            p.states = store_.size();
            p.transitions = w_.transitions;
            p.depth = max_depth_;
            p.memory = budget_.used();
            p.seconds = secs;
            p.queue = queue;
            o_.progress(p);
        }
        return false;
    }

    const Plan& plan_;
    const Options& o_;
    ViolationLog log_;
    MemoryBudget budget_;
    StateStore store_;
    ChunkedVector parent_, depth_;
    Expander w_;
    Clock::time_point start_;
    Clock::time_point last_progress_ = Clock::now();
    std::vector<std::uint32_t> fresh_;
    std::uint64_t expanded_ = 0;
    std::uint64_t max_depth_ = 0;
    std::string reason_;
};

}  // namespace

Result dfs(const Plan& plan) { return Dfs(plan).run(); }

}  // namespace iomc::explore
