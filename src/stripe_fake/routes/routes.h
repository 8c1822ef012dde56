// The /v1 resources, one file each; service.cpp composes them.
#pragma once

#include "stripe_fake/api.h"
#include "stripe_fake/core.h"

namespace codezero::stripe_fake {

void AddCustomerRoutes(Api& api, Core& core);
void AddCustomerBalanceRoutes(Api& api, Core& core);  // /v1/customers/{id}/balance_transactions
void AddProductRoutes(Api& api, Core& core);          // products and prices
void AddTaxRateRoutes(Api& api, Core& core);
void AddCouponRoutes(Api& api, Core& core);
void AddCheckoutSessionRoutes(Api& api, Core& core);
void AddSubscriptionRoutes(Api& api, Core& core);
void AddInvoiceRoutes(Api& api, Core& core);
void AddPaymentRoutes(Api& api, Core& core);  // refunds, payment intents, charges, methods
void AddBillingPortalRoutes(Api& api, Core& core);
void AddEventRoutes(Api& api, Core& core);
void AddTestClockRoutes(Api& api, Core& core);
void AddWebhookEndpointRoutes(Api& api, Core& core);
void AddAccountTaxIdRoutes(Api& api, Core& core);  // /v1/tax_ids: the account's own

}  // namespace codezero::stripe_fake
