// Every request has an id: the caller's `X-Request-Id` when it is a safe token (1 to 128
// characters of A-Z a-z 0-9 . _ - : so it cannot forge log lines), otherwise a new random one.
// It is returned in `X-Request-Id`, written on every log line of the request and in every
// problem+json body, so a customer's support ticket leads straight to the logs.
#pragma once

#include <string>
#include <string_view>

namespace codezero::http {

[[nodiscard]] bool IsAcceptableRequestId(std::string_view candidate);

// The caller's id when acceptable, else a new one.
[[nodiscard]] std::string RequestIdFor(std::string_view header_value);

}  // namespace codezero::http
