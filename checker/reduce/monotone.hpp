// SPDX-License-Identifier: MIT
/// @file Counters that only grow, and the steps that grow one: what lets the static cycle proviso
/// ignore a bounded loop (`while (n < OPS) { ...; n += 1; }`).
///
/// A slot is monotone when every instruction of every step that may write it is `v = v + c`
/// (or `v = c + v`, `v = v - c` with c <= 0) of that slot itself, with a constant c >= 0. Writes
/// are range-checked (a value past the slot's range is a runtime error and the path ends), so
/// a monotone slot never decreases along a run. In a cycle of states every slot comes back to
/// its value, so a monotone slot is constant along the cycle, and no step of the cycle strictly
/// increases one. A step from location l to location `to` is *increasing* when every path of its
/// code that ends at `to` runs such an increment with c >= 1 of some monotone slot: it lies on
/// no cycle of states, and the static proviso's depth-first search can leave it out of the
/// location graph (PorTables::mark_back_edges).
#pragma once

#include <cstdint>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::reduce {

/// Per slot of ts: 1 if no step ever decreases it (see the file comment).
std::vector<char> monotone_slots(const ir::TransitionSystem& ts);

/// The locations `to` (sorted) such that every path of `f` ending in `finish to` strictly
/// increases a slot `monotone` marks.
std::vector<std::uint32_t> increasing_targets(const ir::Fragment& f, const std::vector<char>& monotone);

}  // namespace iomc::reduce
