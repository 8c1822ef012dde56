// Keeps every response the tests receive from the API, for the contract check
// (tests/contract/check.mjs holds each against src/api/openapi.yaml). With
// CODEZERO_CONTRACT_RECORDS set to a directory, each test process appends one JSON line per
// response to `<dir>/responses-<pid>.jsonl`: method, target, status, content type, headers and
// body. Without it, nothing is kept. Only ports an ApiServer registered are recorded (not the
// web frontend's or the Stripe stand-in's).
#pragma once

#include <cstdint>

#include "http/message.h"

namespace codezero::testing {

// While registered, responses from `port` are the API's.
void RegisterApiPort(std::uint16_t port);
void UnregisterApiPort(std::uint16_t port);

// Appends the exchange when `port` is an API's and recording is on.
void RecordApiResponse(std::uint16_t port, const http::Request& request,
                       const http::Response& response);

}  // namespace codezero::testing
