// SPDX-License-Identifier: MIT
#include "traces/render_dot.hpp"

#include <vector>

#include <fmt/format.h>

namespace iomc::traces {

namespace {

/// Escapes a string for a DOT double-quoted label.
std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\l";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

std::string render_dot(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r) {
    std::string out = "digraph trace {\n";
    out += "  rankdir=TB;\n  newrank=true;\n";
    out += "  node [shape=box, fontname=\"monospace\", fontsize=10];\n";
    out += "  edge [color=gray40];\n";
    // Lanes in order of first action.
    std::vector<std::uint32_t> lanes;
    for (const auto& s : r.steps) {
        const auto p = ir::idx(s.process);
        bool seen = false;
        for (auto l : lanes) seen = seen || l == p;
        if (!seen) lanes.push_back(p);
    }
    for (std::size_t li = 0; li < lanes.size(); ++li) {
        const auto p = lanes[li];
        out += fmt::format("  subgraph cluster_{} {{\n    label=\"{}\";\n    style=rounded;\n", li,
                           esc(ts.process(ir::ProcessId{p}).name));
        for (std::size_t i = 0; i < r.steps.size(); ++i) {
            const auto& s = r.steps[i];
            if (ir::idx(s.process) != p) continue;
            const auto& g = ts.group(s.step.group);
            const std::string text = s.stmt != UINT32_MAX ? ts.statement(s.stmt).shown() : g.text;
            const std::string where =
                ts.sources().file_line(s.stmt != UINT32_MAX ? ts.statement(s.stmt).where : g.where);
            std::string label = fmt::format("{}) {}\n{}\n", i + 1, text, where);
            for (const auto& c : step_changes(ts, r, i)) label += c + "\n";
            if (s.reports) label += "! " + ir::format_message(ts.message(s.message), s.value) + "\n";
            out += fmt::format("    s{} [label=\"{}\"{}];\n", i + 1, esc(label), s.reports ? ", color=red" : "");
        }
        out += "  }\n";
    }
    // Time runs down: one edge per consecutive pair of steps.
    for (std::size_t i = 1; i < r.steps.size(); ++i) out += fmt::format("  s{} -> s{};\n", i, i + 1);
    if (cx.violation.property != ir::no_property) {
        out += fmt::format("  violation [shape=note, color=red, label=\"{}\"];\n",
                           esc("violated: " + describe(ts, cx.violation)));
        if (!r.steps.empty()) out += fmt::format("  s{} -> violation [style=dashed];\n", r.steps.size());
    }
    out += "}\n";
    return out;
}

}  // namespace iomc::traces
