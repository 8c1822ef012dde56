// The Stripe account made ready for the platform, by `codezero stripe setup` (docs/stripe.md):
//
// - the webhook endpoint for the API's /v1/webhooks/stripe with the pinned API version
//   (stripe/client.h, kApiVersion) and every event type the platform applies (kWebhookEvents).
//   Stripe takes an endpoint's `api_version` at creation only: an endpoint found on another
//   version is reported, and replaced only when asked (a new endpoint, whose signing secret is
//   printed once for STRIPE_WEBHOOK_SECRETS; the old one is then deleted by hand once the API
//   accepts the new secret, so no event is refused meanwhile). Missing event types are added.
// - the seller's VAT ID as one of the account's own tax IDs (POST /v1/tax_ids), which German
//   invoices must name (§14 (4) Nr. 2 UStG);
// - a product per catalog code, named in English (the same objects the API's checkout creates);
// - the customer portal's configuration (metadata codezero=platform): invoice history and
//   payment methods on; customer details, cancellation and plan changes off, since the
//   company's data, the cancellation (§ 312k BGB) and plan changes belong to the platform; the
//   website's privacy policy, terms and account page as its links.
//
// Everything is looked up before it is created, so running it again changes nothing.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "domain/catalog.h"
#include "stripe/client.h"
#include "stripe/requests.h"

namespace codezero::billing {

// The event types the platform applies (stripe_events.h), all a webhook endpoint must send.
inline constexpr std::array<std::string_view, 15> kWebhookEvents{
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.voided",
    "invoice.upcoming",
    "invoice.deleted",
    "charge.refunded",
};

// Stripe's products are named in one language, English, whatever the buyer's: a product is
// created once for everyone, and its parameters must be the same whoever creates it.
[[nodiscard]] std::string StripeProductName(const domain::Catalog& catalog, std::string_view code);

struct StripeSetupRequest {
  std::string webhook_url;  // https://api.example/v1/webhooks/stripe
  std::optional<stripe::CustomerRequest::TaxId> seller_tax_id;
  std::optional<domain::Catalog> catalog;  // its products are created when given
  bool replace_endpoint = false;           // an endpoint on another API version
  std::string web_url;  // https://www.example: the portal configuration's links; empty: none
};

struct StripeSetupReport {
  bool complete = true;            // false: something needs the operator (lines say what)
  std::vector<std::string> lines;  // what was found, created or changed, one per line
  std::string new_webhook_secret;  // a created endpoint's signing secret (shown once)
};

[[nodiscard]] boost::asio::awaitable<Result<StripeSetupReport>> SetUpStripe(
    stripe::Client& stripe, StripeSetupRequest request);

}  // namespace codezero::billing
