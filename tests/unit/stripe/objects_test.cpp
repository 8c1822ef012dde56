#include "stripe/objects.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace codezero::stripe {
namespace {

namespace json = boost::json;

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

TEST(StripeObjects, DecodeASessionWithItsOrderFromMetadataOrReference) {
  const CheckoutSession session = DecodeCheckoutSession(Parse(
      R"({"id":"cs_1","object":"checkout.session","status":"complete","payment_status":"paid",)"
      R"("customer":{"id":"cus_1","object":"customer"},"subscription":"sub_1","url":null,)"
      R"("amount_total":23681,"client_reference_id":"ref","metadata":{"order_id":"ord"}})"));
  EXPECT_EQ(session.id, "cs_1");
  EXPECT_EQ(session.customer, "cus_1");  // expanded: its id
  EXPECT_EQ(session.url, "");            // null
  EXPECT_EQ(session.order_id, "ord");    // metadata first
  EXPECT_EQ(session.amount_total, 23681);
  EXPECT_TRUE(session.Paid());
  const CheckoutSession referenced =
      DecodeCheckoutSession(Parse(R"({"client_reference_id":"ref","status":"open",)"
                                  R"("payment_status":"unpaid","metadata":{}})"));
  EXPECT_EQ(referenced.order_id, "ref");
  EXPECT_FALSE(referenced.Paid());
  EXPECT_EQ(referenced.amount_total, std::nullopt);
  EXPECT_TRUE(DecodeCheckoutSession(Parse(R"({"status":"complete","payment_status":)"
                                          R"("no_payment_required"})"))
                  .Paid());
}

TEST(StripeObjects, DecodeASubscriptionWithItsItemsAndTimes) {
  const Subscription subscription = DecodeSubscription(Parse(
      R"({"id":"sub_1","customer":"cus_1","status":"past_due","cancel_at_period_end":true,)"
      R"("current_period_start":1800000000,"current_period_end":1802592000,"canceled_at":null,)"
      R"("ended_at":0,"metadata":{"order_id":"ord"},"items":{"object":"list","data":[)"
      R"({"id":"si_1","quantity":5,"price":{"id":"price_1","product":"codezero_extra_seats"}},)"
      R"({"id":"si_2","price":{"product":{"id":"codezero_team","object":"product"}}}]}})"));
  EXPECT_EQ(subscription.status, "past_due");
  EXPECT_TRUE(subscription.cancel_at_period_end);
  EXPECT_EQ(subscription.current_period_end, 1802592000);
  EXPECT_EQ(subscription.canceled_at, std::nullopt);  // null
  EXPECT_EQ(subscription.ended_at, std::nullopt);     // 0 is no time
  EXPECT_EQ(subscription.order_id, "ord");
  ASSERT_EQ(subscription.items.size(), 2u);
  EXPECT_EQ(subscription.items[0].id, "si_1");
  EXPECT_EQ(subscription.items[0].product, "codezero_extra_seats");
  EXPECT_EQ(subscription.items[0].quantity, 5);
  EXPECT_EQ(subscription.items[1].product, "codezero_team");  // expanded product
  EXPECT_EQ(subscription.items[1].quantity, 1);               // absent: one
}

TEST(StripeObjects, DecodeAnInvoicesLinesAndTaxPerRate) {
  const Invoice invoice = DecodeInvoice(Parse(
      R"({"id":"in_2","subtotal":20000,"tax":3420,"total":23420,"total_excluding_tax":18000,)"
      R"("status_transitions":{"finalized_at":1800000000,"paid_at":1800000060},"due_date":null,)"
      R"("lines":{"object":"list","has_more":true,"data":[)"
      R"({"id":"il_1","description":"1 x Team","quantity":1,"amount":20000,"proration":false,)"
      R"("price":{"product":"codezero_team"},"period":{"start":1800000000,"end":1802592000},)"
      R"("discount_amounts":[{"amount":1500},{"amount":500}],)"
      R"("tax_amounts":[{"amount":3420,"tax_rate":"txr_1"}],)"
      R"("tax_rates":[{"id":"txr_1","percentage":19.0}]}]},)"
      R"("total_tax_amounts":[{"amount":3420,"taxable_amount":18000,"tax_rate":"txr_1"},)"
      R"({"amount":0,"taxable_amount":0,"tax_rate":{"id":"txr_2","percentage":7.7}}]})"));
  EXPECT_EQ(invoice.finalized_at, 1800000000);
  EXPECT_EQ(invoice.paid_at, 1800000060);
  EXPECT_FALSE(invoice.due_date.has_value());
  EXPECT_EQ(invoice.total_excluding_tax, 18000);
  EXPECT_FALSE(invoice.lines_complete);  // has_more: the rest must be listed
  ASSERT_EQ(invoice.lines.size(), 1u);
  const InvoiceLine& line = invoice.lines[0];
  EXPECT_EQ(line.product, "codezero_team");
  EXPECT_EQ(line.discount, 2000);
  EXPECT_EQ(line.tax, 3420);
  EXPECT_EQ(line.tax_rate_bps, 1900);
  EXPECT_EQ(line.period_end, 1802592000);
  ASSERT_EQ(invoice.taxes.size(), 2u);
  EXPECT_EQ(invoice.taxes[0].rate_bps, 1900);  // from the line's rate
  EXPECT_EQ(invoice.taxes[0].taxable_amount, 18000);
  EXPECT_EQ(invoice.taxes[1].rate_bps, 770);  // expanded
  EXPECT_EQ(invoice.taxes[1].tax_rate, "txr_2");
  // Without total_excluding_tax (older objects): total minus tax.
  EXPECT_EQ(DecodeInvoice(Parse(R"({"total":119,"tax":19})")).total_excluding_tax, 100);
  EXPECT_EQ(BasisPointsOf(Parse(R"({"percentage":19})")), 1900);
  EXPECT_EQ(BasisPointsOf(Parse(R"({"percentage":null})")), 0);
}

TEST(StripeObjects, DecodeInvoicesChargesRefundsCustomersAndEvents) {
  const Invoice invoice = DecodeInvoice(Parse(
      R"({"id":"in_1","status":"open","subtotal":37300,"tax":7087,"total":44387,)"
      R"("amount_due":44387,"amount_paid":0,"attempt_count":2,"next_payment_attempt":1800000000,)"
      R"("footer":"Reverse charge.","subscription":"sub_1","hosted_invoice_url":"https://x/i"})"));
  EXPECT_EQ(invoice.total, 44387);
  EXPECT_EQ(invoice.attempt_count, 2);
  EXPECT_EQ(invoice.next_payment_attempt, 1800000000);
  EXPECT_EQ(invoice.footer, "Reverse charge.");
  EXPECT_EQ(DecodeInvoice(Parse(R"({"object":"invoice"})")).id, "");  // a preview has none

  const Charge charge = DecodeCharge(
      Parse(R"({"id":"ch_1","amount":100,"amount_refunded":100,"refunded":true,"invoice":null})"));
  EXPECT_TRUE(charge.refunded);
  EXPECT_EQ(charge.invoice, "");
  EXPECT_EQ(DecodeRefund(Parse(R"({"id":"re_1","charge":"ch_1","amount":40,)"
                               R"("status":"succeeded"})"))
                .amount,
            40);
  EXPECT_EQ(DecodeCustomer(Parse(R"({"id":"cus_1","tax_exempt":"reverse",)"
                                 R"("metadata":{"company_id":"co"}})"))
                .company_id,
            "co");

  const json::object json = Parse(
      R"({"id":"evt_1","type":"invoice.paid","api_version":"2024-06-20","created":1800000000,)"
      R"("livemode":false,"data":{"object":{"id":"in_1"}}})");
  const Event event = DecodeEvent(json);
  EXPECT_EQ(event.api_version, "2024-06-20");
  ASSERT_NE(event.object, nullptr);
  EXPECT_EQ(StringOf(*event.object, "id"), "in_1");
  EXPECT_EQ(DecodeEvent(Parse(R"({"id":"evt_2","data":{}})")).object, nullptr);
}

TEST(StripeObjects, ReadMembersOfAnyShapeWithoutThrowing) {
  const json::object odd = Parse(R"({"n":1.5,"s":5,"b":"true","big":1e30,"m":[]})");
  EXPECT_EQ(StringOf(odd, "s"), "");
  EXPECT_EQ(IntOf(odd, "n"), std::nullopt);  // not a whole number
  EXPECT_EQ(IntOf(odd, "big"), std::nullopt);
  EXPECT_FALSE(BoolOf(odd, "b"));
  EXPECT_EQ(MetadataOf(odd, "x"), "");
}

}  // namespace
}  // namespace codezero::stripe
