// The invoices of the caller's company, as the worker stored them from Stripe (any member may
// read them; another company's invoice is a 404). Drafts are not invoices yet and not shown.
//   GET /v1/invoices?limit=&offset=   newest first: {"data": [summary...], "has_more"}
//   GET /v1/invoices/{id}             the summary, the lines and the tax per rate
// PostgreSQL is the source for listing; the document itself is Stripe's (hosted page, PDF).
#pragma once

#include "api/route_table.h"
#include "auth/token_store.h"
#include "db/pool.h"

namespace codezero::api {

struct InvoiceDependencies {
  db::Pool& database;
  auth::TokenStore& tokens;
};

void AddInvoiceRoutes(RouteTable& routes, InvoiceDependencies dependencies);

}  // namespace codezero::api
