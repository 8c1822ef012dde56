#include "web/translations.h"

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <locale>
#include <stdexcept>

#include "web/embedded_files.h"

namespace codezero::web {

// Facets are owned by the std::locale they are installed in (their destructors are protected).
struct Translations::Impl {
  std::locale de;
  std::locale en;
};

namespace {

constexpr std::string_view kRoot = "/embedded";

std::locale LoadCatalog(std::string_view language) {
  boost::locale::gnu_gettext::messages_info info;
  info.language = std::string(language);
  info.encoding = "UTF-8";
  info.domains.emplace_back("web");
  info.paths.emplace_back(kRoot);
  const std::string wanted =
      std::string(kRoot) + "/" + std::string(language) + "/LC_MESSAGES/web.mo";
  const std::string embedded = "locales/" + std::string(language) + ".mo";
  bool found = false;
  info.callback = [&](const std::string& file_name, const std::string&) -> std::vector<char> {
    if (file_name != wanted) return {};
    const std::optional<std::string_view> bytes = FindEmbeddedFile(embedded);
    if (!bytes) return {};
    found = true;
    return {bytes->begin(), bytes->end()};
  };
  boost::locale::message_format<char>* catalog =
      boost::locale::gnu_gettext::create_messages_facet<char>(info);
  if (catalog == nullptr) throw std::runtime_error("cannot read translation catalog " + embedded);
  std::locale with_catalog(std::locale::classic(), catalog);  // owns it from here on
  if (!found) throw std::runtime_error("no translation catalog " + embedded);
  return with_catalog;
}

}  // namespace

Translations::Translations() : impl_(std::make_unique<Impl>()) {
  impl_->de = LoadCatalog("de");
  impl_->en = LoadCatalog("en");
}

Translations::~Translations() = default;
Translations::Translations(Translations&&) noexcept = default;
Translations& Translations::operator=(Translations&&) noexcept = default;

std::optional<std::string> Translations::Find(domain::Locale locale,
                                              std::string_view message_id) const {
  const auto& catalog = std::use_facet<boost::locale::message_format<char>>(
      locale == domain::Locale::kDe ? impl_->de : impl_->en);
  const std::string id(message_id);
  const char* translated = catalog.get(0, nullptr, id.c_str());
  if (translated == nullptr) return std::nullopt;
  return std::string(translated);
}

}  // namespace codezero::web
