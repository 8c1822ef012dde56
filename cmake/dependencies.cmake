# Every dependency comes from Debian 12's packages (scripts/deps installs them).
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url locale)
find_package(tl-expected REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(CURL REQUIRED)
# The web frontend: ICU (country names, collation), cmark-gfm (legal texts in Markdown), zlib
# and brotli (compressing pages).
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(ZLIB REQUIRED)
pkg_check_modules(BROTLI_ENCODER REQUIRED IMPORTED_TARGET libbrotlienc)
find_library(CMARK_GFM_LIBRARY cmark-gfm REQUIRED)
find_library(CMARK_GFM_EXTENSIONS_LIBRARY cmark-gfm-extensions REQUIRED)

# The allocator of the executables (CODEZERO_MIMALLOC): linked, not preloaded, so every process
# started from the binary uses it; `codezero_allocator` is empty when it is off.
add_library(codezero_allocator INTERFACE)
if(CODEZERO_MIMALLOC)
  find_package(mimalloc 2.0 REQUIRED)
  target_link_libraries(codezero_allocator INTERFACE mimalloc)
endif()
