// SPDX-License-Identifier: MIT
// Tests of checker/lang/loader.cpp with real files: imports and namespaces, loading a file
// once, and the errors for a missing file, an import cycle and a namespace used twice. The
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

}  // TEST_SUITE
