// SPDX-License-Identifier: MIT
// Tests of checker/support/diagnostic.cpp: how a diagnostic renders (location, source line,
// caret line, tabs), the summary line, the error limit, deduplication and "did you mean".
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/support/diagnostic.hpp"
#include "checker/support/source.hpp"

using namespace iomc::support;

namespace {

// Offsets in kText, line 1:  v=0 a=1 r=2 ' '=3 x=4 :=5 ' '=6 0=7 .=8 .=9 3=10 ' '=11 '='=12
// ' '=13 9=14 ;=15 '\n'=16. Line 2 starts at offset 17.
const std::string kText = "var x: 0..3 = 9;\nprocess p { skip; }\n";

}  // namespace

TEST_SUITE("support") {

TEST_CASE("an error renders as file line col then the source line and a caret") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    sink.error(SourceRange{f, 14, 15}, "value 9 is out of range 0..3 of 'x'");
    // Offset 14 is column 15. The gutter is the line number right-aligned in 5 columns.
    CHECK(sink.render(sm) ==
          "f.mc:1:15: error: value 9 is out of range 0..3 of 'x'\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |               ^\n"
          "1 error\n");
}

TEST_CASE("the caret line underlines the whole range with tildes") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    // "0..3" is [7, 11): a caret and three tildes from column 8.
    sink.error(SourceRange{f, 7, 11}, "empty range");
    CHECK(sink.render(sm) ==
          "f.mc:1:8: error: empty range\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |        ^~~~\n"
          "1 error\n");
}

TEST_CASE("a range that spans lines is underlined to the end of its first line") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    // [4, 30) starts at 'x' (column 5) and ends on line 2: the marker covers the rest of
    // line 1, "x: 0..3 = 9;" (columns 5..16, 12 characters), so a caret and 11 tildes.
    sink.error(SourceRange{f, 4, 30}, "spans lines");
    CHECK(sink.render(sm) ==
          "f.mc:1:5: error: spans lines\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |     ^" + std::string(11, '~') + "\n" +
          "1 error\n");
}

TEST_CASE("an empty range gets a single caret") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    sink.error(SourceRange{f, 17, 17}, "here");  // the start of line 2
    CHECK(sink.render(sm) ==
          "f.mc:2:1: error: here\n"
          "    2 | process p { skip; }\n"
          "      | ^\n"
          "1 error\n");
}

TEST_CASE("tabs are expanded to multiples of 8 in the column the line and the caret") {
    SourceManager sm;
    // "\tx = y;": the tab fills columns 1-8, so 'x' is column 9 and 'y' (offset 5) column 13.
    const FileId f = sm.add("t.mc", "var x: 0..3;\n\tx = y;\n");
    DiagnosticSink sink;
    sink.error(SourceRange{f, 13 + 5, 13 + 6}, "unknown name 'y'");
    CHECK(sink.render(sm) ==
          "t.mc:2:13: error: unknown name 'y'\n"
          "    2 |         x = y;\n"
          "      |             ^\n"
          "1 error\n");
}

TEST_CASE("a tab after text advances to the next tab stop and widens the range") {
    SourceManager sm;
    // "ab\tc;": 'a' col 1, 'b' col 2, the tab fills 3-8, 'c' col 9. The range "b\tc" [1, 4)
    // covers columns 2..9 of the expanded line (8 characters): a caret and 7 tildes.
    const FileId f = sm.add("t.mc", "ab\tc;\n");
    DiagnosticSink sink;
    sink.error(SourceRange{f, 1, 4}, "range with a tab");
    CHECK(sink.render(sm) ==
          "t.mc:1:2: error: range with a tab\n"
          "    1 | ab      c;\n"
          "      |  ^" + std::string(7, '~') + "\n" +
          "1 error\n");
    CHECK(expand_tabs("ab\tc") == "ab      c");
    CHECK(expand_tabs("12345678\tx") == "12345678        x");
}

TEST_CASE("a diagnostic without a place is prefixed with the program name") {
    SourceManager sm;
    DiagnosticSink sink;
    sink.error(std::nullopt, "-D 'N': expected NAME=VALUE");
    CHECK(sink.render(sm) == "iomc: error: -D 'N': expected NAME=VALUE\n1 error\n");
}

TEST_CASE("notes follow their diagnostic with or without a place") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    auto& d = sink.error(SourceRange{f, 25, 26}, "'p' is already declared");
    d.notes.push_back({SourceRange{f, 4, 5}, "previous declaration is here"});
    d.notes.push_back({std::nullopt, "did you mean 'q'?"});
    CHECK(sink.render(sm) ==
          "f.mc:2:9: error: 'p' is already declared\n"
          "    2 | process p { skip; }\n"
          "      |         ^\n"
          "f.mc:1:5: note: previous declaration is here\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |     ^\n"
          "note: did you mean 'q'?\n"
          "1 error\n");
}

TEST_CASE("a place in an empty file prints no source line") {
    SourceManager sm;
    const FileId f = sm.add("empty.mc", "");
    DiagnosticSink sink;
    sink.error(SourceRange{f, 0, 0}, "the model declares no process; there is nothing to run");
    CHECK(sink.render(sm) ==
          "empty.mc:1:1: error: the model declares no process; there is nothing to run\n1 error\n");
}

TEST_CASE("the summary counts errors in the plural and ignores warnings") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink;
    sink.warning(SourceRange{f, 4, 5}, "unused");
    CHECK_FALSE(sink.has_errors());
    // Warnings alone give no summary line.
    CHECK(sink.render(sm) ==
          "f.mc:1:5: warning: unused\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |     ^\n");
    sink.error(std::nullopt, "first");
    sink.error(std::nullopt, "second");
    CHECK(sink.error_count() == 2);
    // Diagnostics without a place (about the command line) come first, in the order given.
    CHECK(sink.render(sm) ==
          "iomc: error: first\n"
          "iomc: error: second\n"
          "f.mc:1:5: warning: unused\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |     ^\n"
          "2 errors\n");
}

TEST_CASE("the same message at the same place is kept once and notes on the copy are dropped") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink(3);
    sink.error(SourceRange{f, 4, 5}, "unknown name 'x'");
    auto& copy = sink.error(SourceRange{f, 4, 5}, "unknown name 'x'");
    copy.notes.push_back({std::nullopt, "did you mean 'y'?"});
    CHECK(sink.error_count() == 1);
    // Same text at another place, and another text at the same place, are both kept.
    sink.error(SourceRange{f, 14, 15}, "unknown name 'x'");
    CHECK(sink.error_count() == 2);
    CHECK(sink.all().size() == 2);
    CHECK(sink.all()[0].notes.empty());
    CHECK(sink.render(sm) ==
          "f.mc:1:5: error: unknown name 'x'\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |     ^\n"
          "f.mc:1:15: error: unknown name 'x'\n"
          "    1 | var x: 0..3 = 9;\n"
          "      |               ^\n"
          "2 errors\n");
}

TEST_CASE("a duplicate does not go towards the error limit") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", kText);
    DiagnosticSink sink(1);
    sink.error(SourceRange{f, 4, 5}, "unknown name 'x'");
    CHECK_NOTHROW(sink.error(SourceRange{f, 4, 5}, "unknown name 'x'"));
    CHECK(sink.error_count() == 1);
    CHECK_THROWS_AS(sink.error(SourceRange{f, 14, 15}, "unknown name 'x'"), TooManyErrors);
}

TEST_CASE("the default sink stops at the 21st error and says so in the summary") {
    SourceManager sm;
    DiagnosticSink sink;
    for (int i = 1; i <= 20; ++i) sink.error(std::nullopt, "error " + std::to_string(i));
    CHECK(sink.limit_reached());
    CHECK_THROWS_AS(sink.error(std::nullopt, "error 21"), TooManyErrors);
    CHECK(sink.error_count() == 20);
    CHECK(sink.all().size() == 20);
    const std::string out = sink.render(sm);
    CHECK(out.find("iomc: error: error 20\n20 errors (stopped at the limit)\n") !=
          std::string::npos);
    CHECK(out.find("error 21") == std::string::npos);
}

TEST_CASE("warnings do not count towards the error limit") {
    DiagnosticSink sink(1);
    sink.warning(std::nullopt, "w1");
    sink.warning(std::nullopt, "w2");
    sink.error(std::nullopt, "e1");
    CHECK_THROWS_AS(sink.error(std::nullopt, "e2"), TooManyErrors);
    CHECK(sink.all().size() == 3);
}

TEST_CASE("exactly as many errors as the limit are not reported as stopped") {
    // Nothing was dropped: the sink throws only when an error beyond the limit arrives, so a
    // run with exactly `limit` errors was complete and its summary should not claim otherwise.
    SourceManager sm;
    DiagnosticSink sink(2);
    sink.error(std::nullopt, "a");
    sink.error(std::nullopt, "b");
    CHECK(sink.render(sm) == "iomc: error: a\niomc: error: b\n2 errors\n");
}

TEST_CASE("edit distance counts insertions deletions and substitutions") {
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("flaw", "lawn") == 2);
    CHECK(edit_distance("same", "same") == 0);
}

TEST_CASE("closest name picks the nearest candidate within a small distance") {
    // "cont" -> "count" is one insertion; "total" is 4 edits away.
    CHECK(closest_name("cont", {"total", "count", "p"}) == std::optional<std::string>("count"));
    // The threshold is max(2, len/3): "probe" (5 letters) allows 2 edits; "xyz_abc" needs 7.
    CHECK_FALSE(closest_name("probe", {"xyz_abc"}).has_value());
    CHECK(closest_name("probe", {"prob_x"}) == std::optional<std::string>("prob_x"));  // 2 edits
    CHECK_FALSE(closest_name("probe", {"prxbxx"}).has_value());                         // 3 edits
    // A 12-letter name allows 4 edits: "iommu_groups" -> "iommu_grp" is 3.
    CHECK(closest_name("iommu_groups", {"iommu_grp"}) == std::optional<std::string>("iommu_grp"));
    CHECK_FALSE(closest_name("x", {}).has_value());
}

TEST_CASE("closest name breaks ties alphabetically whatever the candidate order") {
    // "ab" is one substitution from both "ac" and "aa".
    CHECK(closest_name("ab", {"ac", "aa"}) == std::optional<std::string>("aa"));
    CHECK(closest_name("ab", {"aa", "ac"}) == std::optional<std::string>("aa"));
    // A strictly nearer candidate wins over an alphabetically earlier one.
    CHECK(closest_name("abcd", {"aaaa", "abce"}) == std::optional<std::string>("abce"));
}

TEST_CASE("source locations count lines and expanded columns") {
    SourceManager sm;
    const FileId f = sm.add("f.mc", "a\n\tb\n");
    CHECK(sm.location(SourceRange{f, 3, 4}) == "f.mc:2:9");
    CHECK(sm.file_line(SourceRange{f, 3, 4}) == "f.mc:2");
    CHECK(sm.text(SourceRange{f, 3, 4}) == "b");
    CHECK(sm.file(f).line_count() == 3);
    CHECK(sm.file(f).line_text(2) == "\tb");
    CHECK(sm.file(f).line_text(4).empty());
}

}  // TEST_SUITE
