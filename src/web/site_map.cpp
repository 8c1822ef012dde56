#include "web/site_map.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "web/header_lists.h"

namespace codezero::web {
namespace {

struct PageAddress {
  Page page;
  std::string_view de;
  std::string_view en;
};

constexpr std::array<PageAddress, 40> kAddresses{{
    {Page::kHome, "/de/", "/en/"},
    {Page::kConfigurator, "/de/konfigurator", "/en/configurator"},
    {Page::kOffer, "/de/angebot/", "/en/offer/"},
    {Page::kImprint, "/de/impressum", "/en/imprint"},
    {Page::kPrivacy, "/de/datenschutz", "/en/privacy"},
    {Page::kTerms, "/de/agb", "/en/terms"},
    {Page::kWithdrawal, "/de/widerruf", "/en/withdrawal"},
    {Page::kCookies, "/de/cookies", "/en/cookies"},
    {Page::kCancel, "/de/kuendigen", "/en/cancel"},
    {Page::kCancelConfirm, "/de/kuendigen/bestaetigen", "/en/cancel/confirm"},
    {Page::kCheckout, "/de/checkout", "/en/checkout"},
    {Page::kCheckoutSuccess, "/de/checkout/success", "/en/checkout/success"},
    {Page::kCheckoutCanceled, "/de/checkout/canceled", "/en/checkout/canceled"},
    {Page::kConsent, "/de/einwilligung", "/en/consent"},
    {Page::kConfiguratorFragment, "/de/konfigurator/fragment", "/en/configurator/fragment"},
    {Page::kSignUp, "/de/signup", "/en/signup"},
    {Page::kSignUpSent, "/de/signup/sent", "/en/signup/sent"},
    {Page::kSignIn, "/de/login", "/en/login"},
    {Page::kSignOut, "/de/logout", "/en/logout"},
    {Page::kVerify, "/de/account/verify", "/en/account/verify"},
    {Page::kForgotPassword, "/de/account/forgot-password", "/en/account/forgot-password"},
    {Page::kResetPassword, "/de/account/reset-password", "/en/account/reset-password"},
    {Page::kAcceptInvitation, "/de/account/accept-invitation", "/en/account/accept-invitation"},
    {Page::kAccount, "/de/account", "/en/account"},
    {Page::kOrders, "/de/account/orders", "/en/account/orders"},
    {Page::kOrder, "/de/account/orders/", "/en/account/orders/"},
    {Page::kInvoices, "/de/account/invoices", "/en/account/invoices"},
    {Page::kInvoice, "/de/account/invoices/", "/en/account/invoices/"},
    {Page::kBillingPortal, "/de/account/billing-portal", "/en/account/billing-portal"},
    {Page::kSubscriptions, "/de/account/subscriptions", "/en/account/subscriptions"},
    {Page::kSubscriptionCancel, "/de/account/subscriptions/cancel",
     "/en/account/subscriptions/cancel"},
    {Page::kSubscriptionResume, "/de/account/subscriptions/resume",
     "/en/account/subscriptions/resume"},
    {Page::kSubscriptionChange, "/de/account/subscriptions/change",
     "/en/account/subscriptions/change"},
    {Page::kReferrals, "/de/account/referrals", "/en/account/referrals"},
    {Page::kCompany, "/de/account/company", "/en/account/company"},
    {Page::kMembers, "/de/account/members", "/en/account/members"},
    {Page::kProfile, "/de/account/profile", "/en/account/profile"},
    {Page::kExport, "/de/account/export", "/en/account/export"},
    {Page::kDeleteAccount, "/de/account/delete", "/en/account/delete"},
    {Page::kWorkspace, "/de/workspaces/", "/en/workspaces/"},
}};

constexpr std::array<Page, 7> kIndexed{Page::kHome,    Page::kConfigurator, Page::kImprint,
                                       Page::kPrivacy, Page::kTerms,        Page::kWithdrawal,
                                       Page::kCookies};

}  // namespace

std::span<const Page> IndexedPages() { return kIndexed; }

std::string_view PathOf(Page page, Locale locale) {
  for (const PageAddress& address : kAddresses) {
    if (address.page == page) return locale == Locale::kDe ? address.de : address.en;
  }
  return "/";
}

std::optional<std::string> TranslatePath(std::string_view path, Locale to) {
  for (const PageAddress& address : kAddresses) {
    for (const std::string_view own : {address.de, address.en}) {
      const bool prefix = address.page == Page::kOffer || address.page == Page::kOrder ||
                          address.page == Page::kInvoice || address.page == Page::kWorkspace;
      if (prefix ? path.starts_with(own) && path.size() > own.size() : path == own) {
        std::string translated(to == Locale::kDe ? address.de : address.en);
        translated.append(path.substr(own.size()));
        return translated;
      }
    }
  }
  return std::nullopt;
}

std::optional<Locale> LocaleOfPath(std::string_view path) {
  if (path == "/de" || path.starts_with("/de/")) return Locale::kDe;
  if (path == "/en" || path.starts_with("/en/")) return Locale::kEn;
  return std::nullopt;
}

Locale NegotiateLocale(std::string_view accept_language) {
  if (accept_language.find_first_not_of(" \t") == std::string_view::npos) return Locale::kDe;
  double german = 0, english = 0, any = 0;
  std::size_t german_order = SIZE_MAX, english_order = SIZE_MAX;
  std::size_t order = 0;
  ForEachListElement(accept_language, [&](std::string_view range, double quality) {
    const std::string_view primary = range.substr(0, range.find('-'));
    if (EqualsIgnoreCase(primary, "de") && quality > german) {
      german = quality;
      german_order = std::min(german_order, order);
    } else if (EqualsIgnoreCase(primary, "en") && quality > english) {
      english = quality;
      english_order = std::min(english_order, order);
    } else if (range == "*") {
      any = quality;
    }
    ++order;
  });
  if (german == 0 && english == 0) return any > 0 ? Locale::kDe : Locale::kEn;
  if (german != english) return german > english ? Locale::kDe : Locale::kEn;
  return german_order <= english_order ? Locale::kDe : Locale::kEn;
}

}  // namespace codezero::web
