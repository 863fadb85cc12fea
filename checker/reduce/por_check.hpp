// SPDX-License-Identifier: MIT
/// @file The partial-order reduction's self-check (`--por-check`, as LTSmin's POR layer has):
/// at an expanded state, tests the stubborn set against the full successor set, one step deep:
/// every recorded write covers what the step changed; every enabled step inside the set
/// commutes with every enabled step outside it and neither disables the other; no step
/// outside enables a blocked step inside; and if a step inside is visible, none outside is.
/// A breach is a bug in iomc; the report names the state, the set and the step.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checker/ir/interp.hpp"
#include "checker/reduce/stubborn_set.hpp"

namespace iomc::reduce {

/// Holds its own interpreter: one per search thread.
class PorSelfCheck {
public:
    explicit PorSelfCheck(const ir::TransitionSystem& ts);
    /// Checks the set `por` chose at state `s` (its last expand()). Empty when it holds,
    /// else the bug report.
    std::string check(const StubbornSets& por, const std::uint8_t* s);
    /// Checks that the wait cycle `cycle` found in `s` is stable, as the reduction assumes where
    /// it makes no step visible to it (stable_waits.hpp): after every step of every process,
    /// each process of the cycle waits for the same mutex, held by the same process, and a
    /// cycle remains. Steps that report mutex misuse are skipped (an unlock by a non-owner:
    /// explore::check searches again with visible steps when the search reaches one). Empty
    /// when it holds, else the bug report.
    std::string check_wait_cycle(const std::uint8_t* s, const std::vector<std::uint32_t>& cycle);

private:
    struct Outcome {
        bool successor = false;
        ir::PropertyId prop = ir::no_property;
        std::vector<std::uint8_t> state;
    };
    std::vector<Outcome> fire(ir::GroupId g, const std::uint8_t* s);
    std::string describe(const std::uint8_t* s, const StubbornSets& por) const;
    std::string state_text(const std::uint8_t* s) const;
    std::string step_name(ir::GroupId g) const;

    const ir::TransitionSystem& ts_;
    ir::Interpreter interp_;
    std::size_t bytes_;
};

}  // namespace iomc::reduce
