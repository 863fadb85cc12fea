// SPDX-License-Identifier: MIT
#include "tests/support/testing.hpp"

#include <doctest/doctest.h>

namespace iomc::testing {

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

std::string source_path(const std::string& relative) { return std::string(IOMC_SOURCE_DIR) + "/" + relative; }

}  // namespace iomc::testing
