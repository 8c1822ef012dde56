// The tax note on each renewal invoice: its own order's. A customer's default footer
// (invoice_settings.footer) is the note of its latest checkout, and Stripe copies it onto every
// invoice it makes, the renewals of an earlier subscription included, whose order may have
// another treatment (a company that had no VAT ID then and has one now). So when Stripe makes
// a renewal as a draft (invoice.created; it stays a draft for about an hour), the footer of
// that draft is set to the note of the order the invoice belongs to (at the rate the
// subscription is charged now, which billing.follow_vat_rates may have changed), or cleared
// for standard German VAT, which needs none.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "stripe/client.h"
#include "stripe/objects.h"

namespace codezero::billing {

// True when the draft's footer was changed. A draft of no order of ours, or whose footer is
// right already, is left alone. REQUIRES: the invoice is stored (StoreInvoice).
[[nodiscard]] boost::asio::awaitable<Result<bool>> WriteOrderNoteOnDraft(
    db::Pool& database, stripe::Client& stripe, const stripe::Invoice& draft);

}  // namespace codezero::billing
