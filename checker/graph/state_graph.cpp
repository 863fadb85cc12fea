// SPDX-License-Identifier: MIT
#include "checker/graph/state_graph.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/support/hash.hpp"

namespace iomc::graph {

StateGraph::StateGraph(const ir::TransitionSystem& ts, const explore::Limits& limits, const std::atomic<bool>* cancel,
                       const std::function<void(const explore::Progress&)>& progress)
    : ts_(ts),
      limits_(limits),
      budget_(limits.max_memory, explore::MemoryBudget::process_base(limits.max_memory)),
      bytes_(ts.layout().bytes()),
      stride_(ts.state_buffer_size()),
      store_(bytes_, &budget_) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    auto last_progress = t0;
    std::vector<std::uint8_t> init(stride_);
    ts.initial_state(init.data());
    const auto out_of_memory = [&] { reason_ = explore::memory_limit_reason(limits); };
    if (!room_for_state() || store_.insert(init.data(), support::hash_bytes(init.data(), bytes_)).refused ||
        !explore::budget_push(first_edge_, std::uint64_t{0}, budget_)) {
        out_of_memory();
        seconds_ = elapsed();
        return;
    }
    discovered(0, 0, ir::Step{});
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> cur(stride_);
    std::uint32_t next = 0;
    for (; next < size(); ++next) {
        if ((next & 1023U) == 0) {
            reason_ = explore::limit_reason(limits, cancel, elapsed(), memory());
            if (!reason_.empty()) break;
            if (progress && std::chrono::duration<double>(std::chrono::steady_clock::now() - last_progress).count() >= 0.5) {
                last_progress = std::chrono::steady_clock::now();
                explore::Progress p;
                p.states = size();
                p.transitions = edges_.size();
                p.queue = size() - next;
                p.depth = level_[next];
                p.memory = memory();
                p.seconds = elapsed();
                p.whole_graph = true;
                progress(p);
            }
        }
        std::copy(state(next), state(next) + bytes_, cur.begin());
        std::fill(cur.begin() + static_cast<std::ptrdiff_t>(bytes_), cur.end(), 0);
        bool over = false, refused = false;
        in.successors(cur.data(), [&](ir::GroupId g, const ir::Emission& e) {
            if (!e.next || over || refused) return;
            const std::uint64_t h = support::hash_bytes(e.next, bytes_);
            std::uint32_t to = 0;
            if (limits.max_states && size() >= limits.max_states) {
                const auto found = store_.find(e.next, h);
                if (!found) {
                    over = true;
                    return;
                }
                to = *found;
            } else {
                if (!room_for_state()) {
                    refused = true;
                    return;
                }
                const auto r = store_.insert(e.next, h);
                if (r.refused) {
                    refused = true;
                    return;
                }
                to = r.index;
                if (r.fresh) discovered(to, next, ir::Step{g, e.index});
            }
            refused = !explore::budget_push(edges_, Edge{to, ir::Step{g, e.index}}, budget_);
        });
        if (over || refused) {
            // The state stays unexpanded: out() gives it no edges.
            edges_.resize(first_edge_.back());
            if (over) {
                reason_ = fmt::format("state limit {} reached", limits.max_states);
            } else {
                out_of_memory();
            }
            break;
        }
        if (!explore::budget_push(first_edge_, std::uint64_t{edges_.size()}, budget_)) {
            edges_.resize(first_edge_.back());
            out_of_memory();
            break;
        }
    }
    complete_ = reason_.empty();
    seconds_ = elapsed();
}

bool StateGraph::room_for_state() {
    if (parent_.size() < parent_.capacity()) return true;
    constexpr std::size_t per_state = sizeof(std::uint32_t) * 2 + sizeof(ir::Step);
    const std::size_t old_cap = parent_.capacity();
    const std::size_t new_cap = std::max<std::size_t>(1024, old_cap * 2);
    // The old and the new buffers live together while the elements move.
    if (!budget_.reserve(new_cap * per_state)) return false;
    parent_.reserve(new_cap);
    parent_step_.reserve(new_cap);
    level_.reserve(new_cap);
    budget_.release(old_cap * per_state);
    return true;
}

void StateGraph::discovered(std::uint32_t id, std::uint32_t parent, ir::Step step) {
    parent_.push_back(parent);
    parent_step_.push_back(step);
    level_.push_back(id == 0 ? 0 : level_[parent] + 1);
    depth_ = std::max<std::uint64_t>(depth_, level_.back());
}

std::span<const Edge> StateGraph::out(std::uint32_t i) const {
    if (i + 1 >= first_edge_.size()) return {};
    return {edges_.data() + first_edge_[i], edges_.data() + first_edge_[i + 1]};
}

std::vector<ir::Step> StateGraph::path_to(std::uint32_t i) const {
    std::vector<ir::Step> out;
    while (i != 0) {
        out.push_back(parent_step_[i]);
        i = parent_[i];
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace iomc::graph
