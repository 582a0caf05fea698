# One interface target carries the warning flags; every project target links it.
# (-Wnull-dereference is left out: at -O2 it reports false positives inside Asio and libstdc++.)
add_library(bf_warnings INTERFACE)
target_compile_options(bf_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  # g++ 12 warns wrongly on designated initializers that leave members to their defaults, and
  # -Wrestrict misfires at -O2 on std::string concatenation (GCC bug 105329).
  -Wno-missing-field-initializers -Wno-restrict)
option(BONAFIDES_WERROR "Treat warnings as errors" ON)
if(BONAFIDES_WERROR)
  target_compile_options(bf_warnings INTERFACE -Werror)
endif()
