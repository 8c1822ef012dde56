// The web frontend process (`codezero web`): what each event loop runs (a Site with its
// Redis connection, API client, catalog, caches and templates, and the router with every
// page), and the security headers every response carries.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "http/curl_client.h"
#include "http/pipeline.h"
#include "http/security_headers.h"
#include "web/assets.h"
#include "web/site.h"
#include "web/translations.h"
#include "web/web_settings.h"

namespace codezero::web {

// What the loops share: read-only after start, or thread-safe.
struct WebShared {
  const Assets& assets;
  const Translations& translations;
  http::CurlClient& curl;
};

// The headers on every response. The Content-Security-Policy is per response (a nonce for
// pages, `default-src 'none'` for everything else), so it is not among them.
[[nodiscard]] http::SecurityHeaders WebSecurityHeaders(const WebSettings& settings);

class WebLoop {
 public:
  WebLoop(boost::asio::any_io_executor executor, const WebSettings& settings, WebShared shared);

  [[nodiscard]] std::shared_ptr<const http::Pipeline> pipeline() const { return pipeline_; }
  [[nodiscard]] Site& site() { return *site_; }

  // Starts the catalog refresh (the first fetch happens on the first page or here, whichever
  // comes first).
  void Start();
  // Stops background work so the loop can finish. Call on this loop.
  void Close();

 private:
  std::unique_ptr<Site> site_;
  std::shared_ptr<const http::Pipeline> pipeline_;
};

}  // namespace codezero::web
