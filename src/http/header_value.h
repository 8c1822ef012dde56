// What may not be in a header field: CR, LF and NUL end or corrupt the line, so a value with
// one would let whoever chose it add headers or a body of their own (response splitting, RFC
// 9110 §5.5). The server refuses to write such a response and the outbound client such a
// request.
#pragma once

#include <string_view>

namespace codezero::http {

[[nodiscard]] inline bool HasControlCharacter(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace codezero::http
