// SPDX-License-Identifier: MIT
/// @file Single-step chains of partial-order reduction: a state whose stubborn set is one
/// invisible step with one outcome (reduce::StubbornSets::single_step) has, in the reduced
/// graph, exactly one successor, so a search passes through it to that successor without
/// storing it, and on until a state that is not such a state; that one is stored, with the
/// stored state the chain started from as its parent. This is SPIN's statement merging done
/// per state from what the reduction knows (a lock step followed by work on what it protects is
/// merged when no other process can touch that), not from the syntax.
///
/// Why it keeps every verdict: the reduced graph with the chains' states contracted has the same
/// paths between stored states, and
/// - a chain state has a successor, so it is no deadlock and no end state (metrics);
/// - the chain's steps are invisible, and the step into its first state is too (the search
///   starts a chain only there), so every invariant, and the wait-cycle check where it is
///   visible, has the value it had in the stored state the chain left; a state with a wait
///   cycle ends the chain all the same, so that it is reported where the plain reduced search
///   reports it;
/// - the step has one outcome and a successor, so it reports nothing; the steps of other
///   processes at a chain state are not emitted by the reduced search there either;
/// - no chain step follows a back edge, and every cycle of states holds a back-edge step
///   (reduce/stubborn_set.hpp, the static proviso), so a chain never comes back to a state of
///   its own and ends; a cap bounds it all the same.
/// Used with the static proviso only (the stored one asks the store about each successor) and
/// without symmetry: a counterexample is rebuilt on concrete states (paths.cpp), where the
/// follower must take the same steps it took on the stored state, and the choice among equal
/// stubborn sets is not invariant under a permutation of the processes.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "checker/explore/plan.hpp"
#include "checker/ir/interp.hpp"
#include "checker/reduce/stubborn_set.hpp"

namespace iomc::explore {

class ChainFollower {
public:
    /// The longest chain followed; its last state is stored.
    static constexpr std::uint32_t max_steps = 4096;

    explicit ChainFollower(const Plan& plan);

    /// From state `x`, takes single steps while the state is one (and has no wait cycle), and
    /// returns the state where it stops: `x` itself when `x` is not one, else a pointer into
    /// this follower's buffers (valid until the next call). `visit(state, sets)` is called at
    /// each state passed through, after its stubborn set is computed; `steps`, if given,
    /// receives each step taken.
    template <class Visit>
    const std::uint8_t* follow(const std::uint8_t* x, Visit&& visit, std::vector<ir::Step>* steps = nullptr) {
        const std::uint8_t* cur = x;
        for (std::uint32_t n = 0; n < max_steps; ++n) {
            if (waits_ && !plan_.ts.wait_cycle(cur).empty()) return cur;
            ir::Step step;
            const std::uint8_t* next = sets_.single_step(cur, step);
            if (!next || std::memcmp(next, cur, bytes_) == 0) return cur;
            visit(cur, sets_);
            if (steps) steps->push_back(step);
            ++passed;
            std::vector<std::uint8_t>& to = (cur == a_.data()) ? b_ : a_;
            std::memcpy(to.data(), next, bytes_);
            cur = to.data();
        }
        return cur;
    }
    const std::uint8_t* follow(const std::uint8_t* x, std::vector<ir::Step>* steps = nullptr) {
        return follow(x, [](const std::uint8_t*, const reduce::StubbornSets&) {}, steps);
    }

    std::uint64_t passed = 0;  ///< states passed through without being stored

private:
    const Plan& plan_;
    std::size_t bytes_;
    bool waits_;
    ir::Interpreter interp_;
    reduce::StubbornSets sets_;
    std::vector<std::uint8_t> a_, b_;
};

}  // namespace iomc::explore
