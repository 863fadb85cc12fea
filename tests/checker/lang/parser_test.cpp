// SPDX-License-Identifier: MIT
// Tests of checker/lang/parser.cpp: syntax errors as the user sees them (exact text, carets
// included), recovery at declaration and statement boundaries, and the 20-error limit.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"

using namespace iomc;

TEST_SUITE("lang") {

TEST_CASE("a missing semicolon after a declaration is reported at the next token") {
    CHECK(testing::diagnostics("var x: 0..3 = 0\n"
                               "process p { x = 1; }\n") ==
          "test.mc:2:1: error: expected ';', found 'process'\n"
          "    2 | process p { x = 1; }\n"
          "      | ^~~~~~~\n"
          "1 error\n");
}

TEST_CASE("a missing semicolon after a statement names the statement") {
    CHECK(testing::diagnostics("var x: 0..3 = 0;\n"
                               "process p {\n"
                               "    x = 1\n"
                               "    x = 2;\n"
                               "}\n") ==
          "test.mc:4:5: error: expected ';' after the statement, found 'x'\n"
          "    4 |     x = 2;\n"
          "      |     ^\n"
          "1 error\n");
}

TEST_CASE("an unexpected character is skipped and the statement then misses its semicolon") {
    // The lexer drops '$', so the parser sees "x = 1 2;".
    CHECK(testing::diagnostics("var x: 0..3 = 0;\n"
                               "process p { x = 1 $ 2; }\n") ==
          "test.mc:2:19: error: unexpected character '$'\n"
          "    2 | process p { x = 1 $ 2; }\n"
          "      |                   ^\n"
          "test.mc:2:21: error: expected ';' after the statement, found '2'\n"
          "    2 | process p { x = 1 $ 2; }\n"
          "      |                     ^\n"
          "2 errors\n");
}

TEST_CASE("an unterminated string swallows the rest of its line") {
    CHECK(testing::diagnostics("import \"foo.mc\n"
                               "process p { skip; }\n") ==
          "test.mc:1:8: error: unterminated string\n"
          "    1 | import \"foo.mc\n"
          "      |        ^~~~~~~\n"
          "test.mc:2:1: error: expected 'as' after the import path, found 'process'\n"
          "    2 | process p { skip; }\n"
          "      | ^~~~~~~\n"
          "2 errors\n");
}

TEST_CASE("an unterminated comment at the end of a model is one error") {
    CHECK(testing::diagnostics("process p { skip; }\n"
                               "/* never closed\n") ==
          "test.mc:2:1: error: unterminated comment\n"
          "    2 | /* never closed\n"
          "      | ^~\n"
          "1 error\n");
}

TEST_CASE("a too large integer is one error") {
    CHECK(testing::diagnostics("var x: 0..3 = 99999999999;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:15: error: integer 99999999999 is too large (the limit is 2147483647)\n"
          "    1 | var x: 0..3 = 99999999999;\n"
          "      |               ^~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("a bad number is reported once and not again by the parser") {
    // The lexer reports "invalid number '1x'"; the parser should treat the error token as
    // already reported instead of adding "expected an expression, found '1x'" at the very
    // same range.
    CHECK(testing::diagnostics("var x: 0..3 = 1x;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:15: error: invalid number '1x'\n"
          "    1 | var x: 0..3 = 1x;\n"
          "      |               ^~\n"
          "1 error\n");
}

TEST_CASE("several syntax errors in one file are all reported after recovery") {
    // Line 1 misses ';' (reported at 'var' of line 2, which then parses); inside the process,
    // recovery skips to the next ';' after "x = ;" and after "y = false x = 2;".
    CHECK(testing::diagnostics("var x: 0..3 = 0\n"
                               "var y: bool = true;\n"
                               "process p {\n"
                               "    x = ;\n"
                               "    y = false\n"
                               "    x = 2;\n"
                               "}\n") ==
          "test.mc:2:1: error: expected ';', found 'var'\n"
          "    2 | var y: bool = true;\n"
          "      | ^~~\n"
          "test.mc:4:9: error: expected an expression, found ';'\n"
          "    4 |     x = ;\n"
          "      |         ^\n"
          "test.mc:6:5: error: expected ';' after the statement, found 'x'\n"
          "    6 |     x = 2;\n"
          "      |     ^\n"
          "3 errors\n");
}

TEST_CASE("errors are printed in source order") {
    // STYLE D.1: the output is sorted. The lexer runs over the whole file before the parser,
    // so the '$' on line 3 is found before the missing ';' of line 1 (reported on line 2).
    CHECK(testing::diagnostics("var x: 0..3 = 0\n"
                               "process p { skip; }\n"
                               "var y: bool = $;\n") ==
          "test.mc:2:1: error: expected ';', found 'process'\n"
          "    2 | process p { skip; }\n"
          "      | ^~~~~~~\n"
          "test.mc:3:15: error: unexpected character '$'\n"
          "    3 | var y: bool = $;\n"
          "      |               ^\n"
          "test.mc:3:16: error: expected an expression, found ';'\n"
          "    3 | var y: bool = $;\n"
          "      |                ^\n"
          "3 errors\n");
}

TEST_CASE("an expression alone is not a statement") {
    CHECK(testing::diagnostics("var x: 0..3;\n"
                               "process p { x + 1; }\n") ==
          "test.mc:2:13: error: expression is not a statement; expected an assignment, a call "
          "or a keyword statement\n"
          "    2 | process p { x + 1; }\n"
          "      |             ^~~~~\n"
          "1 error\n");
}

TEST_CASE("either needs at least two alternatives") {
    CHECK(testing::diagnostics("process p { either { skip; } }\n") ==
          "test.mc:1:30: error: expected 'or' (either needs at least two alternatives), found '}'\n"
          "    1 | process p { either { skip; } }\n"
          "      |                              ^\n"
          "1 error\n");
}

TEST_CASE("a statement at top level asks for a declaration") {
    CHECK(testing::diagnostics("x = 1;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:1: error: expected a declaration (import, part, const, type, enum, struct, var, "
          "proc, process, invariant, lemma, liveness, metric, variant or expect), found 'x'\n"
          "    1 | x = 1;\n"
          "      | ^\n"
          "1 error\n");
}

TEST_CASE("a liveness property needs eventually or leads_to") {
    CHECK(testing::diagnostics("var x: bool;\nprocess p { x = true; }\nliveness l: x;\n") ==
          "test.mc:3:14: error: expected 'leads_to' (P leads_to Q), or 'eventually' before the goal, found ';'\n"
          "    3 | liveness l: x;\n"
          "      |              ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: bool;\nprocess p { x = true; }\nliveness l: always x;\n") ==
          "test.mc:3:20: error: expected 'eventually' after 'always' (always eventually P), found 'x'\n"
          "    3 | liveness l: always x;\n"
          "      |                    ^\n"
          "1 error\n");
}

TEST_CASE("declarations say what they are missing") {
    CHECK(testing::diagnostics("const N;\nprocess p { skip; }\n") ==
          "test.mc:1:8: error: expected '=' (a constant needs a default value), found ';'\n"
          "    1 | const N;\n"
          "      |        ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x = 1;\nprocess p { skip; }\n") ==
          "test.mc:1:7: error: expected ':' (a variable needs a type), found '='\n"
          "    1 | var x = 1;\n"
          "      |       ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("proc f { skip; }\nprocess p { skip; }\n") ==
          "test.mc:1:8: error: expected '(' after the procedure name, found '{'\n"
          "    1 | proc f { skip; }\n"
          "      |        ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("process p { skip; }\nexpect *: skip deadlock;\n") ==
          "test.mc:2:24: error: expected a string giving the reason for 'skip', found ';'\n"
          "    2 | expect *: skip deadlock;\n"
          "      |                        ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var r: kref;\nprocess p { skip; }\n") ==
          "test.mc:1:12: error: expected '(' (kref needs a bound: kref(4)), found ';'\n"
          "    1 | var r: kref;\n"
          "      |            ^\n"
          "1 error\n");
}

TEST_CASE("a missing closing brace is found at the end of the file") {
    CHECK(testing::diagnostics("process p {\n    skip;\n") ==
          "test.mc:3:1: error: expected '}' to close the block, found end of file\n"
          "    3 | \n"
          "      | ^\n"
          "1 error\n");
}

TEST_CASE("the front end stops after 20 errors") {
    // 25 declarations without ';': each error is found at the next 'var' (the last one at
    // the end of the file) and recovery resumes there, so every line gives one error.
    std::string text;
    for (int i = 0; i < 25; ++i) text += "var v" + std::to_string(i) + ": bool\n";
    std::string expected;
    for (int line = 2; line <= 21; ++line)
        expected += "test.mc:" + std::to_string(line) + ":1: error: expected ';', found 'var'\n" +
                    "   " + (line < 10 ? " " : "") + std::to_string(line) + " | var v" +
                    std::to_string(line - 1) + ": bool\n" + "      | ^~~\n";
    expected += "20 errors (stopped at the limit)\n";
    CHECK(testing::diagnostics(text) == expected);
}

TEST_CASE("a well-formed model with every statement form parses") {
    // Not a diagnostics test: the parser accepts the whole statement and expression syntax.
    const auto ts = testing::compile(R"(
        type Dev = scalarset(2);
        enum Dom { dma, identity, blocked }
        struct Grp { dom: Dom?; cnt: 0..3; }
        const N: 1..4 = 2;
        var g: Grp[Dev];
        var m: mutex;
        var r: kref(4);
        var x: 0..3 = 0;
        var ok: bool;
        proc bump(d: Dev) -> bool { g[d].cnt++; return true; }
        process client(d: Dev) {
            lock(m);
            ok = bump(d);
            unlock(m);
            kref_init(r);
            kref_get(r);
            ok = kref_put(r);
            if (x == 0 && !ok) x += 1; else x -= 0;
            when (N == 2) skip; else skip;
            either { x = 1; } or { x = 2; } or { choose x; }
            atomic { await x >= 1; x = x - 1; }
            while (x < 3) { x++; if (x == 2) break; else continue; }
            for e: Dev { if (g[e].dom == none) g[e].dom = dma; else g[e].dom = none; }
            assert named: x <= 3;
            assert (x > 0) -> (x % 2 >= 0);
        end_done:
            skip;
        }
        invariant inv: forall d: Dev. exists e: Dev.
            g[d].cnt >= 0 && (client(d) past end_done => x >= 0);
    )");
    CHECK(ts->processes().size() == 2);
}

// Issue 10: a 13 KB expression of nested parentheses overflowed the stack (exit 139). Every
// level of nesting is a recursive call in the parser and a level of the tree that the passes
// walk recursively; statements, expressions and types together nest at most 256 levels, and
// the construct that goes deeper is an error at its first token. One token per line below, so
// that the line number counts the levels.

namespace {

/// "  258 | (\n      | ^\n": the source line and caret of a one-token line.
std::string excerpt(int line, const std::string& text, const std::string& marker) {
    std::string gutter = std::to_string(line);
    gutter.insert(0, 5 - gutter.size(), ' ');
    return gutter + " | " + text + "\n      | " + marker + "\n";
}

const std::string too_deep = ": statements, expressions and types together nest at most 256 levels\n";

}  // namespace

TEST_CASE("parentheses nested deeper than the limit are an error and not a stack overflow") {
    // '(' number k is on line k + 1, and the expression that starts there is level k (the
    // initializer itself is level 1), so level 257 starts at the 257th '(' on line 258.
    std::string text = "var x: bool =\n";
    for (int i = 0; i < 6500; ++i) text += "(\n";
    text += "true";
    for (int i = 0; i < 6500; ++i) text += ")";
    text += ";\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(text) ==
          "test.mc:258:1: error: too deeply nested expression" + too_deep + excerpt(258, "(", "^") + "1 error\n");
}

TEST_CASE("a chain of operators counts one level per operator") {
    // 1 + 1 + ... is a left-deep tree as deep as the chain is long, built without recursion in
    // the parser; the passes walk it recursively all the same. The initializer is level 1, and
    // the '+' on line k + 1 adds level k + 1.
    std::string text = "var x: 0..1000 = 1\n";
    for (int i = 0; i < 100000; ++i) text += "+ 1\n";
    text += ";\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(text) ==
          "test.mc:257:1: error: too deeply nested expression" + too_deep + excerpt(257, "+ 1", "^") + "1 error\n");
}

TEST_CASE("a chain just under the limit compiles") {
    // Level 1 and 250 operators: 251 levels, and a tree 250 deep for the passes to lower.
    std::string text = "var x: 0..1000 = 1";
    for (int i = 0; i < 250; ++i) text += " + 1";
    text += ";\nprocess p { x = x - 1; }\n";
    const auto ts = testing::compile(text);
    CHECK(ts->processes().size() == 1);
}

TEST_CASE("blocks nested deeper than the limit are an error at the first one too deep") {
    // The process body's first '{' on line 2 is statement level 1; line 258 opens level 257.
    // Recovery skips the rest of that block, so the balanced braces after it are no error.
    std::string text = "process p {\n";
    for (int i = 0; i < 300; ++i) text += "{\n";
    text += "skip;\n";
    for (int i = 0; i < 301; ++i) text += "}\n";
    CHECK(testing::diagnostics(text) ==
          "test.mc:258:1: error: too deeply nested statement" + too_deep + excerpt(258, "{", "^") + "1 error\n");
}

TEST_CASE("array types nested deeper than the limit are an error") {
    // The variable's type on line 2 is level 1; each 'bool[' line nests one more.
    std::string text = "var x:\n";
    for (int i = 0; i < 300; ++i) text += "bool[\n";
    text += "bool";
    for (int i = 0; i < 300; ++i) text += "]";
    text += ";\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(text) ==
          "test.mc:258:1: error: too deeply nested type" + too_deep + excerpt(258, "bool[", "^~~~") + "1 error\n");
}

TEST_CASE("a long run of unary operators is an error and not a stack overflow") {
    const std::string text = "var b: bool = " + std::string(100000, '!') + "true;\nprocess p { skip; }\n";
    const auto d = testing::diagnostics(text);
    CHECK(d.find("test.mc:1:270: error: too deeply nested expression" + too_deep) == 0);
    CHECK(d.substr(d.size() - 8) == "1 error\n");
}

}  // TEST_SUITE
