// SPDX-License-Identifier: MIT
/// @file The threads of the parallel breadth-first search, started once per search and kept
/// for all its phases, which they pass through two barriers each. They replace a set of threads
/// started and joined for each phase (two phases a level, hundreds of levels); on locks.mc with
/// partial-order reduction that saved about 6 % of the 2-thread search's time (bench/README.md).
#pragma once

#include <barrier>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace iomc::explore {

class Workers {
public:
    /// `n` workers in all: worker 0 is the thread that calls run(), the others are started by
    /// the first run() that uses them.
    explicit Workers(unsigned n) : n_(n), start_(n), done_(n) {}
    ~Workers() {
        if (threads_.empty()) return;
        quit_ = true;
        start_.arrive_and_wait();
        for (auto& t : threads_) t.join();
    }
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    /// Calls task(t) for every worker t, each on its own thread, and returns when all have
    /// returned; then rethrows the first exception a task threw, if any. Not reentrant.
    void run(const std::function<void(unsigned)>& task) {
        if (n_ == 1) return task(0);
        if (threads_.empty()) {
            failures_.resize(n_);
            for (unsigned t = 1; t < n_; ++t) threads_.emplace_back([this, t] { loop(t); });
        }
        task_ = &task;
        start_.arrive_and_wait();
        call(0);
        done_.arrive_and_wait();
        for (auto& f : failures_) {
            if (!f) continue;
            auto first = f;
            for (auto& g : failures_) g = nullptr;
            std::rethrow_exception(first);
        }
    }

private:
    /// Runs the task of worker t; an exception is kept for run(), so that every worker still
    /// reaches the barrier.
    void call(unsigned t) {
        try {
            (*task_)(t);
        } catch (...) {
            failures_[t] = std::current_exception();
        }
    }
    void loop(unsigned t) {
        for (;;) {
            start_.arrive_and_wait();
            if (quit_) return;
            call(t);
            done_.arrive_and_wait();
        }
    }

    unsigned n_;
    std::barrier<> start_, done_;
    const std::function<void(unsigned)>* task_ = nullptr;
    std::vector<std::exception_ptr> failures_;  ///< per worker, set in a phase, read after it
    bool quit_ = false;  ///< written before start_ is passed, read after: ordered by the barrier
    std::vector<std::thread> threads_;
};

}  // namespace iomc::explore
