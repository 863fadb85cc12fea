// SPDX-License-Identifier: MIT
#include "checker/graph/state_graph.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"

namespace iomc::graph {

StateGraph::StateGraph(const ir::TransitionSystem& ts, const explore::Limits& limits, const std::atomic<bool>* cancel)
    : ts_(ts), bytes_(ts.layout().bytes()), stride_(ts.state_buffer_size()) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    std::vector<std::uint8_t> init(stride_);
    ts.initial_state(init.data());
    intern(init.data(), 0, ir::Step{});
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> cur(stride_);
    std::uint32_t next = 0;
    first_edge_.push_back(0);
    for (; next < size(); ++next) {
        if ((next & 1023U) == 0) {
            reason_ = explore::limit_reason(limits, cancel, elapsed(), memory());
            if (!reason_.empty()) break;
        }
        std::copy(state(next), state(next) + stride_, cur.begin());
        bool over = false;
        in.successors(cur.data(), [&](ir::GroupId g, const ir::Emission& e) {
            if (!e.next || over) return;
            const auto key = std::string(reinterpret_cast<const char*>(e.next), bytes_);
            auto it = index_.find(key);
            std::uint32_t to = 0;
            if (it != index_.end()) {
                to = it->second;
            } else {
                if (limits.max_states && size() >= limits.max_states) {
                    over = true;
                    return;
                }
                to = intern(e.next, next, ir::Step{g, e.index});
            }
            edges_.push_back(Edge{to, ir::Step{g, e.index}, ts_.group(g).process});
        });
        if (over) {
            edges_.resize(first_edge_.back());
            reason_ = fmt::format("state limit {} reached", limits.max_states);
            break;
        }
        first_edge_.push_back(edges_.size());
    }
    complete_ = reason_.empty();
    seconds_ = elapsed();
}

std::uint32_t StateGraph::intern(const std::uint8_t* s, std::uint32_t parent, ir::Step step) {
    const auto id = size();
    states_.insert(states_.end(), s, s + stride_);
    std::fill(states_.end() - static_cast<std::ptrdiff_t>(stride_ - bytes_), states_.end(), 0);
    index_.emplace(std::string(reinterpret_cast<const char*>(s), bytes_), id);
    parent_.push_back(parent);
    parent_step_.push_back(step);
    level_.push_back(id == 0 ? 0 : level_[parent] + 1);
    depth_ = std::max<std::uint64_t>(depth_, level_.back());
    return id;
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

std::uint64_t StateGraph::memory() const {
    return states_.capacity() + index_.size() * (bytes_ + 48) + parent_.capacity() * 16 + edges_.capacity() * sizeof(Edge);
}

}  // namespace iomc::graph
