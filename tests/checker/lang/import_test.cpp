// SPDX-License-Identifier: MIT
// Tests of checker/lang/loader.cpp with real files: imports and namespaces, loading a file
// once, and the errors for a missing file, an import cycle and a namespace used twice; one
// module over several files (`part`, `part of`) and its errors. The
// files are written under the build tree (IOMC_BINARY_DIR/lang_test_imports/CASE).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/testing.hpp"

using namespace iomc;
namespace fs = std::filesystem;

namespace {

/// A fresh folder for one test case, with files written into it.
class Folder {
public:
    explicit Folder(const std::string& name)
        : dir_(fs::path(IOMC_BINARY_DIR) / "lang_test_imports" / name) {
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void write(const std::string& file, const std::string& text) const {
        std::ofstream out(dir_ / file, std::ios::binary);
        out << text;
    }
    [[nodiscard]] std::string path(const std::string& file) const { return (dir_ / file).string(); }

private:
    fs::path dir_;
};

struct Loaded {
    std::unique_ptr<lang::Model> model;
    std::shared_ptr<const ir::TransitionSystem> ts;
    std::string diagnostics;
};

Loaded load(const std::string& path, const std::vector<std::string>& defines = {}) {
    Loaded l;
    support::DiagnosticSink sink;
    l.model = lang::Model::load(path, sink);
    if (l.model && !sink.has_errors()) l.ts = lang::compile(*l.model, {"", defines}, sink);
    const support::SourceManager empty;
    l.diagnostics = sink.render(l.model ? l.model->sources() : empty);
    return l;
}

std::map<std::string, std::int64_t> constants(const ir::TransitionSystem& ts) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [n, v] : ts.info().constants) out[n] = v;
    return out;
}

}  // namespace

TEST_SUITE("lang") {

TEST_CASE("an imported file's names are qualified by its namespace") {
    const Folder f("qualified");
    f.write("lib.mc", "const N = 2;\nvar flag: bool;\nproc set() { flag = true; }\n");
    f.write("main.mc", "import \"lib.mc\" as lib;\nprocess p { lib::set(); }\n"
                       "invariant i: lib::flag || !lib::flag;\n");
    const auto l = load(f.path("main.mc"));
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(l.ts->layout().slots()[0].name == "lib::flag");
    CHECK(constants(*l.ts) == std::map<std::string, std::int64_t>{{"lib::N", 2}});
    CHECK(l.model->modules().size() == 2);
}

TEST_CASE("a define reaches a constant of an imported file through its namespace") {
    const Folder f("define");
    f.write("lib.mc", "const N = 2;\n");
    f.write("main.mc", "import \"lib.mc\" as lib;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"), {"lib::N=4"});
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(constants(*l.ts) == std::map<std::string, std::int64_t>{{"lib::N", 4}});
}

TEST_CASE("a file imported twice is loaded once") {
    // main imports a and b; both import common: four files, not five.
    const Folder f("diamond");
    f.write("common.mc", "var shared: bool;\n");
    f.write("a.mc", "import \"common.mc\" as c;\n");
    f.write("b.mc", "import \"common.mc\" as c;\n");
    f.write("main.mc", "import \"a.mc\" as a;\nimport \"b.mc\" as b;\n"
                       "process p { a::c::shared = true; }\n");
    const auto l = load(f.path("main.mc"));
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(l.model->modules().size() == 4);
    // One slot for the shared variable, named by the first path from the root.
    CHECK(l.ts->layout().slots().size() == 2);
    CHECK(l.ts->layout().slots()[0].name == "a::c::shared");
}

TEST_CASE("imports resolve against the importing file's folder") {
    const Folder f("subdir");
    fs::create_directories(fs::path(f.path("linux")));
    f.write("linux/core.mc", "import \"hw.mc\" as hw;\nconst K = hw::M + 1;\n");
    f.write("linux/hw.mc", "const M = 5;\n");
    f.write("main.mc", "import \"linux/core.mc\" as core;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(constants(*l.ts) ==
          std::map<std::string, std::int64_t>{{"core::hw::M", 5}, {"core::K", 6}});
}

TEST_CASE("a missing import is reported at its path") {
    const Folder f("missing");
    f.write("main.mc", "import \"missing.mc\" as m;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK_FALSE(l.ts);
    CHECK(l.diagnostics == f.path("main.mc") + ":1:8: error: cannot open '" + f.path("missing.mc") +
                               "': No such file or directory\n"
                               "    1 | import \"missing.mc\" as m;\n"
                               "      |        ^~~~~~~~~~~~\n"
                               "note: a relative import is looked for beside the importing file, then in the "
                               "folders of -I and IOMC_PATH (none given)\n"
                               "1 error\n");
}

TEST_CASE("a relative import not beside the importer is looked for on the search path, in order") {
    const Folder f("search");
    fs::create_directories(fs::path(f.path("lib1/linux")));
    fs::create_directories(fs::path(f.path("lib2/linux")));
    fs::create_directories(fs::path(f.path("user")));
    f.write("lib1/linux/core.mc", "import \"hw.mc\" as hw;\nconst K = hw::M + 1;\n");  // hw.mc beside it
    f.write("lib1/linux/hw.mc", "const M = 5;\n");
    f.write("lib2/linux/core.mc", "const K = 100;\n");
    f.write("lib2/linux/other.mc", "const O = 7;\n");
    f.write("user/main.mc", "import \"linux/core.mc\" as core;\nimport \"linux/other.mc\" as o;\nprocess p { skip; }\n");
    support::DiagnosticSink sink;
    const auto model = lang::Model::load(f.path("user/main.mc"), sink,
                                         {{f.path("nowhere"), "-I"}, {f.path("lib1"), "-I"}, {f.path("lib2"), "IOMC_PATH"}});
    REQUIRE(model);
    const auto ts = lang::compile(*model, {"", {}}, sink);
    INFO(sink.render(model->sources()));
    REQUIRE(ts);
    // core.mc from lib1 (the first folder that has it), its hw.mc beside it; other.mc from lib2.
    CHECK(constants(*ts) ==
          std::map<std::string, std::int64_t>{{"core::hw::M", 5}, {"core::K", 6}, {"o::O", 7}});
    // A file beside the importer wins over the search path.
    fs::create_directories(fs::path(f.path("user/linux")));
    f.write("user/linux/core.mc", "const K = 1;\n");
    support::DiagnosticSink sink2;
    const auto model2 = lang::Model::load(f.path("user/main.mc"), sink2, {{f.path("lib1"), "-I"}, {f.path("lib2"), "-I"}});
    REQUIRE(model2);
    const auto ts2 = lang::compile(*model2, {"", {}}, sink2);
    REQUIRE(ts2);
    CHECK(constants(*ts2) == std::map<std::string, std::int64_t>{{"core::K", 1}, {"o::O", 7}});
}

TEST_CASE("an import found nowhere lists every place looked at") {
    const Folder f("searchmiss");
    f.write("main.mc", "import \"x.mc\" as x;\nprocess p { skip; }\n");
    support::DiagnosticSink sink;
    const auto model = lang::Model::load(f.path("main.mc"), sink, {{"a", "-I"}, {"b/c", "IOMC_PATH"}});
    REQUIRE(model);
    CHECK(sink.render(model->sources()) ==
          f.path("main.mc") + ":1:8: error: cannot open '" + f.path("x.mc") + "': No such file or directory\n"
          "    1 | import \"x.mc\" as x;\n"
          "      |        ^~~~~~\n"
          "note: not in 'a/x.mc' either (-I a)\n"
          "note: not in 'b/c/x.mc' either (IOMC_PATH b/c)\n"
          "1 error\n");
}

TEST_CASE("a missing root file is an error without a place") {
    const Folder f("noroot");
    support::DiagnosticSink sink;
    const auto model = lang::Model::load(f.path("nothing.mc"), sink);
    CHECK_FALSE(model);
    const support::SourceManager empty;
    CHECK(sink.render(empty) ==
          "iomc: error: cannot open '" + f.path("nothing.mc") +
              "': No such file or directory\n1 error\n");
}

TEST_CASE("importing a folder says it is a directory") {
    const Folder f("folder");
    fs::create_directories(fs::path(f.path("sub.mc")));
    f.write("main.mc", "import \"sub.mc\" as s;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("main.mc") + ":1:8: error: cannot open '" + f.path("sub.mc") +
                               "': is a directory\n"
                               "    1 | import \"sub.mc\" as s;\n"
                               "      |        ^~~~~~~~\n"
                               "1 error\n");
}

TEST_CASE("importing a device is refused instead of reading it forever") {
    // Issue 10: `import "/dev/zero"` hung, reading zeros until memory ran out.
    const Folder f("device");
    f.write("main.mc", "import \"/dev/zero\" as z;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK_FALSE(l.ts);
    CHECK(l.diagnostics == f.path("main.mc") +
                               ":1:8: error: cannot open '/dev/zero': not a regular file (a device, a pipe or a "
                               "socket)\n"
                               "    1 | import \"/dev/zero\" as z;\n"
                               "      |        ^~~~~~~~~~~\n"
                               "1 error\n");
}

TEST_CASE("a root file that is a device is refused") {
    support::DiagnosticSink sink;
    const auto model = lang::Model::load("/dev/zero", sink);
    CHECK_FALSE(model);
    const support::SourceManager empty;
    CHECK(sink.render(empty) ==
          "iomc: error: cannot open '/dev/zero': not a regular file (a device, a pipe or a socket)\n1 error\n");
}

TEST_CASE("an import cycle is reported with the whole chain") {
    // a imports b, b imports a: the error is at b's import of a.
    const Folder f("cycle");
    f.write("a.mc", "import \"b.mc\" as b;\nprocess p { skip; }\n");
    f.write("b.mc", "import \"a.mc\" as a;\n");
    const auto l = load(f.path("a.mc"));
    CHECK_FALSE(l.ts);
    CHECK(l.diagnostics == f.path("b.mc") + ":1:8: error: import cycle: " + f.path("a.mc") +
                               " -> " + f.path("b.mc") + " -> " + f.path("a.mc") + "\n"
                               "    1 | import \"a.mc\" as a;\n"
                               "      |        ^~~~~~\n"
                               "1 error\n");
}

TEST_CASE("a file importing itself is a cycle") {
    const Folder f("self");
    f.write("a.mc", "import \"a.mc\" as me;\nprocess p { skip; }\n");
    const auto l = load(f.path("a.mc"));
    CHECK(l.diagnostics == f.path("a.mc") + ":1:8: error: import cycle: " + f.path("a.mc") +
                               " -> " + f.path("a.mc") + "\n"
                               "    1 | import \"a.mc\" as me;\n"
                               "      |        ^~~~~~\n"
                               "1 error\n");
}

TEST_CASE("two imports cannot share a namespace") {
    const Folder f("nsdup");
    f.write("a.mc", "const A = 1;\n");
    f.write("b.mc", "const B = 1;\n");
    f.write("main.mc", "import \"a.mc\" as x;\nimport \"b.mc\" as x;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("main.mc") +
                               ":2:8: error: namespace 'x' is already used by another import\n"
                               "    2 | import \"b.mc\" as x;\n"
                               "      |        ^~~~~~\n"
                               "1 error\n");
}

TEST_CASE("an unknown name in a namespace suggests the namespace's names") {
    // The candidates for "did you mean" are the importing module's own names, never those of
    // the namespace the name is qualified with, so no note is given today.
    const Folder f("unknown");
    f.write("lib.mc", "var flag: bool;\n");
    f.write("main.mc", "import \"lib.mc\" as lib;\nprocess p { lib::flg = true; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("main.mc") +
                               ":2:13: error: unknown name 'lib::flg'\n"
                               "    2 | process p { lib::flg = true; }\n"
                               "      |             ^~~~~~~~\n"
                               "note: did you mean 'lib::flag'?\n"
                               "1 error\n");
}

TEST_CASE("errors in an imported file point into that file") {
    const Folder f("errfile");
    f.write("lib.mc", "var x: 0..3 = 7;\n");
    f.write("main.mc", "import \"lib.mc\" as lib;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("lib.mc") +
                               ":1:15: error: initial value 7 is outside the range 0..3 of "
                               "'lib::x'\n"
                               "    1 | var x: 0..3 = 7;\n"
                               "      |               ^\n"
                               "1 error\n");
}

// ---- one module over several files: `part "P";` and `part of "F";`

TEST_CASE("a part's declarations are its owner's: one namespace, in the place of the part line") {
    const Folder f("part");
    f.write("core.mc", "var a: bool;\npart \"core_b.mc\";\nvar c: bool;\nproc set_c() { c = b; }\n");
    f.write("core_b.mc", "// the second file of core\npart of \"core.mc\";\nvar b: bool;\n"
                         "proc set_b() { b = a; }\n");
    f.write("main.mc", "import \"core.mc\" as core;\nprocess p { core::set_b(); core::set_c(); }\n"
                       "invariant i: core::c -> core::b;\n");
    const auto l = load(f.path("main.mc"));
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(l.diagnostics.empty());
    CHECK(l.model->modules().size() == 2);  // core and main: the part is no module
    std::vector<std::string> slots;
    for (const auto& s : l.ts->layout().slots()) slots.push_back(s.name);
    CHECK(std::vector<std::string>(slots.begin(), slots.begin() + 3) ==
          std::vector<std::string>{"core::a", "core::b", "core::c"});
}

TEST_CASE("errors in a part point into the part") {
    const Folder f("parterr");
    f.write("core.mc", "part \"core_b.mc\";\n");
    f.write("core_b.mc", "part of \"core.mc\";\nvar x: 0..3 = 7;\n");
    f.write("main.mc", "import \"core.mc\" as core;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("core_b.mc") +
                               ":2:15: error: initial value 7 is outside the range 0..3 of 'core::x'\n"
                               "    2 | var x: 0..3 = 7;\n"
                               "      |               ^\n"
                               "1 error\n");
}

TEST_CASE("a part named on the command line loads the file it is a part of") {
    const Folder f("partroot");
    f.write("core.mc", "var a: bool;\npart \"core_b.mc\";\nprocess p { set_b(); }\n");
    f.write("core_b.mc", "part of \"core.mc\";\nvar b: bool;\nproc set_b() { b = a; }\n");
    const auto l = load(f.path("core_b.mc"));
    INFO(l.diagnostics);
    REQUIRE(l.ts);
    CHECK(l.model->modules().size() == 1);
    CHECK(l.ts->layout().slots()[1].name == "b");  // the root's names are unqualified
}

TEST_CASE("a part cannot be imported") {
    const Folder f("partimport");
    f.write("core.mc", "part \"core_b.mc\";\n");
    f.write("core_b.mc", "part of \"core.mc\";\nvar b: bool;\n");
    f.write("main.mc", "import \"core_b.mc\" as b;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics == f.path("main.mc") + ":1:8: error: '" + f.path("core_b.mc") + "' is a part of '" +
                               f.path("core.mc") + "' (it says `part of` at " + f.path("core_b.mc") +
                               ":1:9); import '" + f.path("core.mc") + "'\n"
                               "    1 | import \"core_b.mc\" as b;\n"
                               "      |        ^~~~~~~~~~~\n"
                               "1 error\n");
}

TEST_CASE("a part must say whose part it is, and say it right") {
    const Folder f("partof");
    f.write("core.mc", "part \"plain.mc\";\npart \"other.mc\";\n");
    f.write("plain.mc", "var x: bool;\n");
    f.write("other.mc", "part of \"elsewhere.mc\";\nvar y: bool;\n");
    f.write("main.mc", "import \"core.mc\" as core;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK_FALSE(l.ts);
    CHECK(l.diagnostics.find(f.path("core.mc") + ":1:6: error: '" + f.path("plain.mc") +
                             "' does not say `part of \"core.mc\";`: a file included with `part` names the file it "
                             "belongs to") != std::string::npos);
    CHECK(l.diagnostics.find(f.path("other.mc") + ":1:9: error: '" + f.path("other.mc") +
                             "' says it is a part of 'elsewhere.mc', but '" + f.path("core.mc") +
                             "' includes it") != std::string::npos);
    CHECK(l.diagnostics.find("2 errors") != std::string::npos);
}

TEST_CASE("a part has no imports or parts of its own and belongs to one file") {
    const Folder f("partrules");
    f.write("lib.mc", "const L = 1;\n");
    f.write("core.mc", "part \"core_b.mc\";\npart \"core_b.mc\";\n");
    f.write("core_b.mc", "part of \"core.mc\";\nimport \"lib.mc\" as lib;\npart \"core_c.mc\";\n");
    f.write("main.mc", "import \"core.mc\" as core;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics.find(f.path("core_b.mc") + ":2:8: error: a part has no imports of its own: it uses those of '" +
                             f.path("core.mc") + "'") != std::string::npos);
    CHECK(l.diagnostics.find(f.path("core_b.mc") + ":3:6: error: a part has no parts of its own: list them in '" +
                             f.path("core.mc") + "'") != std::string::npos);
    CHECK(l.diagnostics.find(f.path("core.mc") + ":2:6: error: '" + f.path("core_b.mc") + "' is already a part of '" +
                             f.path("core.mc") + "'") != std::string::npos);
    CHECK(l.diagnostics.find("3 errors") != std::string::npos);
}

TEST_CASE("a module cannot also be a part") {
    const Folder f("partmodule");
    f.write("lib.mc", "part of \"core.mc\";\n");
    f.write("core.mc", "part \"core.mc\";\npart \"lib.mc\";\n");
    f.write("main.mc", "import \"core.mc\" as core;\nprocess p { skip; }\n");
    const auto l = load(f.path("main.mc"));
    CHECK(l.diagnostics.find(f.path("core.mc") + ":1:6: error: '" + f.path("core.mc") +
                             "' is loaded as a module (a file named on the command line or imported); a part is only "
                             "ever a part") != std::string::npos);
    CHECK(l.diagnostics.find("1 error") != std::string::npos);
}

}  // TEST_SUITE
