// SPDX-License-Identifier: MIT
#include "traces/render_columns.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "traces/render_steps.hpp"

namespace iomc::traces {

namespace {

constexpr std::size_t gap = 3;
constexpr std::size_t min_column = 24;

/// Breaks `text` into lines of at most `width` characters at spaces (a longer word keeps its
/// own line); continuation lines start with `indent` spaces.
std::vector<std::string> wrap(const std::string& text, std::size_t width, std::size_t indent) {
    std::vector<std::string> out;
    std::string rest = text;
    std::string prefix;
    while (!rest.empty()) {
        const std::size_t room = width > prefix.size() ? width - prefix.size() : 1;
        if (rest.size() <= room) {
            out.push_back(prefix + rest);
            break;
        }
        // Break at the last space that fits; a word longer than the room overflows rather than
        // being split (identifiers stay searchable in an email).
        std::size_t cut = rest.rfind(' ', room);
        if (cut == std::string::npos || cut == 0) {
            cut = rest.find(' ', room);
            if (cut == std::string::npos) {
                out.push_back(prefix + rest);
                break;
            }
        }
        out.push_back(prefix + rest.substr(0, cut));
        rest = rest.substr(cut);
        while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
        prefix.assign(indent, ' ');
    }
    if (out.empty()) out.emplace_back();
    return out;
}

/// The short name of a mutex slot: "core::group_mutex[0]" stays as is, minus the namespaces.
std::string short_name(const std::string& slot) {
    const auto bracket = slot.find('[');
    const auto colons = slot.rfind("::", bracket);
    return colons == std::string::npos ? slot : slot.substr(colons + 2);
}

/// Per slot: a local (or parameter) of an inlined procedure. The elaborator names those
/// "<instance>.<procedure>.<name>" and resets them when the procedure returns; process locals
/// are "<instance>.<name>" ("<instance>.<name>.<field>" for a struct) and globals belong to no
/// instance. A slot of that shape is a procedure's when <procedure> is the function of some
/// statement (the groups' notes name them all) that is not a process declaration, or when a
/// return resets it. The IR does not say it directly: ir::Slot has no field for it.
std::vector<bool> procedure_locals(const ir::TransitionSystem& ts) {
    std::set<std::string> decls;
    for (const auto& p : ts.processes()) decls.insert(p.decl);
    std::set<std::string> procs;
    for (const auto& g : ts.groups())
        for (const auto& in : g.code.code) {
            if (in.kind != ir::InstrKind::note) continue;
            const auto& f = ts.statement(in.stmt).function;
            if (!f.empty() && !decls.count(f)) procs.insert(f);
        }
    const auto& layout = ts.layout();
    // The slots a procedure's return resets (the elaborator tags those assignments "local"):
    // this also catches the parameters of a procedure that has no statement of its own.
    std::vector<bool> reset(layout.slots().size(), false);
    for (const auto& g : ts.groups())
        for (const auto& in : g.code.code)
            if (in.kind == ir::InstrKind::assign && in.what == "local" && in.target.op == ir::ExprOp::slot &&
                ir::idx(in.target.slot) < reset.size())
                reset[ir::idx(in.target.slot)] = true;
    std::vector<bool> out(layout.slots().size(), false);
    for (std::uint32_t x = 0; x < layout.slots().size(); ++x) {
        const auto& sl = layout.slot(ir::SlotId{x});
        if (sl.process == UINT32_MAX || sl.kind == ir::ValueKind::pc || sl.process >= ts.processes().size()) continue;
        const std::string prefix = ts.process(ir::ProcessId{sl.process}).name + ".";
        if (sl.name.compare(0, prefix.size(), prefix) != 0) continue;
        const auto dot = sl.name.find('.', prefix.size());
        if (dot == std::string::npos) continue;
        out[x] = reset[x] || procs.count(sl.name.substr(prefix.size(), dot - prefix.size())) > 0;
    }
    return out;
}

}  // namespace

std::string render_columns(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                           const ColumnOptions& options) {
    const std::size_t width = options.width;
    // Columns in order of first action.
    std::vector<std::uint32_t> lanes;
    for (const auto& s : r.steps)
        if (std::find(lanes.begin(), lanes.end(), ir::idx(s.process)) == lanes.end()) lanes.push_back(ir::idx(s.process));
    if (lanes.empty()) lanes.push_back(0);
    const std::size_t k = lanes.size();
    std::size_t colw = width > gap * (k - 1) ? (width - gap * (k - 1)) / k : min_column;
    colw = std::max(colw, min_column);
    auto column_of = [&](ir::ProcessId p) {
        return static_cast<std::size_t>(std::find(lanes.begin(), lanes.end(), ir::idx(p)) - lanes.begin());
    };
    auto emit = [&](std::string& out, std::size_t col, const std::string& text) {
        std::string line(col * (colw + gap), ' ');
        line += text;
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    };

    std::string out;
    // Header: names, underlined.
    {
        std::string names, rules;
        for (std::size_t c = 0; c < k; ++c) {
            std::string name = ts.process(ir::ProcessId{lanes[c]}).name;
            if (name.size() > colw) name.resize(colw);
            const std::string pad(c + 1 < k ? colw + gap - name.size() : 0, ' ');
            names += name + pad;
            rules += std::string(name.size(), '-') + pad;
        }
        while (!names.empty() && names.back() == ' ') names.pop_back();
        while (!rules.empty() && rules.back() == ' ') rules.pop_back();
        out += names + "\n" + rules + "\n";
    }
    const auto& layout = ts.layout();
    // Folded, the changes of procedure locals are left out: returns reset them.
    const std::vector<bool> hidden =
        options.fold ? procedure_locals(ts) : std::vector<bool>(layout.slots().size(), false);
    auto statement_of = [&](const ReplayedStep& s) {
        if (s.stmt != UINT32_MAX) return ts.statement(s.stmt);
        const auto& g = ts.group(s.step.group);
        return ir::Statement{g.where, g.text, ""};
    };
    // Step j + 1 continues the run step j is in: same process, same procedure, and j no report.
    auto continues = [&](std::size_t j) {
        const auto& a = r.steps[j];
        const auto& b = r.steps[j + 1];
        return !a.reports && a.process == b.process && a.stmt != UINT32_MAX && b.stmt != UINT32_MAX &&
               ts.statement(a.stmt).function == ts.statement(b.stmt).function;
    };
    for (std::size_t first = 0; first < r.steps.size();) {
        std::size_t last = first;
        if (options.fold)
            while (last + 1 < r.steps.size() && continues(last)) ++last;
        const auto& s = r.steps[first];
        const std::size_t col = column_of(s.process);
        const ir::Statement st = statement_of(s);
        const auto& proc = ts.process(s.process);
        // "5) " or "5-9) ", the procedure the run is in (unless it is the process body), the
        // statements.
        std::string head = last == first ? fmt::format("{}) ", first + 1) : fmt::format("{}-{}) ", first + 1, last + 1);
        if (!st.function.empty() && st.function != proc.decl) head += st.function + "(): ";
        for (std::size_t i = first; i <= last; ++i) head += (i == first ? "" : "; ") + statement_of(r.steps[i]).shown();
        // Locks this process holds after the run.
        const std::uint8_t* before = r.states[first].data();
        const std::uint8_t* after = r.states[last + 1].data();
        std::vector<std::string> held;
        for (std::uint32_t x = 0; x < layout.slots().size(); ++x) {
            const ir::SlotId slot{x};
            if (layout.slot(slot).kind == ir::ValueKind::mutex && layout.read(after, slot) == ir::idx(s.process))
                held.push_back(short_name(layout.slot(slot).name));
        }
        if (!held.empty()) {
            std::string h;
            for (const auto& n : held) h += (h.empty() ? "" : ", ") + n;
            head += " [" + h + "]";
        }
        for (const auto& line : wrap(head, colw, 3)) emit(out, col, line);
        // The run's net changes (a report changes nothing); mutexes are shown as [held] above.
        for (const auto slot : changed_slots(ts, before, after)) {
            if (layout.slot(slot).kind == ir::ValueKind::mutex || hidden[ir::idx(slot)]) continue;
            const std::string c = fmt::format("{}: {} -> {}", layout.slot(slot).name, slot_value(ts, slot, before),
                                              slot_value(ts, slot, after));
            for (const auto& line : wrap(c, colw - 3, 3)) emit(out, col, "   " + line);
        }
        // A `choose` that picked the value the variable had: say so (step_changes).
        for (std::size_t i = first; i <= last; ++i) {
            const auto& c = r.steps[i].chosen;
            if (!c || hidden[ir::idx(*c)] || layout.read(r.states[i].data(), *c) != layout.read(r.states[i + 1].data(), *c) ||
                layout.read(before, *c) != layout.read(after, *c))
                continue;
            const std::string line = fmt::format("{}: {} (chosen, unchanged)", layout.slot(*c).name,
                                                 slot_value(ts, *c, after));
            for (const auto& l : wrap(line, colw - 3, 3)) emit(out, col, "   " + l);
        }
        const auto& end = r.steps[last];
        if (end.reports)
            for (const auto& line : wrap("! " + ir::format_message(ts.message(end.message), end.value), colw, 5))
                emit(out, col, "   " + line);
        for (std::size_t i = first; i <= last && i < options.marks.size(); ++i) {
            if (options.marks[i].empty()) continue;
            const std::string m = last == first ? "<- " + options.marks[i]
                                                : fmt::format("<- {} (step {})", options.marks[i], i + 1);
            for (const auto& line : wrap(m, colw - 3, 3)) emit(out, col, "   " + line);
        }
        first = last + 1;
    }
    out += "\n";
    out += render_violation(ts, cx, r);
    return out;
}

}  // namespace iomc::traces
