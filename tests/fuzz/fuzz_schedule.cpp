// SPDX-License-Identifier: MIT
/// @file Fuzz target of the schedule reader: any bytes as the schedule file of `iomc query`,
/// through the whole command after reading the file (cli::answer_query): the schedule parser
/// and its name checks, the query search (at most 2,000 search states), and the answer with
/// its run or its explanation. Each input is asked of two models compiled once: the lost
/// update fixture and the seed 004 scenario (variant a_66). A bad schedule must end in an
/// error message, never a crash or a hang. Runs from the source root, where the models are.
/// Prints what `iomc query` prints: stdout goes to /dev/null; pass -close_fd_mask=2 to
/// libFuzzer to silence the error messages too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "checker/cli/options.hpp"
#include "checker/lang/frontend.hpp"
#include "checker/support/diagnostic.hpp"

using namespace iomc;

namespace {

struct Compiled {
    std::string path;
    std::unique_ptr<lang::Model> model;
    std::unique_ptr<ir::TransitionSystem> ts;
};

std::vector<Compiled>& models() {
    static std::vector<Compiled> all;
    return all;
}

bool compile(const std::string& path, const std::string& variant) {
    Compiled c{path, nullptr, nullptr};
    support::DiagnosticSink sink;
    c.model = lang::Model::load(path, sink);
    if (c.model && !sink.has_errors()) c.ts = lang::compile(*c.model, lang::CompileOptions{variant, {}, false}, sink);
    if (!c.ts) {
        std::fprintf(stderr, "fuzz_schedule: cannot compile %s (run from the source root)\n%s", path.c_str(),
                     c.model ? sink.render(c.model->sources()).c_str() : "");
        return false;
    }
    models().push_back(std::move(c));
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    if (!compile("tests/fixtures/lost_update.mc", "racy") ||
        !compile("models/scenarios/probe_iommu_group_race.mc", "a_66"))
        std::exit(1);
    if (!std::freopen("/dev/null", "w", stdout)) return 1;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // The input's length picks the output format, so that each input always runs the same way.
    static const char* const formats[] = {"steps", "columns", "json", "dot"};
    for (const auto& m : models()) {
        cli::QueryOptions o;
        o.model = m.path;
        o.schedule = "fuzz.sched";
        o.trace_format = formats[size % 4];
        o.width = 60;
        o.every_step = size / 4 % 2 == 1;
        o.limits.max_states = 2000;
        (void)cli::answer_query(o, *m.model, *m.ts, text);
    }
    return 0;
}
