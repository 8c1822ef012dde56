#include "api/routes/catalog.h"

#include "api/locale_parameter.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view candidate = Trim(header.substr(0, comma));
    if (candidate == "*") return true;
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison (RFC 9110)
    if (candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

void AddCatalogRoutes(RouteTable& routes, CatalogCache& catalogs) {
  routes.Add(http::Verb::get, "/v1/catalog", {.operation = "getCatalog"},
             [&catalogs](http::Request& request,
                         http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
               auto requested = LocaleParameter(context.query);
               if (!requested) co_return tl::unexpected(requested.error());
               const domain::Locale locale = requested->value_or(domain::Locale::kDe);
               auto entry = co_await catalogs.Current();
               if (!entry) co_return tl::unexpected(entry.error());
               const bool de = locale == domain::Locale::kDe;
               const std::string& etag = de ? (*entry)->etag_de : (*entry)->etag_en;

               http::Response response(http::Status::ok, request.version());
               response.set(http::Field::etag, etag);
               response.set(http::Field::cache_control, "public, max-age=60");
               if (IfNoneMatchMatches(request[http::Field::if_none_match], etag)) {
                 response.result(http::Status::not_modified);
                 co_return response;
               }
               response.set(http::Field::content_type, "application/json");
               response.set(http::Field::content_language, de ? "de" : "en");
               response.body() = de ? (*entry)->body_de : (*entry)->body_en;
               co_return response;
             });
}

}  // namespace codezero::api
