#include "mail/transport.h"

#include <fstream>
#include <system_error>

#include <boost/asio/this_coro.hpp>
#include "common/random.h"

#include "http/outbound_call.h"

namespace codezero::mail {
namespace {

namespace asio = boost::asio;

class SmtpTransport final : public MailTransport {
 public:
  SmtpTransport(MailSettings settings, http::CurlClient& curl)
      : settings_(std::move(settings)), curl_(curl) {}

  asio::awaitable<DeliveryResult> Send(const MailMessage& message, std::string raw) override {
    http::MailRequest request;
    request.url = settings_.smtp_url;
    request.require_tls = settings_.require_tls;
    request.from = settings_.from_address;
    request.recipients.push_back(message.to);
    request.message = std::move(raw);
    request.timeout = settings_.timeout;
    const auto executor = co_await asio::this_coro::executor;
    http::OutboundCall call("mail", "send", executor, http::OutboundCall::Protocol::kSmtp);
    const http::MailResult result = co_await curl_.SendMail(std::move(request));
    // SMTP's reply classes read like HTTP's: 2xx done, 4xx try again, 5xx refused.
    call.Done(result.sent ? 250 : static_cast<int>(result.smtp_code));
    DeliveryResult delivery;
    if (result.sent) co_return delivery;
    delivery.delivery = ClassifySmtpFailure(result.smtp_code);
    delivery.detail = "smtp " + std::to_string(result.smtp_code) + ": " + result.error;
    co_return delivery;
  }

 private:
  MailSettings settings_;
  http::CurlClient& curl_;
};

// Each message becomes <outbox>/<UTC time>-<random>.eml, written to a temporary name first and
// renamed, so a reader never sees half a file.
class FileTransport final : public MailTransport {
 public:
  explicit FileTransport(std::filesystem::path directory) : directory_(std::move(directory)) {}

  asio::awaitable<DeliveryResult> Send(const MailMessage&, std::string raw) override {
    DeliveryResult result;
    std::error_code ec;
    std::filesystem::create_directories(directory_, ec);
    const std::string name = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count()) +
                             "-" + NewRequestId().substr(0, 8) + ".eml";
    const std::filesystem::path temporary = directory_ / ("." + name + ".tmp");
    {
      std::ofstream file(temporary, std::ios::binary);
      file.write(raw.data(), static_cast<std::streamsize>(raw.size()));
      if (!file) {
        result.delivery = Delivery::kTemporaryFailure;
        result.detail = "cannot write " + temporary.string();
        co_return result;
      }
    }
    std::filesystem::rename(temporary, directory_ / name, ec);
    if (ec) {
      result.delivery = Delivery::kTemporaryFailure;
      result.detail = "cannot rename into " + directory_.string() + ": " + ec.message();
    }
    co_return result;
  }

 private:
  std::filesystem::path directory_;
};

}  // namespace

bool IsLoopbackSmtpUrl(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    rest = rest.substr(at + 1);  // user:password@
  }
  std::string_view host = rest;
  if (host.starts_with('[')) {
    host =
        host.substr(1, host.find(']') == std::string_view::npos ? host.size() : host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

Delivery ClassifySmtpFailure(long smtp_code) {
  return smtp_code >= 500 && smtp_code < 600 ? Delivery::kPermanentFailure
                                             : Delivery::kTemporaryFailure;
}

MailSettings ReadMailSettings(SettingsReader& reader) {
  MailSettings settings;
  settings.smtp_url = reader.String(
      {.name = "SMTP_URL",
       .help = "smtp://user:password@host:587 (STARTTLS) or smtps://…:465; empty: .eml files",
       .secret = true});
  if (!settings.smtp_url.empty() && !settings.smtp_url.starts_with("smtp://") &&
      !settings.smtp_url.starts_with("smtps://")) {
    reader.AddProblem("SMTP_URL", "must start with smtp:// or smtps://");
  }
  settings.require_tls = reader.Boolean(
      {.name = "SMTP_REQUIRE_TLS",
       .default_value = "true",
       .help = "refuse to send over smtp:// without STARTTLS (false only for a relay on "
               "127.0.0.1 or ::1)"});
  if (!settings.require_tls && !settings.smtp_url.empty() &&
      !IsLoopbackSmtpUrl(settings.smtp_url)) {
    reader.AddProblem("SMTP_REQUIRE_TLS",
                      "may be false only for a relay on this host (127.0.0.1, ::1, localhost)");
  }
  // Below the `email.send` job's timeout (120 s), so an attempt never outlives its job's run
  // and a retry never sends while an earlier send is still under way.
  settings.timeout = reader.Milliseconds(
      {.name = "SMTP_TIMEOUT_MS", .default_value = "30000", .help = "one delivery attempt"}, 100,
      100'000);
  settings.outbox_dir = reader.String({.name = "MAIL_OUTBOX_DIR",
                                       .default_value = ".dev/outbox",
                                       .help = "where .eml files go when SMTP_URL is empty"});
  settings.from_address = reader.String({.name = "MAIL_FROM",
                                         .default_value = "noreply@codezero.ai",
                                         .help = "sender address of every e-mail"});
  settings.from_name = reader.String(
      {.name = "MAIL_FROM_NAME", .default_value = "Code Zero AI", .help = "sender name"});
  settings.footer = reader.String(
      {.name = "MAIL_LEGAL_FOOTER",
       .default_value = "Code Zero AI GmbH",
       .help = "legal footer of every e-mail: name, seat, register court and number, managing "
               "directors (§ 35a GmbHG)"});
  return settings;
}

std::unique_ptr<MailTransport> MakeTransport(const MailSettings& settings, http::CurlClient& curl) {
  if (settings.smtp_url.empty()) return std::make_unique<FileTransport>(settings.outbox_dir);
  return std::make_unique<SmtpTransport>(settings, curl);
}

}  // namespace codezero::mail
