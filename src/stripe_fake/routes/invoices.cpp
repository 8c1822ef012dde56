// /v1/invoices: retrieve, update a draft (footer, description, metadata), list, lines, void,
// pay.
#include "stripe_fake/invoices.h"
#include "stripe_fake/clock.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"
#include "stripe_fake/subscriptions.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
}  // namespace

void AddInvoiceRoutes(Api& api, Core& core) {
  api.Get("/v1/invoices/{id}", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, {}));
    const json::object* invoice = core.store.Find(call.Param("id"), "invoice");
    if (invoice == nullptr) return tl::unexpected(NoSuch("invoice", call.Param("id")));
    return *invoice;
  });
  api.Get("/v1/invoices/{id}/lines", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const json::object* invoice = core.store.Find(call.Param("id"), "invoice");
    if (invoice == nullptr) return tl::unexpected(NoSuch("invoice", call.Param("id")));
    return Page(InvoiceLines(core, call.Param("id")), call.params,
                "/v1/invoices/" + call.Param("id") + "/lines");
  });
  api.Get("/v1/invoices", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"customer"},
                    {"subscription"},
                    {"status", ParamKind::kEnum, "draft|open|paid|uncollectible|void"},
                    {"collection_method", ParamKind::kEnum, "charge_automatically|send_invoice"}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(core, "invoice", call.params, "/v1/invoices", [&](const json::object& invoice) {
      for (const char* field : {"customer", "subscription", "status", "collection_method"}) {
        const std::optional<std::string> wanted = Str(call.params, field);
        if (wanted && Text(invoice, field) != *wanted) return false;
      }
      return true;
    });
  });
  // As at Stripe, a draft is editable; a finalized invoice is a document and keeps its text.
  api.Post("/v1/invoices/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{
        {"footer"}, {"description"}, {"metadata", ParamKind::kMetadata}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    json::object* invoice = core.store.Find(call.Param("id"), "invoice");
    if (invoice == nullptr) return tl::unexpected(NoSuch("invoice", call.Param("id")));
    const bool text_change = call.params.contains("footer") || call.params.contains("description");
    if (text_change && Text(*invoice, "status") != "draft") {
      return tl::unexpected(
          InvalidState("You can only update the footer or description of a draft invoice."));
    }
    const json::object before = *invoice;
    for (const char* field : {"footer", "description"}) {
      if (const std::optional<std::string> text = Str(call.params, field)) {
        (*invoice)[field] = OrNull(*text);
      }
    }
    if (!invoice->contains("metadata") || !invoice->at("metadata").is_object()) {
      (*invoice)["metadata"] = json::object();
    }
    ApplyMetadata(invoice->at("metadata").as_object(), At(call.params, "metadata"));
    core.events.EmitUpdated("invoice.updated", before, *invoice,
                            NowForCustomer(core.store, Text(*invoice, "customer")));
    return *invoice;
  });
  api.Post("/v1/invoices/{id}/void", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, {}));
    return VoidInvoice(core, call.Param("id"));
  });
  api.Post("/v1/invoices/{id}/pay", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{{"payment_method"},
                                              {"paid_out_of_band", ParamKind::kBoolean},
                                              {"off_session", ParamKind::kBoolean}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::string id = call.Param("id");
    json::object* invoice = core.store.Find(id, "invoice");
    if (invoice == nullptr) return tl::unexpected(NoSuch("invoice", id));
    const std::string status = Text(*invoice, "status");
    if (status == "paid") return tl::unexpected(InvalidState("Invoice is already paid"));
    if (status != "open") {
      return tl::unexpected(
          InvalidState("You can only pay an open invoice. This invoice is " + status + "."));
    }
    const std::int64_t now = NowForCustomer(core.store, Text(*invoice, "customer"));
    if (Bool(call.params, "paid_out_of_band").value_or(false)) {
      (*invoice)["paid_out_of_band"] = true;
      MarkInvoicePaid(core, id, now);
      AfterInvoicePayment(core, id, true, now);
      return *core.store.Find(id, "invoice");
    }
    const std::string method = Str(call.params, "payment_method").value_or("");
    if (!method.empty() && core.store.Find(method, "payment_method") == nullptr) {
      return tl::unexpected(NoSuch("PaymentMethod", method, "payment_method"));
    }
    const PaymentAttempt attempt =
        PayInvoice(core, id, method, Bool(call.params, "off_session").value_or(true), now);
    if (attempt.status == PaymentStatus::kFailed) {
      AfterInvoicePayment(core, id, false, now);
      return tl::unexpected(attempt.error);
    }
    if (attempt.status == PaymentStatus::kSucceeded) AfterInvoicePayment(core, id, true, now);
    return *core.store.Find(id, "invoice");
  });
}

}  // namespace codezero::stripe_fake
