// Writes COUNT distinct, signed Stripe events for the webhook benchmark, one per line:
//   <Stripe-Signature header> TAB <event JSON>
// Each is a realistic `checkout.session.completed` (about 2 KB, like Stripe's), signed now with
// SECRET, so the file must be used within the API's 300-second tolerance.
//
//   bench_sign_events COUNT SECRET PREFIX > events.tsv
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "stripe/webhook_signature.h"

namespace {

std::string Event(const std::string& id, std::int64_t created) {
  const std::string t = std::to_string(created);
  return R"({"id":")" + id + R"(","object":"event","api_version":"2024-06-20","created":)" + t +
         R"(,"data":{"object":{"id":"cs_test_)" + id.substr(4) +
         R"(","object":"checkout.session","after_expiration":null,"allow_promotion_codes":null,)"
         R"("amount_subtotal":373000,"amount_total":443870,"automatic_tax":{"enabled":false,)"
         R"("liability":null,"status":null},"billing_address_collection":null,"cancel_url":)"
         R"("https://codezero.ai/de/checkout/canceled","client_reference_id":)"
         R"("6f1c0e7a-0000-4000-8000-000000000001","consent":null,"consent_collection":null,)"
         R"("created":)" +
         t +
         R"(,"currency":"eur","custom_fields":[],"custom_text":{"shipping_address":null,)"
         R"("submit":null},"customer":"cus_QbZ3x9Lr2mN8pT","customer_creation":null,)"
         R"("customer_details":{"address":{"city":"Berlin","country":"DE","line1":)"
         R"("Hauptstr. 1","line2":null,"postal_code":"10115","state":null},"email":)"
         R"("kim@example.com","name":"Acme GmbH","phone":null,"tax_exempt":"none","tax_ids":[]},)"
         R"("customer_email":null,"expires_at":)" +
         std::to_string(created + 86'340) +
         R"(,"invoice":"in_1QbZ3x9Lr2mN8pTa","invoice_creation":null,"livemode":false,)"
         R"("locale":"de","metadata":{"order_id":"6f1c0e7a-0000-4000-8000-000000000001"},)"
         R"("mode":"subscription","payment_intent":null,"payment_link":null,)"
         R"("payment_method_collection":"always","payment_method_options":{"card":)"
         R"({"request_three_d_secure":"automatic"}},"payment_method_types":["card"],)"
         R"("payment_status":"paid","phone_number_collection":{"enabled":false},)"
         R"("recovered_from":null,"setup_intent":null,"shipping_address_collection":null,)"
         R"("shipping_cost":null,"shipping_details":null,"shipping_options":[],"status":)"
         R"("complete","submit_type":null,"subscription":"sub_1QbZ3x9Lr2mN8pTb",)"
         R"("success_url":"https://codezero.ai/de/checkout/success?session_id=)"
         R"({CHECKOUT_SESSION_ID}","total_details":{"amount_discount":0,"amount_shipping":0,)"
         R"("amount_tax":70870},"ui_mode":"hosted","url":null}},"livemode":false,)"
         R"("pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":)"
         R"("checkout.session.completed"})";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench_sign_events COUNT SECRET PREFIX\n";
    return 2;
  }
  const long count = std::stol(argv[1]);
  const std::string secret = argv[2];
  const std::string prefix = argv[3];
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  std::string line;
  for (long i = 0; i < count; ++i) {
    const std::string body = Event("evt_" + prefix + std::to_string(i), now);
    line = codezero::stripe::SignatureHeader(secret, now, body);
    line += '\t';
    line += body;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
