// SPDX-License-Identifier: MIT
/// @file Exhaustive explicit-state search (BFS or DFS) over an ir::TransitionSystem, with exact
/// state storage, parent links for counterexamples, limits, and per-property verdicts.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore/compact_store.hpp"
#include "checker/explore/scalarset_use.hpp"
#include "checker/ir/interp.hpp"
#include "checker/ir/transition_system.hpp"
#include "checker/reduce/por_tables.hpp"
#include "checker/reduce/symmetry.hpp"
#include "traces/trace.hpp"

namespace iomc::explore {

enum class Strategy : std::uint8_t { bfs, dfs };

enum class Verdict : std::uint8_t { holds, violated, incomplete };

/// "holds", "violated", "incomplete": as JSON and the CLI print it.
const char* to_string(Verdict v);

/// When to give up. Zero means no limit.
struct Limits {
    std::uint64_t max_states = 0;
    /// Bytes of the process: its resident set when a search begins plus what the search's
    /// structures (states, tables, parent links, queues, graph edges) reserve.
    std::uint64_t max_memory = 0;
    double time_limit = 0;          ///< seconds
    /// max_memory is the default (explore::default_memory_limit()), not the user's: the
    /// message says so and how to change it.
    bool memory_default = false;
};

/// The limits left for a follow-up search (the shortest trace of the full graph, the
/// fewest-switches trace) after `used` seconds of `limits.time_limit`: the same limits with the
/// rest of the time, or nothing when no time is left. A user's time limit bounds the whole
/// command, not each search in it.
std::optional<Limits> remaining_after(const Limits& limits, double used);

/// Why a search must stop now, or empty: "interrupted" (`cancel` set, may be null), "time
/// limit 5s reached" after `seconds`, "memory limit N bytes reached" at `memory` bytes. The
/// state limit is each search's own (what it counts differs).
std::string limit_reason(const Limits& limits, const std::atomic<bool>* cancel, double seconds, std::uint64_t memory);
/// "memory limit N bytes reached", and where N is the default, that it is and how to change it.
std::string memory_limit_reason(const Limits& limits);
/// The same, for an analysis after the search ("... in the liveness analysis").
std::string memory_limit_reason(const Limits& limits, std::string_view analysis);

/// Figures for a progress line; passed to Options::progress about twice a second.
struct Progress {
    std::uint64_t states = 0;
    std::uint64_t transitions = 0;
    std::uint64_t queue = 0;
    std::uint64_t depth = 0;
    std::uint64_t memory = 0;
    double seconds = 0;
    bool whole_graph = false;  ///< the whole state graph of liveness and lock order, not the search
};

struct Options {
    Strategy strategy = Strategy::bfs;
    Limits limits;
    /// Properties to check; empty means all of them. runtime_errors is always checked.
    std::vector<ir::PropertyId> properties;
    /// Stop at the first violation (iomc check). When false, keep going until every checked
    /// property has a counterexample or the state space is exhausted (iomc test).
    bool stop_at_first = true;
    /// Partial-order reduction (stubborn sets, checker/reduce/stubborn_set.hpp).
    bool por = false;
    /// Its cycle proviso: static (back edges of the processes' control flow, no lookups; the
    /// same reduced graph for every search) or stored (the successors' discovery order).
    reduce::Proviso proviso = reduce::Proviso::static_loops;
    /// Pass through the states whose stubborn set is one invisible step with one outcome without
    /// storing them (single-step chains, checker/explore/chains.hpp): with the static proviso
    /// and without symmetry only.
    bool chains = true;
    /// Verify the stubborn-set conditions against the full successor set at every expanded
    /// state; a breach stops the search with Result::self_check_failure.
    bool por_check = false;
    /// Check wait cycles (deadlock) with every step that changes what they read visible to the
    /// partial-order reduction, even where they are a stable predicate (see Reductions::
    /// wait_cycles). The search falls back to it by itself; tests set it to compare the two.
    bool wait_cycles_visible = false;
    /// Threads of the breadth-first search (1: sequential; 0: one per core). DFS is always
    /// sequential.
    unsigned threads = 1;
    /// How BFS stores states: exact (default), compact (lossless tree compression) or hash
    /// (lossy hash compaction); compact and hash run on one thread. DFS stores exactly.
    StorageKind storage = StorageKind::exact;
    /// Scalarset symmetry reduction (checker/reduce/symmetry.hpp).
    reduce::SymmetryMode symmetry = reduce::SymmetryMode::off;
    /// Set from another thread or a signal handler to stop the search (verdict incomplete).
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(const Progress&)> progress;
};

struct Stats {
    std::uint64_t states = 0;       ///< distinct states stored
    std::uint64_t transitions = 0;  ///< successors generated (including already seen ones)
    std::uint64_t depth = 0;        ///< longest shortest path (BFS) or deepest path (DFS)
    double seconds = 0;
    std::uint64_t memory = 0;       ///< bytes of states, hash table and parent links
    std::uint64_t state_bytes = 0;  ///< bytes of one packed state
    unsigned threads = 1;           ///< threads the search ran on
    StorageKind storage = StorageKind::exact;  ///< how states were stored
    /// Hash compaction: an upper bound on the probability that a state was missed (a "holds"
    /// is then no proof).
    double omission_probability = 0;
};

/// The outcome for one property.
struct PropertyResult {
    ir::PropertyId property{0};
    Verdict verdict = Verdict::incomplete;
    std::optional<traces::Counterexample> counterexample;
};

/// A rational figure: num / den with den > 0.
struct Ratio {
    std::int64_t num = 0;
    std::int64_t den = 1;
    [[nodiscard]] double value() const { return static_cast<double>(num) / static_cast<double>(den); }
    [[nodiscard]] bool less(const Ratio& o) const { return num * o.den < o.num * den; }
};

/// "3", "0.5", "1.333": how a ratio prints.
std::string format_ratio(const Ratio& r);

/// A metric over the end states (no step possible, every process at a valid end) of the runs
/// explored: their minimum and maximum.
struct MetricResult {
    std::string name;
    std::uint64_t end_states = 0;   ///< end states where the metric is defined
    std::uint64_t undefined = 0;    ///< end states where its `per` part is zero
    Ratio min, max;
};

/// Evaluates metric `m` in state `s`; nothing when its denominator is zero or evaluation fails.
std::optional<Ratio> evaluate_metric(ir::Interpreter& in, const ir::Metric& m, const std::uint8_t* s);

/// Which reductions a search used, and what they did.
struct Reductions {
    bool por = false;               ///< partial-order reduction ran
    std::string por_off;            ///< why it was asked for but not used ("" if used or not asked)
    std::uint64_t por_reduced = 0;  ///< states expanded with a proper stubborn set
    std::uint64_t por_proviso = 0;  ///< states widened to a full expansion by the cycle proviso
    std::uint64_t por_expanded = 0; ///< states expanded
    std::uint64_t por_chained = 0;  ///< states passed through in single-step chains, not stored
    /// Single-step chains: "on", or "off: WHY" ("" without partial-order reduction).
    std::string chains;
    std::string proviso;            ///< the cycle proviso applied, por_proviso_text()
    /// The bools partial-order reduction takes as locks (reduce/bool_locks.hpp), in slot order.
    std::vector<std::string> bool_locks;
    reduce::Proviso proviso_kind = reduce::Proviso::static_loops;  ///< the same, as an enum
    reduce::SymmetryMode symmetry = reduce::SymmetryMode::off;  ///< the mode used (off: none)
    std::vector<std::string> symmetric;  ///< the scalarsets reduced, "types::Dev (4)"
    /// Scalarsets not reduced because the model breaks their symmetry: "types::Group: the
    /// literal Group(0) names one element (file.mc:3:7)".
    std::vector<std::string> asymmetric;
    std::uint64_t sym_heuristic = 0;  ///< states whose representative was not exact
    /// How partial-order reduction keeps deadlock's wait cycles: "" (not checked, or no
    /// reduction), "stable" (no step visible: a cycle lasts, so any state the full graph reaches
    /// from it has one too), or "visible: WHY" (every step that changes what the check reads is
    /// visible, like an invariant's; WHY says what breaks stability).
    std::string wait_cycles;
};


/// The cycle proviso the search applies with partial-order reduction, as reports print it.
const char* por_proviso_text(reduce::Proviso p, Strategy s);

struct Result {
    /// violated if any checked property is; holds only if the search finished; else incomplete.
    Verdict verdict = Verdict::incomplete;
    std::vector<PropertyResult> properties;  ///< one per checked property, in id order
    /// The first violation found (shortest for BFS), when verdict is violated.
    std::optional<traces::Counterexample> counterexample;
    Stats stats;
    std::string incomplete_reason;  ///< "state limit 1000 reached", "interrupted", ...
    bool complete = false;          ///< the whole reachable state space was explored
    std::vector<MetricResult> metrics;  ///< one per metric of the model, in declaration order
    /// Per scalarset of size > 1, the most of its values one explored state uses.
    std::vector<ScalarsetUse> scalarset_use;
    Reductions reductions;
    /// A self-check (--por-check) found a breach: a bug in iomc, with the state, the set and
    /// the step that shows it. The verdict is then incomplete.
    std::string self_check_failure;
    /// A step unlocked a mutex its process did not hold (noted where the plan watched for it:
    /// Plan::watch_unowned_unlocks).
    bool unowned_unlock = false;
};

/// Explores `ts`. Not thread-safe with respect to `ts` mutation (there is none: ts is const).
Result check(const ir::TransitionSystem& ts, const Options& options);

}  // namespace iomc::explore
