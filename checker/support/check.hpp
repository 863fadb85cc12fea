// SPDX-License-Identifier: MIT
/// @file Invariant macros for bugs in iomc itself (never for bad user input, which gets a
/// Diagnostic or a verification result). All three print file:line and "internal error".
#pragma once

#include <source_location>
#include <string_view>

namespace iomc::support {

/// Prints "internal error; please report" with the failed condition and location, then aborts.
[[noreturn]] void internal_error(std::string_view what,
                                 std::source_location where = std::source_location::current());

}  // namespace iomc::support

/// Always on, in every build type.
#define IOMC_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) [[unlikely]]                                                            \
            ::iomc::support::internal_error("check failed: " #cond);                         \
    } while (false)

/// Debug builds only: for checks too costly for the explorer's hot loop.
#ifdef NDEBUG
#define IOMC_ASSERT(cond) ((void)0)
#else
#define IOMC_ASSERT(cond) IOMC_CHECK(cond)
#endif

/// Marks code that cannot be reached; always traps (never __builtin_unreachable).
#define IOMC_UNREACHABLE(msg) ::iomc::support::internal_error("unreachable: " msg)
