// The pages of the site and their addresses in each language: `/de/konfigurator` is
// `/en/configurator`. Links, canonical URLs, `hreflang` alternates, the language switch and
// sitemap.xml all come from this one table, so a page cannot be linked under a wrong name.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/locale.h"

namespace codezero::web {

using domain::Locale;

enum class Page {
  kHome,
  kConfigurator,
  kOffer,  // /de/angebot/{token}: not in the sitemap (one per quote)
  kImprint,
  kPrivacy,
  kTerms,
  kWithdrawal,
  kCookies,
  // "Verträge hier kündigen" (§ 312k BGB), linked from every page's footer: anyone may cancel
  // here, signed in or not; the link the owner is mailed leads to kCancelConfirm.
  kCancel,
  kCancelConfirm,  // ?token=…
  kCheckout,       // /de/checkout?quote=…: the order, from a quote (sign-up, payment)
  kCheckoutSuccess,
  kCheckoutCanceled,
  kConsent,               // POST: the consent dialog's choice
  kConfiguratorFragment,  // GET: the configurator's live parts, for its script
  // Accounts. The paths under /account/ and /login are those the API's e-mails link to.
  kSignUp,
  kSignUpSent,
  kSignIn,
  kSignOut,  // POST
  kVerify,
  kForgotPassword,
  kResetPassword,
  kAcceptInvitation,
  kAccount,
  kOrders,
  kOrder,  // /de/account/orders/{id}
  kInvoices,
  kInvoice,        // /de/account/invoices/{id}
  kBillingPortal,  // POST: on to Stripe's billing portal
  kSubscriptions,
  kSubscriptionCancel,  // ?subscription=…: the owner's confirmation step, then POST
  kSubscriptionResume,  // POST
  kSubscriptionChange,  // ?subscription=…: the form, its preview, then POST
  kReferrals,
  kCompany,
  kMembers,
  kProfile,
  kExport,
  kDeleteAccount,
  kWorkspace,  // /de/workspaces/{id}: the access e-mail's link
};

// The pages a search engine should index, in sitemap order (not offers, not endpoints).
[[nodiscard]] std::span<const Page> IndexedPages();

// "/de/konfigurator". For kOffer, kOrder, kInvoice and kWorkspace the prefix ("/de/angebot/"),
// which the token or id follows.
[[nodiscard]] std::string_view PathOf(Page page, Locale locale);

// The path of the same page in the other language, keeping everything after the page's own
// path (an offer's token). nullopt for a path that is not one of the table's.
[[nodiscard]] std::optional<std::string> TranslatePath(std::string_view path, Locale to);

// The locale a path starts with ("/de/..." or "/de"), if any.
[[nodiscard]] std::optional<Locale> LocaleOfPath(std::string_view path);

// The best language for an `Accept-Language` header (RFC 9110 §12.5.4, RFC 4647 basic
// filtering): German or English by the visitor's weights; German when the header is absent,
// English when it names neither.
[[nodiscard]] Locale NegotiateLocale(std::string_view accept_language);

}  // namespace codezero::web
