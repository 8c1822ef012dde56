#include "billing/invoice_notes.h"

#include "billing/order_context.h"
#include "common/log.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kOrderOfInvoice{
    "billing_invoice_order_tax",
    "SELECT o.tax_treatment, o.tax_country, coalesce(s.tax_rate_bps, o.tax_rate_bps), "
    "  o.tax_territory, o.tax_vat_id_unconfirmed, o.tax_vat_id_not_asked, o.locale "
    "FROM invoices i JOIN orders o ON o.id = i.order_id "
    "LEFT JOIN subscriptions s ON s.stripe_id = i.stripe_subscription "
    "WHERE i.stripe_id = $1"};

}  // namespace

asio::awaitable<Result<bool>> WriteOrderNoteOnDraft(db::Pool& database, stripe::Client& stripe,
                                                    const stripe::Invoice& draft) {
  if (draft.status != "draft" || draft.id.empty()) co_return false;
  auto order = co_await database.Execute(kOrderOfInvoice, draft.id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return false;
  const domain::TaxDecision decision =
      OrderTaxDecision(order->Text(0, 0), order->Text(0, 1), static_cast<int>(order->Int64(0, 2)),
                       order->Text(0, 3), order->Bool(0, 4), order->Bool(0, 5));
  const domain::Locale locale =
      order->Text(0, 6) == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  const std::string note = decision.treatment == domain::TaxTreatment::kStandard
                               ? ""
                               : domain::TaxNote(decision, locale);
  if (note == draft.footer) co_return false;
  stripe::FormFields fields{{"footer", note}};
  auto updated = co_await stripe.Post("/v1/invoices/" + draft.id, std::move(fields),
                                      "invoice:" + draft.id + ":footer");
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  log::Info("renewal draft given its order's tax note", {{"invoice", draft.id}});
  co_return true;
}

}  // namespace codezero::billing
