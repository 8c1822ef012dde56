// The company's lists paged by `limit` and `offset` (GET /v1/orders, /v1/invoices): the window
// a query asks for, and the answer `{"data":[…],"has_more":…}` from a statement that returns
// the page's JSON array and whether more rows follow (one row more than asked is read).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "db/rows.h"

namespace codezero::api {

struct PageWindow {
  long long limit = 20;
  long long offset = 0;
};

// `limit` 1 to 100 (default 20), `offset` 0 or more; kBadRequest otherwise.
[[nodiscard]] Result<PageWindow> PageWindowOf(std::string_view query);

// REQUIRES: `page` has one row: the JSON array, then the boolean "more follow".
[[nodiscard]] std::string PageBody(const db::Rows& page);

}  // namespace codezero::api
