#include "http/request_id.h"

#include <algorithm>

#include "common/random.h"

namespace codezero::http {

bool IsAcceptableRequestId(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > 128) return false;
  return std::all_of(candidate.begin(), candidate.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == ':';
  });
}

std::string RequestIdFor(std::string_view header_value) {
  if (IsAcceptableRequestId(header_value)) return std::string(header_value);
  return NewRequestId();
}

}  // namespace codezero::http
