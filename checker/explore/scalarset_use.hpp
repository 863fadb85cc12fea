// SPDX-License-Identifier: MIT
/// @file How many values of each scalarset the states a search explores use at once, so that a
/// report can say when a size constant changes nothing but the state vector
/// ("types::N_GROUPS = 2, but only Group(0) is ever used").
///
/// A state uses value v of scalarset S when a slot of type S (or S?) holds v, when a slot
/// indexed by v (`x[v]`, a local of process instance `p(v)`) holds something other than its
/// initial value, or when process instance `p(v)` has left its initial location. The count is
/// the same for every state of a symmetry orbit, so it is exact with symmetry reduction on;
/// with partial-order reduction it is over the states the reduced search explores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::explore {

/// One scalarset of size > 1: the most of its values any explored state uses.
struct ScalarsetUse {
    std::string name;        ///< "types::Group"
    std::string size_name;   ///< "types::N_GROUPS", empty when the size is a literal
    std::uint32_t size = 0;
    std::uint32_t most = 0;  ///< the most values one explored state uses
    std::int32_t only = -1;  ///< when most <= 1: the one value used (-1: none, or several one at a time)
};

/// Counts, per search thread, the values each scalarset of size > 1 uses in the states it is
/// shown. Not thread-safe: one per thread, merged at the end.
class ScalarsetUseCounter {
public:
    explicit ScalarsetUseCounter(const ir::TransitionSystem& ts);

    /// Counts the values state `s` uses. Cheap once every scalarset has been seen at full use.
    void observe(const std::uint8_t* s);

    [[nodiscard]] const std::vector<ScalarsetUse>& result() const { return use_; }

private:
    struct Watch {
        std::uint32_t slot = 0;
        std::uint32_t set = 0;      ///< index into use_
        std::int32_t value = -1;    ///< the coordinate (-1: the slot holds a value of the set)
        std::int64_t init = 0;
    };
    const ir::TransitionSystem& ts_;
    std::vector<ScalarsetUse> use_;
    std::vector<Watch> watches_;
    std::vector<std::uint64_t> seen_;  ///< per set, scratch: bit v set when v is used
    std::uint32_t full_ = 0;           ///< sets whose every value was seen in one state
};

/// Merges a thread's counts into the total (the same scalarsets, in the same order).
void merge_scalarset_use(std::vector<ScalarsetUse>& total, const std::vector<ScalarsetUse>& part);

}  // namespace iomc::explore
