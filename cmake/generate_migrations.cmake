# cmake -DOUTPUT=file.cpp -DFILES="a.sql;b.sql" -P generate_migrations.cmake
cmake_policy(VERSION 3.25)
set(entries "")
set(seen_versions "")
foreach(file IN LISTS FILES)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
    message(FATAL_ERROR "migration ${name}: the name must be NNNN_lower_snake_case.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  if(version IN_LIST seen_versions)
    message(FATAL_ERROR "migration ${name}: version ${version} is used twice")
  endif()
  list(APPEND seen_versions ${version})
  file(READ "${file}" sql)
  # `{{include:path}}` (relative to the repository) is replaced by that file's text, so data
  # that lives in its own file (catalog/catalog-v1.json) is seeded by a migration. The checksum
  # covers the expanded text: editing an included file after it was applied is refused too.
  string(REGEX MATCHALL "{{include:[^}]+}}" includes "${sql}")
  foreach(placeholder IN LISTS includes)
    string(REGEX REPLACE "^{{include:([^}]+)}}$" "\\1" included_path "${placeholder}")
    if(NOT EXISTS "${SOURCE_DIR}/${included_path}")
      message(FATAL_ERROR "migration ${name} includes ${included_path}, which does not exist")
    endif()
    file(READ "${SOURCE_DIR}/${included_path}" included_text)
    string(REPLACE "${placeholder}" "${included_text}" sql "${sql}")
  endforeach()
  if(sql MATCHES "\\)codezero_sql\"")
    message(FATAL_ERROR "migration ${name} contains the raw-string delimiter")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"codezero_sql(${sql})codezero_sql\"},\n")
endforeach()
set(content "// Generated from migrations/*.sql by cmake/generate_migrations.cmake. Do not edit.
#include \"db/embedded_migrations.h\"

namespace codezero::db {
namespace {
constexpr Migration kMigrations[] = {
${entries}};
}  // namespace

std::span<const Migration> EmbeddedMigrations() { return kMigrations; }
}  // namespace codezero::db
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
