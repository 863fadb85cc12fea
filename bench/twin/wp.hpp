// SPDX-License-Identifier: MIT
/// @file The outcomes of one step, for the Promela twin (promela.hpp): which fork and
/// choose decisions a run of the step can make, and, for each decision vector and end location,
/// the condition on the state before the step under which the run ends there.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/twin/expr.hpp"
#include "checker/ir/transition_system.hpp"

namespace iomc::bench::twin {

/// Fork and choose decisions of one outcome: instruction -> alternative (fork) or value (choose).
using Choices = std::map<std::uint32_t, std::int64_t>;

/// What the translation of a step needs to know of the model.
struct Context {
    const ir::TransitionSystem& ts;
    std::vector<char> selected;  ///< per property: the twin asserts it
    [[nodiscard]] bool checks(ir::PropertyId p) const { return selected[ir::idx(p)] != 0; }
    [[nodiscard]] const ir::Slot& slot_of(const Expr& lv) const { return ts.layout().slot(lv.slot); }
};

/// The instructions of `f` that a run with decisions `c` can reach (both ways at a branch).
/// `open`, when given, receives the first fork or choose met that `c` does not decide.
std::vector<char> reachable(const ir::Fragment& f, const Choices& c, std::optional<std::uint32_t>* open = nullptr);

/// Every decision vector of `f`: one per combination of the forks and chooses a run can meet
/// (a fork on one alternative of another is decided only where that alternative is taken).
/// `step` names the step in errors.
std::vector<Choices> decisions(const Context& cx, const ir::Fragment& f, const std::string& step);

/// lo <= v <= hi of slot s, folded.
Expr in_range(const Expr& v, const ir::Slot& s);

/// The condition on the state before the step under which the run with decisions `c` ends at
/// `finish` to location `target`, or at a check that reports a property the twin asserts (so
/// that SPIN sees the report). Computed backwards by substitution where the step has no loop,
/// else by running its paths forwards (a `while` loop inside an atomic block): a branch on the
/// state splits the path; at a loop's head the path splits on each value of the first slot the
/// condition reads until it folds to a constant. Throws Error on a choice inside a loop,
/// past 20,000 paths or past 10,000 instructions on one path.
Expr precondition(const Context& cx, const ir::Fragment& f, const Choices& c, std::uint32_t target,
                  const std::string& step);

}  // namespace iomc::bench::twin
