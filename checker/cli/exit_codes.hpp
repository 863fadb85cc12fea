// SPDX-License-Identifier: MIT
/// @file The iomc binary's exit codes (listed in --help). Only checker/cli maps results to them.
#pragma once

namespace iomc::cli {

enum ExitCode : int {
    exit_holds = 0,       ///< every checked property holds (exploration complete); test: all pass
    exit_violated = 1,    ///< a property is violated; test: an expectation failed
    exit_error = 2,       ///< usage or model error (diagnostics printed)
    exit_incomplete = 3,  ///< a limit (or Ctrl-C) stopped the search before a verdict
    exit_self_check = 4,  ///< a self-check (--por-check) found a bug in iomc
    exit_query_feasible = 0,    ///< query: some run takes the schedule's entries in order
    exit_query_infeasible = 1,  ///< query: no run does
};

}  // namespace iomc::cli
