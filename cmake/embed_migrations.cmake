# Writes OUT: a C++ file defining bf::<NAMESPACE>::Migrations(), the given .sql files in order,
# each as {number, name, sql}. Invoked at build time by src/store/CMakeLists.txt.
string(REPLACE " " ";" FILES "${FILES}")
set(body "")
foreach(f ${FILES})
  get_filename_component(base ${f} NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ ${base})
  set(number ${CMAKE_MATCH_1})
  set(name ${CMAKE_MATCH_2})
  math(EXPR number "${number} + 0")
  file(READ ${f} sql)
  string(APPEND body "    {${number}, \"${name}\", R\"bfsql(${sql})bfsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from migrations/${NAMESPACE}/*.sql by cmake/embed_migrations.cmake. Do not edit.
#include \"store/migrations.h\"

namespace bf::${NAMESPACE} {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> all = {
${body}  };
  return all;
}

}  // namespace bf::${NAMESPACE}
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
