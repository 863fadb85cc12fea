// SPDX-License-Identifier: MIT
/// @file `iomc compare`: every variant of a model x every property, in one run.
#pragma once

#include <string>
#include <vector>

#include "checker/cli/options.hpp"

namespace iomc::cli {

struct CompareOptions {
    CommonOptions common;
    std::string model;
    std::vector<std::string> properties;  ///< empty: all
    bool json = false;
};

/// Exit codes: 0 every cell has a verdict, 2 a variant does not compile (or a replay contradicts
/// a search: a bug), 3 a limit stopped some variant's search.
int run_compare(const CompareOptions& o);

}  // namespace iomc::cli
