// SPDX-License-Identifier: MIT
/// @file Reading the files a user names (models, imports, schedules, JSON traces): regular files
/// only, up to a size limit, so that a device, a pipe or a huge file is an error, not a hang.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace iomc::support {

/// The largest file iomc reads: 64 MiB. Source offsets are 32-bit; no model comes close.
inline constexpr std::size_t max_file_bytes = std::size_t{64} << 20;

/// Reads the whole of the regular file `path`. Refuses anything else (a directory, a device
/// such as /dev/zero, a pipe: each may be endless or block) and files of more than `limit`
/// bytes. On failure returns nothing and sets `error` to the reason, without the path
/// ("No such file or directory", "is a directory", "not a regular file", ...), for messages
/// such as "cannot open 'x.mc': REASON". Thread-safe; opens nothing but `path`.
std::optional<std::string> read_regular_file(const std::string& path, std::string& error,
                                             std::size_t limit = max_file_bytes);

}  // namespace iomc::support
