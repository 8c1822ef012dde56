#include "api/page_window.h"

#include "http/query.h"

namespace codezero::api {

Result<PageWindow> PageWindowOf(std::string_view query) {
  const auto limit = http::IntegerParameter(query, "limit", 20, 1, 100);
  const auto offset = http::IntegerParameter(query, "offset", 0, 0, 1'000'000);
  if (!limit || !offset) {
    return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and offset 0 or more.");
  }
  return PageWindow{.limit = *limit, .offset = *offset};
}

std::string PageBody(const db::Rows& page) {
  return "{\"data\":" + std::string(page.Text(0, 0)) +
         ",\"has_more\":" + (page.Bool(0, 1) ? "true" : "false") + "}";
}

}  // namespace codezero::api
