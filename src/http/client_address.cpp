#include "http/client_address.h"

#include <vector>

namespace codezero::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string ClientAddress(const Request& request, const RequestContext& context,
                          std::size_t trusted_proxies) {
  if (trusted_proxies > 0) {
    std::string_view forwarded = request["X-Forwarded-For"];
    std::vector<std::string_view> hops;
    while (!forwarded.empty()) {
      const std::size_t comma = forwarded.find(',');
      hops.push_back(Trim(forwarded.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      forwarded.remove_prefix(comma + 1);
    }
    if (hops.size() >= trusted_proxies) return std::string(hops[hops.size() - trusted_proxies]);
  }
  if (!context.remote_text.empty()) return std::string(context.remote_text);
  return context.remote.to_string();
}

}  // namespace codezero::http
