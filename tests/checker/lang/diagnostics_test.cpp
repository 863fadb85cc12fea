// SPDX-License-Identifier: MIT
// Tests of the elaborator's diagnostics (checker/lang/elaborate.cpp and frontend.cpp): names,
// types, constants and -D, variants, procedures, loops, process locations. Exact text,
// carets included, as `iomc lint` prints it.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/testing.hpp"

using namespace iomc;

TEST_SUITE("lang") {

// ---------------------------------------------------------------- names

TEST_CASE("an unknown name gets a did you mean note") {
    CHECK(testing::diagnostics("var count: 0..3 = 0;\n"
                               "process p { cont = 1; }\n") ==
          "test.mc:2:13: error: unknown name 'cont'\n"
          "    2 | process p { cont = 1; }\n"
          "      |             ^~~~\n"
          "note: did you mean 'count'?\n"
          "1 error\n");
}

TEST_CASE("an unknown name far from every declared name gets no note") {
    CHECK(testing::diagnostics("var x: 0..3;\n"
                               "process p { x = zzz; }\n") ==
          "test.mc:2:17: error: unknown name 'zzz'\n"
          "    2 | process p { x = zzz; }\n"
          "      |                 ^~~\n"
          "1 error\n");
}

TEST_CASE("did you mean suggests a value and not a process") {
    // 'y' is one edit from both 'p' and 'x'; the tie goes to 'p' alphabetically, but 'p' is a
    // process and cannot stand where a value is needed. Only values should be candidates.
    CHECK(testing::diagnostics("var x: 0..3;\n"
                               "process p { x = y; }\n") ==
          "test.mc:2:17: error: unknown name 'y'\n"
          "    2 | process p { x = y; }\n"
          "      |                 ^\n"
          "note: did you mean 'x'?\n"
          "1 error\n");
}

TEST_CASE("an unknown type gets a did you mean note") {
    CHECK(testing::diagnostics("type Dev = scalarset(2);\n"
                               "var d: Dve;\n"
                               "process p { skip; }\n") ==
          "test.mc:2:8: error: unknown type 'Dve'\n"
          "    2 | var d: Dve;\n"
          "      |        ^~~\n"
          "note: did you mean 'Dev'?\n"
          "1 error\n");
}

TEST_CASE("an unknown field names the field and then its struct") {
    // The code prints "unknown field of Grp 'owner_'", which reads as if the struct were
    // called 'owner_'. The field name belongs next to the word field.
    CHECK(testing::diagnostics("struct Grp { cnt: 0..3; owner: bool; }\n"
                               "var g: Grp;\n"
                               "process p { g.owner_ = true; }\n") ==
          "test.mc:3:15: error: unknown field 'owner_' of Grp\n"
          "    3 | process p { g.owner_ = true; }\n"
          "      |               ^~~~~~\n"
          "note: did you mean 'owner'?\n"
          "1 error\n");
}

TEST_CASE("an unknown namespace is reported on the qualified name") {
    CHECK(testing::diagnostics("process p { x::y = 1; }\n") ==
          "test.mc:1:13: error: unknown namespace 'x'\n"
          "    1 | process p { x::y = 1; }\n"
          "      |             ^~~~\n"
          "1 error\n");
}

TEST_CASE("a duplicate declaration points at the previous one") {
    CHECK(testing::diagnostics("var x: bool;\n"
                               "var x: 0..1;\n"
                               "process p { skip; }\n") ==
          "test.mc:2:5: error: 'x' is already declared\n"
          "    2 | var x: 0..1;\n"
          "      |     ^\n"
          "test.mc:1:5: note: previous declaration is here\n"
          "    1 | var x: bool;\n"
          "      |     ^\n"
          "1 error\n");
}

TEST_CASE("enumerators share the module namespace so two enums cannot both declare one") {
    // The note points at the enum that declared the first 'y' (its name, column 6).
    CHECK(testing::diagnostics("enum A { x, y }\n"
                               "enum B { y, z }\n"
                               "process p { skip; }\n") ==
          "test.mc:2:10: error: 'y' is already declared\n"
          "    2 | enum B { y, z }\n"
          "      |          ^\n"
          "test.mc:1:6: note: previous declaration is here\n"
          "    1 | enum A { x, y }\n"
          "      |      ^\n"
          "1 error\n");
}

TEST_CASE("duplicate labels and locals are reported") {
    CHECK(testing::diagnostics("process p { L: skip; L: skip; }\n") ==
          "test.mc:1:22: error: label 'L' is declared twice\n"
          "    1 | process p { L: skip; L: skip; }\n"
          "      |                      ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("process p { var a: bool; var a: bool; skip; }\n") ==
          "test.mc:1:30: error: 'a' is already declared in this scope\n"
          "    1 | process p { var a: bool; var a: bool; skip; }\n"
          "      |                              ^\n"
          "1 error\n");
}

// ---------------------------------------------------------------- types

TEST_CASE("assigning a bool to an integer range is a type error") {
    CHECK(testing::diagnostics("var x: 0..3 = 0;\n"
                               "process p { x = true; }\n") ==
          "test.mc:2:17: error: cannot assign a value of type bool to 'x' of type 0..3\n"
          "    2 | process p { x = true; }\n"
          "      |                 ^~~~\n"
          "1 error\n");
}

TEST_CASE("an enum cannot be compared with an integer") {
    CHECK(testing::diagnostics("enum Dom { dma, identity }\n"
                               "var d: Dom = dma;\n"
                               "process p { await d == 1; }\n") ==
          "test.mc:3:19: error: cannot compare Dom with int\n"
          "    3 | process p { await d == 1; }\n"
          "      |                   ^~~~~~\n"
          "1 error\n");
}

TEST_CASE("an array index must have the array's index type") {
    CHECK(testing::diagnostics("type Dev = scalarset(2);\n"
                               "var a: bool[Dev];\n"
                               "process p { a[1] = true; }\n") ==
          "test.mc:3:15: error: index '1' has type int, but the array is indexed by Dev\n"
          "    3 | process p { a[1] = true; }\n"
          "      |               ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("enum Dom { dma, identity }\n"
                               "var a: bool[Dom];\n"
                               "var s: 0..3 = 0;\n"
                               "process p { a[s] = true; }\n") ==
          "test.mc:4:15: error: index 's' has type 0..3, but the array is indexed by Dom\n"
          "    4 | process p { a[s] = true; }\n"
          "      |               ^\n"
          "1 error\n");
}

TEST_CASE("a constant index outside the array is found at compile time") {
    CHECK(testing::diagnostics("var a: bool[0..3];\n"
                               "process p { a[4] = true; }\n") ==
          "test.mc:2:15: error: index 4 is out of range 0..3 of 'a'\n"
          "    2 | process p { a[4] = true; }\n"
          "      |               ^\n"
          "1 error\n");
}

TEST_CASE("a constant assigned out of the variable's range is found at compile time") {
    CHECK(testing::diagnostics("var x: 0..3 = 0;\n"
                               "process p { x = 4; }\n") ==
          "test.mc:2:17: error: value 4 is out of range 0..3 of 'x'\n"
          "    2 | process p { x = 4; }\n"
          "      |                 ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: 0..5 = 6;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:15: error: initial value 6 is outside the range 0..5 of 'x'\n"
          "    1 | var x: 0..5 = 6;\n"
          "      |               ^\n"
          "1 error\n");
}

TEST_CASE("the unbounded type int is rejected") {
    CHECK(testing::diagnostics("var x: int = 0;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:8: error: unbounded type 'int'; every value needs a bounded type, such as "
          "0..7\n"
          "    1 | var x: int = 0;\n"
          "      |        ^~~\n"
          "1 error\n");
}

TEST_CASE("an empty range is rejected") {
    CHECK(testing::diagnostics("var x: 3..1 = 3;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:8: error: empty range 3..1\n"
          "    1 | var x: 3..1 = 3;\n"
          "      |        ^~~~\n"
          "1 error\n");
}

TEST_CASE("an error inside a type declaration is not followed by a bogus cycle error") {
    // named_type() marks the declaration as in progress, fails on the empty range, and leaves
    // the mark behind; the next use of T then reports "type 'T' depends on itself".
    CHECK(testing::diagnostics("type T = 3..1;\n"
                               "var x: T;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:10: error: empty range 3..1\n"
          "    1 | type T = 3..1;\n"
          "      |          ^~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("struct S { a: bool; a: bool; }\n"
                               "var s: S;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:21: error: field 'a' is declared twice\n"
          "    1 | struct S { a: bool; a: bool; }\n"
          "      |                     ^\n"
          "1 error\n");
}

TEST_CASE("a type or constant that refers to itself is a cycle") {
    CHECK(testing::diagnostics("type T = T;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:6: error: type 'T' depends on itself\n"
          "    1 | type T = T;\n"
          "      |      ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("const N = N + 1;\n"
                               "process p { skip; }\n") ==
          "test.mc:1:7: error: constant 'N' depends on itself\n"
          "    1 | const N = N + 1;\n"
          "      |       ^\n"
          "1 error\n");
}

TEST_CASE("operators check their operand types") {
    CHECK(testing::diagnostics("var x: 0..3;\nvar b: bool;\nprocess p { b = x && b; }\n") ==
          "test.mc:3:17: error: operator '&&' needs bool operands, found 0..3\n"
          "    3 | process p { b = x && b; }\n"
          "      |                 ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: 0..3;\nvar b: bool;\nprocess p { b = !x; }\n") ==
          "test.mc:3:18: error: operator '!' needs bool, found 0..3\n"
          "    3 | process p { b = !x; }\n"
          "      |                  ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: 0..3;\nprocess p { await x; }\n") ==
          "test.mc:2:19: error: await needs a bool condition, found 0..3\n"
          "    2 | process p { await x; }\n"
          "      |                   ^\n"
          "1 error\n");
}

TEST_CASE("constant expressions are checked for division by zero and overflow") {
    CHECK(testing::diagnostics("const N = 4 / 0;\nprocess p { skip; }\n") ==
          "test.mc:1:11: error: division by zero in a constant expression\n"
          "    1 | const N = 4 / 0;\n"
          "      |           ^~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("const N = 2147483647 + 1;\nprocess p { skip; }\n") ==
          "test.mc:1:11: error: constant expression overflows 32 bits\n"
          "    1 | const N = 2147483647 + 1;\n"
          "      |           ^~~~~~~~~~~~~~\n"
          "1 error\n");
}

// ---------------------------------------------------------------- -D

TEST_CASE("a define without an equals sign or a value is a usage error") {
    const std::string model = "const N = 2;\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(model, {"N"}) ==
          "iomc: error: -D 'N': expected NAME=VALUE\n1 error\n");
    CHECK(testing::diagnostics(model, {"=3"}) ==
          "iomc: error: -D '=3': expected NAME=VALUE\n1 error\n");
    CHECK(testing::diagnostics(model, {"N="}) ==
          "iomc: error: -D 'N=': expected NAME=VALUE\n1 error\n");
}

TEST_CASE("a define of an unknown constant suggests the closest one") {
    CHECK(testing::diagnostics("const N_DEVS = 2;\nprocess p { skip; }\n", {"NDEVS=3"}) ==
          "iomc: error: -D NDEVS=3: no constant 'NDEVS'\n"
          "note: did you mean 'N_DEVS'?\n"
          "1 error\n");
    // A variable is not a constant, and the note only lists constants.
    CHECK(testing::diagnostics("var x: bool;\nprocess p { skip; }\n", {"x=1"}) ==
          "iomc: error: -D x=1: no constant 'x'\n1 error\n");
}

TEST_CASE("a define with an unknown namespace is a usage error without a source place") {
    // The name comes from the command line, but the code reports "unknown namespace 'foo'"
    // at test.mc:1:1 (a default SourceRange), pointing at an unrelated declaration.
    CHECK(testing::diagnostics("const N = 2;\nprocess p { skip; }\n", {"foo::N=3"}) ==
          "iomc: error: -D foo::N=3: no constant 'foo::N'\nnote: did you mean 'N'?\n1 error\n");
}

TEST_CASE("a define must match the kind of the constant's default") {
    const std::string model = "const N: 1..4 = 2;\nconst FIX = false;\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(model, {"N=true"}) ==
          "iomc: error: -D N=true: constant 'N' is an integer, not bool\n"
          "test.mc:1:7: note: declared here\n"
          "    1 | const N: 1..4 = 2;\n"
          "      |       ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(model, {"FIX=1"}) ==
          "iomc: error: -D FIX=1: constant 'FIX' is bool, not an integer\n"
          "test.mc:2:7: note: declared here\n"
          "    2 | const FIX = false;\n"
          "      |       ^~~\n"
          "1 error\n");
}

TEST_CASE("a define value must be a decimal integer or true or false") {
    const std::string model = "const N = 2;\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(model, {"N=three"}) ==
          "iomc: error: -D N=three: 'three' is not an integer or true/false\n1 error\n");
    CHECK(testing::diagnostics(model, {"N=0x3"}) ==
          "iomc: error: -D N=0x3: '0x3' is not an integer or true/false\n1 error\n");
}

TEST_CASE("a define outside a typed constant's range names the define and the declaration") {
    const std::string model = "const N: 1..4 = 2;\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(model, {"N=9"}) ==
          "iomc: error: -D N=9: the value is outside the range 1..4 of constant 'N'\n"
          "test.mc:1:7: note: declared here\n"
          "    1 | const N: 1..4 = 2;\n"
          "      |       ^\n"
          "1 error\n");
    CHECK(testing::diagnostics(model, {"N=-1"}) ==
          "iomc: error: -D N=-1: the value is outside the range 1..4 of constant 'N'\n"
          "test.mc:1:7: note: declared here\n"
          "    1 | const N: 1..4 = 2;\n"
          "      |       ^\n"
          "1 error\n");
}

TEST_CASE("every bad define is reported not only the first") {
    CHECK(testing::diagnostics("const N = 2;\nprocess p { skip; }\n", {"N", "M=1"}) ==
          "iomc: error: -D 'N': expected NAME=VALUE\n"
          "iomc: error: -D M=1: no constant 'M'\n"
          "note: did you mean 'N'?\n"
          "2 errors\n");
}

// ---------------------------------------------------------------- variants

TEST_CASE("an unknown variant lists the declared ones") {
    const std::string model = "variant today;\nvariant fix1;\nprocess p { skip; }\n";
    CHECK(testing::diagnostics(model, {}, "fix2") ==
          "iomc: error: unknown variant 'fix2'; available: today, fix1\n1 error\n");
}

TEST_CASE("an unknown variant in a model without variants says so") {
    CHECK(testing::diagnostics("process p { skip; }\n", {}, "fix") ==
          "iomc: error: unknown variant 'fix'; the model declares no variants\n1 error\n");
}

TEST_CASE("variant tests and variant settings name declared things") {
    CHECK(testing::diagnostics("variant today;\n"
                               "variant fix;\n"
                               "var x: bool;\n"
                               "process p { when (variant(fx)) x = true; }\n") ==
          "test.mc:4:27: error: unknown variant 'fx'\n"
          "    4 | process p { when (variant(fx)) x = true; }\n"
          "      |                           ^~\n"
          "note: did you mean 'fix'?\n"
          "1 error\n");
    CHECK(testing::diagnostics("const N = 1;\n"
                               "variant big { M = 2; }\n"
                               "process p { skip; }\n") ==
          "test.mc:2:15: error: unknown constant 'M'\n"
          "    2 | variant big { M = 2; }\n"
          "      |               ^\n"
          "note: did you mean 'N'?\n"
          "1 error\n");
    CHECK(testing::diagnostics("variant a;\nvariant a;\nprocess p { skip; }\n") ==
          "test.mc:2:9: error: variant 'a' is declared twice\n"
          "    2 | variant a;\n"
          "      |         ^\n"
          "test.mc:1:9: note: first declared here\n"
          "    1 | variant a;\n"
          "      |         ^\n"
          "1 error\n");
}

TEST_CASE("expectations name declared variants and are not given twice") {
    support::DiagnosticSink sink;
    auto model = lang::Model::from_text("test.mc",
                                        "variant a;\n"
                                        "variant b;\n"
                                        "process p { skip; }\n"
                                        "expect c: holds deadlock;\n"
                                        "expect *: holds deadlock;\n"
                                        "expect a: violates deadlock;\n",
                                        sink);
    REQUIRE(model);
    REQUIRE_FALSE(sink.has_errors());
    const auto cells = model->expectations(sink);
    // "*" expands to a and b; the third line repeats (a, deadlock).
    CHECK(cells.size() == 3);
    CHECK(sink.render(model->sources()) ==
          "test.mc:4:8: error: unknown variant 'c'; available: a, b\n"
          "    4 | expect c: holds deadlock;\n"
          "      |        ^\n"
          "test.mc:6:20: error: property 'deadlock' already has an expectation for variant 'a'\n"
          "    6 | expect a: violates deadlock;\n"
          "      |                    ^~~~~~~~\n"
          "test.mc:5:17: note: the earlier expectation is here\n"
          "    5 | expect *: holds deadlock;\n"
          "      |                 ^~~~~~~~\n"
          "2 errors\n");
}

// ---------------------------------------------------------------- procedures and control

TEST_CASE("recursion is rejected even through another procedure") {
    CHECK(testing::diagnostics("proc f() { f(); }\nprocess p { f(); }\n") ==
          "test.mc:1:12: error: recursive call to 'f' (procedures are inlined; recursion is not "
          "supported)\n"
          "    1 | proc f() { f(); }\n"
          "      |            ^~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("proc f() { g(); }\nproc g() { f(); }\nprocess p { f(); }\n") ==
          "test.mc:2:12: error: recursive call to 'f' (procedures are inlined; recursion is not "
          "supported)\n"
          "    2 | proc g() { f(); }\n"
          "      |            ^~~\n"
          "1 error\n");
}

TEST_CASE("a call must pass as many arguments as the procedure declares") {
    CHECK(testing::diagnostics("proc f(a: 0..3) { skip; }\nprocess p { f(1, 2); }\n") ==
          "test.mc:2:13: error: 'f' takes 1 argument, found 2\n"
          "    2 | process p { f(1, 2); }\n"
          "      |             ^~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("proc f() { skip; }\nprocess p { f(1); }\n") ==
          "test.mc:2:13: error: 'f' takes 0 arguments, found 1\n"
          "    2 | process p { f(1); }\n"
          "      |             ^~~~\n"
          "1 error\n");
}

TEST_CASE("arguments are checked against the parameter types") {
    CHECK(testing::diagnostics("proc f(a: bool) { skip; }\nprocess p { f(1); }\n") ==
          "test.mc:2:15: error: argument 1 of 'f' must be bool, found int\n"
          "    2 | process p { f(1); }\n"
          "      |               ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("proc f(a: 0..3) { skip; }\nprocess p { f(5); }\n") ==
          "test.mc:2:15: error: argument 1 of 'f' is 5, outside 0..3\n"
          "    2 | process p { f(5); }\n"
          "      |               ^\n"
          "1 error\n");
}

TEST_CASE("return values must match the procedure's declaration") {
    CHECK(testing::diagnostics("proc f() { skip; }\nvar x: 0..3;\nprocess p { x = f(); }\n") ==
          "test.mc:3:17: error: procedure 'f' returns no value\n"
          "    3 | process p { x = f(); }\n"
          "      |                 ^~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("proc f() -> 0..3 { return; }\nprocess p { f(); }\n") ==
          "test.mc:1:20: error: procedure 'f' must return a value\n"
          "    1 | proc f() -> 0..3 { return; }\n"
          "      |                    ^~~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("process p { return 1; }\n") ==
          "test.mc:1:20: error: a process cannot return a value\n"
          "    1 | process p { return 1; }\n"
          "      |                    ^\n"
          "1 error\n");
}

TEST_CASE("break and continue outside a loop are errors") {
    CHECK(testing::diagnostics("process p { break; }\n") ==
          "test.mc:1:13: error: 'break' outside a loop\n"
          "    1 | process p { break; }\n"
          "      |             ^~~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("process p { continue; }\n") ==
          "test.mc:1:13: error: 'continue' outside a loop\n"
          "    1 | process p { continue; }\n"
          "      |             ^~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("a loop with no step is reported at the loop") {
    CHECK(testing::diagnostics("process p { skip; while (true) { } }\n") ==
          "test.mc:1:19: error: this loop has no step (an empty loop body, or gotos in a cycle "
          "with nothing between)\n"
          "    1 | process p { skip; while (true) { } }\n"
          "      |                   ^~~~~~~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("a loop with no step at the start of a process is reported at the loop too") {
    // The entry node keeps the process declaration as its place, so the code points at
    // "process p ..." (1:1) instead of the loop (1:13).
    CHECK(testing::diagnostics("process p { while (true) { } }\n") ==
          "test.mc:1:13: error: this loop has no step (an empty loop body, or gotos in a cycle "
          "with nothing between)\n"
          "    1 | process p { while (true) { } }\n"
          "      |             ^~~~~~~~~~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("a goto to an unknown label suggests a declared one") {
    CHECK(testing::diagnostics("process p { L: skip; goto M; }\n") ==
          "test.mc:1:27: error: unknown label 'M'\n"
          "    1 | process p { L: skip; goto M; }\n"
          "      |                           ^\n"
          "note: did you mean 'L'?\n"
          "1 error\n");
}

TEST_CASE("when needs a constant condition") {
    CHECK(testing::diagnostics("var x: bool;\nprocess p { when (x) skip; }\n") ==
          "test.mc:2:19: error: 'when' needs a constant bool condition (such as variant(x) or a "
          "constant)\n"
          "    2 | process p { when (x) skip; }\n"
          "      |                   ^\n"
          "1 error\n");
}

TEST_CASE("mutexes are used only through lock and unlock") {
    CHECK(testing::diagnostics("var m: mutex;\nprocess p { m = 1; }\n") ==
          "test.mc:2:13: error: cannot assign to mutex 'm'; use lock() and unlock()\n"
          "    2 | process p { m = 1; }\n"
          "      |             ^\n"
          "1 error\n");
    CHECK(testing::diagnostics("var x: 0..3;\nprocess p { lock(x); }\n") ==
          "test.mc:2:18: error: lock() needs a mutex, found 'x' of type 0..3\n"
          "    2 | process p { lock(x); }\n"
          "      |                  ^\n"
          "1 error\n");
}

TEST_CASE("an error inside an atomic block inside a for loop is reported and compilation goes on") {
    // The error abandons the atomic block; the loop around it must still find its own frame
    // (this crashed once), and the second iteration reports nothing new.
    CHECK(testing::diagnostics("type Dev = scalarset(2);\n"
                               "var b: bool;\n"
                               "process client(d: Dev) { for e: Dev { atomic { b = d < e; } } }\n") ==
          "test.mc:3:52: error: operator '<' needs integer operands, found Dev\n"
          "    3 | process client(d: Dev) { for e: Dev { atomic { b = d < e; } } }\n"
          "      |                                                    ^\n"
          "1 error\n");
}

// ---------------------------------------------------------------- process locations

TEST_CASE("process locations can be tested only in invariants") {
    CHECK(testing::diagnostics("process p { L: skip; }\n"
                               "var b: bool;\n"
                               "process q { await p @ L; }\n") ==
          "test.mc:3:19: error: process locations can be tested only in invariants\n"
          "    3 | process q { await p @ L; }\n"
          "      |                   ^~~~~\n"
          "1 error\n");
    CHECK(testing::diagnostics("process p { L: skip; }\n"
                               "var b: bool;\n"
                               "process q { b = p past L; }\n") ==
          "test.mc:3:17: error: process locations can be tested only in invariants\n"
          "    3 | process q { b = p past L; }\n"
          "      |                 ^~~~~~~~\n"
          "1 error\n");
}

TEST_CASE("an unknown label after @ names the label and then the process") {
    // The code prints "unknown label in process 'p' 'M'"; the label's name belongs after
    // the word label.
    CHECK(testing::diagnostics("process p { L: skip; }\ninvariant i: p @ M;\n") ==
          "test.mc:2:18: error: unknown label 'M' in process 'p'\n"
          "    2 | invariant i: p @ M;\n"
          "      |                  ^\n"
          "note: did you mean 'L'?\n"
          "1 error\n");
}

TEST_CASE("a location test names a declared process with its parameters") {
    CHECK(testing::diagnostics("process p { L: skip; }\ninvariant i: q @ L;\n") ==
          "test.mc:2:14: error: unknown process 'q'\n"
          "    2 | invariant i: q @ L;\n"
          "      |              ^\n"
          "note: did you mean 'p'?\n"
          "1 error\n");
    CHECK(testing::diagnostics("type Dev = scalarset(2);\n"
                               "process c(d: Dev) { L: skip; }\n"
                               "invariant i: c @ L;\n") ==
          "test.mc:3:14: error: process 'c' takes 1 parameter, found 0\n"
          "    3 | invariant i: c @ L;\n"
          "      |              ^\n"
          "1 error\n");
}

TEST_CASE("an invariant must be a bool") {
    CHECK(testing::diagnostics("process p { skip; }\ninvariant i: 1 + 1;\n") ==
          "test.mc:2:14: error: an invariant must be bool, found int\n"
          "    2 | invariant i: 1 + 1;\n"
          "      |              ^~~~~\n"
          "1 error\n");
}

TEST_CASE("semantic errors are printed in source order") {
    // STYLE D.1: the output is sorted. Invariants are compiled after processes, so the code
    // prints the line 3 error before the line 1 error.
    CHECK(testing::diagnostics("invariant i: 1;\n"
                               "var x: 0..3;\n"
                               "process p { x = true; }\n") ==
          "test.mc:1:14: error: an invariant must be bool, found int\n"
          "    1 | invariant i: 1;\n"
          "      |              ^\n"
          "test.mc:3:17: error: cannot assign a value of type bool to 'x' of type 0..3\n"
          "    3 | process p { x = true; }\n"
          "      |                 ^~~~\n"
          "2 errors\n");
}

// ---------------------------------------------------------------- whole model

TEST_CASE("a model without processes is an error at its first character") {
    CHECK(testing::diagnostics("") ==
          "test.mc:1:1: error: the model declares no process; there is nothing to run\n1 error\n");
    CHECK(testing::diagnostics("var x: bool;\n") ==
          "test.mc:1:1: error: the model declares no process; there is nothing to run\n"
          "    1 | var x: bool;\n"
          "      | ^\n"
          "1 error\n");
}

}  // TEST_SUITE
