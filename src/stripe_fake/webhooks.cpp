#include "stripe_fake/webhooks.h"

#include <algorithm>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "common/log.h"
#include "common/random.h"
#include "common/spawn.h"
#include "http/client.h"
#include "stripe/webhook_signature.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/core.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::int64_t kChaosWindowMs = 1'000;

// Whether an endpoint created by API takes events of `type`.
bool Listens(const json::object& endpoint, const std::string& type) {
  const auto* events = endpoint.if_contains("enabled_events");
  if (events == nullptr || !events->is_array()) return false;
  for (const json::value& name : events->as_array()) {
    if (name.is_string() && (name.as_string() == "*" || name.as_string() == type)) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::int64_t>& WebhookRetrySchedule() {
  static const std::vector<std::int64_t> schedule{60,     300,    1'800,  7'200,  18'000,
                                                  36'000, 43'200, 43'200, 43'200, 43'200};
  return schedule;
}

WebhookDispatcher::WebhookDispatcher(asio::any_io_executor executor, Store& store,
                                     WebhookOptions options)
    : executor_(executor), store_(store), options_(std::move(options)), timer_(executor) {}

void WebhookDispatcher::SetEndpoints(std::vector<std::string> endpoints) {
  options_.endpoints = std::move(endpoints);
}

void WebhookDispatcher::Enqueue(const json::object& event) {
  if (closed_) return;
  struct Target {
    std::string url;
    std::string payload;
  };
  std::vector<Target> targets;
  const std::string type(event.at("type").as_string());
  std::set<std::string> api_urls;
  for (const std::string& id : store_.Ids("webhook_endpoint")) {
    const json::object* endpoint = store_.Find(id, "webhook_endpoint");
    if (endpoint == nullptr || Text(*endpoint, "status") != "enabled") continue;
    const std::string url = Text(*endpoint, "url");
    api_urls.insert(url);
    if (!Listens(*endpoint, type)) continue;
    json::object rendered = event;
    const std::string version = Text(*endpoint, "api_version");
    rendered["api_version"] = version.empty() ? options_.account_api_version : version;
    targets.push_back({url, json::serialize(rendered)});
  }
  const std::string payload = json::serialize(event);
  for (const std::string& endpoint : options_.endpoints) {
    if (!api_urls.contains(endpoint)) targets.push_back({endpoint, payload});
  }
  if (targets.empty()) return;
  const std::string id(event.at("id").as_string());
  const std::int64_t now = WallMilliseconds();
  for (const Target& target : targets) {
    int copies = 1;
    if (options_.chaos > 0 && FastRandomUnit() < options_.chaos) copies = 2;
    for (int i = 0; i < copies; ++i) {
      Delivery delivery{id, target.url, target.payload, 0, now};
      if (options_.chaos > 0) {
        delivery.due_ms += static_cast<std::int64_t>(FastRandomUnit() * kChaosWindowMs);
      }
      queue_.push_back(std::move(delivery));
    }
  }
  store_.MarkDirty();
  Arm();
}

void WebhookDispatcher::Arm() {
  if (closed_ || queue_.empty()) return;
  std::int64_t earliest = queue_.front().due_ms;
  for (const Delivery& delivery : queue_) earliest = std::min(earliest, delivery.due_ms);
  const std::int64_t wait = std::max<std::int64_t>(0, earliest - WallMilliseconds());
  timer_.expires_after(std::chrono::milliseconds(wait));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || closed_) return;
    DispatchDue();
  });
}

void WebhookDispatcher::DispatchDue() {
  const std::int64_t now = WallMilliseconds();
  std::vector<Delivery> waiting;
  // Due deliveries in a random order when chaos is on, else oldest first.
  std::stable_sort(queue_.begin(), queue_.end(),
                   [](const Delivery& a, const Delivery& b) { return a.due_ms < b.due_ms; });
  bool blocked = false;
  for (Delivery& delivery : queue_) {
    std::size_t& running = running_[delivery.endpoint];
    if (delivery.due_ms > now || running >= options_.per_endpoint_concurrency) {
      blocked = blocked || delivery.due_ms <= now;
      waiting.push_back(std::move(delivery));
      continue;
    }
    ++running;
    in_flight_.push_back(delivery);
    SpawnLogged(executor_, Deliver(std::move(delivery)), "webhook delivery");
  }
  queue_ = std::move(waiting);
  // Deliveries held back by the concurrency limit go out when a slot frees (Finished).
  if (!blocked) Arm();
}

asio::awaitable<void> WebhookDispatcher::Deliver(Delivery delivery) {
  http::OutboundRequest request;
  request.method = http::Verb::post;
  request.url = delivery.endpoint;
  request.timeout = options_.timeout;
  request.body = delivery.payload;
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  request.headers.emplace_back("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
  request.headers.emplace_back("Accept", "*/*; q=0.5, application/xml");
  request.headers.emplace_back("Cache-Control", "no-cache");
  request.headers.emplace_back(
      "Stripe-Signature",
      stripe::SignatureHeader(options_.secret, WallSeconds(), delivery.payload));
  auto response = co_await http::Fetch(executor_, std::move(request));
  const bool delivered = response && response->result_int() >= 200 && response->result_int() < 300;
  if (!delivered) {
    log::Debug("webhook delivery failed", {{"event", delivery.event_id},
                                           {"endpoint", delivery.endpoint},
                                           {"status", response ? response->result_int() : 0u}});
  }
  Finished(delivery, delivered);
}

void WebhookDispatcher::Finished(const Delivery& delivery, bool delivered) {
  if (running_[delivery.endpoint] > 0) --running_[delivery.endpoint];
  for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
    if (it->event_id == delivery.event_id && it->endpoint == delivery.endpoint &&
        it->attempt == delivery.attempt) {
      in_flight_.erase(it);
      break;
    }
  }
  if (closed_) return;
  const auto& schedule = WebhookRetrySchedule();
  const int attempts = delivery.attempt + 1;
  const bool give_up = !delivered && static_cast<std::size_t>(attempts) > schedule.size();
  if (delivered || give_up) {
    if (json::object* event = store_.Find(delivery.event_id, "event")) {
      const std::int64_t pending = event->at("pending_webhooks").to_number<std::int64_t>();
      (*event)["pending_webhooks"] = std::max<std::int64_t>(0, pending - 1);
    }
    if (give_up) {
      log::Warn("webhook delivery given up",
                {{"event", delivery.event_id}, {"endpoint", delivery.endpoint}});
    }
  } else {
    Delivery retry = delivery;
    retry.attempt = attempts;
    const std::int64_t delay_ms =
        schedule[static_cast<std::size_t>(attempts - 1)] * 1000 / options_.time_factor;
    retry.due_ms = WallMilliseconds() + delay_ms;
    queue_.push_back(std::move(retry));
  }
  store_.MarkDirty();
  Arm();
}

void WebhookDispatcher::ExportTo(Store& store) const {
  json::array queue;
  for (const auto* list : {&queue_, &in_flight_}) {
    for (const Delivery& delivery : *list) {
      json::object entry;
      entry["event_id"] = delivery.event_id;
      entry["endpoint"] = delivery.endpoint;
      entry["payload"] = delivery.payload;
      entry["attempt"] = delivery.attempt;
      entry["due_ms"] = delivery.due_ms;
      queue.push_back(std::move(entry));
    }
  }
  store.webhook_queue() = std::move(queue);
}

void WebhookDispatcher::ImportFrom(const Store& store) {
  for (const json::value& entry : const_cast<Store&>(store).webhook_queue()) {
    const json::object& object = entry.as_object();
    queue_.push_back(Delivery{std::string(object.at("event_id").as_string()),
                              std::string(object.at("endpoint").as_string()),
                              std::string(object.at("payload").as_string()),
                              object.at("attempt").to_number<int>(),
                              object.at("due_ms").to_number<std::int64_t>()});
  }
  Arm();
}

void WebhookDispatcher::Close() {
  closed_ = true;
  timer_.cancel();
}

}  // namespace codezero::stripe_fake
