// SPDX-License-Identifier: MIT
/// @file `iomc audit-por`: Z3 proves the partial-order reduction's static claims on one variant
/// (checker/symbolic/audit.hpp).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace iomc::cli {

struct AuditPorOptions {
    std::string model;
    std::string variant;
    std::vector<std::string> defines;
    double time_limit = 0;
    bool json = false;
};

/// Registers the subcommand on `app`.
CLI::App* add_audit_por(CLI::App& app, AuditPorOptions& o);

/// Exit codes: 0 every claim proved, 1 a claim fails (printed with a state that shows it), 2 a
/// usage or model error or a construct the encoding does not support, 3 Z3 gave up (timeout or
/// resource limit) on some claim and none failed.
int run_audit_por(const AuditPorOptions& o);

}  // namespace iomc::cli
