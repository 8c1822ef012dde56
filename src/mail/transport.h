// Where e-mails go: an SMTP server (SMTP_URL, STARTTLS required for smtp://, or smtps://) or,
// when no SMTP_URL is set (development), .eml files in a directory (.dev/outbox/) that any mail
// client opens.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/settings.h"
#include "http/curl_client.h"
#include "mail/message.h"

namespace codezero::mail {

enum class Delivery {
  kSent,
  kTemporaryFailure,  // try again later (no connection, 4xx)
  kPermanentFailure,  // will never work (5xx: no such mailbox, refused)
};

struct DeliveryResult {
  Delivery delivery = Delivery::kSent;
  std::string detail;  // the server's code and libcurl's reason; no credentials
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // `raw` is FormatMessage(message, ...).
  [[nodiscard]] virtual boost::asio::awaitable<DeliveryResult> Send(const MailMessage& message,
                                                                    std::string raw) = 0;
};

struct MailSettings {
  std::string smtp_url;  // empty: write .eml files to outbox_dir
  bool require_tls = true;
  std::chrono::milliseconds timeout{30'000};
  std::filesystem::path outbox_dir = ".dev/outbox";
  std::string from_address = "noreply@codezero.ai";
  std::string from_name = "Code Zero AI";
  std::string footer = "Code Zero AI GmbH";
};

// SMTP_URL, SMTP_REQUIRE_TLS, SMTP_TIMEOUT_MS, MAIL_OUTBOX_DIR, MAIL_FROM, MAIL_FROM_NAME,
// MAIL_LEGAL_FOOTER.
[[nodiscard]] MailSettings ReadMailSettings(SettingsReader& reader);

// SMTP through `curl` when settings.smtp_url is set, else files. REQUIRES: `curl` outlives it.
[[nodiscard]] std::unique_ptr<MailTransport> MakeTransport(const MailSettings& settings,
                                                           http::CurlClient& curl);

// True when an smtp:// URL's host is this machine (127.0.0.1, ::1, localhost).
[[nodiscard]] bool IsLoopbackSmtpUrl(std::string_view url);

// SMTP reply codes: 5xx is permanent; 4xx, none (no connection) and anything else temporary.
[[nodiscard]] Delivery ClassifySmtpFailure(long smtp_code);

}  // namespace codezero::mail
