// SPDX-License-Identifier: MIT
/// @file Fuzz target of the JSON trace reader: any bytes as the trace file of `iomc replay`,
/// through the whole command after reading the file (cli::replay_trace): the JSON parser and
/// the field checks, loading and compiling the model the trace names (its file, variant and
/// -D list come from the input), replaying the steps on the same variant or another one, and
/// rendering. A bad trace must end in an error message, never a crash or a hang. Runs from the
/// source root, where the seeds' model paths (tests/fixtures/lost_update.mc, ...) resolve.
/// Prints what `iomc replay` prints: stdout goes to /dev/null; pass -close_fd_mask=2 to
/// libFuzzer to silence the error messages too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "checker/cli/options.hpp"

using namespace iomc;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    if (!std::freopen("/dev/null", "w", stdout)) return 1;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // The input's length picks the options, so that each input always runs the same way: the
    // trace's own variant or another of the seeds' models' variants, and the output format.
    static const char* const variants[] = {"", "racy", "fixed", "a_66_fix"};
    static const char* const formats[] = {"steps", "columns", "json", "dot", "none"};
    cli::ReplayOptions o;
    o.trace = "fuzz.json";
    o.variant = variants[size % 4];
    o.trace_format = formats[size / 4 % 5];
    o.width = 60;
    o.every_step = size % 2 == 1;
    (void)cli::replay_trace(o, text);
    return 0;
}
