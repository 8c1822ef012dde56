// Asks the EU's VIES service whether a VAT ID is registered (where VIES_URL is configured).
// The quote treats anything but a clear answer as "unreachable" and fails closed: VAT is
// charged and the quote says why.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

namespace codezero::api {

enum class ViesAnswer { kValid, kInvalid, kUnreachable };

class VatIdVerifier {
 public:
  virtual ~VatIdVerifier() = default;
  // `vat_id`: normalised, with its prefix ("ATU12345675", "EL094259216").
  [[nodiscard]] virtual boost::asio::awaitable<ViesAnswer> Verify(std::string vat_id) = 0;
};

}  // namespace codezero::api
