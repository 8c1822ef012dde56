// The routes of `codezero web`, one file per page (or group of pages); web_service.cpp
// composes them. Each page renders on the server and works without JavaScript.
#pragma once

#include "http/router.h"
#include "web/site.h"

namespace codezero::web {

// GET /de/ and /en/: what Code Zero AI sells and the three plans with their prices.
void AddHomeRoutes(http::Router& router, Site& site);
// GET /de/konfigurator, /en/configurator (and their /fragment for the script).
void AddConfiguratorRoutes(http::Router& router, Site& site);
// GET /de/angebot/{token}, /en/offer/{token}: a quote as a printable offer.
void AddOfferRoutes(http::Router& router, Site& site);
// Impressum, privacy notice, terms, withdrawal, cookie list; from content/.
void AddLegalRoutes(http::Router& router, Site& site);
// POST /de/einwilligung, /en/consent: the consent dialog's choice.
void AddConsentRoutes(http::Router& router, Site& site);
// GET /, /de, /en (redirects), /sitemap.xml, /robots.txt.
void AddSiteRoutes(http::Router& router, Site& site);
// GET /assets/{file}, /favicon.ico.
void AddAssetRoutes(http::Router& router, const Assets& assets);
// Sign-in (/…/login) and sign-out (POST /…/logout).
void AddSignInRoutes(http::Router& router, Site& site);
// Sign-up and "check your inbox".
void AddSignUpRoutes(http::Router& router, Site& site);
// The pages the account e-mails link to: confirm, reset password, accept an invitation.
void AddAccountLinkRoutes(http::Router& router, Site& site);
// The order: checkout, its success and cancel pages.
void AddCheckoutRoutes(http::Router& router, Site& site);
// The account area: overview, orders, one order.
void AddAccountRoutes(http::Router& router, Site& site);
// The account's invoices and the way to Stripe's billing portal.
void AddInvoiceRoutes(http::Router& router, Site& site);
// "Verträge hier kündigen" (§ 312k BGB): the public form and the e-mailed link's confirmation.
void AddCancellationRoutes(http::Router& router, Site& site);
// The company's subscriptions: cancel (with a confirmation step) and take a cancellation back.
void AddSubscriptionRoutes(http::Router& router, Site& site);
// The owner's change of plan, add-ons and quantities: form, preview, confirmation.
void AddSubscriptionChangeRoutes(http::Router& router, Site& site);
// The company's referral code, its link with a copy button, and what it earned.
void AddReferralRoutes(http::Router& router, Site& site);
// The company's data and members.
void AddCompanyRoutes(http::Router& router, Site& site);
// Name, language, password, data export, deletion.
void AddProfileRoutes(http::Router& router, Site& site);
// GET /healthz, /readyz.
void AddWebHealthRoutes(http::Router& router, Site& site);

}  // namespace codezero::web
