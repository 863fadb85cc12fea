// SPDX-License-Identifier: MIT
/// @file The corpus replay: a main() for a fuzz target built without libFuzzer, so that the
/// normal build (g++, no instrumentation) runs every saved input through the same
/// LLVMFuzzerTestOneInput in the test suite. Each input runs in a child process with a time
/// limit, so a crash or a hang is reported with the file that caused it and the others still run.
///
///     iomc_fuzz_<target>_replay [-v] [--expect-crash] [--timeout SECONDS] PATH...
///
/// PATH is a file or a folder (its files, recursively, sorted). Exit 0 when every input returns
/// (with --expect-crash: when every input crashes or hangs, as a known bug's reproducer must;
/// one that runs clean means the bug is fixed and the file belongs in the corpus). Without -v the
/// inputs' own output (the CLI's messages) is discarded.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_sanitizer = true;
#else
constexpr bool address_sanitizer = false;
#endif
#else
constexpr bool address_sanitizer = false;
#endif

/// What became of one input.
enum class Outcome { ok, crashed, timed_out };

/// Runs `file` in a child: returns how it ended and, for a crash, the signal or exit status.
Outcome run_one(const std::string& file, unsigned timeout, bool verbose, int& detail) {
    std::ifstream in(file, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        std::perror("fork");
        std::exit(2);
    }
    if (pid == 0) {
        if (!verbose) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        // A runaway allocation should end as a crash, not take the machine's memory. ASan
        // reserves terabytes of address space, so there the limit stays off.
        if (!address_sanitizer) {
            const rlimit mem{rlim_t{4} << 30, rlim_t{4} << 30};
            ::setrlimit(RLIMIT_AS, &mem);
        }
        ::alarm(timeout);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
        std::fflush(stdout);
        ::_exit(0);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            std::perror("waitpid");
            std::exit(2);
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Outcome::ok;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) return Outcome::timed_out;
    detail = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
    return Outcome::crashed;
}

std::string describe(int detail) {
    if (detail < 0) return std::string("signal ") + std::to_string(-detail) + " (" + strsignal(-detail) + ")";
    return "exit status " + std::to_string(detail);
}

}  // namespace

int main(int argc, char** argv) {
    bool verbose = false, expect_crash = false;
    unsigned timeout = 60;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-v") {
            verbose = true;
        } else if (a == "--expect-crash") {
            expect_crash = true;
        } else if (a == "--timeout" && i + 1 < argc) {
            timeout = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (fs::is_directory(a)) {
            std::vector<std::string> found;
            for (const auto& e : fs::recursive_directory_iterator(a))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') found.push_back(e.path().string());
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(a)) {
            files.push_back(a);
        } else {
            std::fprintf(stderr, "usage: %s [-v] [--expect-crash] [--timeout SECONDS] PATH...\n"
                                 "no such file or folder '%s'\n", argv[0], a.c_str());
            return 2;
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "%s: no inputs to replay\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize(&argc, &argv) != 0) {
        std::fprintf(stderr, "%s: the fuzz target's initialization failed\n", argv[0]);
        return 2;
    }
    std::size_t bad = 0;
    for (const auto& f : files) {
        int detail = 0;
        const Outcome o = run_one(f, timeout, verbose, detail);
        const std::string what = o == Outcome::ok         ? "returned"
                                 : o == Outcome::timed_out ? "timed out after " + std::to_string(timeout) + " s"
                                                           : "crashed: " + describe(detail);
        if ((o == Outcome::ok) == expect_crash) {
            ++bad;
            std::fprintf(stderr, "%s: %s%s\n", f.c_str(), what.c_str(),
                         expect_crash ? "; the bug is fixed: move the file into the corpus" : "");
        } else if (verbose) {
            std::fprintf(stderr, "%s: %s\n", f.c_str(), what.c_str());
        }
    }
    std::fprintf(stderr, "replayed %zu input%s: %zu %s\n", files.size(), files.size() == 1 ? "" : "s", bad,
                 expect_crash ? "no longer crash" : "crashed or timed out");
    return bad == 0 ? 0 : 1;
}
