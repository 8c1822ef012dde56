# Compiles migrations/NNNN_name.sql into the binary (codezero::db::EmbeddedMigrations()), so a
# release carries exactly the schema it was built with. Regenerated when a file changes.
function(codezero_embed_migrations target)
  file(GLOB migration_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/migrations/*.sql")
  file(GLOB included_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/catalog/*.json")
  list(SORT migration_files)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/embedded_migrations.cpp")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${output} "-DFILES=${migration_files}"
            -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -P "${PROJECT_SOURCE_DIR}/cmake/generate_migrations.cmake"
    DEPENDS ${migration_files} ${included_files}
            "${PROJECT_SOURCE_DIR}/cmake/generate_migrations.cmake"
    COMMENT "Embedding SQL migrations"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()

# Writes the build's version, git commit and build time (src/common/build_info.h). The file is
# rewritten only when the commit or the dirty state changes, so an unchanged tree rebuilds
# nothing.
function(codezero_build_info target)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/build_info.cpp")
  add_custom_target(${target}_build_info
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${output} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DVERSION=${PROJECT_VERSION} -P "${PROJECT_SOURCE_DIR}/cmake/generate_build_info.cmake"
    BYPRODUCTS "${output}"
    COMMENT "Recording build info"
    VERBATIM)
  add_dependencies(${target} ${target}_build_info)
  target_sources(${target} PRIVATE "${output}")
endfunction()

# Compiles data files into the binary as `std::string_view` constants: each FILE becomes
# `codezero::embedded::<NAME>()` declared in the generated header `embedded/<NAME>.h`.
# codezero_embed_data(target NAME name FILE path)
function(codezero_embed_data target)
  cmake_parse_arguments(ARG "" "NAME;FILE" "" ${ARGN})
  set(header "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/${ARG_NAME}.h")
  set(source "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/${ARG_NAME}.cpp")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${CMAKE_COMMAND}" -DNAME=${ARG_NAME} -DINPUT=${PROJECT_SOURCE_DIR}/${ARG_FILE}
            -DHEADER=${header} -DSOURCE=${source}
            -P "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_data.cmake"
    DEPENDS "${PROJECT_SOURCE_DIR}/${ARG_FILE}" "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_data.cmake"
    COMMENT "Embedding ${ARG_FILE}"
    VERBATIM)
  target_sources(${target} PRIVATE "${source}")
  target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_BINARY_DIR}/generated")
endfunction()

# Compiles every file of a directory into the binary: `codezero::embedded::<NAME>()` returns
# them as a span of `EmbeddedFile {name, text}` (common/embedded_file.h), sorted by name.
# codezero_embed_directory(target NAME name DIR path GLOB "*.mustache")
function(codezero_embed_directory target)
  cmake_parse_arguments(ARG "" "NAME;DIR;GLOB" "" ${ARGN})
  file(GLOB files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/${ARG_DIR}/${ARG_GLOB}")
  list(SORT files)
  set(names "")
  foreach(file IN LISTS files)
    get_filename_component(name "${file}" NAME)
    list(APPEND names "${name}")
  endforeach()
  codezero_embed_files(${target} NAME ${ARG_NAME} FILES ${files} NAMES ${names})
endfunction()

# Compiles the given files, byte for byte, into the binary under the given names:
# `codezero::embedded::<NAME>()` as a span of `EmbeddedFile {name, text}`.
# codezero_embed_files(target NAME name FILES a b ... NAMES x y ...)
function(codezero_embed_files target)
  cmake_parse_arguments(ARG "" "NAME" "FILES;NAMES" ${ARGN})
  set(header "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/${ARG_NAME}.h")
  set(source "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/${ARG_NAME}.cpp")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${CMAKE_COMMAND}" -DNAME=${ARG_NAME} "-DFILES=${ARG_FILES}" "-DNAMES=${ARG_NAMES}"
            -DHEADER=${header} -DSOURCE=${source}
            -P "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_tree.cmake"
    DEPENDS ${ARG_FILES} "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_tree.cmake"
    COMMENT "Embedding ${ARG_NAME}"
    VERBATIM)
  target_sources(${target} PRIVATE "${source}")
  target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_BINARY_DIR}/generated")
endfunction()

# The API document (src/api/openapi.yaml) as JSON, written to `<build>/openapi.json` (which the
# lint and the contract test read) and compiled into the binary as
# `codezero::embedded::api_openapi_json()`. Debian's python3-yaml converts it.
function(codezero_embed_openapi target)
  find_program(SYSTEM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
  set(yaml "${PROJECT_SOURCE_DIR}/src/api/openapi.yaml")
  set(json "${CMAKE_BINARY_DIR}/openapi.json")
  set(header "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/api_openapi_json.h")
  set(source "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded/api_openapi_json.cpp")
  add_custom_command(
    OUTPUT "${json}"
    COMMAND "${SYSTEM_PYTHON3}" "${PROJECT_SOURCE_DIR}/cmake/yaml_to_json.py" "${yaml}" "${json}"
    DEPENDS "${yaml}" "${PROJECT_SOURCE_DIR}/cmake/yaml_to_json.py"
    COMMENT "Converting the API document to JSON"
    VERBATIM)
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${CMAKE_COMMAND}" -DNAME=api_openapi_json -DINPUT=${json} -DHEADER=${header}
            -DSOURCE=${source} -P "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_data.cmake"
    DEPENDS "${json}" "${PROJECT_SOURCE_DIR}/cmake/generate_embedded_data.cmake"
    COMMENT "Embedding the API document"
    VERBATIM)
  target_sources(${target} PRIVATE "${source}")
  target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_BINARY_DIR}/generated")
endfunction()
