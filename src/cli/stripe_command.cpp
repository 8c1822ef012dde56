// `codezero stripe setup --webhook-url URL [--seller-vat-id ID [--seller-country CC]]
// [--catalog FILE] [--web-url URL] [--replace-endpoint]`: makes the Stripe account of
// STRIPE_SECRET_KEY ready for the platform (billing/stripe_setup.h): the webhook endpoint on the
// pinned API version with every event type the platform applies, the seller's VAT ID, the
// catalog's products, the customer portal's configuration (with --web-url). Prints what it
// found, created or changed; a created endpoint's signing secret is printed once, for
// STRIPE_WEBHOOK_SECRETS. Exit 0 when all is set up, 1 when something needs the operator.
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "billing/stripe_setup.h"
#include "cli/command.h"
#include "domain/tax_id.h"
#include "http/curl_client.h"
#include "stripe/client.h"

namespace codezero::cli {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kStripeUsage =
    "usage: codezero stripe setup --webhook-url URL [--seller-vat-id ID [--seller-country CC]] "
    "[--catalog FILE] [--web-url URL] [--replace-endpoint]\n";

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void DescribeStripeSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)stripe::ReadClientOptions(reader);
}

int RunStripeCommand(std::span<char* const> args) {
  const std::string webhook_url = FlagValue(args, "--webhook-url");
  if (args.empty() || std::string_view(args[0]) != "setup" ||
      !(webhook_url.starts_with("https://") || webhook_url.starts_with("http://"))) {
    std::cerr << kStripeUsage;
    return kExitUsage;
  }
  billing::StripeSetupRequest request;
  request.webhook_url = webhook_url;
  request.replace_endpoint = HasFlag(args, "--replace-endpoint");
  request.web_url = FlagValue(args, "--web-url");
  while (request.web_url.ends_with('/')) request.web_url.pop_back();
  if (!request.web_url.empty() && !request.web_url.starts_with("https://") &&
      !request.web_url.starts_with("http://")) {
    std::cerr << kStripeUsage;
    return kExitUsage;
  }
  if (const std::string vat_id = FlagValue(args, "--seller-vat-id"); !vat_id.empty()) {
    std::string country = FlagValue(args, "--seller-country");
    if (country.empty()) country = "DE";
    const domain::TaxIdCheck check = domain::CheckTaxId(country, vat_id);
    if (!check.valid || check.stripe_type.empty()) {
      std::cerr << "codezero stripe: --seller-vat-id: not a VAT ID of " << country
                << (check.problem.empty() ? "" : " (" + check.problem + ")") << "\n";
      return kExitUsage;
    }
    request.seller_tax_id = stripe::CustomerRequest::TaxId{check.stripe_type, check.normalized};
  }
  if (const std::string path = FlagValue(args, "--catalog"); !path.empty()) {
    const std::optional<std::string> text = ReadFile(path);
    if (!text) {
      std::cerr << "codezero stripe: cannot read " << path << "\n";
      return kExitUsage;
    }
    auto catalog = domain::ParseCatalog(*text, 0);
    if (!catalog) {
      std::cerr << "codezero stripe: " << path << ": " << catalog.error().message << "\n";
      return kExitUsage;
    }
    request.catalog = std::move(*catalog);
  }
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const stripe::ClientOptions options = stripe::ReadClientOptions(reader);
  if (options.secret_key.empty()) reader.AddProblem("STRIPE_SECRET_KEY", "is required here");
  if (ReportSettingsProblems("stripe", reader)) return kExitUsage;

  asio::io_context context;
  http::CurlClient curl;
  stripe::Client stripe(curl, options);
  int exit_code = kExitFailure;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        auto report = co_await billing::SetUpStripe(stripe, std::move(request));
        if (!report) {
          std::cerr << "codezero stripe: " << report.error().message << " " << report.error().reason
                    << "\n";
          co_return;
        }
        for (const std::string& line : report->lines) std::cout << line << "\n";
        if (!report->new_webhook_secret.empty()) {
          std::cout << "signing secret (shown once; add it to STRIPE_WEBHOOK_SECRETS): "
                    << report->new_webhook_secret << "\n";
        }
        exit_code = report->complete ? kExitOk : kExitFailure;
      },
      asio::detached);
  context.run();
  return exit_code;
}

}  // namespace codezero::cli
