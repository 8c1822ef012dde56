// The Stripe objects a Checkout Session refers to, created once and reused:
//
// - the company's customer (its id kept in companies.stripe_customer_id), updated to the
//   company's data each time;
// - a product per catalog code, under our own id (stripe/requests.h), so it needs no lookup;
// - a tax rate per treatment, country and rate (ids kept in stripe_objects);
// - a one-off coupon per discounted order.
//
// Every create carries an Idempotency-Key derived from what it creates, and "already exists"
// counts as success, so concurrent checkouts, retries and crashed requests converge on one
// object. One instance per event loop; the in-process sets only save calls.
#pragma once

#include <map>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"
#include "stripe/requests.h"

namespace codezero::billing {

// Creates the product of a catalog code under our own id (stripe/requests.h), named `name`
// (English, whoever creates it); false when it exists already. Keyed by the id, so every
// creator sends the same bytes under the same key.
[[nodiscard]] boost::asio::awaitable<Result<bool>> CreateProduct(stripe::Client& stripe,
                                                                 std::string code,
                                                                 std::string name);

class StripeObjects {
 public:
  StripeObjects(db::Pool& database, stripe::Client& stripe);

  // The customer id of `customer.company_id`, creating the customer on first use and else
  // bringing it up to date (name, e-mail, address, language, tax status, tax ID, invoice
  // footer): the customer follows the company before every checkout.
  // `order_id`: the checkout's order, which keys the update at Stripe.
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Customer(
      stripe::CustomerRequest customer, std::string order_id);
  // REQUIRES: `name` is the catalog's name for `code` (used only when creating).
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Product(std::string code,
                                                                    std::string name);
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> TaxRate(stripe::TaxRateRequest rate);
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Coupon(stripe::CouponRequest coupon);

 private:
  boost::asio::awaitable<Result<void>> UpdateCustomer(const std::string& id,
                                                      const stripe::CustomerRequest& customer,
                                                      const std::string& order_id);

  db::Pool& database_;
  stripe::Client& stripe_;
  std::set<std::string> known_products_;
  std::map<std::string, std::string> tax_rates_;  // TaxRateKey -> id
};

}  // namespace codezero::billing
