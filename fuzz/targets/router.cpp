// The router (src/http/router.h) with the kinds of patterns the API and the website register:
// any method and path is matched or refused without a crash, and a matched route has as many
// parameters as its pattern names.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace {

const codezero::http::Router& TheRouter() {
  static const codezero::http::Router router = [] {
    codezero::http::Router built;
    const codezero::http::Handler none;
    for (const char* pattern :
         {"/v1/quotes", "/v1/quotes/{token}", "/v1/orders", "/v1/orders/{id}", "/v1/invoices/{id}",
          "/v1/company/members/{id}", "/v1/company/invitations/{id}/resend", "/v1/me",
          "/v1/subscriptions/{id}/changes", "/de/angebot/{token}", "/de/account/orders/{id}",
          "/assets/{file}", "/healthz", "/"}) {
      built.Add(codezero::http::Verb::get, pattern, none);
    }
    built.Add(codezero::http::Verb::post, "/v1/quotes", none);
    built.Add(codezero::http::Verb::post, "/v1/orders/{id}/cancel", none);
    built.Add(codezero::http::Verb::delete_, "/v1/company/members/{id}", none);
    return built;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr codezero::http::Verb kMethods[] = {
      codezero::http::Verb::get, codezero::http::Verb::post, codezero::http::Verb::delete_,
      codezero::http::Verb::head, codezero::http::Verb::patch};
  const auto method = kMethods[data[0] % 5];
  const std::string_view path(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<codezero::http::PathParam> params;
  const auto match = TheRouter().Find(method, path, params);
  // A route's parameters are as many as its pattern has.
  if (match.route != nullptr) {
    std::size_t braces = 0;
    for (const char c : match.route->pattern) braces += c == '{' ? 1 : 0;
    if (params.size() != braces) __builtin_trap();
  }
  std::string decoded;
  (void)codezero::http::PercentDecode(path, decoded);
  return 0;
}
