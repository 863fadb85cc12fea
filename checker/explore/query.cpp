// SPDX-License-Identifier: MIT
#include "checker/explore/query.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "checker/explore/memory_budget.hpp"
#include "checker/explore/state_store.hpp"
#include "checker/support/hash.hpp"
#include "checker/ir/interp.hpp"
#include "checker/support/check.hpp"

namespace iomc::explore {

namespace {

constexpr std::uint32_t none = UINT32_MAX;

std::string where_text(const ir::TransitionSystem& ts, const ir::Process& proc, std::uint32_t loc) {
    const auto& l = proc.locations[loc];
    const auto g = proc.group_at[loc];
    return fmt::format("{}: {}", ts.sources().file_line(l.where), g == ir::no_group ? std::string("?") : ts.group(g).text);
}

bool has_move(ir::Interpreter& in, ir::GroupId g, const std::uint8_t* s) {
    bool moves = false;
    in.fire(g, s, [&](const ir::Emission& e) { moves = moves || e.next != nullptr; });
    return moves;
}

std::string situation(const ir::TransitionSystem& ts, ir::Interpreter& in, ir::ProcessId p, const std::uint8_t* s);

class Query {
public:
    Query(const ir::TransitionSystem& ts, const traces::Schedule& sched, const Limits& limits,
          const std::atomic<bool>* cancel)
        : ts_(ts), sched_(sched), limits_(limits), cancel_(cancel), bytes_(ts.layout().bytes()),
          budget_(limits.max_memory, MemoryBudget::process_base(limits.max_memory)), store_(bytes_ + 2, &budget_), in_(ts), start_(Clock::now()) {
        buf_.resize(bytes_ + 2 + 8);
        cur_.resize(bytes_ + 8);
        if (sched.violates) {
            const auto& p = ts.property(*sched.violates);
            if (p.kind == ir::PropertyKind::invariant) invariant_ = &p;
        }
    }

    QueryResult run() {
        QueryResult r;
        const auto n = static_cast<std::uint16_t>(sched_.entries.size());
        ts_.initial_state(buf_.data());
        add(buf_.data(), 0, none, ir::Step{});
        std::optional<Found> found;
        for (std::uint32_t i = 0; i < k_.size() && !found; ++i) {
            if ((i & 255U) == 0 && limited()) {
                r.incomplete_reason = reason_;
                return finish(r);
            }
            if (k_[i] == n && !sched_.violates) {
                found = Found{i, std::nullopt, {}};
                break;
            }
            if (k_[i] == n && invariant_) {
                if (auto v = check_invariant(i)) {
                    found = Found{i, std::nullopt, *v};
                    break;
                }
            }
            found = expand(i, n);
            if (!reason_.empty()) {
                r.incomplete_reason = reason_;
                return finish(r);
            }
        }
        if (found) {
            r.verdict = QueryVerdict::feasible;
            r.run = run_to(*found, r.entry_steps);
            return finish(r);
        }
        r.verdict = QueryVerdict::infeasible;
        explain(r, n);
        return finish(r);
    }

private:
    using Clock = std::chrono::steady_clock;
    struct Found {
        std::uint32_t node;
        std::optional<ir::Step> report;  ///< an on-step violation after the node
        traces::Violation violation;
    };

    const ir::TransitionSystem& ts_;
    const traces::Schedule& sched_;
    const Limits& limits_;
    const std::atomic<bool>* cancel_;
    std::size_t bytes_;
    /// Counts the store and the per-node vectors, growth included (--max-memory).
    MemoryBudget budget_;
    StateStore store_;          ///< state bytes followed by k (2 bytes)
    ir::Interpreter in_;
    Clock::time_point start_;
    const ir::Property* invariant_ = nullptr;
    std::vector<std::uint8_t> buf_;  ///< a successor with k appended, for the store
    std::vector<std::uint8_t> cur_;  ///< the state being expanded
    std::vector<std::uint32_t> parent_;
    std::vector<ir::Step> step_;
    std::vector<std::uint16_t> k_;
    std::uint64_t transitions_ = 0;
    std::string reason_;

    [[nodiscard]] std::uint64_t memory() const { return budget_.used(); }

    bool limited() {
        if (budget_.refused()) return memory_limit();
        reason_ = limit_reason(limits_, cancel_, std::chrono::duration<double>(Clock::now() - start_).count(), memory());
        return !reason_.empty();
    }

    bool memory_limit() {
        reason_ = cancel_ && cancel_->load() ? "interrupted" : memory_limit_reason(limits_);
        return false;
    }

    QueryResult& finish(QueryResult& r) const {
        r.nodes = k_.size();
        r.transitions = transitions_;
        r.memory = memory();
        r.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        return r;
    }

    /// Stores node (state s with k appended in place) unless present. False at the node limit.
    bool add(std::uint8_t* s, std::uint16_t k, std::uint32_t parent, ir::Step step) {
        std::memcpy(s + bytes_, &k, 2);
        const bool full = (limits_.max_states && k_.size() >= limits_.max_states) ||
                          k_.size() >= StateStore::max_states - 1024;
        if (full) {
            if (store_.contains(s)) return true;
            reason_ = limits_.max_states ? fmt::format("state limit {} reached", limits_.max_states)
                                         : std::string("the state store is full (2^32 states)");
            return false;
        }
        const auto ins = store_.insert(s, support::hash_bytes(s, bytes_ + 2));
        if (ins.refused) return memory_limit();
        if (!ins.fresh) return true;
        if (!budget_push(parent_, parent, budget_) || !budget_push(step_, step, budget_) || !budget_push(k_, k, budget_))
            return memory_limit();
        return true;
    }

    std::optional<traces::Violation> check_invariant(std::uint32_t i) {
        const std::uint8_t* s = store_.get(i);
        for (std::uint32_t c = 0; c < invariant_->checks.size(); ++c) {
            const auto res = in_.eval(invariant_->checks[c].program, s);
            if (res.ok && res.value != 0) continue;
            traces::Violation v{invariant_->id, traces::ViolationKind::in_state};
            v.check = c;
            if (!res.ok) {
                v.eval_error = true;
                v.message = res.message;
                v.value = res.detail;
            }
            return v;
        }
        return std::nullopt;
    }

    /// Where a step of `p` that leaves state `next` goes: the entry count after it, or none
    /// when it matches an entry after the next one (cut; `*cut_entry` says which).
    std::uint32_t next_k(std::uint16_t k, ir::ProcessId p, std::uint32_t stmt, const std::uint8_t* next,
                         std::size_t* cut_entry) const {
        const auto loc = static_cast<std::uint32_t>(ts_.layout().read(next, ts_.process(p).pc));
        const auto n = sched_.entries.size();
        if (k < n && sched_.entries[k].matches(p, stmt, loc)) return k + 1U;
        for (std::size_t j = k + 1U; j < n; ++j) {
            if (sched_.entries[j].matches(p, stmt, loc)) {
                if (cut_entry) *cut_entry = j;
                return none;
            }
        }
        return k;
    }

    /// Fires every process in node i; stores the allowed successors. Returns a violation found
    /// on a step (with `violates`) or the node that matches the last entry.
    std::optional<Found> expand(std::uint32_t i, std::uint16_t n) {
        const std::uint16_t k = k_[i];
        auto& cur = cur_;
        std::memcpy(cur.data(), store_.get(i), bytes_);
        std::optional<Found> found;
        std::uint32_t moves = 0;
        bool crashed = false;
        for (std::uint32_t pi = 0; pi < ts_.processes().size() && !found && reason_.empty(); ++pi) {
            const auto& proc = ts_.processes()[pi];
            const auto g = proc.group_at[static_cast<std::uint32_t>(ts_.layout().read(cur.data(), proc.pc))];
            if (g == ir::no_group) continue;
            in_.fire(g, cur.data(), [&](const ir::Emission& e) {
                if (found || !reason_.empty()) return;
                ++transitions_;
                const ir::Step st{g, e.index};
                if (!e.next) {
                    crashed = crashed || e.stops;
                    // A violation on a step counts after the last entry, and on the step that
                    // matches the last entry itself (issue 10): the step that breaks an
                    // assertion is often the one the schedule ends with. A report has no state
                    // after it, so only a statement pattern can match it, not a label.
                    const bool last_entry =
                        k + 1U == n && sched_.entries[k].label.empty() && sched_.entries[k].matches(ir::ProcessId{pi}, e.stmt, 0);
                    if ((k == n || last_entry) && sched_.violates && e.prop == *sched_.violates) {
                        traces::Violation v{e.prop, traces::ViolationKind::on_step};
                        v.message = e.message;
                        v.value = e.value;
                        found = Found{i, st, v};
                    }
                    return;
                }
                ++moves;
                const auto nk = next_k(k, ir::ProcessId{pi}, e.stmt, e.next, nullptr);
                if (nk == none) return;
                std::memcpy(buf_.data(), e.next, bytes_);
                const auto before = k_.size();
                if (!add(buf_.data(), static_cast<std::uint16_t>(nk), i, st)) return;
                if (k_.size() > before && nk == n && !sched_.violates) found = Found{static_cast<std::uint32_t>(before), std::nullopt, {}};
            });
        }
        if (!found && reason_.empty() && k == n && sched_.violates && *sched_.violates == ir::prop_deadlock) {
            traces::Violation v{ir::prop_deadlock, traces::ViolationKind::deadlock};
            if (moves == 0 && !crashed && !ts_.all_at_valid_end(cur.data())) {
                found = Found{i, std::nullopt, v};
            } else if (moves > 0 && !ts_.wait_cycle(cur.data()).empty()) {
                // Processes wait for each other in a cycle while others can still move (issue
                // 10), as `check` reports it.
                v.wait_cycle = true;
                found = Found{i, std::nullopt, v};
            }
        }
        return found;
    }

    [[nodiscard]] std::vector<ir::Step> path_to(std::uint32_t node) const {
        std::vector<ir::Step> steps;
        for (std::uint32_t x = node; parent_[x] != none; x = parent_[x]) steps.push_back(step_[x]);
        std::reverse(steps.begin(), steps.end());
        return steps;
    }

    traces::Counterexample run_to(const Found& f, std::vector<std::size_t>& entry_steps) const {
        traces::Counterexample cx;
        cx.trace.model_id = ts_.model_id();
        cx.trace.steps = path_to(f.node);
        if (f.report) cx.trace.steps.push_back(*f.report);
        cx.violation = f.violation;
        if (!sched_.violates) cx.violation.property = ir::no_property;
        // The steps that matched: where k goes up along the path.
        std::vector<std::uint32_t> chain;
        for (std::uint32_t x = f.node; x != none; x = parent_[x]) chain.push_back(x);
        std::reverse(chain.begin(), chain.end());
        for (std::size_t s = 1; s < chain.size(); ++s)
            if (k_[chain[s]] > k_[chain[s - 1]]) entry_steps.push_back(s - 1);
        // A violating step that matched the last entry (expand()).
        if (f.report && k_[f.node] + 1U == sched_.entries.size()) entry_steps.push_back(cx.trace.steps.size() - 1);
        return cx;
    }

    void explain(QueryResult& r, std::uint16_t n) {
        std::uint16_t kmax = 0;
        for (const auto k : k_) kmax = std::max(kmax, k);
        r.unreached = kmax;
        std::map<std::string, Situation> at_step, stopped;
        std::set<std::string> held;
        std::uint32_t first_layer_node = none;
        const traces::ScheduleEntry* entry = kmax < n ? &sched_.entries[kmax] : nullptr;
        std::vector<std::uint8_t> cur(bytes_ + 8);
        for (std::uint32_t i = 0; i < k_.size(); ++i) {
            if (k_[i] != kmax) continue;
            ++r.nodes_before;
            if (first_layer_node == none) first_layer_node = i;
            std::memcpy(cur.data(), store_.get(i), bytes_);
            std::uint32_t allowed = 0;
            for (std::uint32_t pi = 0; pi < ts_.processes().size(); ++pi) {
                const auto& proc = ts_.processes()[pi];
                const auto g = proc.group_at[static_cast<std::uint32_t>(ts_.layout().read(cur.data(), proc.pc))];
                if (g == ir::no_group) continue;
                in_.fire(g, cur.data(), [&](const ir::Emission& e) {
                    if (!e.next) return;
                    std::size_t cut = 0;
                    if (next_k(kmax, ir::ProcessId{pi}, e.stmt, e.next, &cut) != none) {
                        ++allowed;
                        return;
                    }
                    const auto& st = ts_.statement(e.stmt);
                    held.insert(fmt::format("{} {}: {} (entry {})", proc.name, ts_.sources().file_line(st.where),
                                            st.text, cut + 1));
                });
            }
            if (!entry) continue;
            const auto& proc = ts_.process(entry->process);
            const auto loc = static_cast<std::uint32_t>(ts_.layout().read(cur.data(), proc.pc));
            auto note = [&](std::map<std::string, Situation>& m) {
                auto& s = m[situation(ts_, in_, entry->process, cur.data())];
                if (s.nodes++ == 0) s.first_node = i;
            };
            if (entry->could_start_at(ts_, loc) && !has_move(in_, proc.group_at[loc], cur.data())) note(at_step);
            if (allowed == 0) note(stopped);
        }
        auto sorted = [](std::map<std::string, Situation>& m) {
            std::vector<Situation> v;
            for (auto& [text, s] : m) {
                s.text = text;
                v.push_back(s);
            }
            std::sort(v.begin(), v.end(), [](const Situation& a, const Situation& b) { return a.first_node < b.first_node; });
            return v;
        };
        r.at_step = sorted(at_step);
        r.stopped = sorted(stopped);
        r.runs_forever = r.stopped.empty();
        r.held_back.assign(held.begin(), held.end());
        std::uint32_t shown = first_layer_node;
        if (!r.at_step.empty()) shown = r.at_step.front().first_node;
        else if (!r.stopped.empty()) shown = r.stopped.front().first_node;
        r.example.model_id = ts_.model_id();
        r.example.steps = path_to(shown);
        const std::uint8_t* s = store_.get(shown);
        std::memcpy(cur.data(), s, bytes_);
        for (std::uint32_t pi = 0; pi < ts_.processes().size(); ++pi) {
            std::string line = situation(ts_, in_, ir::ProcessId{pi}, cur.data());
            // A process that could move but whose every step the order cuts: say so.
            const auto& proc = ts_.processes()[pi];
            const auto g = proc.group_at[static_cast<std::uint32_t>(ts_.layout().read(cur.data(), proc.pc))];
            std::set<std::size_t> cut_by;
            bool free_step = false;
            if (g != ir::no_group) {
                in_.fire(g, cur.data(), [&](const ir::Emission& e) {
                    if (!e.next) return;
                    std::size_t cut = 0;
                    if (next_k(kmax, ir::ProcessId{pi}, e.stmt, e.next, &cut) == none) cut_by.insert(cut + 1);
                    else free_step = true;
                });
            }
            if (!cut_by.empty() && !free_step) {
                std::string list;
                for (const auto c : cut_by) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
                line += fmt::format("; the schedule holds that step back for entry {}", list);
            }
            r.example_state.push_back(line);
        }
        for (std::uint32_t x = 0; x < ts_.layout().slots().size(); ++x) {
            const ir::SlotId slot{x};
            if (ts_.layout().slot(slot).kind == ir::ValueKind::mutex && ts_.layout().read(cur.data(), slot) >= 0)
                r.example_state.push_back(fmt::format("{} is {}", ts_.layout().slot(slot).name,
                                                      ts_.layout().format(slot, ts_.layout().read(cur.data(), slot))));
        }
    }
};

std::string situation(const ir::TransitionSystem& ts, ir::Interpreter& in, ir::ProcessId p, const std::uint8_t* s) {
    const auto& proc = ts.process(p);
    const auto& layout = ts.layout();
    const auto loc = static_cast<std::uint32_t>(layout.read(s, proc.pc));
    if (proc.locations[loc].terminal) return fmt::format("{} has finished", proc.name);
    const auto g = proc.group_at[loc];
    if (g == ir::no_group) return fmt::format("{} is stuck at {}", proc.name, where_text(ts, proc, loc));
    if (has_move(in, g, s)) return fmt::format("{} is at {}", proc.name, where_text(ts, proc, loc));
    // Blocked. A mutex whose release would let the step fire is the reason; else a condition.
    std::vector<std::uint8_t> probe(s, s + ts.state_buffer_size());
    for (std::uint32_t x = 0; x < layout.slots().size(); ++x) {
        const ir::SlotId slot{x};
        if (layout.slot(slot).kind != ir::ValueKind::mutex) continue;
        const auto owner = layout.read(s, slot);
        if (owner < 0) continue;
        layout.write(probe.data(), slot, -1);
        const bool frees = has_move(in, g, probe.data());
        layout.write(probe.data(), slot, owner);
        if (frees)
            return fmt::format("{} waits at {}: {} is {}", proc.name, where_text(ts, proc, loc), layout.slot(slot).name,
                               layout.format(slot, owner));
    }
    bool guard = false;
    for (const auto& in_instr : ts.group(g).code.code) guard = guard || in_instr.kind == ir::InstrKind::guard;
    if (guard) return fmt::format("{} waits at {}: the condition is false", proc.name, where_text(ts, proc, loc));
    return fmt::format("{} is blocked at {}", proc.name, where_text(ts, proc, loc));
}

}  // namespace

std::string process_situation(const ir::TransitionSystem& ts, ir::ProcessId p, const std::uint8_t* s) {
    ir::Interpreter in(ts);
    return situation(ts, in, p, s);
}

QueryResult query(const ir::TransitionSystem& ts, const traces::Schedule& schedule, const Limits& limits,
                  const std::atomic<bool>* cancel) {
    IOMC_CHECK(schedule.entries.size() < 0xFFFF);
    return Query(ts, schedule, limits, cancel).run();
}

}  // namespace iomc::explore
