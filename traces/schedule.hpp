// SPDX-License-Identifier: MIT
/// @file Schedules: the interleaving a developer suspects, written like the two-column diagrams
/// of the mailing lists, as an ordered list of (process, step pattern) entries. `iomc query`
/// answers whether some run takes those steps in that order (explore/query.hpp). The format is
/// in docs/traces.md ("Schedule queries"):
///
///     # seed 004, T1
///     smmu_probe: probe_iommu_group "dev_group[d] ="   # a step in (or calling) a procedure
///     client(0):  __iommu_probe_device "return"
///     client(0):  @probe_complete                      # the step that reaches a label
///     smmu_probe: iommu_setup_default_domain
///     violates ops::dma_iommu_before_probe_complete    # optional, after the last entry
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"
#include "checker/support/diagnostic.hpp"
#include "checker/support/source.hpp"

namespace iomc::traces {

/// One entry: a step of `process` that matches a pattern.
struct ScheduleEntry {
    support::SourceRange where;     ///< the entry in the schedule file
    std::string text;               ///< the entry as written, comment and outer blanks removed
    ir::ProcessId process{0};
    /// `@label`: the label; the entry matches a step after which the process is at one of
    /// `label_locations`.
    std::string label;
    std::vector<std::uint32_t> label_locations;
    /// Statement patterns (`function "text"`, `function`, `"text"`): per statement id of the
    /// model, whether the pattern matches it.
    std::string function;           ///< without namespaces and without "()"
    std::string contains;
    std::vector<char> statement_matches;

    /// Does the step of `p` that ran statement `stmt` (UINT32_MAX: unknown) and left the
    /// process at location `location_after` match this entry?
    [[nodiscard]] bool matches(ir::ProcessId p, std::uint32_t stmt, std::uint32_t location_after) const;
    /// Could a step of this entry's process start at `location` (of `ts`) match it? Used to say
    /// that a process got to the step but could not take it.
    [[nodiscard]] bool could_start_at(const ir::TransitionSystem& ts, std::uint32_t location) const;
};

/// The most entries a schedule may have: explore::query numbers the entries matched so far in
/// 16 bits. A longer schedule is an error at its first entry past the limit.
inline constexpr std::size_t max_schedule_entries = 65534;

struct Schedule {
    std::vector<ScheduleEntry> entries;
    /// `violates P`: after the last entry, the run goes on until P is violated.
    std::optional<ir::PropertyId> violates;
    support::SourceRange violates_where;
};

/// Parses the schedule in file `file` of `sm` against `ts`. Errors go to `sink` with their place
/// in the schedule file; returns nothing when there are any.
std::optional<Schedule> parse_schedule(const ir::TransitionSystem& ts, const support::SourceManager& sm,
                                       support::FileId file, support::DiagnosticSink& sink);

}  // namespace iomc::traces
