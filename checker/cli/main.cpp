// SPDX-License-Identifier: MIT
/// @file The iomc binary: subcommands check, test, list, lint.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <new>

#include <CLI/CLI.hpp>

#include "checker/cli/cmd_audit_por.hpp"
#include "checker/cli/cmd_compare.hpp"
#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/cli/options.hpp"
#include "checker/cli/progress.hpp"

namespace {

constexpr std::uint64_t unbounded = std::numeric_limits<std::uint64_t>::max();

/// A whole number from `lo` to `hi`, checked on the option's text (options.hpp,
/// check_whole_number): a negative or out-of-range value is a usage error, not a wrap-around.
/// Used with ->transform(), since it also rewrites the text.
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi) {
    return CLI::Validator([lo, hi](std::string& text) { return iomc::cli::check_whole_number(text, lo, hi); }, "");
}

/// -I DIR: where relative imports are looked for after the importing file's folder.
void add_import_dirs(CLI::App* cmd) {
    cmd->add_option("-I,--import-path", iomc::cli::import_dirs,
                    "look for relative imports in this folder too, after the importing file's (repeatable; then "
                    "the folders of IOMC_PATH)")
        ->type_name("DIR");
}

void add_limits(CLI::App* cmd, iomc::cli::CommonOptions& c) {
    cmd->add_option("-D,--define", c.defines, "override a constant: -D N_DEVS=3 (repeatable)")->type_name("NAME=VALUE");
    cmd->add_option("--max-states", c.max_states,
                    "store at most this many states; a larger state space gives incomplete (exit 3)")
        ->transform(whole_number(1, unbounded));
    cmd->add_option("--max-memory", c.max_memory,
                    "stop (incomplete, exit 3) when the process would pass this size: 512M, 2G; default 3/4 of "
                    "the memory it may use (RAM, cgroup, ulimit -v), 0 for no limit")
        ->type_name("SIZE");
    cmd->add_option("--time-limit", c.time_limit, "stop after this many seconds")->type_name("SECONDS");
}

void add_common(CLI::App* cmd, iomc::cli::CommonOptions& c) {
    add_limits(cmd, c);
    cmd->add_option("--strategy", c.strategy, "search order: bfs (shortest counterexamples) or dfs")
        ->type_name("bfs|dfs");
    cmd->add_flag("--no-por", c.no_por,
                  "explore every interleaving: no partial-order reduction (on by default; docs/cli.md)");
    cmd->add_option("--proviso", c.proviso,
                    "the partial-order reduction's cycle proviso: static (default: no reduced set steps along a "
                    "loop of its process's control flow) or stored (none leads to a state stored earlier; fewer "
                    "states where processes loop a bounded number of times; docs/cli.md)")
        ->type_name("static|stored");
    cmd->add_flag("--no-chains", c.no_chains,
                  "store every state of the partial-order reduction's graph: no passing through states whose "
                  "stubborn set is one invisible step (single-step chains; docs/cli.md)");
    cmd->add_option("--threads", c.threads,
                    "threads of the breadth-first search (default: one per core); dfs runs on one")
        ->type_name("N")
        ->check(CLI::Range(1U, 1024U));
    cmd->add_option("--storage", c.storage,
                    "how BFS stores states: exact (default), compact (lossless tree compression, one thread) or "
                    "hash (lossy hash compaction, one thread: a holds verdict exits 3 unless --accept-lossy)")
        ->type_name("KIND");
    cmd->add_flag("--accept-lossy", c.accept_lossy,
                  "with --storage hash, exit 0 when every property holds (the verdict still says lossy)");
    cmd->add_option("--symmetry", c.symmetry,
                    "scalarset symmetry reduction: exact (one representative per orbit, default), heuristic "
                    "(sorted, faster, may keep several) or off; scalarsets the model breaks are never reduced")
        ->type_name("MODE");
    cmd->add_option("--fairness", c.fairness,
                    "fairness of liveness properties: weak (a process enabled in every state from some point "
                    "on steps; default) or strong (one enabled again and again steps; docs/language.md)")
        ->type_name("weak|strong");
    cmd->add_flag("--por-check", c.por_check,
                  "self-check: verify the partial-order reduction's conditions at every state against the full "
                  "successor set (slow; a failure is a bug in iomc, exit 4)");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace iomc::cli;
    CLI::App app{
        "iomc: a model checker for Linux IOMMU probe and ownership races.\n"
        "\n"
        "Exit codes: 0 every checked property holds (exploration complete; for test: every\n"
        "expectation met), 1 a property is violated (test: an expectation failed), 2 usage or\n"
        "model error, 3 incomplete (a limit or Ctrl-C stopped the search before a verdict,\n"
        "holds from lossy --storage hash, or out of memory), 4 a self-check (--por-check) found a\n"
        "bug in iomc.",
        "iomc"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "print help for every subcommand");

    CheckOptions check;
    auto* c = app.add_subcommand("check", "explore every interleaving of one variant; print the verdict and the "
                                          "shortest counterexample");
    c->add_option("MODEL", check.model, "the .mc file")->required();
    c->add_option("--variant", check.variant, "variant to build (default: the first declared)");
    c->add_option("--property", check.properties, "check only this property (repeatable; default: all)");
    c->add_flag("--json", check.json, "print one JSON object on stdout (fields: docs/cli.md)");
    c->add_flag("--all-properties", check.all_properties,
                "do not stop at the first violation; report every property's verdict");
    c->add_option("--trace-format", check.trace_format,
                  "counterexample format: columns (default on a terminal), steps (default otherwise), json (for "
                  "iomc replay; docs/traces.md), dot")
        ->type_name("FORMAT");
    c->add_option("--width", check.width, "width of the column diagram (default 100)")
        ->transform(whole_number(40, max_width));
    c->add_flag("--every-step", check.every_step, "column diagrams: one entry per step, instead of one per run of a context's steps in one procedure");
    c->add_option("--trace-out", check.trace_out, "write the counterexample to this file")->type_name("FILE");
    c->add_option("--trace", check.trace_kind,
                  "which counterexample: shortest (fewest steps, default) or fewest-switches (fewest context "
                  "switches between processes, then fewest steps)")
        ->type_name("KIND");
    c->add_option("--engine", check.engine,
                  "explicit (state enumeration, default), bmc (bounded model checking on Z3 up to --depth) or "
                  "kind (k-induction on Z3, k up to --depth, default 10); docs/cli.md")
        ->type_name("ENGINE");
    c->add_option("--depth", check.depth, "with --engine bmc: the longest run to search, in steps; with --engine kind: the largest k")
        ->type_name("K")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{100000}));
    c->add_flag("--merge-local", check.merge_local,
                "with --engine bmc: a step and the local steps of its process that follow it count as one "
                "(the trace lists every step); docs/cli.md");
    c->add_flag("--concurrent-steps", check.concurrent_steps,
                "with --engine bmc: one step fires any set of steps of different processes that touch no "
                "variable another of them writes (the trace lists every step); docs/cli.md");
    c->add_flag("--widen", check.widen,
                "with --engine bmc --concurrent-steps: rounds up to --depth, the first with only the first "
                "instance of each process taking steps, each next with one more instance of each, the last "
                "with all; docs/cli.md");
    c->add_option("--from-depth", check.from_depth, "with --engine bmc: the first depth to check (default 0)")
        ->type_name("D")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{100000}));
    c->add_option("--depth-step", check.depth_step,
                  "with --engine bmc: check every S-th depth from --from-depth (and --depth); each check covers "
                  "the shorter runs")
        ->type_name("S")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000}));
    add_common(c, check.common);
    c->footer("Example:\n  iomc check models/scenarios/probe_iommu_group_race.mc --variant a_66\n"
              "  iomc check bench/locks/locks.mc -D N=4 --max-states 1000000 --json");

    TestOptions test;
    auto* t = app.add_subcommand("test", "check every expect line of the .mc files under the given paths; print a "
                                         "table; exit 1 if any expectation fails");
    t->add_option("PATH", test.paths, "files or folders (searched for *.mc)")->required();
    add_common(t, test.common);
    t->footer("Example:\n  iomc test models/scenarios/\n  iomc test tests/fixtures/peterson.mc --max-states 100000");

    ListOptions list;
    auto* l = app.add_subcommand("list", "show variants, constants, processes and properties of a model");
    l->add_option("MODEL", list.model, "the .mc file")->required();
    l->add_option("--variant", list.variant, "variant to build (default: the first declared)");
    l->add_option("-D,--define", list.defines, "override a constant")->type_name("NAME=VALUE");
    l->footer("Example:\n  iomc list models/scenarios/probe_iommu_group_race.mc");

    SimulateOptions sim;
    auto* s = app.add_subcommand("simulate", "random walks for models too big to exhaust: check the properties on "
                                             "the way and average the metrics over the runs that end");
    s->add_option("MODEL", sim.model, "the .mc file")->required();
    s->add_option("--variant", sim.variant, "variant to build (default: the first declared)");
    s->add_option("-D,--define", sim.defines, "override a constant")->type_name("NAME=VALUE");
    s->add_option("--property", sim.properties, "check only this property (repeatable; default: all)");
    s->add_option("--runs", sim.runs, "number of random runs (default 1000)")->transform(whole_number(1, unbounded));
    s->add_option("--depth", sim.depth, "steps per run at most (default 10000)")->transform(whole_number(1, unbounded));
    s->add_option("--seed", sim.seed, "random seed; the same seed gives the same runs (default 1)")
        ->transform(whole_number(0, unbounded));
    s->footer("Example:\n  iomc simulate models/scenarios/iotlb_flush_policy.mc --variant fq_percpu --runs 10000");

    ReplayOptions replay;
    auto* r = app.add_subcommand("replay", "re-run a saved JSON trace against its model and confirm the violation; "
                                           "with --variant, replay it on another variant");
    r->add_option("TRACE", replay.trace, "a trace written by iomc check --trace-format json")->required();
    r->add_option("--variant", replay.variant,
                  "replay on this variant instead of the trace's: does the old interleaving still break it?");
    r->add_option("--trace-format", replay.trace_format,
                  "print the trace as steps (default), columns, json, dot, or none")
        ->type_name("FORMAT");
    r->add_option("--width", replay.width, "width of the column diagram (default 100)")
        ->transform(whole_number(40, max_width));
    r->add_flag("--every-step", replay.every_step, "column diagrams: one entry per step, instead of one per run of a context's steps in one procedure");
    r->footer("Example:\n  iomc check models/scenarios/probe_iommu_group_race.mc --variant a_66 --trace-format json "
              "--trace-out a66.json\n  iomc replay a66.json\n  iomc replay a66.json --variant a_66_fix");

    QueryOptions query;
    auto* q = app.add_subcommand("query", "is this interleaving possible? answer a schedule (entries of process and "
                                          "step, in order, gaps allowed) with a run that takes them, or with the "
                                          "first entry no run reaches and why");
    q->add_option("MODEL", query.model, "the .mc file")->required();
    q->add_option("--schedule", query.schedule, "the schedule file (format: docs/traces.md)")
        ->required()
        ->type_name("FILE");
    q->add_option("--variant", query.variant, "variant to build (default: the first declared)");
    q->add_option("--trace-format", query.trace_format,
                  "how to print the run: columns (default on a terminal), steps (default otherwise), json (needs a "
                  "'violates' line), dot")
        ->type_name("FORMAT");
    q->add_option("--width", query.width, "width of the column diagram (default 100)")
        ->transform(whole_number(40, max_width));
    q->add_flag("--every-step", query.every_step, "column diagrams: one entry per step, instead of one per run of a context's steps in one procedure");
    q->add_option("--trace-out", query.trace_out, "write the run to this file")->type_name("FILE");
    add_limits(q, query.limits);
    q->footer("Exit codes: 0 feasible, 1 infeasible, 2 usage, model or schedule error, 3 incomplete.\n"
              "Example:\n  iomc query models/scenarios/probe_iommu_group_race.mc --variant a_66 "
              "--schedule models/scenarios/probe_iommu_group_race.t1.sched");

    CompareOptions compare;
    auto* m = app.add_subcommand("compare", "every variant x every property in one run: a table with states and "
                                            "time per variant, and each counterexample replayed on the variants "
                                            "that keep its property");
    m->add_option("MODEL", compare.model, "the .mc file")->required();
    m->add_option("--property", compare.properties, "compare only this property (repeatable; default: all)");
    m->add_flag("--json", compare.json, "print one JSON object on stdout (fields: docs/cli.md)");
    add_common(m, compare.common);
    m->footer("Exit codes: 0 every cell has a verdict, 2 usage or model error, 3 a limit stopped a search.\n"
              "Example:\n  iomc compare models/scenarios/probe_iommu_group_race.mc");

    LintOptions lint;
    auto* n = app.add_subcommand("lint", "parse and type-check every variant of each model; run nothing");
    n->add_option("MODEL", lint.models, "the .mc files")->required();
    n->add_option("-D,--define", lint.defines, "override a constant")->type_name("NAME=VALUE");
    n->footer("Example:\n  iomc lint models/scenarios/*.mc");

    AuditPorOptions audit;
    auto* au = add_audit_por(app, audit);

    for (auto* cmd : {c, t, l, s, r, q, n, au}) add_import_dirs(cmd);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_error;
    }
    try {
        if (c->parsed()) return run_check(check);
        if (t->parsed()) return run_test(test);
        if (l->parsed()) return run_list(list);
        if (n->parsed()) return run_lint(lint);
        if (s->parsed()) return run_simulate(sim);
        if (r->parsed()) return run_replay(replay);
        if (q->parsed()) return run_query(query);
        if (m->parsed()) return run_compare(compare);
        if (au->parsed()) return run_audit_por(audit);
    } catch (const std::bad_alloc&) {
        // An allocation outside the searches' budgets failed (or --max-memory 0 let a search
        // grow until one did): no verdict, but no crash either.
        iomc::cli::clear_progress();
        std::fputs("iomc: error: out of memory: no verdict. --max-memory SIZE (by default 3/4 of the memory "
                   "this process may use) stops a search as incomplete before that, with its statistics\n",
                   stderr);
        return exit_incomplete;
    }
    return exit_error;
}
