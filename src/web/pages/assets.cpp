// GET /assets/{file}: the fingerprinted static files (web/assets.h), cached by browsers and
// CDNs for a year, precompressed, with ETag and 304; /favicon.ico points to the SVG icon for
// the few clients that ask for it by that name.
#include "web/compression.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  return !if_none_match.empty() &&
         (if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos);
}

http::Response ServeAsset(const Asset& asset, const http::Request& request) {
  http::Response response(http::Status::ok, request.version());
  response.set(http::Field::cache_control, "public, max-age=31536000, immutable");
  response.set(http::Field::etag, asset.etag);
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  const bool compressible = !asset.gzip.empty();
  if (compressible) response.set(http::Field::vary, "Accept-Encoding");
  if (EtagMatches(request[http::Field::if_none_match], asset.etag)) {
    response.result(http::Status::not_modified);
    return response;
  }
  response.set(http::Field::content_type, asset.content_type);
  const ContentEncoding encoding = compressible
                                       ? NegotiateEncoding(request[http::Field::accept_encoding])
                                       : ContentEncoding::kIdentity;
  switch (encoding) {
    case ContentEncoding::kBrotli:
      response.set(http::Field::content_encoding, "br");
      response.body().assign(asset.brotli);
      break;
    case ContentEncoding::kGzip:
      response.set(http::Field::content_encoding, "gzip");
      response.body().assign(asset.gzip);
      break;
    case ContentEncoding::kIdentity:
      response.body().assign(asset.identity);
      break;
  }
  return response;
}

}  // namespace

void AddAssetRoutes(http::Router& router, const Assets& assets) {
  router.Get("/assets/{file}",
             [&assets](http::Request& request,
                       http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
               const Asset* asset = assets.Find(context.Param("file"));
               if (asset == nullptr) co_return Fail(ErrorCode::kNotFound, "no such asset");
               co_return ServeAsset(*asset, request);
             });
  router.Get("/favicon.ico",
             [&assets](http::Request& request,
                       http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
               http::Response response(http::Status::moved_permanently, request.version());
               response.set(http::Field::location, assets.UrlOf("favicon.svg"));
               response.set(http::Field::cache_control, "public, max-age=86400");
               co_return response;
             });
}

}  // namespace codezero::web
