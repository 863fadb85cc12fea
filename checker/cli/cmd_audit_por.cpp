// SPDX-License-Identifier: MIT
#include "checker/cli/cmd_audit_por.hpp"

#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checker/cli/exit_codes.hpp"
#include "checker/cli/load.hpp"
#include "checker/symbolic/audit.hpp"
#include "checker/symbolic/bmc.hpp"

namespace iomc::cli {

namespace {

std::string step_text(const ir::TransitionSystem& ts, ir::GroupId g) {
    const auto& grp = ts.group(g);
    return fmt::format("{} '{}' ({})", ts.process(grp.process).name, grp.text, ts.sources().file_line(grp.where));
}

std::string finding_head(const ir::TransitionSystem& ts, const symbolic::AuditFinding& f) {
    std::string s = fmt::format("{}: {}", symbolic::claim_name(f.claim), step_text(ts, f.a));
    if (f.b != ir::no_group) s += fmt::format(" and {}", step_text(ts, f.b));
    if (f.mutex != UINT32_MAX) s += fmt::format(", mutex {}", ts.layout().slots()[f.mutex].name);
    return s;
}

nlohmann::json step_json(const ir::TransitionSystem& ts, ir::GroupId g) {
    const auto& grp = ts.group(g);
    return {{"process", ts.process(grp.process).name}, {"step", grp.text}, {"where", ts.sources().file_line(grp.where)}};
}

nlohmann::json finding_json(const ir::TransitionSystem& ts, const symbolic::AuditFinding& f) {
    nlohmann::json j = {{"claim", symbolic::claim_name(f.claim)}, {"a", step_json(ts, f.a)}, {"problem", f.problem}};
    if (f.b != ir::no_group) j["b"] = step_json(ts, f.b);
    if (f.mutex != UINT32_MAX) j["mutex"] = ts.layout().slots()[f.mutex].name;
    if (f.verdict == symbolic::ClaimVerdict::failed) {
        nlohmann::json st = nlohmann::json::array();
        for (const auto& [slot, value] : f.state) st.push_back({{"slot", slot}, {"value", value}});
        j["state"] = std::move(st);
    }
    return j;
}

}  // namespace

CLI::App* add_audit_por(CLI::App& app, AuditPorOptions& o) {
    auto* a = app.add_subcommand("audit-por",
                                 "prove with Z3 the claims the partial-order reduction takes from the model's static "
                                 "footprints: steps it may treat as independent commute and neither disables nor "
                                 "enables the other; pure locks block; only unlock releases; a bool taken as a lock is one; control flow");
    a->add_option("MODEL", o.model, "the .mc file")->required();
    a->add_option("--variant", o.variant, "variant to build (default: the first declared)");
    a->add_option("-D,--define", o.defines, "override a constant")->type_name("NAME=VALUE");
    a->add_option("--time-limit", o.time_limit, "stop after this many seconds (exit 3)")->type_name("SECONDS");
    a->add_flag("--json", o.json, "print one JSON object on stdout (fields: docs/cli.md)");
    a->footer("Exit codes: 0 every claim proved, 1 a claim fails (with a state), 2 usage or model error or a "
              "construct the encoding does not support, 3 Z3 gave up or the time limit ran out.\n"
              "Example:\n  iomc audit-por models/scenarios/probe_iommu_group_race.mc --variant a_66");
    return a;
}

int run_audit_por(const AuditPorOptions& o) {
    auto model = load_model(o.model);
    if (!model) return exit_error;
    auto ts = compile_model(*model, o.variant, o.defines);
    if (!ts) return exit_error;
    symbolic::AuditOptions ao;
    ao.time_limit = o.time_limit;
    const auto r = symbolic::audit_por(*ts, ao);
    if (!r.unsupported.empty()) {
        std::fprintf(stderr, "iomc: error: the symbolic encoding does not support this model yet: %s\n",
                     r.unsupported.c_str());
        return exit_error;
    }
    std::string verdict;
    int code = exit_holds;
    if (!r.failed.empty()) {
        verdict = fmt::format("fail: {} claim{} do{} not hold", r.failed.size(), r.failed.size() == 1 ? "" : "s",
                              r.failed.size() == 1 ? "es" : "");
        code = exit_violated;
    } else if (!r.solver_error.empty()) {
        verdict = fmt::format("incomplete: Z3 failed ({})", r.solver_error);
        code = exit_incomplete;
    } else if (!r.time_out_reason.empty()) {
        verdict = fmt::format("incomplete: {}, before any claim was audited", r.time_out_reason);
        code = exit_incomplete;
    } else if (r.time_out) {
        verdict = fmt::format("incomplete: time limit {}s reached before every claim was audited", o.time_limit);
        code = exit_incomplete;
    } else if (!r.unknown.empty()) {
        verdict = fmt::format("incomplete: Z3 gave up on {} claim{} ({})", r.unknown.size(),
                              r.unknown.size() == 1 ? "" : "s", r.unknown.front().problem);
        code = exit_incomplete;
    } else {
        verdict = "pass: every claim proved";
    }
    auto counts = [](const symbolic::AuditCounts& c) {
        return nlohmann::json{{"audited", c.audited}, {"proved", c.proved}};
    };
    if (o.json) {
        nlohmann::json j = {{"model", ts->info().file},
                            {"variant", ts->info().variant},
                            {"independence", counts(r.independence)},
                            {"dependent_pairs", r.dependent_pairs},
                            {"pure_lock", counts(r.pure_lock)},
                            {"release", counts(r.release)},
                            {"control_flow", counts(r.control_flow)},
                            {"bool_lock", counts(r.bool_lock)},
                            {"result", verdict.substr(0, verdict.find(':'))},
                            {"reason", verdict.substr(verdict.find(':') + 2)},
                            {"solver_queries", r.queries},
                            {"seconds", r.seconds}};
        nlohmann::json failed = nlohmann::json::array(), unknown = nlohmann::json::array();
        for (const auto& f : r.failed) failed.push_back(finding_json(*ts, f));
        for (const auto& f : r.unknown) unknown.push_back(finding_json(*ts, f));
        j["failed"] = std::move(failed);
        j["unknown"] = std::move(unknown);
        std::puts(j.dump(2).c_str());
        return code;
    }
    std::string out = report_header(*model, *ts);
    out += fmt::format("audit-por: the partial-order reduction's static claims, over every valid state ({})\n",
                       symbolic::z3_version());
    out += fmt::format("independence: {} pairs of steps whose static footprints do not conflict, {} proved\n",
                       r.independence.audited, r.independence.proved);
    out += fmt::format("  not audited: {} pairs whose static footprints conflict (the reduction decides them per "
                       "state, from the footprints recorded there)\n",
                       r.dependent_pairs);
    out += fmt::format("pure lock: {} steps, {} proved\n", r.pure_lock.audited, r.pure_lock.proved);
    out += fmt::format("release: {} steps x mutexes, {} proved\n", r.release.audited, r.release.proved);
    out += fmt::format("control flow: {} steps, {} proved\n", r.control_flow.audited, r.control_flow.proved);
    if (r.bool_lock.audited > 0)
        out += fmt::format("bool lock: {} steps x bools taken as locks, {} proved\n", r.bool_lock.audited,
                           r.bool_lock.proved);
    for (const auto& f : r.failed) {
        out += fmt::format("\nFAILED {}\n  {}\n  state:", finding_head(*ts, f), f.problem);
        for (const auto& [slot, value] : f.state) out += fmt::format(" {}={}", slot, value);
        out += "\n";
    }
    for (const auto& f : r.unknown) out += fmt::format("\nUNKNOWN {}\n  {}\n", finding_head(*ts, f), f.problem);
    out += fmt::format("result: {} ({} claims asked of the solver, the others equal term for term; {:.2f} s)\n",
                       verdict, r.queries, r.seconds);
    std::fputs(out.c_str(), stdout);
    return code;
}

}  // namespace iomc::cli
