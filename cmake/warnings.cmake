# Warning flags for every iomc target; CI adds -DCMAKE_COMPILE_WARNING_AS_ERROR=ON (ci preset).
add_library(iomc_warnings INTERFACE)
target_compile_options(iomc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)
# GCC 12 reports a bogus -Wrestrict inside std::string concatenation at -O3 (GCC PR 105651,
# fixed in GCC 13). It fires in libstdc++'s headers, not in iomc's code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(iomc_warnings INTERFACE -Wno-restrict)
endif()
