// Outbound HTTP through libcurl's multi interface on a thread of its own: many transfers at
// once, connections and TLS sessions kept alive and reused per host (a Stripe call costs one
// round trip, not three), proxies and HTTP/2 as libcurl offers them. A coroutine on any event
// loop co_awaits a transfer and resumes on its own executor; no event loop ever blocks.
//
// One CurlClient per process. It must outlive every transfer's caller and be destroyed before
// the event loops it answers to: transfers still running then fail with kUnavailable.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "http/client.h"
#include "http/message.h"

namespace codezero::http {

// An e-mail handed to an SMTP server (smtp:// with STARTTLS, or smtps://).
struct MailRequest {
  std::string url;          // smtp://user:password@host:587 (the credentials are secret)
  bool require_tls = true;  // smtp://: STARTTLS or fail; false: STARTTLS when offered
  std::string from;         // envelope sender (MAIL FROM)
  std::vector<std::string> recipients;
  std::string message;  // the RFC 5322 message, CRLF line ends
  std::chrono::milliseconds timeout{30'000};
};

struct MailResult {
  bool sent = false;
  long smtp_code = 0;  // the server's last reply code (0: none, e.g. no connection)
  std::string error;   // when not sent
};

class CurlClient {
 public:
  CurlClient();
  ~CurlClient();
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  // kTimeout past `request.timeout`, kUnavailable when the host cannot be reached or the
  // answer exceeds `max_response_bytes`, kBadRequest for a URL libcurl refuses. Any HTTP
  // status is a success here; the caller judges it. Response header names keep their case as
  // Beast stores them (look them up case-insensitively, as Beast does).
  [[nodiscard]] boost::asio::awaitable<Result<Response>> Perform(OutboundRequest request);

  // Sends one e-mail. Never throws; the result says whether the server took it and, if not,
  // its reply code (a 5xx is permanent, anything else worth another try).
  [[nodiscard]] boost::asio::awaitable<MailResult> SendMail(MailRequest request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codezero::http
