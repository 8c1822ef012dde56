// JSON in and out of handlers. `ParseJsonBody` accepts `application/json` (or any
// `application/*+json`) and answers the client's mistakes precisely: a wrong or missing
// Content-Type is 415, malformed JSON is 400 with the line and column where parsing stopped.
#pragma once

#include <boost/json/value.hpp>

#include "common/error.h"
#include "http/message.h"

namespace codezero::http {

// `storage` (optional) is where the parsed value's memory comes from: a request-scoped
// monotonic arena avoids an allocation per node. REQUIRES: it outlives the value.
[[nodiscard]] Result<boost::json::value> ParseJsonBody(const Request& request,
                                                       boost::json::storage_ptr storage = {});

// Parses `text` as one JSON document; the error says where it went wrong.
[[nodiscard]] Result<boost::json::value> ParseJson(std::string_view text,
                                                   boost::json::storage_ptr storage = {});

[[nodiscard]] bool IsJsonContentType(std::string_view content_type);

[[nodiscard]] Response JsonResponse(Status status, const boost::json::value& body,
                                    unsigned version = 11);
// REQUIRES: `json` is a serialized JSON document.
[[nodiscard]] Response JsonTextResponse(Status status, std::string json, unsigned version = 11);

}  // namespace codezero::http
