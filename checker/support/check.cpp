// SPDX-License-Identifier: MIT
#include "checker/support/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace iomc::support {

void internal_error(std::string_view what, std::source_location where) {
    std::fprintf(stderr, "%s:%u: internal error; please report: %.*s (in %s)\n",
                 where.file_name(), static_cast<unsigned>(where.line()),
                 static_cast<int>(what.size()), what.data(), where.function_name());
    std::fflush(stderr);
    std::abort();
}

}  // namespace iomc::support
