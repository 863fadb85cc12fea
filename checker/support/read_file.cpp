// SPDX-License-Identifier: MIT
#include "checker/support/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace iomc::support {

namespace {

/// Closes a descriptor on every way out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

std::string size_text(std::size_t bytes) {
    if (bytes % (std::size_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
    return fmt::format("{} bytes", bytes);
}

}  // namespace

std::optional<std::string> read_regular_file(const std::string& path, std::string& error, std::size_t limit) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (fd.get() < 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    if (S_ISDIR(st.st_mode)) {
        error = "is a directory";
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        error = "not a regular file (a device, a pipe or a socket)";
        return std::nullopt;
    }
    const std::string too_large = fmt::format("larger than {}, the most iomc reads", size_text(limit));
    if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > limit) {
        error = too_large;
        return std::nullopt;
    }
    // Read to the end, not st_size bytes: the file may change, and files under /proc say 0.
    // One byte more than st_size, so that the read that meets the end needs no growth.
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == text.size()) {
            if (text.size() > limit) {
                error = too_large;
                return std::nullopt;
            }
            text.resize(std::min(limit + 1, std::max<std::size_t>(2 * text.size(), 4096)));
        }
        const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = std::strerror(errno);
            return std::nullopt;
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > limit) {
        error = too_large;
        return std::nullopt;
    }
    text.resize(got);
    return text;
}

}  // namespace iomc::support
