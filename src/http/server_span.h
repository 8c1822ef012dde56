// The server span of an answered request (OpenTelemetry's HTTP semantic conventions, stable:
// https://opentelemetry.io/docs/specs/semconv/http/http-spans/): named "METHOD route template",
// with the method, the route template, the status code and the request id; an error for a 5xx.
// Never the raw path, the query, a header or the body.
#pragma once

#include "http/message.h"
#include "http/router.h"

namespace codezero::http {

// Exports the span when tracing is on and the request's trace is sampled.
void ExportServerSpan(const RequestContext& context, const Router::Match& match, Verb method,
                      unsigned status);

}  // namespace codezero::http
