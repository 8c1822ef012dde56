// `email.send` {"outbox_id"}: renders one outbox e-mail (DE/EN, text and HTML) and hands it to
// the transport (SMTP or .eml files). Sent once: the row is claimed before sending (a second
// run of the job finds it claimed or sent), keeps its Message-ID across attempts, and the
// secrets in its payload (links with tokens, a licence key) are blanked once it is sent or has
// failed for good. A temporary failure retries with the queue's backoff; a permanent one (SMTP
// 5xx, a missing template) is recorded on the row and the job discarded.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/log.h"
#include "common/random.h"
#include "mail/message.h"
#include "mail/templates.h"
#include "metrics/registry.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

// codezero_emails_total{template,outcome} (docs/metrics.md); templates are a closed set.
void CountEmail(std::string_view template_name, mail::Delivery delivery) {
  const std::string_view outcome = delivery == mail::Delivery::kSent               ? "sent"
                                   : delivery == mail::Delivery::kTemporaryFailure ? "deferred"
                                                                                   : "failed";
  metrics::Default()
      .AddCounter("codezero_emails_total", "E-mails handed to the transport, by how it went.",
                  {"template", "outcome"})
      .With({template_name, outcome})
      .Inc();
}

namespace asio = boost::asio;

// A claim names its claimant, "<job id>/<attempt>/<lease owner>", and lasts as long as that
// run holds its lease: once the lease is gone (rescued after its worker died, or the run ended
// without marking the row), the e-mail may be sent again.
constexpr db::Statement kClaim{
    "email_claim",
    "UPDATE email_outbox o SET sending_at = now(), sending_by = $3, attempts = attempts + 1, "
    "message_id = coalesce(message_id, $2) "
    "WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL "
    "AND (sending_by IS NULL OR NOT EXISTS (SELECT FROM jobs j "
    "  WHERE j.id = split_part(o.sending_by, '/', 1)::bigint AND j.state = 'running' "
    "  AND j.id || '/' || j.attempt || '/' || j.lease_owner = o.sending_by)) "
    "RETURNING to_address::text, template, locale, payload::text, message_id"};
constexpr db::Statement kState{
    "email_state",
    "SELECT sent_at IS NOT NULL, failed_at IS NOT NULL FROM email_outbox WHERE id = $1"};
constexpr db::Statement kSent{
    "email_sent",
    "UPDATE email_outbox SET sent_at = now(), sending_at = NULL, sending_by = NULL, "
    "payload = $2::jsonb "
    "WHERE id = $1"};
constexpr db::Statement kUnclaim{"email_unclaim",
                                 "UPDATE email_outbox SET sending_at = NULL, sending_by = NULL "
                                 "WHERE id = $1 AND sending_by = $2"};
constexpr db::Statement kFailed{
    "email_failed",
    "UPDATE email_outbox SET failed_at = now(), failure = $2, sending_at = NULL, "
    "sending_by = NULL, payload = $3::jsonb WHERE id = $1 AND sending_by = $4"};

// Payload members that grant access; blanked after sending.
constexpr std::string_view kSecretMembers[] = {"link", "licence_key"};

std::string Scrubbed(boost::json::object payload) {
  for (const std::string_view name : kSecretMembers) {
    if (payload.contains(name)) payload[name] = "[sent]";
  }
  return boost::json::serialize(payload);
}

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "codezero.ai" : address.substr(at + 1);
}

asio::awaitable<Outcome> SendEmail(JobDependencies& deps, const JobRecord& job) {
  const auto* id_value = job.args.if_contains("outbox_id");
  if (id_value == nullptr || !id_value->is_int64()) co_return Outcome::Discarded("no outbox_id");
  const long long id = id_value->as_int64();

  const std::string claimant =
      std::to_string(job.id) + "/" + std::to_string(job.attempt) + "/" + job.lease_owner;
  const std::string message_id = mail::NewMessageId(DomainOf(deps.mail_settings.from_address));
  auto claimed = co_await deps.database.Execute(kClaim, id, message_id, claimant);
  if (!claimed) co_return Outcome::Failed("claim: " + claimed.error().reason);
  if (claimed->empty()) {
    auto state = co_await deps.database.Execute(kState, id);
    if (!state) co_return Outcome::Failed("state: " + state.error().reason);
    if (state->empty()) co_return Outcome::Discarded("no such outbox row");
    if (state->Bool(0, 0)) co_return Outcome::Completed();  // sent before: nothing to do
    if (state->Bool(0, 1)) co_return Outcome::Discarded("failed permanently before");
    // Another live run is sending it now; look again once its lease has had time to lapse.
    co_return Outcome::Snoozed(std::chrono::seconds(10));
  }
  mail::MailMessage message;
  message.to = std::string(claimed->Text(0, 0));
  const std::string template_name(claimed->Text(0, 1));
  const std::string locale(claimed->Text(0, 2));
  boost::system::error_code ec;
  boost::json::value payload = boost::json::parse(claimed->Text(0, 3), ec);
  if (ec || !payload.is_object()) payload = boost::json::object();
  message.message_id = std::string(claimed->Text(0, 4));

  auto rendered =
      mail::Render(template_name, locale, payload.as_object(), deps.mail_settings.footer);
  if (!rendered) {
    const std::string why = "template " + template_name + "." + locale + ": " +
                            rendered.error().message + " " + rendered.error().reason;
    (void)co_await deps.database.Execute(kFailed, id, why, Scrubbed(payload.as_object()), claimant);
    co_return Outcome::Discarded(why);
  }
  message.from_address = deps.mail_settings.from_address;
  message.from_name = deps.mail_settings.from_name;
  message.subject = std::move(rendered->subject);
  message.text = std::move(rendered->text);
  message.html = std::move(rendered->html);
  message.date = std::chrono::system_clock::now();
  std::string raw = mail::FormatMessage(message, "=_codezero_" + NewRequestId());

  const mail::DeliveryResult delivery = co_await deps.mail.Send(message, std::move(raw));
  CountEmail(template_name, delivery.delivery);
  switch (delivery.delivery) {
    case mail::Delivery::kSent: {
      auto marked = co_await deps.database.Execute(kSent, id, Scrubbed(payload.as_object()));
      if (!marked) {
        // Sent, but not recorded: a retry would find the claim and wait it out, then send
        // again. Rare (the database went away between two statements); logged loudly.
        log::Error("e-mail sent but not marked sent", {{"outbox_id", id}});
        co_return Outcome::Failed("mark sent: " + marked.error().reason);
      }
      log::Info("e-mail sent", {{"outbox_id", id}, {"template", template_name}});
      co_return Outcome::Completed();
    }
    case mail::Delivery::kTemporaryFailure:
      (void)co_await deps.database.Execute(kUnclaim, id, claimant);
      co_return Outcome::Failed(delivery.detail);
    case mail::Delivery::kPermanentFailure:
      (void)co_await deps.database.Execute(kFailed, id, delivery.detail,
                                           Scrubbed(payload.as_object()), claimant);
      co_return Outcome::Discarded(delivery.detail);
  }
  co_return Outcome::Failed("unknown delivery result");
}

}  // namespace

void RegisterEmailJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kEmailSend,
               [&deps](const JobRecord& job) { return SendEmail(deps, job); });
}

}  // namespace codezero::worker
