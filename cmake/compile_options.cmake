# Flags shared by every target, carried by the interface library `codezero_options`.
add_library(codezero_options INTERFACE)
target_compile_options(codezero_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                  -Wnon-virtual-dtor -Wold-style-cast
                                                  -Wno-missing-field-initializers)
# g++ 12 false positives: on Asio coroutine frames, and on tl::expected values in them; and its
# object-size analysis misreads std::string concatenation after inlining (GCC bugs 105329,
# 105651): dozens of false positives at -O2/-O3. ASan and UBSan check the same at run time in CI
# (scripts/test --sanitize). clang (the fuzzers, clang-tidy) knows none of these options.
target_compile_options(codezero_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete -Wno-maybe-uninitialized
                           -Wno-stringop-overflow -Wno-array-bounds -Wno-restrict>
  # The API document is embedded as one string literal longer than the 65,536 characters the
  # standard promises; both compilers take it.
  $<$<CXX_COMPILER_ID:Clang>:-Wno-overlength-strings>)
if(CODEZERO_WERROR)
  target_compile_options(codezero_options INTERFACE -Werror)
endif()
# Asio and Beast are compiled once (src/common/boost_asio_impl.cpp) instead of in every
# translation unit: the biggest single saving in build time.
target_compile_definitions(codezero_options INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_JSON_NO_LIB
  BOOST_URL_NO_LIB
  # hiredis asks for this; every target gets it so they can share one precompiled header.
  _FILE_OFFSET_BITS=64)
target_include_directories(codezero_options INTERFACE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(codezero_options INTERFACE Boost::headers Boost::json Boost::url
                                                 tl::expected Threads::Threads)
