// SPDX-License-Identifier: MIT
/// @file Strong ids shared by the IR and the engines.
#pragma once

#include <cstdint>
#include <limits>

namespace iomc::ir {

enum class SlotId : std::uint32_t {};      ///< a variable, pc or local in the state vector
enum class GroupId : std::uint32_t {};     ///< one location of one process instance
enum class ProcessId : std::uint32_t {};   ///< one process instance
enum class PropertyId : std::uint32_t {};  ///< one property (invariant, built-in check, ...)

constexpr std::uint32_t idx(SlotId s) { return static_cast<std::uint32_t>(s); }
constexpr std::uint32_t idx(GroupId g) { return static_cast<std::uint32_t>(g); }
constexpr std::uint32_t idx(ProcessId p) { return static_cast<std::uint32_t>(p); }
constexpr std::uint32_t idx(PropertyId p) { return static_cast<std::uint32_t>(p); }

constexpr PropertyId no_property{std::numeric_limits<std::uint32_t>::max()};
constexpr GroupId no_group{std::numeric_limits<std::uint32_t>::max()};

}  // namespace iomc::ir
