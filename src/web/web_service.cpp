#include "web/web_service.h"

#include "web/pages/pages.h"

namespace codezero::web {

http::SecurityHeaders WebSecurityHeaders(const WebSettings& settings) {
  http::SecurityHeaders headers{{
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"Permissions-Policy",
       "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
       "microphone=(), payment=(), usb=(), browsing-topics=()"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  }};
  if (!settings.hsts.empty())
    headers.headers.emplace_back("Strict-Transport-Security", settings.hsts);
  return headers;
}

WebLoop::WebLoop(boost::asio::any_io_executor executor, const WebSettings& settings,
                 WebShared shared)
    : site_(std::make_unique<Site>(std::move(executor), settings, shared.assets,
                                   shared.translations, shared.curl)) {
  auto router = std::make_shared<http::Router>();
  Site& site = *site_;
  AddWebHealthRoutes(*router, site);
  AddSiteRoutes(*router, site);
  AddAssetRoutes(*router, shared.assets);
  AddHomeRoutes(*router, site);
  AddConfiguratorRoutes(*router, site);
  AddOfferRoutes(*router, site);
  AddLegalRoutes(*router, site);
  AddConsentRoutes(*router, site);
  AddSignInRoutes(*router, site);
  AddSignUpRoutes(*router, site);
  AddAccountLinkRoutes(*router, site);
  AddCheckoutRoutes(*router, site);
  AddAccountRoutes(*router, site);
  AddInvoiceRoutes(*router, site);
  AddSubscriptionRoutes(*router, site);
  AddCancellationRoutes(*router, site);
  AddReferralRoutes(*router, site);
  AddSubscriptionChangeRoutes(*router, site);
  AddCompanyRoutes(*router, site);
  AddProfileRoutes(*router, site);
  pipeline_ = std::make_shared<http::Pipeline>(
      router, WebSecurityHeaders(settings),
      [&site](const Error& error, const http::Request& request, http::RequestContext& context) {
        return site.ErrorPage(error, request, context);
      });
}

void WebLoop::Start() { site_->catalogs().StartRefreshing(); }

void WebLoop::Close() { site_->Close(); }

}  // namespace codezero::web
