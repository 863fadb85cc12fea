// SPDX-License-Identifier: MIT
/// @file iomc_bench_twin: writes the Promela twin of a model (twin/promela.hpp), for SPIN beside
/// iomc. Usage: iomc_bench_twin MODEL.mc [--variant V] [-D NAME=VALUE]... [--property P]...
/// [-o OUT.pml]. Exit 0 with the twin written; 2 on a model error; 3 when the translation
/// does not handle a construct of the model (the message names the step).

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench/twin/promela.hpp"
#include "bench/common.hpp"

int main(int argc, char** argv) {
    using namespace iomc;
    CLI::App app{"Writes the Promela twin of an iomc model, for SPIN."};
    std::string model, variant, out;
    std::vector<std::string> defines, properties;
    app.add_option("model", model, "the .mc file")->required();
    app.add_option("--variant", variant, "the variant to compile");
    app.add_option("-D", defines, "NAME=VALUE: override a constant")->take_all();
    app.add_option("--property", properties, "a property the twin asserts (default: every one)");
    app.add_option("-o", out, "write the twin here (default: standard output)");
    CLI11_PARSE(app, argc, argv);

    const auto ts = bench::compile_model(model, variant, defines);
    if (!ts) return 2;
    bench::twin::Options options;
    for (const auto& name : properties) {
        const auto id = ts->find_property(name);
        if (!id) {
            std::fprintf(stderr, "iomc_bench_twin: unknown property '%s'\n", name.c_str());
            return 2;
        }
        options.properties.push_back(*id);
    }
    bench::twin::Stats stats;
    std::string text;
    try {
        text = bench::twin::write_promela(*ts, options, &stats);
    } catch (const bench::twin::Error& e) {
        std::fprintf(stderr, "iomc_bench_twin: %s: no twin: %s\n", model.c_str(), e.what());
        return 3;
    }
    if (out.empty()) {
        std::fputs(text.c_str(), stdout);
    } else {
        std::ofstream f(out);
        f << text;
        if (!f) {
            std::fprintf(stderr, "iomc_bench_twin: cannot write %s\n", out.c_str());
            return 2;
        }
    }
    std::fprintf(stderr, "iomc_bench_twin: %zu outcomes, %zu globals, %zu locals\n", stats.options, stats.globals,
                 stats.locals);
    return 0;
}
