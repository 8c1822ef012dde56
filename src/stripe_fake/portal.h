// Billing portal configurations (https://docs.stripe.com/api/customer_portal/configurations):
// which features a portal session offers. The account's default configuration, used by a
// session that names none, has every feature on, as a new Stripe account's Dashboard default
// leaves them.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "stripe_fake/core.h"

namespace codezero::stripe_fake {

// A configuration object with every feature on (the defaults before a create's parameters).
[[nodiscard]] boost::json::object NewPortalConfiguration(const std::string& id, bool is_default);

// The id of the account's default configuration, made on first use.
[[nodiscard]] std::string DefaultPortalConfiguration(Core& core);

struct PortalFeatures {
  bool invoice_history = true;
  bool payment_method_update = true;
  bool subscription_cancel = true;
  bool subscription_update = true;
};

// The features of the configuration a portal session runs with.
[[nodiscard]] PortalFeatures FeaturesOfSession(Core& core, const boost::json::object& session);

}  // namespace codezero::stripe_fake
