// The hosted pages, served without the API key (their URLs carry unguessable ids, like
// Stripe's): the payment page of a Checkout Session (/c/pay/{id}), an invoice and its PDF
// (/i/{id}, /i/{id}/pdf) and the customer portal (/p/session/{id}).
#pragma once

#include "http/router.h"
#include "stripe_fake/core.h"

namespace codezero::stripe_fake {

void AddCheckoutPage(http::Router& router, Core& core);
void AddInvoicePages(http::Router& router, Core& core);
void AddPortalPage(http::Router& router, Core& core);

}  // namespace codezero::stripe_fake
