#include "http/access_log.h"

#include "common/log.h"

namespace codezero::http {

std::string TruncatedAddress(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    auto bytes = address.to_v4().to_bytes();
    bytes[3] = 0;
    return boost::asio::ip::address_v4(bytes).to_string();
  }
  if (address.is_v6()) {
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
      return TruncatedAddress(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6));
    }
    auto bytes = v6.to_bytes();
    for (std::size_t i = 6; i < bytes.size(); ++i) bytes[i] = 0;
    return boost::asio::ip::address_v6(bytes).to_string();
  }
  return "";
}

void LogAccess(const RequestContext& context, Verb method, unsigned status, std::size_t bytes_in,
               std::size_t bytes_out) {
  if (!log::Enabled(log::Level::kInfo)) return;
  const auto elapsed = std::chrono::steady_clock::now() - context.started;
  const double duration_ms =
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) /
      1000.0;
  log::Info("request",
            {{"method", std::string_view(boost::beast::http::to_string(method))},
             {"path", context.log_path.empty() ? context.path : std::string_view(context.log_path)},
             {"status", status},
             {"duration_ms", duration_ms},
             {"bytes_in", bytes_in},
             {"bytes_out", bytes_out},
             {"client", context.client}},
            context.request_id);
}

}  // namespace codezero::http
