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
// GET /healthz, /readyz.
void AddWebHealthRoutes(http::Router& router, Site& site);

}  // namespace codezero::web
