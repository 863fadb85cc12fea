// SPDX-License-Identifier: MIT
/// @file `iomc audit-por`: Z3 proves the claims the partial-order reduction (checker/reduce)
/// takes from the IR's static tables, over every valid state (each slot in its range, the
/// processes at the steps' locations), not only the reachable ones:
///
/// - independence: two steps of different processes whose static footprints do not conflict
///   (neither's may_write meets the other's reads or may_write) commute and neither disables
///   or enables the other. For every path i of the first and j of the second (the paths after
///   the same choices at each fork and choose are one, merged where they meet: execute.cpp),
///   in every state
///   where both are at their locations: j runs from the state after i exactly when it runs
///   from the state itself (and the same for i after j), and when i and j both have a
///   successor, i then j and j then i end in the same state. This is what D1/D2 and the
///   necessary enabling sets of stubborn_set.cpp (closure()) rely on for steps they treat as
///   independent by their static footprints.
/// - pure locks: a step whose first action is `lock(m)` (PorTables::lock_target) has no path
///   at all, neither a successor nor a report, while another process holds m. closure() cuts
///   the future of a process waiting there (future_of()).
/// - releases: a step with no `unlock` of mutex m in its code (so not counted by
///   PorTables::may_release) never changes m while another process holds it.
/// - bool locks (reduce/bool_locks.hpp): for a bool m inferred a lock, "m is true exactly when
///   one process is at a location that holds it" is inductive: every step keeps it (the
///   initial state has it by construction: m false, every process at a location that does not
///   hold it). Pure lock and release claims on m read "held by another" as "m is true".
/// - control flow: every successor of a step puts its process at one of PorTables::next()'s
///   locations, from which the future footprints are computed.
///
/// Not audited (the reduction reads them per state from ir::Interpreter's recorded accesses):
/// independence of steps whose static footprints conflict but whose footprints recorded in one
/// state do not (two elements of one array), visibility (which steps write what a checked
/// invariant or the wait-cycle check reads), and the cycle proviso.
///
/// The public interface has no Z3 types: only checker/symbolic includes Z3.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::symbolic {

enum class AuditClaim : std::uint8_t { independence, pure_lock, release, control_flow, bool_lock };

/// "independence", "pure lock", "release", "control flow", "bool lock".
const char* claim_name(AuditClaim c);

enum class ClaimVerdict : std::uint8_t {
    proved,   ///< holds in every valid state
    failed,   ///< a state where it does not (AuditFinding::problem, ::state)
    unknown,  ///< Z3 gave up (AuditFinding::problem says why)
};

/// The verdict on one claim about one step (or pair of steps).
struct AuditFinding {
    AuditClaim claim = AuditClaim::independence;
    ClaimVerdict verdict = ClaimVerdict::proved;
    ir::GroupId a{0};
    ir::GroupId b = ir::no_group;         ///< independence only
    std::uint32_t mutex = UINT32_MAX;     ///< pure lock, release and bool lock: the mutex slot
    std::string problem;                  ///< failed: what goes wrong; unknown: Z3's reason
    /// failed: the state, as "slot" and "value" texts: the pcs and the slots the steps' static
    /// footprints name, in slot order.
    std::vector<std::pair<std::string, std::string>> state;
};

/// True when the static footprints of a and b do not conflict: the reduction may treat them
/// as independent without looking at a state.
bool statically_independent(const ir::TransitionGroup& a, const ir::TransitionGroup& b);

/// One claim at a time, over one transition system. Builds the encoding once (throws
/// Unsupported from encoder.hpp, as std::runtime_error, for a construct it does not support).
class PorAuditor {
public:
    /// `timeout_ms`: Z3's limit per claim; 0 = none. `seconds`: the auditor's whole limit, from
    /// now (0 = none): past it while the encoding is built the constructor throws
    /// std::runtime_error ("time limit 5s reached while encoding step 'x' of p"), and Z3 is
    /// interrupted when it passes (a claim then is unknown).
    explicit PorAuditor(const ir::TransitionSystem& ts, unsigned timeout_ms = 0, double seconds = 0);
    ~PorAuditor();
    PorAuditor(const PorAuditor&) = delete;
    PorAuditor& operator=(const PorAuditor&) = delete;

    /// Claims that needed the solver so far (the others were the same term on both sides).
    [[nodiscard]] std::uint64_t queries() const;
    /// Z3's limit for the next claims; 0 = none.
    void set_timeout(unsigned timeout_ms);

    /// Do a and b (of different processes) commute, and neither disable nor enable the other?
    /// Asked whatever their footprints: on a conflicting pair it finds the state that shows it.
    AuditFinding independence(ir::GroupId a, ir::GroupId b);
    /// Has pure lock step g on mutex slot m no path while another process holds m?
    AuditFinding pure_lock(ir::GroupId g, std::uint32_t m);
    /// Does g leave mutex slot m alone while another process holds it?
    AuditFinding release(ir::GroupId g, std::uint32_t m);
    /// Does every successor of g put its process at one of `targets`?
    AuditFinding control_flow(ir::GroupId g, const std::vector<std::uint32_t>& targets);
    /// Does g keep "bool m is true exactly when one process is at a location of `holding`"
    /// (per process, its locations that hold m) from every state where it holds?
    AuditFinding bool_lock(ir::GroupId g, std::uint32_t m, const std::vector<std::vector<std::uint32_t>>& holding);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct AuditCounts {
    std::uint64_t audited = 0;
    std::uint64_t proved = 0;
};

struct AuditResult {
    AuditCounts independence, pure_lock, release, control_flow, bool_lock;
    /// Pairs of steps of different processes whose static footprints conflict: the reduction
    /// decides them per state, the audit does not cover them.
    std::uint64_t dependent_pairs = 0;
    std::uint64_t queries = 0;          ///< claims that needed the solver (not syntactically equal)
    std::vector<AuditFinding> failed;   ///< in audit order
    std::vector<AuditFinding> unknown;  ///< Z3 gave up on these
    bool time_out = false;              ///< the whole audit's time limit stopped it
    /// Set when it stopped the audit while the encoding was being built (no claim audited):
    /// "time limit 5s reached while encoding step 'x' of p".
    std::string time_out_reason;
    std::string unsupported;            ///< set: the encoding does not support the model
    std::string solver_error;           ///< set: Z3 failed (an exception), the audit stopped
    double seconds = 0;
};

struct AuditOptions {
    double time_limit = 0;  ///< seconds for the whole audit (each claim gets what is left); 0 = none
};

/// Every claim of the model, in group order.
AuditResult audit_por(const ir::TransitionSystem& ts, const AuditOptions& o = {});

}  // namespace iomc::symbolic
