#include "api/vies_client.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json/parse.hpp>

#include "common/log.h"
#include "http/client.h"
#include "http/outbound_call.h"

namespace codezero::api {
namespace {

constexpr std::chrono::hours kValidFor{24};
constexpr std::chrono::hours kInvalidFor{1};

ViesAnswer Interpret(const http::Response& response) {
  if (response.result() != http::Status::ok) return ViesAnswer::kUnreachable;
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body(), ec);
  if (ec || !body.is_object()) return ViesAnswer::kUnreachable;
  const auto& object = body.get_object();
  const boost::json::value* valid = object.if_contains("isValid");
  if (valid == nullptr) valid = object.if_contains("valid");  // the POST endpoint's name
  const boost::json::value* user_error = object.if_contains("userError");
  const std::string_view error = user_error != nullptr && user_error->is_string()
                                     ? std::string_view(user_error->get_string())
                                     : std::string_view("VALID");
  if (valid == nullptr || !valid->is_bool()) return ViesAnswer::kUnreachable;
  if (valid->get_bool() && error == "VALID") return ViesAnswer::kValid;
  if (!valid->get_bool() && (error == "INVALID" || error == "VALID")) return ViesAnswer::kInvalid;
  return ViesAnswer::kUnreachable;  // MS_UNAVAILABLE, TIMEOUT, SERVICE_UNAVAILABLE, ...
}

}  // namespace

std::optional<ViesOptions> ReadViesOptions(SettingsReader& reader) {
  const std::string url = reader.String(
      {.name = "VIES_URL",
       .help = "VIES REST base URL (e.g. https://ec.europa.eu/taxation_customs/vies/rest-api); "
               "empty: VAT IDs are checked by format and check digits only"});
  const auto timeout =
      reader.Milliseconds({.name = "VIES_TIMEOUT_MS",
                           .default_value = "3000",
                           .help = "a VIES answer later than this counts as unreachable"},
                          100, 60'000);
  if (url.empty()) return std::nullopt;
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    reader.AddProblem("VIES_URL", "must be an http:// or https:// URL");
  }
  return ViesOptions{url.ends_with('/') ? url.substr(0, url.size() - 1) : url, timeout};
}

ViesClient::ViesClient(boost::asio::any_io_executor executor, ViesOptions options,
                       redis::Client& cache)
    : executor_(std::move(executor)), options_(std::move(options)), cache_(cache) {}

boost::asio::awaitable<ViesAnswer> ViesClient::Verify(std::string vat_id) {
  const std::string key = "vies:" + vat_id;
  auto cached = co_await cache_.Get(key);
  if (cached && *cached) co_return **cached == "valid" ? ViesAnswer::kValid : ViesAnswer::kInvalid;

  // VIES calls Greece "EL"; the normalised ID already carries the VIES prefix.
  const std::string member_state = vat_id.substr(0, 2);
  const std::string number = vat_id.substr(2);
  http::OutboundRequest request;
  request.url = options_.base_url + "/ms/" + member_state + "/vat/" + number;
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = options_.timeout;
  const auto executor = co_await boost::asio::this_coro::executor;
  http::OutboundCall call("vies", "GET", executor);
  auto response = co_await http::Fetch(executor_, std::move(request));
  call.Done(response ? static_cast<int>(response->result_int()) : 0);
  if (!response) {
    log::Warn("VIES unreachable",
              {{"member_state", member_state}, {"reason", response.error().reason}});
    co_return ViesAnswer::kUnreachable;
  }
  const ViesAnswer answer = Interpret(*response);
  if (answer == ViesAnswer::kUnreachable) {
    log::Warn("VIES gave no clear answer",
              {{"member_state", member_state}, {"status", response->result_int()}});
    co_return answer;
  }
  const bool valid = answer == ViesAnswer::kValid;
  (void)co_await cache_.Set(key, valid ? "valid" : "invalid",
                            {.expire = valid ? kValidFor : kInvalidFor});
  co_return answer;
}

}  // namespace codezero::api
