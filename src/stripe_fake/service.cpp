#include "stripe_fake/service.h"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "http/problem.h"
#include "http/security_headers.h"
#include "stripe_fake/checkout.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/pages/pages.h"
#include "stripe_fake/routes/routes.h"
#include "stripe_fake/subscriptions.h"

namespace codezero::stripe_fake {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

Store InitialStore(const FakeSettings& settings) {
  if (settings.state_file.empty()) return Store{};
  Result<Store> loaded = LoadStore(settings.state_file);
  if (!loaded) {
    throw std::runtime_error("cannot load " + settings.state_file + ": " + loaded.error().message +
                             " " + loaded.error().reason);
  }
  return std::move(*loaded);
}

http::SecurityHeaders PageHeaders() {
  // The hosted pages use inline styles and post forms to themselves; nothing else.
  return http::SecurityHeaders{{
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  }};
}

}  // namespace

StripeFake::StripeFake(asio::any_io_executor executor, FakeSettings settings)
    : settings_(std::move(settings)),
      store_(InitialStore(settings_)),
      events_(store_),
      core_{store_,
            events_,
            settings_.public_url,
            settings_.time_factor,
            settings_.sepa_delay_seconds,
            settings_.webhook_secret,
            settings_.account_api_version},
      webhooks_(executor, store_,
                WebhookOptions{.endpoints = settings_.webhook_endpoints,
                               .secret = settings_.webhook_secret,
                               .account_api_version = settings_.account_api_version,
                               .time_factor = settings_.time_factor,
                               .chaos = settings_.chaos}),
      executor_(executor),
      timer_(executor) {
  events_.SetEndpointCount(webhooks_.endpoint_count());
  events_.SetListener([this](const json::object& event) { webhooks_.Enqueue(event); });
  core_.wake = [this] {
    asio::post(executor_, [this] {
      if (!closed_) AdvanceClocks();
    });
  };
  auto router = std::make_shared<http::Router>();
  api_ =
      std::make_unique<Api>(*router, core_, executor,
                            ApiOptions{.api_key = settings_.api_key, .latency = settings_.latency});
  AddCustomerRoutes(*api_, core_);
  AddProductRoutes(*api_, core_);
  AddTaxRateRoutes(*api_, core_);
  AddCouponRoutes(*api_, core_);
  AddCheckoutSessionRoutes(*api_, core_);
  AddSubscriptionRoutes(*api_, core_);
  AddInvoiceRoutes(*api_, core_);
  AddPaymentRoutes(*api_, core_);
  AddBillingPortalRoutes(*api_, core_);
  AddEventRoutes(*api_, core_);
  AddTestClockRoutes(*api_, core_);
  AddWebhookEndpointRoutes(*api_, core_);
  AddAccountTaxIdRoutes(*api_, core_);
  AddCustomerBalanceRoutes(*api_, core_);
  AddCheckoutPage(*router, core_);
  AddInvoicePages(*router, core_);
  AddPortalPage(*router, core_);
  // Under /v1 the router's 404 and 405 are Stripe's error envelope; the hosted pages keep
  // problem+json for what they do not have.
  pipeline_ = std::make_shared<http::Pipeline>(
      router, PageHeaders(),
      [](const Error& error, const http::Request& request, http::RequestContext& context) {
        const bool api_path = context.path.starts_with("/v1/");
        if (api_path &&
            (error.code == ErrorCode::kNotFound || error.code == ErrorCode::kMethodNotAllowed)) {
          return UnrecognizedRequestUrl(request, context);
        }
        return http::ProblemResponse(error, context, request.version());
      });
}

StripeFake::~StripeFake() = default;

void StripeFake::SetPublicUrl(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  core_.public_url = std::move(url);
}

void StripeFake::DelayAnswers(http::Verb method, std::string path, int count,
                              std::chrono::milliseconds delay) {
  api_->DelayAnswers(method, std::move(path), count, delay);
}

void StripeFake::FailAnswers(http::Verb method, std::string path, int count) {
  api_->FailAnswers(method, std::move(path), count);
}

bool StripeFake::IdempotencyKeyInFlight(const std::string& key) const {
  const auto& records = core_.store.idempotency();
  const auto found = records.find(key);
  return found != records.end() && found->second.in_flight;
}

void StripeFake::SetWebhookEndpoints(std::vector<std::string> endpoints) {
  webhooks_.SetEndpoints(std::move(endpoints));
  events_.SetEndpointCount(webhooks_.endpoint_count());
}

void StripeFake::Start() {
  if (started_) return;
  started_ = true;
  webhooks_.ImportFrom(store_);
  last_save_ms_ = WallMilliseconds();
  Arm();
}

void StripeFake::Arm() {
  timer_.expires_after(settings_.tick);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || closed_) return;
    Tick();
    Arm();
  });
}

void StripeFake::AdvanceClocks() {
  std::vector<std::string> advancing;
  for (const std::string& id : store_.Ids("test_helpers.test_clock")) {
    if (Text(*store_.Find(id), "status") == "advancing") advancing.push_back(id);
  }
  for (const std::string& id : advancing) {
    const std::int64_t target = Number(store_.Private(id), "target");
    RunDue(core_, id, target);
    json::object& clock = *store_.Find(id, "test_helpers.test_clock");
    clock["frozen_time"] = target;
    clock["status"] = "ready";
    clock["status_details"] = json::object();
    events_.Emit("test_helpers.test_clock.ready", clock, target);
    store_.MarkDirty();
  }
}

void StripeFake::Tick() {
  const std::int64_t now_ms = WallMilliseconds();
  try {
    AdvanceClocks();
    RunDue(core_, "", WallSeconds());
    ExpireDueSessions(core_, now_ms);
    std::vector<ScheduledJob> due;
    std::erase_if(store_.jobs(), [&](const ScheduledJob& job) {
      if (job.due_ms > now_ms) return false;
      due.push_back(job);
      return true;
    });
    for (const ScheduledJob& job : due) {
      if (job.kind == "sepa_settle") SettleSessionPayment(core_, job.id);
      store_.MarkDirty();
    }
    api_->PruneIdempotency(now_ms);
  } catch (const std::exception& e) {
    log::Error("stripe-fake tick failed", {{"error", e.what()}});
  }
  if (store_.dirty() && now_ms - last_save_ms_ >= settings_.save_interval.count()) {
    if (Result<void> saved = Save(); !saved) {
      log::Error("cannot save the state file",
                 {{"error", saved.error().message}, {"reason", saved.error().reason}});
    }
  }
}

Result<void> StripeFake::Save() {
  last_save_ms_ = WallMilliseconds();
  if (settings_.state_file.empty()) return {};
  webhooks_.ExportTo(store_);
  Result<void> saved = SaveStore(store_, settings_.state_file);
  if (saved) store_.ClearDirty();
  return saved;
}

void StripeFake::Close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  if (Result<void> saved = Save(); !saved) {
    log::Error("cannot save the state file",
               {{"error", saved.error().message}, {"reason", saved.error().reason}});
  }
  webhooks_.Close();
}

}  // namespace codezero::stripe_fake
