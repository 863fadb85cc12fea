// SPDX-License-Identifier: MIT
// Tests of checker/support/read_file: regular files are read whole; a device, a pipe, a folder
// or a file over the limit is refused at once with the reason (issue 10: `import "/dev/zero"`
// and a trace naming /dev/zero hung). Files are written under the build tree.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "checker/support/read_file.hpp"

using namespace iomc::support;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(IOMC_BINARY_DIR) / "support_test_read_file";
    fs::create_directories(dir);
    const fs::path p = dir / name;
    fs::remove_all(p);
    return p;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace

TEST_SUITE("support") {

TEST_CASE("a regular file is read whole") {
    const auto p = scratch("model.mc");
    const std::string text = "process p { skip; }\n" + std::string(10000, 'x');
    write(p, text);
    std::string error;
    const auto got = read_regular_file(p.string(), error);
    REQUIRE(got.has_value());
    CHECK(*got == text);
    CHECK(error.empty());
}

TEST_CASE("an empty file reads as empty text") {
    const auto p = scratch("empty.mc");
    write(p, "");
    std::string error;
    const auto got = read_regular_file(p.string(), error);
    REQUIRE(got.has_value());
    CHECK(got->empty());
}

TEST_CASE("a missing file gives the system's reason") {
    std::string error;
    CHECK_FALSE(read_regular_file(scratch("missing.mc").string(), error));
    CHECK(error == "No such file or directory");
}

TEST_CASE("a folder is refused") {
    const auto p = scratch("folder.mc");
    fs::create_directories(p);
    std::string error;
    CHECK_FALSE(read_regular_file(p.string(), error));
    CHECK(error == "is a directory");
}

TEST_CASE("an endless device is refused without reading it") {
    std::string error;
    CHECK_FALSE(read_regular_file("/dev/zero", error));
    CHECK(error == "not a regular file (a device, a pipe or a socket)");
}

TEST_CASE("a pipe without a writer is refused without waiting for one") {
    const auto p = scratch("fifo");
    REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
    std::string error;
    CHECK_FALSE(read_regular_file(p.string(), error));
    CHECK(error == "not a regular file (a device, a pipe or a socket)");
}

TEST_CASE("a file over the limit is refused and one at the limit is read") {
    const auto p = scratch("big.mc");
    write(p, std::string(4096, 'x'));
    std::string error;
    CHECK(read_regular_file(p.string(), error, 4096).has_value());
    CHECK_FALSE(read_regular_file(p.string(), error, 4095));
    CHECK(error == "larger than 4095 bytes, the most iomc reads");
    CHECK_FALSE(read_regular_file(p.string(), error, std::size_t{1} << 10));
    CHECK(error == "larger than 1024 bytes, the most iomc reads");
}

TEST_CASE("the default limit is 64 MiB") {
    CHECK(max_file_bytes == 64u * 1024 * 1024);
    // A file under /proc says 0 bytes but has text: it is read to its end.
    std::string error;
    const auto got = read_regular_file("/proc/self/status", error);
    REQUIRE(got.has_value());
    CHECK(got->find("VmHWM") != std::string::npos);
}

}  // TEST_SUITE
