// SPDX-License-Identifier: MIT
#include "checker/explore/fewest_switches.hpp"

#include <algorithm>
#include <chrono>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "checker/explore/memory_budget.hpp"
#include "checker/explore/paths.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/ir/interp.hpp"
#include "checker/support/check.hpp"
#include "checker/support/hash.hpp"

namespace iomc::explore {

namespace {

constexpr std::uint32_t none = UINT32_MAX;

/// What a run costs: compared on switches first, then steps.
struct Cost {
    std::uint32_t switches = 0;
    std::uint32_t steps = 0;
    friend auto operator<=>(const Cost&, const Cost&) = default;
};

/// One search node: a state and the process that took the last step.
struct Node {
    std::uint32_t state = 0;
    std::uint32_t last = none;     ///< process of the step that reached it; none at the start
    std::uint32_t parent = none;   ///< node index; none for the initial node
    std::uint32_t sibling = none;  ///< the next node with the same state
    ir::Step step;                 ///< the step from the parent
    Cost cost;
};

/// A heap entry; node numbers break ties between equal costs.
struct Entry {
    Cost cost;
    std::uint32_t node = 0;
    friend auto operator<=>(const Entry&, const Entry&) = default;
};

/// The cheapest violation seen so far.
struct Found {
    Cost cost;
    std::uint32_t node = 0;
    std::optional<ir::Step> report;  ///< on_step: the reporting step after the node
    traces::Violation violation;
};

class FewestSwitches {
public:
    FewestSwitches(const ir::TransitionSystem& ts, ir::PropertyId property, const Limits& limits,
                   const std::atomic<bool>* cancel)
        : ts_(ts),
          property_(property),
          limits_(limits),
          cancel_(cancel),
          budget_(limits.max_memory, MemoryBudget::process_base(limits.max_memory)),
          store_(ts.layout().bytes(), &budget_),
          interp_(ts),
          start_(Clock::now()) {
        IOMC_CHECK(ir::idx(property) < ts.properties().size());
        const auto& p = ts.property(property);
        if (p.kind == ir::PropertyKind::invariant) invariant_ = &p;
        scratch_.resize(ts.state_buffer_size());
    }

    std::optional<traces::Counterexample> run(std::string& reason) {
        ts_.initial_state(scratch_.data());
        if (!add_node(scratch_.data(), none, none, ir::Step{}, Cost{})) {
            reason = reason_;
            return std::nullopt;
        }
        std::uint64_t pops = 0;
        while (!heap_.empty()) {
            std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
            const Entry e = heap_.back();
            heap_.pop_back();
            if (nodes_[e.node].cost != e.cost) continue;  // stale: the node got cheaper since
            if (found_ && found_->cost <= e.cost) break;
            if ((pops++ & 255U) == 0 && limited()) {
                reason = reason_;
                return std::nullopt;
            }
            if (check_invariant(e.node)) break;
            if (!expand(e.node)) {
                reason = reason_;
                return std::nullopt;
            }
            if (found_ && found_->cost == e.cost) break;  // a deadlock here: nothing is cheaper
        }
        if (!found_) return std::nullopt;
        return counterexample(*found_);
    }

private:
    using Clock = std::chrono::steady_clock;
    const ir::TransitionSystem& ts_;
    ir::PropertyId property_;
    const Limits& limits_;
    const std::atomic<bool>* cancel_;
    /// Counts the store, the nodes, the per-state links and the heap, growth included.
    MemoryBudget budget_;
    StateStore store_;
    ir::Interpreter interp_;
    Clock::time_point start_;
    const ir::Property* invariant_ = nullptr;
    std::vector<std::uint8_t> scratch_;
    std::vector<Node> nodes_;
    std::vector<std::uint32_t> first_node_;  ///< per state: its first node, then Node::sibling
    std::vector<Entry> heap_;  ///< a min-heap (std::push_heap with std::greater)
    std::optional<Found> found_;
    std::string reason_;

    /// Checks Ctrl-C and the time and memory limits; returns true (and sets the reason) to stop.
    bool limited() {
        if (budget_.refused()) return memory_limit();
        reason_ = limit_reason(limits_, cancel_, std::chrono::duration<double>(Clock::now() - start_).count(),
                               budget_.used());
        return !reason_.empty();
    }

    bool memory_limit() {
        reason_ = cancel_ && cancel_->load() ? "interrupted" : memory_limit_reason(limits_);
        return true;
    }

    /// Reaches (state s, last process) at `cost` from `parent` by `step`: creates the node or
    /// lowers its cost, and queues it. Returns false (and sets the reason) at the node limit.
    bool add_node(const std::uint8_t* s, std::uint32_t last, std::uint32_t parent, ir::Step step,
                  Cost cost) {
        const auto ins = store_.insert(s, support::hash_bytes(s, ts_.layout().bytes()));
        if (ins.refused) return !memory_limit();
        const auto state = ins.index;
        if (ins.fresh && !budget_push(first_node_, none, budget_)) return !memory_limit();
        std::uint32_t n = first_node_[state];
        while (n != none && nodes_[n].last != last) n = nodes_[n].sibling;
        if (n == none) {
            if (limits_.max_states && nodes_.size() >= limits_.max_states) {
                reason_ = fmt::format("state limit {} reached", limits_.max_states);
                return false;
            }
            if (nodes_.size() >= StateStore::max_states - 1024) {
                reason_ = "the node store is full (2^32 nodes)";
                return false;
            }
            n = static_cast<std::uint32_t>(nodes_.size());
            if (!budget_push(nodes_, Node{state, last, parent, first_node_[state], step, cost}, budget_))
                return !memory_limit();
            first_node_[state] = n;
        } else {
            if (!(cost < nodes_[n].cost)) return true;
            nodes_[n].parent = parent;
            nodes_[n].step = step;
            nodes_[n].cost = cost;
        }
        if (!budget_push(heap_, Entry{cost, n}, budget_)) return !memory_limit();
        std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
        return true;
    }

    /// Evaluates every check of the property (an invariant) in node n's state; on a failure
    /// records it at the node's cost and returns true.
    bool check_invariant(std::uint32_t n) {
        if (!invariant_) return false;
        const std::uint8_t* s = store_.get(nodes_[n].state);
        for (std::uint32_t c = 0; c < invariant_->checks.size(); ++c) {
            const auto res = interp_.eval(invariant_->checks[c].program, s);
            if (res.ok && res.value != 0) continue;
            Found f{nodes_[n].cost, n, std::nullopt, {property_, traces::ViolationKind::in_state}};
            f.violation.check = c;
            if (!res.ok) {
                // As explore::check: an invariant that cannot be evaluated counts as violated.
                f.violation.eval_error = true;
                f.violation.message = res.message;
                f.violation.value = res.detail;
            }
            found_ = f;
            return true;
        }
        return false;
    }

    /// Fires every process in node n's state: relaxes the successor nodes, keeps a cheaper
    /// on-step report, and records a deadlock at the node's cost. Returns false at the node
    /// limit.
    bool expand(std::uint32_t n) {
        std::memcpy(scratch_.data(), store_.get(nodes_[n].state), ts_.layout().bytes());
        const Node from = nodes_[n];  // nodes_ may grow in the callback
        bool ok = true;
        bool crashed = false;  // a path ended in a stopping report: not a deadlock
        const auto on_emission = [&](ir::GroupId g, const ir::Emission& e) {
            if (!ok) return;
            const auto proc = ir::idx(ts_.group(g).process);
            Cost cost = from.cost;
            cost.steps += 1;
            if (from.last != none && from.last != proc) cost.switches += 1;
            const ir::Step st{g, e.index};
            if (e.next == nullptr) {
                crashed = crashed || e.stops;
                if (e.prop != property_ || (found_ && !(cost < found_->cost))) return;
                Found f{cost, n, st, {property_, traces::ViolationKind::on_step}};
                f.violation.message = e.message;
                f.violation.value = e.value;
                found_ = f;
                return;
            }
            if (found_ && !(cost < found_->cost)) return;  // cannot lead to a cheaper violation
            ok = add_node(e.next, proc, n, st, cost);
        };
        const auto successors = interp_.successors(scratch_.data(), on_emission);
        if (!ok) return false;
        if (property_ == ir::prop_deadlock && successors == 0 && !crashed &&
            !ts_.all_at_valid_end(scratch_.data())) {
            found_ = Found{from.cost, n, std::nullopt, deadlock_violation(false)};
        } else if (property_ == ir::prop_deadlock && successors != 0 && !(found_ && !(from.cost < found_->cost)) &&
                   !ts_.wait_cycle(scratch_.data()).empty()) {
            found_ = Found{from.cost, n, std::nullopt, deadlock_violation(true)};
        }
        return true;
    }

    traces::Counterexample counterexample(const Found& f) const {
        traces::Counterexample cx;
        cx.trace.model_id = ts_.model_id();
        for (std::uint32_t x = f.node; nodes_[x].parent != none; x = nodes_[x].parent)
            cx.trace.steps.push_back(nodes_[x].step);
        std::reverse(cx.trace.steps.begin(), cx.trace.steps.end());
        if (f.report) cx.trace.steps.push_back(*f.report);
        cx.violation = f.violation;
        return cx;
    }
};

}  // namespace

std::optional<traces::Counterexample> fewest_switches(const ir::TransitionSystem& ts,
                                                      ir::PropertyId property, const Limits& limits,
                                                      std::string* incomplete_reason,
                                                      const std::atomic<bool>* cancel) {
    std::string reason;
    FewestSwitches search(ts, property, limits, cancel);
    auto cx = search.run(reason);
    if (incomplete_reason) *incomplete_reason = reason;
    return cx;
}

}  // namespace iomc::explore
