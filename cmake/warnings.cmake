# One interface target carries the warning flags; every project target links it.
# (-Wnull-dereference is left out: at -O2 it reports false positives inside Asio and libstdc++.)
add_library(bf_warnings INTERFACE)
target_compile_options(bf_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  # g++ 12 warns wrongly on designated initializers that leave members to their defaults, and
  # -Wrestrict misfires at -O2 on std::string concatenation (GCC bug 105329).
  -Wno-missing-field-initializers -Wno-restrict)
# Warnings are errors in Debug builds (every developer's default). Optimised builds only warn:
# at -O2 g++ 12 adds flow-based warnings (maybe-uninitialized, restrict, null-dereference) that
# misfire inside Asio and libstdc++, and `make test` must not fail on a compiler's guess.
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(bf_werror_default ON)
else()
  set(bf_werror_default OFF)
endif()
option(BONAFIDES_WERROR "Treat warnings as errors" ${bf_werror_default})
if(BONAFIDES_WERROR)
  target_compile_options(bf_warnings INTERFACE -Werror)
endif()
