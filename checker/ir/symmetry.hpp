// SPDX-License-Identifier: MIT
/// @file How permutations of each scalarset act on states: which slots and process instances
/// each scalarset indexes, which slots hold its values, where an unrolled loop walks it in
/// order, and where the model breaks its symmetry. The front end fills it; symmetry
/// reduction (checker/reduce/symmetry.hpp) reads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/support/source.hpp"

namespace iomc::ir {

/// A construct that makes a scalarset's values distinguishable (Murphi's rules): a literal
/// `Dev(0)`, arithmetic or ordering on its values, a conversion, a loop whose single step
/// depends on the order it visits them.
struct SymmetryBreach {
    std::string what;             ///< "the literal Dev(0) names one element"
    support::SourceRange where;
};

struct ScalarsetSymmetry {
    std::string name;             ///< as the model names it from the root file: "types::Dev"
    std::uint32_t size = 0;
    std::uint32_t layout_index = 0;  ///< its index in StateLayout::scalarset_names (Slot::type_index)
    std::vector<SymmetryBreach> breaches;  ///< empty: every permutation is an automorphism
    std::string size_name;        ///< the constant that sets its size: "types::N_DEVS" ("" for a literal)
};

/// A coordinate of a slot or process instance: element `value` of scalarset `scalarset`.
struct SymmetryCoord {
    std::uint32_t scalarset = 0;  ///< index into Symmetry::scalarsets
    std::uint32_t value = 0;
    friend bool operator==(const SymmetryCoord&, const SymmetryCoord&) = default;
};

/// Empty when the model has no scalarsets. Slots (and processes) with the same shape are images
/// of each other: `dev_group[0]` and `dev_group[1]` (shape "dev_group", coordinates Dev 0 and
/// Dev 1), `client(0).r` and `client(1).r`. Shape 0 means no coordinates: every permutation
/// leaves the slot where it is (its value may still be a scalarset value that it maps).
struct Symmetry {
    std::vector<ScalarsetSymmetry> scalarsets;
    std::vector<std::uint32_t> slot_shape;               ///< per slot
    std::vector<std::vector<SymmetryCoord>> slot_coords; ///< per slot, in the shape's order
    std::vector<std::uint32_t> process_shape;            ///< per process
    std::vector<std::vector<SymmetryCoord>> process_coords;
    /// walk[p][l * scalarsets.size() + s]: the element of scalarset s that process p is visiting
    /// at location l in an unrolled `for` loop over s (whose body has steps), or -1. Elements
    /// before it were visited, those after it were not: a permutation that keeps the walk
    /// meaningful maps each group to itself.
    std::vector<std::vector<std::int16_t>> walk;
};

}  // namespace iomc::ir
