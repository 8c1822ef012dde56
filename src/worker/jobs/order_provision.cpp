// `order.provision` {"order_id"}: what a paid order bought becomes a workspace with its
// entitlements (seats, AI credits, SSO, audit log, support level, data residency) and a
// licence key, which the owner sees once, in the access e-mail (only its SHA-256 is kept).
// The order moves paid → provisioning → active, the order confirmation and the access details
// are queued, and, with PROVISIONING_URL set, a signed notice to the provisioning endpoint.
//
// Exactly one workspace per order: everything happens in one transaction holding the order's
// row lock, and `workspaces.order_id` is unique; a second run (a retry, a rescued lease, a
// second worker) finds the order active and does nothing.
#include <boost/json/parse.hpp>

#include "auth/tokens.h"
#include "billing/order_context.h"
#include "billing/order_sync.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/uuid.h"
#include "domain/entitlements.h"
#include "domain/money_format.h"
#include "domain/tax.h"
#include "mail/outbox.h"
#include "orders/order_store.h"
#include "queue/enqueue.h"
#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;
using domain::OrderStatus;

constexpr db::Statement kOrder{
    "provision_order",
    "SELECT status, company_id, catalog_version, plan, billing_interval, currency, "
    "amount_subtotal, amount_discount, amount_tax, amount_total, recurring_total, "
    "tax_treatment, tax_country, tax_rate_bps, tax_territory, tax_vat_id_unconfirmed, "
    "tax_vat_id_not_asked "
    "FROM orders WHERE id = $1::uuid FOR NO KEY UPDATE"};
constexpr db::Statement kLines{
    "provision_lines",
    "SELECT code, description, quantity, amount, recurring FROM order_lines "
    "WHERE order_id = $1::uuid ORDER BY position"};
constexpr db::Statement kCreateWorkspace{
    "provision_workspace",
    "INSERT INTO workspaces (company_id, order_id, plan, status, entitlements) "
    "VALUES ($1::uuid, $2::uuid, $3, 'active', $4::jsonb) "
    "ON CONFLICT (order_id) DO NOTHING RETURNING id"};
constexpr db::Statement kCreateLicence{"provision_licence",
                                       "INSERT INTO licences (workspace_id, key_hash, key_prefix) "
                                       "VALUES ($1::uuid, decode($2, 'hex'), $3)"};

constexpr std::string_view kLicencePrefix = "czl_";

struct OrderLine {
  std::string code;
  std::string description;
  std::int64_t quantity = 1;
  std::int64_t amount = 0;
};

void Features(const domain::Entitlements& granted, domain::Locale locale, JsonWriter& payload) {
  const bool de = locale == domain::Locale::kDe;
  payload.Key("features");
  payload.BeginArray();
  if (granted.sso) payload.String(de ? "Single Sign-on (SAML/OIDC)" : "Single sign-on (SAML/OIDC)");
  if (granted.audit_log) payload.String(de ? "Audit-Log" : "Audit log");
  if (granted.support == "priority") payload.String(de ? "Priority-Support" : "Priority support");
  if (granted.residency == "eu") {
    payload.String(de ? "Datenhaltung ausschließlich in der EU" : "Data kept in the EU only");
  }
  payload.EndArray();
}

asio::awaitable<Outcome> Provision(JobDependencies& deps, const JobRecord& job) {
  const auto* id = job.args.if_contains("order_id");
  if (id == nullptr || !id->is_string() || !IsUuid(id->as_string())) {
    co_return Outcome::Discarded("no order_id");
  }
  const std::string order_id(id->as_string());
  const std::string traceparent = job.trace_context;
  std::string outcome_note;
  auto done =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<Outcome>> {
        tx.set_trace_context(traceparent);
        auto order = co_await tx.Execute(kOrder, order_id);
        if (!order) co_return tl::unexpected(order.error());
        if (order->empty()) co_return Outcome::Discarded("no such order");
        const auto status = domain::ParseOrderStatus(order->Text(0, 0));
        if (status == OrderStatus::kActive || status == OrderStatus::kPastDue) {
          co_return Outcome::Completed();  // provisioned before
        }
        if (status != OrderStatus::kPaid && status != OrderStatus::kProvisioning) {
          co_return Outcome::Cancelled("the order is " + std::string(order->Text(0, 0)));
        }
        const std::string company_id(order->Text(0, 1));
        const int catalog_version = static_cast<int>(order->Int64(0, 2));
        const std::string plan(order->Text(0, 3));
        const std::string interval(order->Text(0, 4));
        const std::string currency(order->Text(0, 5));
        const std::int64_t subtotal = order->Int64(0, 6);
        const std::int64_t discount = order->Int64(0, 7);
        const std::int64_t tax = order->Int64(0, 8);
        const std::int64_t total = order->Int64(0, 9);
        const std::int64_t recurring_total = order->Int64(0, 10);
        // As the quote decided it: the note names the territory and the reason VAT was charged.
        const domain::TaxDecision tax_decision = billing::OrderTaxDecision(
            order->Text(0, 11), order->Text(0, 12), static_cast<int>(order->Int64(0, 13)),
            order->Text(0, 14), order->Bool(0, 15), order->Bool(0, 16));

        auto rows = co_await tx.Execute(kLines, order_id);
        if (!rows) co_return tl::unexpected(rows.error());
        std::vector<OrderLine> lines;
        std::vector<domain::BoughtItem> bought;
        for (int row = 0; row < rows->size(); ++row) {
          lines.push_back({std::string(rows->Text(row, 0)), std::string(rows->Text(row, 1)),
                           rows->Int64(row, 2), rows->Int64(row, 3)});
          if (rows->Bool(row, 4)) bought.push_back({lines.back().code, lines.back().quantity});
        }
        auto catalog = co_await billing::LoadCatalog(tx, catalog_version);
        if (!catalog) co_return tl::unexpected(catalog.error());
        auto granted = domain::EntitlementsOf(*catalog, bought);
        // Checked before the order moves: a discarded provisioning leaves the order `paid`, for
        // an operator to retry (codezero jobs retry), not stuck in `provisioning`.
        if (!granted) co_return Outcome::Discarded("the order names no plan");

        if (status == OrderStatus::kPaid) {
          auto moved = co_await orders::StartProvisioning(tx, order_id);
          if (!moved) co_return tl::unexpected(moved.error());
        }

        auto workspace = co_await tx.Execute(kCreateWorkspace, company_id, order_id, plan,
                                             domain::EntitlementsJson(*granted));
        if (!workspace) co_return tl::unexpected(workspace.error());
        if (workspace->empty()) co_return Outcome::Completed();  // cannot happen under the lock
        const std::string workspace_id(workspace->Text(0, 0));
        const auth::NewToken licence = auth::MakeToken(kLicencePrefix);
        auto stored = co_await tx.Execute(kCreateLicence, workspace_id, licence.hash,
                                          licence.value.substr(0, kLicencePrefix.size() + 6));
        if (!stored) co_return tl::unexpected(stored.error());
        auto active = co_await orders::FinishProvisioning(tx, order_id);
        if (!active) co_return tl::unexpected(active.error());

        auto owner = co_await billing::OwnerOf(tx, company_id);
        if (!owner) co_return tl::unexpected(owner.error());
        if (*owner) {
          const billing::Recipient& to = **owner;
          const domain::Locale locale =
              to.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
          const auto money = [&](std::int64_t cents) {
            return domain::FormatMoney(cents, currency, locale);
          };
          JsonWriter confirmation(1024);
          confirmation.BeginObject();
          confirmation.Member("company", to.company);
          confirmation.Member("order_id", order_id.substr(0, 8));
          confirmation.Key("lines");
          confirmation.BeginArray();
          for (const OrderLine& line : lines) {
            confirmation.BeginObject();
            confirmation.Member("description", line.description);
            confirmation.Member("quantity", line.quantity);
            confirmation.Member("amount", money(line.amount));
            confirmation.EndObject();
          }
          confirmation.EndArray();
          confirmation.Member("subtotal", money(subtotal));
          confirmation.Key("discount");
          if (discount > 0) {
            confirmation.String(money(discount));
          } else {
            confirmation.Bool(false);
          }
          confirmation.Member("tax", money(tax));
          confirmation.Member("total", money(total));
          confirmation.Member("tax_note", domain::TaxNote(tax_decision, locale));
          confirmation.Member("recurring_total", money(recurring_total));
          const bool yearly = interval == "year";
          confirmation.Member("interval_label", locale == domain::Locale::kDe
                                                    ? (yearly ? "pro Jahr" : "pro Monat")
                                                    : (yearly ? "per year" : "per month"));
          confirmation.EndObject();
          auto confirmed = co_await mail::EnqueueEmail(
              tx, to.email, "order_confirmation", to.locale, std::move(confirmation).Take(),
              to.user_id, "order_confirmation:" + order_id);
          if (!confirmed) co_return tl::unexpected(confirmed.error());

          const domain::Plan* bought_plan = catalog->FindPlan(plan);
          JsonWriter access(1024);
          access.BeginObject();
          access.Member("company", to.company);
          access.Member("plan", bought_plan != nullptr ? bought_plan->name.In(locale) : plan);
          access.Member("seats", domain::FormatNumber(granted->seats, locale));
          access.Member("ai_credits", domain::FormatNumber(granted->ai_credits_per_month, locale));
          Features(*granted, locale, access);
          access.Member("licence_key", licence.value);
          access.Member("link",
                        deps.public_web_url + "/" + to.locale + "/workspaces/" + workspace_id);
          access.EndObject();
          auto sent = co_await mail::EnqueueEmail(tx, to.email, "access_details", to.locale,
                                                  std::move(access).Take(), to.user_id,
                                                  "access_details:" + order_id);
          if (!sent) co_return tl::unexpected(sent.error());
        }
        if (deps.provisioning) {
          auto notice = co_await billing::EnqueueProvisioningNotice(tx, workspace_id);
          if (!notice) co_return tl::unexpected(notice.error());
        }
        // A subscription that changed meanwhile (canceled, past due) applies now.
        auto synced = co_await billing::SyncOrder(tx, order_id, "provisioned", "");
        if (!synced) co_return tl::unexpected(synced.error());
        outcome_note = workspace_id;
        co_return Outcome::Completed();
      });
  if (!done) co_return Outcome::Failed(done.error().message + " " + done.error().reason);
  if (!outcome_note.empty()) {
    log::Info("workspace provisioned", {{"order_id", order_id}, {"workspace_id", outcome_note}});
  }
  co_return *done;
}

}  // namespace

void RegisterProvisionJob(Registry& registry, JobDependencies& deps) {
  registry.Add(queue::kinds::kOrderProvision,
               [&deps](const JobRecord& job) { return Provision(deps, job); });
}

}  // namespace codezero::worker
