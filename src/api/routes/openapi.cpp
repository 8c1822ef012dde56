#include "api/routes/openapi.h"

#include "api/routes/catalog.h"
#include "common/digest.h"
#include "embedded/api_openapi_json.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

const std::string& DocumentTag() {
  static const std::string tag = [] {
    const Sha256Digest digest = Sha256(embedded::api_openapi_json());
    return "\"" + ToHex(digest.data(), 16) + "\"";
  }();
  return tag;
}

}  // namespace

void AddOpenApiRoute(RouteTable& routes) {
  routes.Add(
      http::Verb::get, "/v1/openapi.json", {.operation = "getOpenApiDocument"},
      [](http::Request& request, http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
        http::Response response(http::Status::ok, request.version());
        response.set(http::Field::etag, DocumentTag());
        response.set(http::Field::cache_control, "public, max-age=300");
        if (IfNoneMatchMatches(request[http::Field::if_none_match], DocumentTag())) {
          response.result(http::Status::not_modified);
          co_return response;
        }
        response.set(http::Field::content_type, "application/json");
        response.body() = embedded::api_openapi_json();
        co_return response;
      });
}

}  // namespace codezero::api
