// SPDX-License-Identifier: MIT
// Unit tests of traces/schedule: the schedule file format, what each pattern matches, and the
// exact error for each kind of bad schedule (place, message, alternatives).
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "checker/support/diagnostic.hpp"
#include "tests/support/testing.hpp"
#include "traces/schedule.hpp"

using namespace iomc;

namespace {

constexpr const char* model = R"(type W = 0..1;
var m: mutex;
var x: 0..3;
proc set_x(v: 0..3) { x = v; }
process a { lock(m); set_x(1); unlock(m); done: x = 2; }
process b { lock(m); x = 3; unlock(m); }
process w(i: W) { skip; }
)";

struct Parsed {
    std::optional<traces::Schedule> schedule;
    std::string errors;
};

Parsed parse(const std::string& text) {
    static const auto ts = testing::compile(model);
    support::SourceManager sm;
    const auto f = sm.add("t.sched", text);
    support::DiagnosticSink sink;
    Parsed p;
    p.schedule = traces::parse_schedule(*ts, sm, f, sink);
    p.errors = sink.render(sm);
    return p;
}

/// The statement ids an entry matches, as the statements' texts.
std::string matched(const traces::ScheduleEntry& e) {
    static const auto ts = testing::compile(model);
    std::string out;
    for (std::uint32_t i = 0; i < e.statement_matches.size(); ++i)
        if (e.statement_matches[i]) out += (out.empty() ? "" : " | ") + ts->statement(i).text;
    return out;
}

}  // namespace

TEST_SUITE("traces") {

TEST_CASE("schedule: entries, comments, blank lines and a violates line") {
    const auto p = parse("# a comment\n"
                         "\n"
                         "a: set_x            # a step in set_x or calling it\n"
                         "  b :  \"x = 3\"  \n"
                         "a: @done\n"
                         "a: unlock \"m\"\n"
                         "w(1): \"skip\"\n"
                         "violates deadlock\n");
    REQUIRE_MESSAGE(p.schedule.has_value(), p.errors);
    const auto& s = *p.schedule;
    REQUIRE(s.entries.size() == 5);
    CHECK(s.entries[0].text == "a: set_x");
    CHECK(s.entries[0].function == "set_x");
    // The argument is a constant, bound at compile time: the call takes no step of its own,
    // so the only matching statement is the one in the body.
    CHECK(matched(s.entries[0]) == "x = v");
    CHECK(s.entries[1].text == "b :  \"x = 3\"");
    CHECK(s.entries[1].contains == "x = 3");
    CHECK(matched(s.entries[1]) == "x = 3");
    CHECK(s.entries[2].label == "done");
    CHECK(s.entries[2].label_locations.size() == 1);
    // `unlock` matches the unlock call, not lock(m) (an identifier character before "lock").
    CHECK(matched(s.entries[3]) == "unlock(m)");
    CHECK(s.entries[4].text == "w(1): \"skip\"");
    REQUIRE(s.violates.has_value());
    CHECK(*s.violates == ir::prop_deadlock);
}

TEST_CASE("schedule: a '#' inside a string is text, namespaces and () are ignored, escapes") {
    const auto p = parse("a: ns::set_x() \"x = v\"\nb: \"x = \\\"3\" # no such text\n");
    CHECK_FALSE(p.schedule.has_value());
    CHECK(p.errors == "t.sched:2:4: error: no statement of b contains \"x = \"3\"\n"
                      "    2 | b: \"x = \\\"3\" # no such text\n"
                      "      |    ^~~~~~~~~\n"
                      "1 error\n");
    const auto q = parse("a: ns::set_x() \"#\"\n");
    CHECK(q.errors == "t.sched:1:16: error: no statement of a in or calling set_x() contains \"#\"\n"
                      "    1 | a: ns::set_x() \"#\"\n"
                      "      |                ^~~\n"
                      "1 error\n");
}

TEST_CASE("schedule: unknown process, with the processes and a suggestion") {
    const auto p = parse("c: \"x\"\n");
    CHECK(p.errors == "t.sched:1:1: error: unknown process 'c'; the processes are: a, b, w(0), w(1)\n"
                      "    1 | c: \"x\"\n"
                      "      | ^\n"
                      "note: did you mean 'a'?\n"
                      "1 error\n");
}

TEST_CASE("schedule: a declaration name with several instances must name one") {
    const auto p = parse("w: \"skip\"\n");
    CHECK(p.errors == "t.sched:1:1: error: 'w' has 2 instances; name one of: w(0), w(1)\n"
                      "    1 | w: \"skip\"\n"
                      "      | ^\n"
                      "1 error\n");
}

TEST_CASE("schedule: unknown labels list the process's labels") {
    CHECK(parse("a: @don\n").errors == "t.sched:1:5: error: a has no label 'don'; its labels are: done\n"
                                       "    1 | a: @don\n"
                                       "      |     ^~~\n"
                                       "note: did you mean 'done'?\n"
                                       "1 error\n");
    CHECK(parse("b: @done\n").errors == "t.sched:1:5: error: b has no label 'done'; it has no labels\n"
                                        "    1 | b: @done\n"
                                        "      |     ^~~~\n"
                                        "1 error\n");
    CHECK(parse("a: @\n").errors == "t.sched:1:4: error: expected a label name after '@'\n"
                                    "    1 | a: @\n"
                                    "      |    ^\n"
                                    "1 error\n");
}

TEST_CASE("schedule: a procedure the process neither runs nor calls") {
    CHECK(parse("b: set_x\n").errors ==
          "t.sched:1:4: error: b runs no procedure 'set_x' and calls none; its procedures are: b\n"
          "    1 | b: set_x\n"
          "      |    ^~~~~\n"
          "1 error\n");
    CHECK(parse("a: set_y\n").errors ==
          "t.sched:1:4: error: a runs no procedure 'set_y' and calls none; its procedures are: a, set_x\n"
          "    1 | a: set_y\n"
          "      |    ^~~~~\n"
          "note: did you mean 'set_x'?\n"
          "1 error\n");
}

TEST_CASE("schedule: malformed lines") {
    CHECK(parse("a \"x = 1\"\n").errors == "t.sched:1:1: error: expected 'PROCESS: PATTERN' or 'violates PROPERTY'\n"
                                           "    1 | a \"x = 1\"\n"
                                           "      | ^~~~~~~~~\n"
                                           "1 error\n");
    CHECK(parse("a:\n").errors ==
          "t.sched:1:2: error: expected a pattern after ':': @label, a procedure name, \"text\", or a procedure name "
          "and \"text\"\n"
          "    1 | a:\n"
          "      |  ^\n"
          "1 error\n");
    CHECK(parse(": \"x\"\n").errors == "t.sched:1:1: error: expected a process name before ':'\n"
                                       "    1 | : \"x\"\n"
                                       "      | ^\n"
                                       "1 error\n");
    CHECK(parse("a: \"x = 1\n").errors == "t.sched:1:4: error: unterminated string: a pattern's text ends with '\"'\n"
                                          "    1 | a: \"x = 1\n"
                                          "      |    ^~~~~~\n"
                                          "1 error\n");
    CHECK(parse("a: set_x extra\n").errors == "t.sched:1:10: error: unexpected text after the pattern\n"
                                              "    1 | a: set_x extra\n"
                                              "      |          ^~~~~\n"
                                              "1 error\n");
    CHECK(parse("a: \"\"\n").errors == "t.sched:1:4: error: the text of a pattern must not be empty\n"
                                       "    1 | a: \"\"\n"
                                       "      |    ^~\n"
                                       "1 error\n");
}

TEST_CASE("schedule: the violates line") {
    CHECK(parse("a: @done\nviolates nothing\n").errors ==
          "t.sched:2:10: error: unknown property 'nothing'; the properties are: runtime_errors, deadlock, assertions, "
          "mutex_misuse, kref_misuse\n"
          "    2 | violates nothing\n"
          "      |          ^~~~~~~\n"
          "1 error\n");
    CHECK(parse("a: @done\nviolates deadlock\nb: \"x = 3\"\n").errors ==
          "t.sched:3:1: error: an entry after the 'violates' line; 'violates' comes after the last entry\n"
          "    3 | b: \"x = 3\"\n"
          "      | ^~~~~~~~~~\n"
          "1 error\n");
    CHECK(parse("a: @done\nviolates deadlock\nviolates assertions\n").errors ==
          "t.sched:3:1: error: a schedule has at most one 'violates' line\n"
          "    3 | violates assertions\n"
          "      | ^~~~~~~~~~~~~~~~~~~\n"
          "1 error\n");
    CHECK(parse("a: @done\nviolates\n").errors == "t.sched:2:1: error: expected a property name after 'violates'\n"
                                                  "    2 | violates\n"
                                                  "      | ^~~~~~~~\n"
                                                  "1 error\n");
}

TEST_CASE("schedule: an empty schedule, and every error of a file at once") {
    CHECK(parse("# nothing\n\n").errors ==
          "t.sched:1:1: error: the schedule has no entries; write one per line as 'PROCESS: PATTERN'\n"
          "    1 | # nothing\n"
          "      | ^\n"
          "1 error\n");
    const auto p = parse("c: \"x\"\na: @nope\n");
    CHECK(p.errors.find("t.sched:1:1: error: unknown process 'c'") != std::string::npos);
    CHECK(p.errors.find("t.sched:2:5: error: a has no label 'nope'") != std::string::npos);
    CHECK(p.errors.find("2 errors\n") != std::string::npos);
}

TEST_CASE("schedule entries: what a step must be to match") {
    const auto ts = testing::compile(model);
    const auto p = parse("a: @done\nb: \"x = 3\"\n");
    REQUIRE(p.schedule.has_value());
    const auto& label = p.schedule->entries[0];
    const auto& text = p.schedule->entries[1];
    const auto a = ir::ProcessId{0};
    const auto b = ir::ProcessId{1};
    const auto done = label.label_locations.front();
    CHECK(label.matches(a, UINT32_MAX, done));
    CHECK_FALSE(label.matches(a, UINT32_MAX, done + 1));
    CHECK_FALSE(label.matches(b, UINT32_MAX, done));
    std::uint32_t x3 = UINT32_MAX;
    for (std::uint32_t i = 0; i < text.statement_matches.size(); ++i)
        if (text.statement_matches[i]) x3 = i;
    REQUIRE(x3 != UINT32_MAX);
    CHECK(text.matches(b, x3, 0));
    CHECK_FALSE(text.matches(a, x3, 0));
    CHECK_FALSE(text.matches(b, UINT32_MAX, 0));
    // could_start_at: b's second location holds `x = 3`; a's location before the label is the
    // one whose step reaches it.
    CHECK(text.could_start_at(*ts, 1));
    CHECK_FALSE(text.could_start_at(*ts, 0));
    CHECK(label.could_start_at(*ts, done - 1));
    CHECK_FALSE(label.could_start_at(*ts, 0));
}

TEST_CASE("a schedule of the most entries the query can count is read") {
    std::string text;
    for (std::size_t i = 0; i < traces::max_schedule_entries; ++i) text += "b: \"x = 3\"\n";
    const auto p = parse(text);
    REQUIRE(p.schedule.has_value());
    CHECK(p.schedule->entries.size() == 65534);
}

TEST_CASE("one entry more than the query can count is an error at that entry") {
    // Issue 10: 65,535 entries passed the reader and aborted in explore::query, which counts
    // the entries matched in 16 bits. The error comes once, at the first entry too many.
    std::string text;
    for (int i = 0; i < 65537; ++i) text += "b: \"x = 3\"\n";
    const auto p = parse(text);
    CHECK_FALSE(p.schedule.has_value());
    CHECK(p.errors == "t.sched:65535:1: error: too many entries: a schedule has at most 65534; this is entry 65535\n"
                      "65535 | b: \"x = 3\"\n"
                      "      | ^~~~~~~~~~\n"
                      "1 error\n");
}

}  // TEST_SUITE
