// GET /v1/openapi.json: the API document (OpenAPI 3.1, src/api/openapi.yaml, compiled into the
// binary as JSON). `ETag` with 304 on `If-None-Match`; `Cache-Control: public, max-age=300`.
#pragma once

#include "api/route_table.h"

namespace codezero::api {

void AddOpenApiRoute(RouteTable& routes);

}  // namespace codezero::api
