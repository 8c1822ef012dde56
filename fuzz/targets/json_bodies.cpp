// The JSON request bodies of the quote, account and checkout endpoints: parsed as the API parses
// them (src/http/json_body.h, src/common/json_fields.h's typed readers,
// src/domain/quote_request.h for quotes), without a crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_fields.h"
#include "domain/quote_request.h"
#include "http/json_body.h"

namespace {

// The shape of POST /v1/accounts (src/api/routes/accounts.cpp).
void ReadAccount(const boost::json::value& body) {
  codezero::JsonFields fields(body);
  codezero::JsonFields company = fields.Object("company");
  (void)company.String("name", {.max_length = 200});
  (void)company.String("country", {.max_length = 2});
  (void)company.String("vat_id", {.required = false, .max_length = 32});
  codezero::JsonFields address = company.Object("address", false);
  (void)address.String("line1", {.max_length = 200});
  (void)address.String("postal_code", {.max_length = 20});
  (void)address.String("city", {.max_length = 100});
  codezero::JsonFields user = fields.Object("user");
  (void)user.String("name", {.max_length = 200});
  (void)user.String("email", {.max_length = 254});
  (void)user.String("password", {.max_length = 1024});
  (void)user.String("locale", {.required = false, .max_length = 2});
  fields.RejectUnknown();
  (void)fields.Finish();
}

// The shape of POST /v1/checkout/sessions (src/api/routes/checkout.cpp).
void ReadCheckout(const boost::json::value& body) {
  codezero::JsonFields fields(body);
  (void)fields.String("quote_token", {.max_length = 8192});
  (void)fields.String("success_url", {.required = false, .max_length = 2048});
  (void)fields.String("cancel_url", {.required = false, .max_length = 2048});
  (void)fields.Boolean("terms_accepted", false);
  (void)fields.Boolean("early_performance_requested", false);
  fields.RejectUnknown();
  (void)fields.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto body = codezero::http::ParseJson(input);
  if (!body) return 0;
  (void)codezero::domain::ParseQuoteRequest(*body);
  ReadAccount(*body);
  ReadCheckout(*body);
  return 0;
}
