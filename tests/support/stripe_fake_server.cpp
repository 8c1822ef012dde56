#include "support/stripe_fake_server.h"

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include "http/json_body.h"
#include "support/eventually.h"
#include "support/http_client.h"

namespace codezero::testing {
namespace {

namespace json = boost::json;

std::string PathOf(const std::string& url) {
  if (!url.starts_with("http")) return url;
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

// The action of the page's form whose hidden `method` field is `method`.
std::string FormAction(const std::string& page, const std::string& method) {
  const std::string marker = "name=\"method\" value=\"" + method + "\"";
  const auto at = page.find(marker);
  if (at == std::string::npos) throw std::runtime_error("the page has no " + method + " form");
  const auto form = page.rfind("<form", at);
  const auto action = page.find("action=\"", form);
  const auto end = page.find('"', action + 8);
  return page.substr(action + 8, end - action - 8);
}

}  // namespace

stripe_fake::FakeSettings TestStripeFakeSettings() {
  stripe_fake::FakeSettings settings;
  settings.server.threads = 1;
  settings.time_factor = 600;
  settings.tick = std::chrono::milliseconds(50);
  settings.save_interval = std::chrono::milliseconds(200);
  return settings;
}

template <class F>
void StripeFakeServer::OnLoop(F work) {
  std::promise<void> done;
  boost::asio::post(harness_->loops()[0], [&] {
    work();
    done.set_value();
  });
  done.get_future().wait();
}

StripeFakeServer::StripeFakeServer(stripe_fake::FakeSettings settings)
    : settings_(std::move(settings)) {
  harness_ =
      std::make_unique<ServerHarness>(settings_.server, [this](boost::asio::io_context& loop) {
        fake_ = std::make_unique<stripe_fake::StripeFake>(loop.get_executor(), settings_);
        return fake_->pipeline();
      });
  OnLoop([this] {
    if (settings_.public_url.empty()) fake_->SetPublicUrl(base_url());
    fake_->Start();
  });
}

StripeFakeServer::~StripeFakeServer() { Stop(); }  // NOLINT(bugprone-exception-escape)

void StripeFakeServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  OnLoop([this] { fake_->Close(); });
  harness_->Stop();
  fake_.reset();  // before the harness destroys the event loop it is bound to
  harness_.reset();
}

std::string StripeFakeServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

void StripeFakeServer::SetWebhookEndpoints(std::vector<std::string> endpoints) {
  OnLoop([&] { fake_->SetWebhookEndpoints(endpoints); });
}

void StripeFakeServer::DelayAnswers(const std::string& path, int count,
                                    std::chrono::milliseconds delay) {
  OnLoop([&] { fake_->DelayAnswers(http::Verb::post, path, count, delay); });
}

void StripeFakeServer::FailAnswers(const std::string& path, int count) {
  OnLoop([&] { fake_->FailAnswers(http::Verb::post, path, count); });
}

bool StripeFakeServer::IdempotencyKeyInFlight(const std::string& key) {
  bool in_flight = false;
  OnLoop([&] { in_flight = fake_->IdempotencyKeyInFlight(key); });
  return in_flight;
}

std::size_t StripeFakeServer::PendingDeliveries() {
  std::size_t pending = 0;
  OnLoop([&] { pending = fake_->PendingDeliveries(); });
  return pending;
}

http::Response StripeFakeServer::Call(
    http::Verb method, const std::string& path, const stripe::FormFields& fields,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  const std::string encoded = stripe::FormEncode(fields);
  const bool in_query = method == http::Verb::get || method == http::Verb::delete_;
  std::string target = path;
  if (in_query && !encoded.empty())
    target += (path.find('?') == std::string::npos ? "?" : "&") + encoded;
  http::Request request =
      MakeRequest(method, target, in_query ? "" : encoded, "application/x-www-form-urlencoded");
  request.set(http::Field::authorization, "Bearer " + settings_.api_key);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.prepare_payload();
  return Fetch(port(), std::move(request));
}

json::value StripeFakeServer::Post(const std::string& path, const stripe::FormFields& fields) {
  const http::Response response = Call(http::Verb::post, path, fields);
  if (response.result_int() != 200) {
    throw std::runtime_error("POST " + path + " answered " + std::to_string(response.result_int()) +
                             ": " + response.body());
  }
  return json::parse(response.body());
}

json::value StripeFakeServer::Get(const std::string& path, const stripe::FormFields& fields) {
  const http::Response response = Call(http::Verb::get, path, fields);
  if (response.result_int() != 200) {
    throw std::runtime_error("GET " + path + " answered " + std::to_string(response.result_int()) +
                             ": " + response.body());
  }
  return json::parse(response.body());
}

json::value StripeFakeServer::Delete(const std::string& path, const stripe::FormFields& fields) {
  const http::Response response = Call(http::Verb::delete_, path, fields);
  if (response.result_int() != 200) {
    throw std::runtime_error("DELETE " + path + " answered " +
                             std::to_string(response.result_int()) + ": " + response.body());
  }
  return json::parse(response.body());
}

json::value StripeFakeServer::AdvanceClock(const std::string& clock_id, std::int64_t frozen_time) {
  const std::string path = "/v1/test_helpers/test_clocks/" + clock_id;
  Post(path + "/advance", {{"frozen_time", std::to_string(frozen_time)}});
  json::value clock;
  const bool ready = Eventually(
      [&] {
        clock = Get(path);
        return clock.at("status") == "ready";
      },
      std::chrono::seconds(6), std::chrono::milliseconds(10));
  if (!ready) throw std::runtime_error("the test clock did not become ready");
  return clock;
}

PageResult StripeFakeServer::Page(const std::string& url, const stripe::FormFields* form) {
  const std::string path = PathOf(url);
  http::Request request = form == nullptr
                              ? MakeRequest(http::Verb::get, path)
                              : MakeRequest(http::Verb::post, path, stripe::FormEncode(*form),
                                            "application/x-www-form-urlencoded");
  request.set(http::Field::user_agent, "Mozilla/5.0 (test browser)");
  const http::Response response = Fetch(port(), std::move(request));
  PageResult result;
  result.status = response.result_int();
  result.location = std::string(response[http::Field::location]);
  result.body = response.body();
  return result;
}

PageResult StripeFakeServer::Pay(const std::string& session_url, const TestCard& card) {
  const PageResult page = Page(session_url);
  if (page.status != 200) {
    throw std::runtime_error("the payment page answered " + std::to_string(page.status));
  }
  const stripe::FormFields form{{"method", "card"},
                                {"card_number", card.number},
                                {"exp", card.expiry},
                                {"cvc", card.cvc},
                                {"name", card.name}};
  return Page(FormAction(page.body, "card"), &form);
}

PageResult StripeFakeServer::PayWithIban(const std::string& session_url, const std::string& iban,
                                         const std::string& account_holder) {
  const PageResult page = Page(session_url);
  if (page.status != 200) {
    throw std::runtime_error("the payment page answered " + std::to_string(page.status));
  }
  const stripe::FormFields form{{"method", "sepa_debit"}, {"iban", iban}, {"name", account_holder}};
  return Page(FormAction(page.body, "sepa_debit"), &form);
}

struct WebhookReceiver::State {
  mutable std::mutex mutex;
  std::vector<Delivery> deliveries;
  int fail_next = 0;
  unsigned fail_status = 500;
};

WebhookReceiver::WebhookReceiver() : state_(std::make_shared<State>()) {
  auto state = state_;
  harness_ =
      std::make_unique<ServerHarness>([state](http::Router& router, boost::asio::io_context&) {
        router.Post(
            "/hook",
            [state](http::Request& request,
                    http::RequestContext&) -> boost::asio::awaitable<Result<http::Response>> {
              unsigned status = 200;
              {
                std::lock_guard lock(state->mutex);
                state->deliveries.push_back(Delivery{
                    std::string(request["Stripe-Signature"].empty() ? request["CodeZero-Signature"]
                                                                    : request["Stripe-Signature"]),
                    std::string(request[http::Field::user_agent]),
                    std::string(request[http::Field::content_type]), request.body()});
                if (state->fail_next > 0) {
                  --state->fail_next;
                  status = state->fail_status;
                }
              }
              http::Response response(static_cast<http::Status>(status), request.version());
              response.set(http::Field::content_type, "application/json");
              response.body() = "{}";
              response.prepare_payload();
              co_return response;
            });
      });
}

WebhookReceiver::~WebhookReceiver() { harness_->Stop(); }

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(harness_->port()) + "/hook";
}

void WebhookReceiver::FailNext(int count, unsigned status) {
  std::lock_guard lock(state_->mutex);
  state_->fail_next = count;
  state_->fail_status = status;
}

std::vector<WebhookReceiver::Delivery> WebhookReceiver::deliveries() const {
  std::lock_guard lock(state_->mutex);
  return state_->deliveries;
}

bool WebhookReceiver::WaitFor(const std::function<bool(const std::vector<Delivery>&)>& predicate,
                              std::chrono::milliseconds limit) const {
  return Eventually([&] { return predicate(deliveries()); }, limit, std::chrono::milliseconds(10));
}

std::vector<std::string> EventTypes(const std::vector<WebhookReceiver::Delivery>& deliveries) {
  std::vector<std::string> types;
  for (const auto& delivery : deliveries) {
    types.emplace_back(json::parse(delivery.body).at("type").as_string());
  }
  return types;
}

}  // namespace codezero::testing
