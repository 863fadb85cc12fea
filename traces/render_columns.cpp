// SPDX-License-Identifier: MIT
#include "traces/render_columns.hpp"

#include <algorithm>
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

}  // namespace

std::string render_columns(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r,
                           std::size_t width) {
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
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        const std::size_t col = column_of(s.process);
        const auto& g = ts.group(s.step.group);
        const ir::Statement st = s.stmt != UINT32_MAX ? ts.statement(s.stmt) : ir::Statement{g.where, g.text, ""};
        const auto& proc = ts.process(s.process);
        // The procedure the step is in, unless it is the process body itself.
        std::string head = fmt::format("{}) ", i + 1);
        if (!st.function.empty() && st.function != proc.decl) head += st.function + "(): ";
        head += st.text;
        // Locks this process holds after the step.
        std::vector<std::string> held;
        const std::uint8_t* after = r.states[i + 1].data();
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
        if (s.reports) {
            for (const auto& line : wrap("! " + ir::format_message(ts.message(s.message), s.value), colw, 5))
                emit(out, col, "   " + line);
            continue;
        }
        // Mutexes are shown as [held] above; the other changes follow.
        for (const auto slot : changed_slots(ts, r.states[i].data(), after)) {
            if (layout.slot(slot).kind == ir::ValueKind::mutex) continue;
            const std::string c = fmt::format("{}: {} -> {}", layout.slot(slot).name,
                                              slot_value(ts, slot, r.states[i].data()), slot_value(ts, slot, after));
            for (const auto& line : wrap(c, colw - 3, 3)) emit(out, col, "   " + line);
        }
    }
    out += "\n";
    out += render_violation(ts, cx, r);
    return out;
}

}  // namespace iomc::traces
