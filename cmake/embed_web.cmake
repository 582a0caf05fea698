# Writes OUT: a C++ file defining bf::http::WebAssets(), every file under DIST (the built web
# interface) as {path, bytes}. Invoked at build time by src/http/CMakeLists.txt, so the binary
# serves the interface by itself.
file(GLOB_RECURSE files RELATIVE ${DIST} ${DIST}/*)
list(SORT files)
set(defs "")
set(table "")
set(i 0)
foreach(rel ${files})
  file(READ ${DIST}/${rel} hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(APPEND defs "const char kAsset${i}[] = {${bytes} 0};\n")
  string(APPEND table "      {\"/${rel}\", std::string_view(kAsset${i}, ${size})},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from web/dist by cmake/embed_web.cmake. Do not edit.
#include \"http/web_assets.h\"

namespace bf::http {
namespace {
${defs}}  // namespace

const std::vector<WebAsset>& WebAssets() {
  static const std::vector<WebAsset> all = {
${table}  };
  return all;
}

}  // namespace bf::http
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
