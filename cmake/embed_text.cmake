# Writes OUT: a C++ file defining `std::string_view bf::<FUNCTION>()`, the whole text of FILE as
# one raw string literal. Invoked at build time (src/domain/CMakeLists.txt: the common passwords).
file(READ ${FILE} text)
if(text MATCHES "\\)bftext\"")
  message(FATAL_ERROR "${FILE} holds the raw string delimiter )bftext\"")
endif()
get_filename_component(name ${FILE} NAME)
file(WRITE ${OUT}.tmp
"// Generated from ${name} by cmake/embed_text.cmake. Do not edit.
#include <string_view>

namespace bf {

std::string_view ${FUNCTION}() {
  static constexpr char kText[] = R\"bftext(${text})bftext\";
  return {kText, sizeof kText - 1};
}

}  // namespace bf
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
