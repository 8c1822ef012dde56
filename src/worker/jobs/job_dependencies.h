// What the worker's jobs need from their process: the database, Redis, Stripe, the mail
// transport, and where links and provisioning notices go. One instance per worker process, on
// its event loop.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "db/pool.h"
#include "domain/vat_rates.h"
#include "http/curl_client.h"
#include "mail/transport.h"
#include "redis/client.h"
#include "stripe/client.h"
#include "worker/registry.h"

namespace codezero::worker {

struct ProvisioningTarget {
  std::string url;     // PROVISIONING_URL: entitlements are POSTed here
  std::string secret;  // PROVISIONING_SECRET: signs them like Stripe's webhooks
};

struct JobDependencies {
  db::Pool& database;
  redis::Client& cache;
  stripe::Client& stripe;
  http::CurlClient& curl;
  mail::MailTransport& mail;
  mail::MailSettings mail_settings;
  std::string public_web_url;  // links in e-mails
  std::optional<ProvisioningTarget> provisioning;
  std::chrono::seconds reconcile_every{3600};
  // The dated VAT rate table running subscriptions follow (billing.follow_vat_rates).
  const domain::VatRates* vat_rates = &domain::EmbeddedVatRates();
};

// Registers every job kind of the platform (each kind's file under worker/jobs/).
// REQUIRES: `deps` outlives the registry's use.
void RegisterJobs(Registry& registry, JobDependencies& deps);

// The kinds, one function each.
void RegisterNoopJob(Registry& registry);
void RegisterEmailJob(Registry& registry, JobDependencies& deps);
void RegisterProvisionJob(Registry& registry, JobDependencies& deps);
void RegisterProvisioningNoticeJob(Registry& registry, JobDependencies& deps);
void RegisterStripeEventJob(Registry& registry, JobDependencies& deps);
void RegisterSubscriptionCancelJob(Registry& registry, JobDependencies& deps);
void RegisterFollowCancellationJob(Registry& registry, JobDependencies& deps);
void RegisterReferralJobs(Registry& registry, JobDependencies& deps);
void RegisterSubscriptionChangeJob(Registry& registry, JobDependencies& deps);
void RegisterSubscriptionEndWithRefundJob(Registry& registry, JobDependencies& deps);
void RegisterSyncCustomerJob(Registry& registry, JobDependencies& deps);
void RegisterReconcileJob(Registry& registry, JobDependencies& deps);
void RegisterFollowVatRatesJob(Registry& registry, JobDependencies& deps);
void RegisterCleanupJob(Registry& registry, JobDependencies& deps);

}  // namespace codezero::worker
