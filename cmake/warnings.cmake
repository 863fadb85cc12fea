# Warning flags for every iomc target; CI adds -DCMAKE_COMPILE_WARNING_AS_ERROR=ON (ci preset).
add_library(iomc_warnings INTERFACE)
target_compile_options(iomc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)
