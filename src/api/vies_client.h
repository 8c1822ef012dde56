// VatIdVerifier against the EU's VIES REST service:
//   GET {VIES_URL}/ms/{member state}/vat/{number}  ->  {"isValid": true|false, "userError": ...}
// (VIES_URL is e.g. https://ec.europa.eu/taxation_customs/vies/rest-api). A clear answer is
// cached in Redis (valid 24 h, invalid 1 h), so the configurator's repeated quotes do not hit
// VIES; anything else (timeout, an unavailable member state, a Redis failure before the call)
// is "unreachable", which the quote fails closed on.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "api/vat_id_verifier.h"
#include "common/settings.h"
#include "redis/client.h"

namespace codezero::api {

struct ViesOptions {
  std::string base_url;
  std::chrono::milliseconds timeout{3'000};
};

// nullopt when VIES_URL is not set.
[[nodiscard]] std::optional<ViesOptions> ReadViesOptions(SettingsReader& reader);

class ViesClient : public VatIdVerifier {
 public:
  ViesClient(boost::asio::any_io_executor executor, ViesOptions options, redis::Client& cache);
  [[nodiscard]] boost::asio::awaitable<ViesAnswer> Verify(std::string vat_id) override;

 private:
  boost::asio::any_io_executor executor_;
  ViesOptions options_;
  redis::Client& cache_;
};

}  // namespace codezero::api
