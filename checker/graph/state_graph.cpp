// SPDX-License-Identifier: MIT
#include "checker/graph/state_graph.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "checker/ir/interp.hpp"
#include "checker/support/hash.hpp"

namespace iomc::graph {

StateGraph::StateGraph(const ir::TransitionSystem& ts, const explore::Limits& limits, const std::atomic<bool>* cancel)
    : ts_(ts), bytes_(ts.layout().bytes()), stride_(ts.state_buffer_size()), store_(bytes_) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    std::vector<std::uint8_t> init(stride_);
    ts.initial_state(init.data());
    store_.insert(init.data());
    discovered(0, 0, ir::Step{});
    ir::Interpreter in(ts);
    std::vector<std::uint8_t> cur(stride_);
    std::uint32_t next = 0;
    first_edge_.push_back(0);
    for (; next < size(); ++next) {
        if ((next & 1023U) == 0) {
            reason_ = explore::limit_reason(limits, cancel, elapsed(), memory());
            if (!reason_.empty()) break;
        }
        std::copy(state(next), state(next) + bytes_, cur.begin());
        std::fill(cur.begin() + static_cast<std::ptrdiff_t>(bytes_), cur.end(), 0);
        bool over = false;
        in.successors(cur.data(), [&](ir::GroupId g, const ir::Emission& e) {
            if (!e.next || over) return;
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
                const auto r = store_.insert(e.next, h);
                to = r.index;
                if (r.fresh) discovered(to, next, ir::Step{g, e.index});
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

std::uint64_t StateGraph::memory() const {
    return store_.memory_bytes() + parent_.capacity() * 16 + edges_.capacity() * sizeof(Edge);
}

}  // namespace iomc::graph
