# cmake -DNAME=n -DINPUT=file -DHEADER=h -DSOURCE=cpp -P generate_embedded_data.cmake
cmake_policy(VERSION 3.25)
file(READ "${INPUT}" text)
if(text MATCHES "\\)codezero_data\"")
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${HEADER}.tmp" "// Generated from ${INPUT}. Do not edit.
#pragma once
#include <string_view>
namespace codezero::embedded {
std::string_view ${NAME}();
}
")
file(WRITE "${SOURCE}.tmp" "// Generated from ${INPUT}. Do not edit.
#include \"embedded/${NAME}.h\"
namespace codezero::embedded {
std::string_view ${NAME}() {
  static constexpr std::string_view kText = R\"codezero_data(${text})codezero_data\";
  return kText;
}
}  // namespace codezero::embedded
")
file(COPY_FILE "${HEADER}.tmp" "${HEADER}" ONLY_IF_DIFFERENT)
file(COPY_FILE "${SOURCE}.tmp" "${SOURCE}" ONLY_IF_DIFFERENT)
file(REMOVE "${HEADER}.tmp" "${SOURCE}.tmp")
