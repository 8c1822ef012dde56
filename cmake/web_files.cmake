# The web frontend's files, built and compiled into the binary (codezero::embedded::web_files(),
# read through src/web/embedded_files.h):
#
#   locales/<lang>.mo     src/web/locales/<lang>.po compiled by msgfmt (gettext)
#   assets/app.js         src/web/scripts/main.ts and its imports, bundled and minified by esbuild
#   assets/app.css        src/web/styles/main.css and its imports, bundled and minified by esbuild
#   assets/<image>        src/web/images/*, as they are
#   assets/<file>.gz .br  each text asset precompressed (gzip -9, brotli -q 11)
#   templates/<file>      src/web/templates/**/*.mustache
#   content/<lang>/<file> content/**/*.md, the legal texts
#
# esbuild and TypeScript come from npm (src/web/package.json); scripts/deps installs them.
find_program(MSGFMT_PROGRAM msgfmt REQUIRED)
find_program(BROTLI_PROGRAM brotli REQUIRED)
find_program(GZIP_PROGRAM gzip REQUIRED)
set(CODEZERO_WEB_TOOLS "${PROJECT_SOURCE_DIR}/src/web/node_modules/.bin")
if(NOT EXISTS "${CODEZERO_WEB_TOOLS}/esbuild")
  message(FATAL_ERROR "esbuild is missing in src/web/node_modules: run scripts/deps")
endif()

function(codezero_web_files target)
  set(web "${PROJECT_SOURCE_DIR}/src/web")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/web_files")
  set(files "")
  set(names "")

  # Translations.
  foreach(lang de en)
    set(mo "${out}/locales/${lang}.mo")
    add_custom_command(
      OUTPUT "${mo}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${out}/locales"
      COMMAND "${MSGFMT_PROGRAM}" --check --output-file=${mo} "${web}/locales/${lang}.po"
      DEPENDS "${web}/locales/${lang}.po"
      COMMENT "Compiling the ${lang} translations"
      VERBATIM)
    list(APPEND files "${mo}")
    list(APPEND names "locales/${lang}.mo")
  endforeach()

  # Scripts and styles, bundled by esbuild; then compressed.
  file(GLOB_RECURSE script_sources CONFIGURE_DEPENDS "${web}/scripts/*.ts")
  file(GLOB_RECURSE style_sources CONFIGURE_DEPENDS "${web}/styles/*.css")
  set(js "${out}/assets/app.js")
  set(css "${out}/assets/app.css")
  add_custom_command(
    OUTPUT "${js}"
    COMMAND "${CODEZERO_WEB_TOOLS}/esbuild" "${web}/scripts/main.ts" --bundle --minify
            --target=es2020 --format=iife --legal-comments=none --log-level=warning
            "--outfile=${js}"
    DEPENDS ${script_sources}
    COMMENT "Bundling the browser scripts (esbuild)"
    VERBATIM)
  add_custom_command(
    OUTPUT "${css}"
    COMMAND "${CODEZERO_WEB_TOOLS}/esbuild" "${web}/styles/main.css" --bundle --minify
            --log-level=warning "--outfile=${css}"
    DEPENDS ${style_sources}
    COMMENT "Bundling the style sheet (esbuild)"
    VERBATIM)
  set(text_assets "${js}" "${css}")

  file(GLOB images CONFIGURE_DEPENDS "${web}/images/*")
  foreach(image IN LISTS images)
    get_filename_component(image_name "${image}" NAME)
    if(image_name MATCHES "\\.(svg|ico|txt|xml)$")
      set(copy "${out}/assets/${image_name}")
      add_custom_command(
        OUTPUT "${copy}"
        COMMAND "${CMAKE_COMMAND}" -E copy "${image}" "${copy}"
        DEPENDS "${image}"
        VERBATIM)
      list(APPEND text_assets "${copy}")
    else()
      list(APPEND files "${image}")
      list(APPEND names "assets/${image_name}")
    endif()
  endforeach()

  foreach(asset IN LISTS text_assets)
    get_filename_component(asset_name "${asset}" NAME)
    add_custom_command(
      OUTPUT "${asset}.gz" "${asset}.br"
      COMMAND "${GZIP_PROGRAM}" -9 -n -k -f "${asset}"
      COMMAND "${BROTLI_PROGRAM}" -q 11 -k -f "${asset}"
      DEPENDS "${asset}"
      COMMENT "Compressing ${asset_name}"
      VERBATIM)
    list(APPEND files "${asset}" "${asset}.gz" "${asset}.br")
    list(APPEND names "assets/${asset_name}" "assets/${asset_name}.gz" "assets/${asset_name}.br")
  endforeach()

  # Templates and content, as they are.
  file(GLOB_RECURSE templates CONFIGURE_DEPENDS "${web}/templates/*.mustache")
  foreach(template IN LISTS templates)
    file(RELATIVE_PATH relative "${web}" "${template}")
    list(APPEND files "${template}")
    list(APPEND names "${relative}")
  endforeach()
  file(GLOB_RECURSE content CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/content/*/*.md")
  foreach(page IN LISTS content)
    file(RELATIVE_PATH relative "${PROJECT_SOURCE_DIR}" "${page}")
    list(APPEND files "${page}")
    list(APPEND names "${relative}")
  endforeach()

  codezero_embed_files(${target} NAME web_files FILES ${files} NAMES ${names})
endfunction()
