// SPDX-License-Identifier: MIT
#include "tests/support/testing.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "traces/replay.hpp"

namespace iomc::testing {

void check_replays(const ir::TransitionSystem& ts, const std::optional<traces::Counterexample>& cx) {
    if (!cx) return;
    traces::Replay rep;
    const auto err = traces::confirm(ts, *cx, rep);
    CHECK_MESSAGE(!err, (err ? *err : std::string()));
}

Compiled compile_text(const std::string& text, const std::string& variant, const std::vector<std::string>& defines,
                      const std::string& name) {
    Compiled c;
    support::DiagnosticSink sink;
    c.model = lang::Model::from_text(name, text, sink);
    if (c.model && !sink.has_errors()) c.ts = lang::compile(*c.model, lang::CompileOptions{variant, defines}, sink);
    const support::SourceManager empty;
    c.diagnostics = sink.render(c.model ? c.model->sources() : empty);
    return c;
}

std::shared_ptr<const ir::TransitionSystem> compile(const std::string& text, const std::string& variant,
                                                    const std::vector<std::string>& defines) {
    auto c = compile_text(text, variant, defines);
    INFO(c.diagnostics);
    REQUIRE(c.ts != nullptr);
    return c.ts;
}

std::string diagnostics(const std::string& text, const std::vector<std::string>& defines, const std::string& variant) {
    auto c = compile_text(text, variant, defines);
    CHECK(c.ts == nullptr);
    return c.diagnostics;
}

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string source_path(const std::string& relative) { return std::string(IOMC_SOURCE_DIR) + "/" + relative; }

std::string fixture(const std::string& name) {
    std::ifstream in(source_path("tests/fixtures/" + name));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string lint_warnings(const std::string& text) {
    support::DiagnosticSink sink;
    auto model = lang::Model::from_text("test.mc", text, sink);
    lang::CompileOptions o;
    o.symmetry_warnings = true;
    auto ts = lang::compile(*model, o, sink);
    CHECK(ts != nullptr);
    return sink.render(model->sources());
}

std::shared_ptr<const ir::TransitionSystem> load_file(const std::string& relative, const std::string& variant,
                                                      const std::vector<std::string>& defines) {
    support::DiagnosticSink sink;
    auto model = lang::Model::load(source_path(relative), sink);
    REQUIRE(model != nullptr);
    std::shared_ptr<const ir::TransitionSystem> ts = lang::compile(*model, {variant, defines}, sink);
    INFO(sink.render(model->sources()));
    REQUIRE(ts != nullptr);
    return ts;
}

void for_each_library_variant(
    const std::function<void(const std::string& file, const std::string& variant, const ir::TransitionSystem& ts)>& f,
    const std::vector<std::string>& defines) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(source_path("models/scenarios")))
        if (e.path().extension() == ".mc") files.push_back(e.path().filename().string());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        CAPTURE(file);
        support::DiagnosticSink sink;
        auto model = lang::Model::load(source_path("models/scenarios/" + file), sink);
        REQUIRE(model);
        const std::string errors = sink.render(model->sources());
        INFO(errors);
        REQUIRE_FALSE(sink.has_errors());
        std::vector<std::string> variants;
        for (const auto& v : model->variants()) variants.push_back(v.name);
        if (variants.empty()) variants.emplace_back();
        for (const auto& v : variants) {
            CAPTURE(v);
            auto ts = lang::compile(*model, {v, defines}, sink);
            REQUIRE(ts);
            f(file, v, *ts);
        }
    }
}

}  // namespace iomc::testing
