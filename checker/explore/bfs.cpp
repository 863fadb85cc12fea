// SPDX-License-Identifier: MIT
/// @file Breadth-first search, level by level, on one thread or many (`Options::threads`). With
/// one thread this is the classic BFS queue order: each successor is stored as it is found.
/// With several, each level of more than one chunk (64 states) runs in two phases (a narrower
/// level runs on one thread and stores as it goes), and no lock or shared counter is on the path
/// of a state (issue 9: a locked, sharded table with a shared count ran slower on 2 threads
/// than on 1, its cache lines bouncing between the cores):
///   1. expand: the states of the level are shared out in chunks of 64; a thread expands a
///      chunk and puts each successor, with its parent and the upper half of its hash, into its
///      own outbox for the successor's shard. The store is only read in this phase (the cycle
///      proviso looks states up), so no thread needs a lock to read it.
///   2. store: the threads claim the shards one at a time; a thread inserts the records of
///      the shard it claimed from every thread's outbox, checks the invariants of the states
///      that are new, and lists them for the next level. Claimed, not assigned: a core that
///      runs slower (a busy host's) stores fewer shards, and the others do not wait for it.
/// The threads are started once per search and wait at barriers between phases (workers.hpp).
/// Verdicts and state counts are the same for any number of threads: the static cycle proviso
/// of partial-order reduction asks nothing of the store, and the stored one asks whether a
/// successor was stored before the current level, which does not depend on the threads'
/// timing; only which of several shortest counterexamples comes first may differ.
#include <algorithm>
#include <chrono>
#include <mutex>

#include <fmt/format.h>

#include "checker/explore/bfs.hpp"
#include "checker/explore/compact_store.hpp"
#include "checker/explore/expander.hpp"
#include "checker/explore/outbox.hpp"
#include "checker/explore/paths.hpp"
#include "checker/explore/sharded_store.hpp"
#include "checker/explore/workers.hpp"

namespace iomc::explore {

namespace {

using Ref = std::uint32_t;
using Clock = std::chrono::steady_clock;

template <class Store>
class Bfs {
public:
    Bfs(const Plan& plan, unsigned threads, StorageKind storage)
        : plan_(plan),
          o_(plan.options),
          log_(plan),
          budget_(o_.limits.max_memory, MemoryBudget::process_base(o_.limits.max_memory)),
          threads_(std::max(1U, threads)),
          start_(Clock::now()) {
        if constexpr (std::is_same_v<Store, CompactStore>) {
            store_ = std::make_unique<CompactStore>(plan.ts.layout().bytes(), storage, budget_, o_.limits.max_states);
        } else {
            (void)storage;
            parallel_ = threads_ > 1;
            // 64 shards share out evenly enough between up to 16 threads.
            store_ = std::make_unique<ShardedStore>(plan.ts.layout().bytes(), threads_ > 1 ? 6 : 0, budget_,
                                                    o_.limits.max_states);
        }
        workers_.resize(threads_);
        for (unsigned t = 0; t < threads_; ++t) next_.push_back(std::make_unique<ChunkedVector>());
        if constexpr (sharded) {
            if (parallel_) {
                workers_pool_ = std::make_unique<Workers>(threads_);
                // Each thread builds its own Expander, so that the buffers it writes in every
                // expansion come from its own malloc arena and share no cache line with another
                // thread's (built on one thread, the 2-thread search with POR on locks.mc ran
                // about 20 % slower: bench/README.md).
                workers_pool_->run([&](unsigned t) { workers_[t] = std::make_unique<Expander>(plan); });
                for (unsigned t = 0; t < threads_; ++t) {
                    outboxes_.emplace_back();
                    for (unsigned g = 0; g < store_->shards(); ++g)
                        outboxes_.back().push_back(std::make_unique<Outbox>(plan.ts.layout().bytes(), budget_));
                }
            }
        }
        for (auto& w : workers_)
            if (!w) w = std::make_unique<Expander>(plan);
        if constexpr (std::is_same_v<Store, CompactStore>) {
            // Slots move when the table grows: map every reference the search holds.
            store_->on_move = [this](const std::vector<Ref>& map) {
                for (auto* lists : {&frontier_, &next_})
                    for (auto& l : *lists)
                        for (std::uint32_t k = 0; k < l->size(); ++k) l->set(k, map[(*l)[k]]);
                if (expanding_) *expanding_ = map[*expanding_];
            };
        }
    }

    Result run() {
        std::vector<std::uint8_t> init(plan_.ts.state_buffer_size());
        plan_.ts.initial_state(init.data());
        auto& w0 = *workers_[0];
        const auto first = store_->insert(w0.stored_form(init.data()), Store::none);
        frontier_.push_back(std::make_unique<ChunkedVector>());
        if (!first.fresh || !frontier_[0]->push_back(first.ref, &budget_)) {
            halt(memory_limit_reason(o_.limits));
            return result(true);
        }
        for (const auto& v : w0.check_invariants(store_->get(first.ref), log_))
            log_.record(make_counterexample(plan_, chain(first.ref), v));
        bool stopped = log_.done() || limited(0, 0);
        while (!stopped && frontier_size() > 0) {
            mark_level();
            run_level();
            stopped = log_.done() || stop_.load();
            // The lists of the level just expanded hold the next one; their chunks are kept for
            // the level after it (freeing and allocating them every level cost page faults).
            std::swap(frontier_, next_);
            for (auto& l : next_) l->clear();
            while (next_.size() < threads_) next_.push_back(std::make_unique<ChunkedVector>());
            if (frontier_size() > 0) depth_ = level_ + 1;
            ++level_;
        }
        return result(stopped);
    }

private:
    /// Two-phase levels (file comment): several threads, exact storage.
    static constexpr bool sharded = std::is_same_v<Store, ShardedStore>;

    Result result(bool stopped) {
        Result r;
        log_.fill(r, !stopped);
        r.complete = !stopped;
        r.incomplete_reason = reason_;
        r.stats.states = store_->size();
        r.stats.depth = depth_;
        r.stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        r.stats.memory = budget_.used();
        r.stats.state_bytes = plan_.ts.layout().bytes();
        r.stats.threads = threads_;
        if constexpr (std::is_same_v<Store, CompactStore>) {
            r.stats.storage = store_->kind();
            r.stats.omission_probability = store_->omission_probability();
        }
        r.reductions = plan_.reductions;
        for (const auto& m : plan_.ts.metrics()) r.metrics.push_back(MetricResult{m.name});
        for (const auto& w : workers_) {
            r.stats.transitions += w->transitions;
            merge_metrics(r.metrics, w->metrics);
            merge_scalarset_use(r.scalarset_use, w->use.result());
            w->add_counts_to(r);
        }
        if (!r.self_check_failure.empty() && r.verdict == Verdict::holds) r.verdict = Verdict::incomplete;
        return r;
    }

    /// The host an Expander stores through, for one expanded state.
    struct Host {
        Bfs& b;
        unsigned t;
        Ref from;  ///< mapped by on_move when compact storage grows
        bool stopped() const { return b.log_.done() || b.stop_.load(std::memory_order_relaxed); }
        void report(const ir::Step& st, const ir::Emission& e) {
            b.log_.record(make_counterexample(b.plan_, b.chain(from), step_violation(e), st));
        }
        void deadlock(bool wait_cycle) {
            b.log_.record(make_counterexample(b.plan_, b.chain(from), deadlock_violation(wait_cycle)));
        }
        /// With exact storage, every successor's slot: a level of one thread stores it at once,
        /// and in a two-phase level the stored cycle proviso may look it up (measured faster
        /// than fetching only a stubborn set's, just before, once the outboxes' records had
        /// shrunk: bench/README.md). With the static proviso a two-phase level looks nothing
        /// up, and the slots fetched would be gone by the store phase: none is fetched.
        bool fetches_early() const { return sharded && (!b.two_phase_ || b.o_.proviso == reduce::Proviso::stored); }
        void prefetch(const std::uint8_t* next, Lookup& l) {
            if constexpr (sharded) {
                b.store_->prefetch(l.hash_in(*b.store_, next));
            } else {
                (void)next;
                (void)l;
            }
        }
        bool closes(const std::uint8_t* next, Lookup& l) {
            if constexpr (sharded) {
                // Kept for successor(): the expand phase of a parallel level only reads the
                // store, so a state found here need not go through an outbox to be stored.
                return l.stored_in(*b.store_, next) && b.store_->earlier_level(l.ref);
            } else {
                const auto r = b.store_->find(next);
                return r && b.store_->earlier_level(*r);
            }
        }
        void self_loop() {
            if (!b.o_.limits.max_states || b.store_->size() < b.o_.limits.max_states) ++b.workers_[t]->transitions;
        }
        void successor(const std::uint8_t* next, const Lookup& l) {
            auto& w = *b.workers_[t];
            if (b.o_.limits.max_states && b.store_->size() >= b.o_.limits.max_states) {
                // At the state limit: a successor already stored is fine; a new one means the
                // space is larger than the limit, and the run is incomplete.
                if (!b.store_->find(next)) b.over_state_limit();
                return;
            }
            ++w.transitions;
            if constexpr (sharded) {
                if (l.found) return;  // stored already when the cycle proviso looked it up
                const std::uint64_t h = l.hash_of(*b.store_, next);
                if (b.two_phase_) {
                    if (!b.outboxes_[t][b.store_->shard_of(h)]->push(h, from, next))
                        b.halt(memory_limit_reason(b.o_.limits));
                    return;
                }
                b.store(t, b.store_->insert(next, h, from));
            } else {
                b.store(t, b.store_->insert(next, from));
            }
        }
    };

    /// Files the outcome of storing a state for thread t: a new state goes to the next level
    /// and has its invariants checked.
    void store(unsigned t, const typename Store::Insert& ins) {
        if (ins.over_limit) return over_state_limit();
        if (ins.refused) return halt(memory_limit_reason(o_.limits));
        if (ins.full) return halt("the state store is full (2^32 states)");
        if (!ins.fresh) return;
        if (!next_[t]->push_back(ins.ref, &budget_))
            return halt(memory_limit_reason(o_.limits));
        for (const auto& v : workers_[t]->check_invariants(store_->get(ins.ref), log_))
            log_.record(make_counterexample(plan_, chain(ins.ref), v));
    }

    /// The stored states from the initial one to `r` (their fingerprints with hash compaction).
    StoredChain chain(Ref r) const {
        StoredChain c;
        std::vector<Ref> refs;
        for (Ref x = r; x != Store::none; x = store_->parent(x)) refs.push_back(x);
        std::reverse(refs.begin(), refs.end());
        const std::size_t bytes = plan_.ts.layout().bytes();
        if constexpr (std::is_same_v<Store, CompactStore>) {
            if (store_->kind() == StorageKind::hash) {
                const CompactStore* st = store_.get();
                c.fingerprint = [st](const std::uint8_t* s) { return st->fingerprint_of(s); };
                for (const auto x : refs) c.fingerprints.push_back(store_->stored_fingerprint(x));
                return c;
            }
        }
        for (const auto x : refs) {
            const std::uint8_t* s = store_->get(x);
            c.forms.emplace_back(s, s + bytes);
        }
        return c;
    }

    void mark_level() {
        if constexpr (std::is_same_v<Store, CompactStore>) {
            for (const auto& l : frontier_) store_->mark_level(*l);
            store_->level_marked();
        } else {
            store_->mark_level();
        }
    }

    void over_state_limit() { halt(fmt::format("state limit {} reached", o_.limits.max_states)); }

    /// Stops the search with `why`; the first reason wins, and a Ctrl-C reads "interrupted"
    /// whatever other limit is reached with it.
    void halt(const std::string& why) {
        const std::lock_guard<std::mutex> g(reason_lock_);
        if (!stop_.load()) reason_ = o_.cancel && o_.cancel->load() ? "interrupted" : why;
        stop_.store(true);
    }

    std::uint64_t frontier_size() const {
        std::uint64_t n = 0;
        for (const auto& f : frontier_) n += f->size();
        return n;
    }

    /// Expands every state of the frontier, sharing it out in chunks of 64 states of one list.
    void run_level() {
        // Chunks are numbered across the lists: chunk c of list l is global chunk first[l] + c.
        std::vector<std::uint64_t> first;
        std::uint64_t chunks = 0, total = 0;
        for (const auto& f : frontier_) {
            first.push_back(chunks);
            chunks += (f->size() + 63) / 64;
            total += f->size();
        }
        std::atomic<std::uint64_t> next_chunk{0};
        auto work = [&](unsigned t) {
            auto& w = *workers_[t];
            std::uint64_t done_here = 0;
            for (;;) {
                const std::uint64_t c = next_chunk.fetch_add(1);
                if (c >= chunks) return;
                const auto list = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), c) - first.begin() - 1);
                const ChunkedVector& f = *frontier_[list];
                const auto begin = static_cast<std::uint32_t>((c - first[list]) * 64);
                const auto end = std::min<std::uint32_t>(f.size(), begin + 64);
                for (std::uint32_t k = begin; k < end; ++k) {
                    if (log_.done() || stop_.load(std::memory_order_relaxed)) return;
                    if ((++done_here & 255U) == 0 && limited(t, total - std::min(total, c * 64))) return;
                    Host h{*this, t, f[k]};
                    if constexpr (std::is_same_v<Store, CompactStore>) expanding_ = &h.from;
                    w.expand(store_->get(h.from), log_, h);
                    if (!w.self_check_failure.empty()) log_.stop();
                }
            }
        };
        // A level of one chunk runs on the calling thread: waking the other threads costs more
        // than it brings on the narrow levels near the initial state and in small models.
        // Such a level also stores as it goes, as the search on one thread does: the counts at
        // a violation found there are the same for any number of threads.
        const auto used = static_cast<unsigned>(std::min<std::uint64_t>(threads_, chunks));
        two_phase_ = parallel_ && used > 1;
        if (used <= 1) {
            work(0);
        } else {
            workers_pool_->run(work);
        }
        if (two_phase_) store_outboxes();
        if (!stop_.load() && !log_.done()) limited(0, 0);
    }

    /// Phase 2 of a parallel level: the threads claim shards and store their successors.
    void store_outboxes() {
        if constexpr (sharded) {
            std::atomic<unsigned> next_shard{0};
            auto work = [&](unsigned t) {
                std::uint64_t done_here = 0;
                for (;;) {
                    const unsigned g = next_shard.fetch_add(1);
                    if (g >= store_->shards()) return;
                    for (auto& from : outboxes_) {
                        // The records are read in order: fetch a later one's table slot first,
                        // so that its cache miss overlaps this one's. A record keeps the upper
                        // half of the hash; the lower bits that pick the shard are g.
                        const bool all = from[g]->for_each(
                            8,
                            [&](std::uint64_t high, Ref parent, const std::uint8_t* s) {
                                if (log_.done() || stop_.load(std::memory_order_relaxed)) return false;
                                if ((++done_here & 255U) == 0 && limited(t, 0)) return false;
                                store(t, store_->insert(s, high | g, parent));
                                return true;
                            },
                            [&](std::uint64_t high) { store_->prefetch(high | g); });
                        if (!all) return;
                    }
                }
            };
            std::size_t records = 0;
            for (const auto& from : outboxes_)
                for (const auto& box : from) records += box->size();
            if (records <= 4096) {
                // A narrow level: waking the other threads would cost more than storing on this one.
                work(0);
            } else {
                workers_pool_->run(work);
            }
            for (auto& from : outboxes_)
                for (auto& box : from) box->clear();
        }
    }

    /// Checks the time, memory and Ctrl-C limits (and reports progress from thread 0); true
    /// when the search must stop.
    bool limited(unsigned t, std::uint64_t queue) {
        const auto now = Clock::now();
        const double secs = std::chrono::duration<double>(now - start_).count();
        if (budget_.refused()) {
            halt(memory_limit_reason(o_.limits));
            return true;
        }
        const auto why = limit_reason(o_.limits, o_.cancel, secs, budget_.used());
        if (!why.empty()) {
            halt(why);
            return true;
        }
        if (t == 0 && o_.progress && std::chrono::duration<double>(now - last_progress_).count() >= 0.5) {
            last_progress_ = now;
            Progress p;
            p.states = store_->size();
            for (const auto& w : workers_) p.transitions += w->transitions;
            p.depth = level_ + 1;
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
    unsigned threads_;
    std::unique_ptr<Store> store_;
    Ref* expanding_ = nullptr;  ///< compact storage: the reference of the state being expanded
    Clock::time_point start_;
    Clock::time_point last_progress_ = Clock::now();
    std::vector<std::unique_ptr<Expander>> workers_;
    std::vector<std::unique_ptr<ChunkedVector>> frontier_, next_;  ///< per thread
    bool parallel_ = false;   ///< several threads, exact storage: two-phase levels
    std::unique_ptr<Workers> workers_pool_;  ///< parallel_ only
    bool two_phase_ = false;  ///< this level runs in two phases (more than one chunk)
    std::vector<std::vector<std::unique_ptr<Outbox>>> outboxes_;  ///< [writer][shard], parallel_ only
    std::uint64_t level_ = 0;
    std::uint64_t depth_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex reason_lock_;
    std::string reason_;
};

}  // namespace

Result bfs(const Plan& plan, unsigned threads, StorageKind storage) {
    if (storage == StorageKind::exact) return Bfs<ShardedStore>(plan, threads, storage).run();
    return Bfs<CompactStore>(plan, 1, storage).run();
}

}  // namespace iomc::explore
