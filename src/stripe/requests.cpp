#include "stripe/requests.h"

namespace codezero::stripe {

FormFields CustomerUpdateFields(const CustomerRequest& customer) {
  return {{"name", customer.name},
          {"email", customer.email},
          {"address[line1]", customer.line1},
          {"address[line2]", customer.line2},
          {"address[postal_code]", customer.postal_code},
          {"address[city]", customer.city},
          {"address[country]", customer.country},
          {"preferred_locales[0]", customer.locale},
          {"tax_exempt", customer.tax_exempt},
          {"invoice_settings[footer]", customer.invoice_footer}};
}

FormFields CustomerDetailsFields(const CustomerRequest& customer) {
  return {{"name", customer.name},
          {"address[line1]", customer.line1},
          {"address[line2]", customer.line2},
          {"address[postal_code]", customer.postal_code},
          {"address[city]", customer.city},
          {"address[country]", customer.country}};
}

FormFields CustomerRedactionFields() { return {{"name", ""}, {"email", ""}, {"address", ""}}; }

FormFields CustomerCreateFields(std::string_view company_id) {
  return {{"metadata[company_id]", std::string(company_id)}};
}

std::string ProductIdOf(std::string_view catalog_code) {
  return "codezero_" + std::string(catalog_code);
}

FormFields ProductFields(std::string_view catalog_code, std::string_view name) {
  return {{"id", ProductIdOf(catalog_code)},
          {"name", std::string(name)},
          {"metadata[catalog_code]", std::string(catalog_code)}};
}

std::string PercentageOf(int bps) {
  std::string text = std::to_string(bps / 100);
  int fraction = bps % 100;
  if (fraction != 0) {
    text += '.';
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
  }
  return text;
}

std::string TaxRateKey(const TaxRateRequest& rate) {
  return "tax_rate:" + rate.treatment + ":" + rate.country + ":" + std::to_string(rate.rate_bps);
}

FormFields TaxRateFields(const TaxRateRequest& rate) {
  // The description is for us only (Stripe shows it to no customer); the invoice's note is the
  // customer's invoice footer (CustomerRequest::invoice_footer).
  return {{"display_name", rate.display_name},
          {"percentage", PercentageOf(rate.rate_bps)},
          {"inclusive", "false"},
          {"country", rate.country},
          {"description", "codezero " + rate.treatment + " " + rate.country + " " +
                              PercentageOf(rate.rate_bps) + "%"},
          {"metadata[treatment]", rate.treatment}};
}

FormFields CouponFields(const CouponRequest& coupon) {
  FormFields fields{{"id", coupon.id},
                    {"percent_off", PercentageOf(coupon.percent_off_bps)},
                    {"duration", "once"},
                    {"max_redemptions", "1"},
                    {"name", coupon.name}};
  for (std::size_t i = 0; i < coupon.product_ids.size(); ++i) {
    fields.emplace_back("applies_to[products][" + std::to_string(i) + "]", coupon.product_ids[i]);
  }
  return fields;
}

FormFields CheckoutSessionFields(const CheckoutSessionRequest& session) {
  bool any_recurring = false;
  for (const CheckoutLine& line : session.lines) any_recurring = any_recurring || line.recurring;
  FormFields fields{{"mode", any_recurring ? "subscription" : "payment"},
                    {"customer", session.customer_id},
                    {"client_reference_id", session.order_id},
                    {"metadata[order_id]", session.order_id},
                    {"locale", session.locale},
                    {"success_url", session.success_url},
                    {"cancel_url", session.cancel_url},
                    {"expires_at", std::to_string(session.expires_at)}};
  for (std::size_t i = 0; i < session.lines.size(); ++i) {
    const CheckoutLine& line = session.lines[i];
    const std::string prefix = "line_items[" + std::to_string(i) + "]";
    fields.emplace_back(prefix + "[price_data][currency]", session.currency);
    fields.emplace_back(prefix + "[price_data][product]", line.product_id);
    fields.emplace_back(prefix + "[price_data][unit_amount]", std::to_string(line.unit_amount));
    if (line.recurring) {
      fields.emplace_back(prefix + "[price_data][recurring][interval]", session.interval);
    }
    fields.emplace_back(prefix + "[quantity]", std::to_string(line.quantity));
    if (!line.tax_rate_id.empty()) fields.emplace_back(prefix + "[tax_rates][0]", line.tax_rate_id);
  }
  if (session.coupon_id) fields.emplace_back("discounts[0][coupon]", *session.coupon_id);
  if (any_recurring) fields.emplace_back("subscription_data[metadata][order_id]", session.order_id);
  return fields;
}

}  // namespace codezero::stripe
