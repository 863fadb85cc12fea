// SPDX-License-Identifier: MIT
#include "checker/explore/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "checker/explore/bfs.hpp"
#include "checker/ir/interp.hpp"

namespace iomc::explore {

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::holds: return "holds";
        case Verdict::violated: return "violated";
        case Verdict::incomplete: return "incomplete";
    }
    return "incomplete";
}

std::optional<Limits> remaining_after(const Limits& limits, double used) {
    if (limits.time_limit <= 0) return limits;
    if (used >= limits.time_limit) return std::nullopt;
    Limits left = limits;
    left.time_limit = limits.time_limit - used;
    return left;
}

std::string limit_reason(const Limits& limits, const std::atomic<bool>* cancel, double seconds, std::uint64_t memory) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return "interrupted";
    if (limits.time_limit > 0 && seconds >= limits.time_limit) return fmt::format("time limit {}s reached", limits.time_limit);
    if (limits.max_memory && memory >= limits.max_memory) return memory_limit_reason(limits);
    return {};
}

std::string memory_limit_reason(const Limits& limits) {
    if (!limits.memory_default) return fmt::format("memory limit {} bytes reached", limits.max_memory);
    return fmt::format("memory limit {} bytes reached (the default: 3/4 of the memory this process may use; "
                       "--max-memory sets another, 0 for none)",
                       limits.max_memory);
}

std::string memory_limit_reason(const Limits& limits, std::string_view analysis) {
    return fmt::format("{} in the {}", memory_limit_reason(limits), analysis);
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

const char* por_proviso_text(reduce::Proviso p, Strategy s) {
    if (p == reduce::Proviso::static_loops)
        return "static: a reduced set is expanded only if none of its steps follows a back edge of its process's "
               "control flow (a loop); otherwise another set, or every step";
    return s == Strategy::bfs ? "stored: a reduced set is expanded only if none of its successors was stored before "
                                "the current level; otherwise another set, or every step"
                              : "stored: a reduced set is expanded only if none of its successors was stored before "
                                "the state itself; otherwise another set, or every step";
}

namespace {

Result run(const Plan& plan) {
    const auto& options = plan.options;
    if (options.strategy == Strategy::dfs) return dfs(plan);
    unsigned threads = options.threads;
    if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
    return bfs(plan, threads, options.storage);
}

}  // namespace

Result check(const ir::TransitionSystem& ts, const Options& options) {
    Result r;
    {
        const Plan plan(ts, options);
        r = run(plan);
        if (!plan.watch_unowned_unlocks || !r.unowned_unlock) return r;
    }
    // The search took wait cycles as stable, but a process unlocked a mutex it did not hold,
    // which can open a cycle. A cycle it found is real (the states are reachable), and a search
    // that stopped early decided nothing about deadlock; only its "holds" rests on stability:
    // then search again with the wait-cycle check visible to the partial-order reduction.
    bool holds = false;
    for (const auto& p : r.properties) holds = holds || (p.property == ir::prop_deadlock && p.verdict == Verdict::holds);
    if (!holds) return r;
    const Plan visible(ts, options, "an unlock by a process that does not hold the mutex is reachable");
    auto again = run(visible);
    again.stats.seconds += r.stats.seconds;
    again.unowned_unlock = true;
    return again;
}

}  // namespace iomc::explore
