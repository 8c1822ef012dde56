#include "domain/violation.h"

#include <array>

namespace codezero::domain {
namespace {

struct Message {
  std::string_view code;
  std::string_view de;
  std::string_view en;
};

// One entry per code. „…“ are German quotation marks.
constexpr std::array<Message, 44> kMessages = {{
    {"required", "Dieses Feld ist erforderlich.", "This field is required."},
    {"invalid_type", "Dieses Feld hat den falschen Typ.", "This field has the wrong type."},
    {"too_short", "Der Wert ist zu kurz.", "The value is too short."},
    {"too_long", "Der Wert ist zu lang.", "The value is too long."},
    {"out_of_range", "Der Wert liegt außerhalb des erlaubten Bereichs.",
     "The value is out of range."},
    {"unknown_field", "Dieses Feld gibt es hier nicht.", "This field is not part of the request."},
    {"not_an_object", "Der Inhalt muss ein JSON-Objekt sein.", "The body must be a JSON object."},
    {"invalid_value", "Ungültiger Wert; möglich ist: {0}.", "Invalid value; possible: {0}."},
    {"unknown_plan", "Den Tarif „{0}“ gibt es nicht; verfügbar: {1}.",
     "There is no plan \"{0}\"; available: {1}."},
    {"unknown_addon", "Das Add-on „{0}“ gibt es nicht.", "There is no add-on \"{0}\"."},
    {"duplicate_addon", "Das Add-on „{0}“ ist doppelt angegeben.",
     "The add-on \"{0}\" is listed twice."},
    {"addon_requires_plan", "„{0}“ gibt es nur mit dem Tarif {1}.",
     "\"{0}\" is only available with the {1} plan."},
    {"addon_included_in_plan", "„{0}“ ist im Tarif {1} bereits enthalten.",
     "\"{0}\" is already included in the {1} plan."},
    {"quantity_out_of_range", "Die Menge muss zwischen {0} und {1} liegen.",
     "The quantity must be between {0} and {1}."},
    {"invalid_vat_id", "Die USt-IdNr. „{0}“ ist ungültig.", "The VAT ID \"{0}\" is not valid."},
    {"unknown_coupon", "Den Gutscheincode „{0}“ gibt es nicht.", "There is no coupon \"{0}\"."},
    {"coupon_expired", "Der Gutscheincode „{0}“ ist nicht mehr gültig.",
     "The coupon \"{0}\" is no longer valid."},
    {"unknown_referral_code", "Den Empfehlungscode „{0}“ gibt es nicht.",
     "There is no referral code \"{0}\"."},
    {"discounts_not_combinable",
     "Gutscheincode und Empfehlungscode lassen sich nicht kombinieren; bitte nur einen angeben.",
     "A coupon and a referral code cannot be combined; give only one."},
    {"unsupported_currency", "Die Währung „{0}“ wird nicht unterstützt; möglich: {1}.",
     "The currency \"{0}\" is not supported; possible: {1}."},
    {"unsupported_country",
     "„{0}“ ist kein Land, in das wir verkaufen (zweistelliger ISO-Code, z. B. DE).",
     "\"{0}\" is not a country we sell to (two-letter ISO code, e.g. DE)."},
    {"unsupported_interval", "Den Abrechnungszeitraum „{0}“ gibt es nicht; möglich: month, year.",
     "There is no billing interval \"{0}\"; possible: month, year."},
    {"unsupported_locale", "Die Sprache „{0}“ wird nicht unterstützt; möglich: de, en.",
     "The language \"{0}\" is not supported; possible: de, en."},
    {"vat_id_country_mismatch", "Die USt-IdNr. gehört nicht zum Land {0}.",
     "The VAT ID does not belong to country {0}."},
    {"duplicate", "Dieser Wert kommt doppelt vor.", "This value appears twice."},
    {"invalid_quote", "Das Angebot ist ungültig.", "The quote is invalid."},
    {"invalid_email", "Das ist keine gültige E-Mail-Adresse.",
     "This is not a valid e-mail address."},
    {"password_too_short", "Das Passwort muss mindestens {0} Zeichen lang sein.",
     "The password must be at least {0} characters long."},
    {"password_too_long", "Das Passwort darf höchstens {0} Zeichen lang sein.",
     "The password must be at most {0} characters long."},
    {"wrong_password", "Das aktuelle Passwort stimmt nicht.", "The current password is wrong."},
    {"invalid_link", "Der Link ist ungültig, abgelaufen oder schon benutzt.",
     "The link is invalid, expired or already used."},
    {"invalid_role", "Möglich sind die Rollen owner und member.",
     "The role must be owner or member."},
    {"quote_invalid", "Das Angebot ist ungültig; bitte ein neues Angebot anfordern.",
     "The quote is not valid; please ask for a new quote."},
    {"quote_expired", "Das Angebot ist abgelaufen; bitte ein neues Angebot anfordern.",
     "The quote has expired; please ask for a new quote."},
    {"quote_customer_mismatch",
     "Das Angebot gilt für {0}, Ihr Unternehmen ist als {1} erfasst; bitte ein neues Angebot "
     "anfordern.",
     "The quote was made for {0}, but your company is registered as {1}; please ask for a new "
     "quote."},
    {"discount_no_longer_valid",
     "Der Rabatt „{0}“ dieses Angebots gilt nicht mehr; bitte ein neues Angebot anfordern.",
     "The discount \"{0}\" of this quote is no longer valid; please ask for a new quote."},
    {"terms_required", "Bitte akzeptieren Sie die AGB, um zu bestellen.",
     "Please accept the terms and conditions to order."},
    {"early_performance_required",
     "Als Verbraucher müssen Sie ausdrücklich verlangen, dass wir vor Ablauf der Widerrufsfrist "
     "beginnen; sonst können wir den Dienst nicht sofort bereitstellen.",
     "As a consumer you must expressly ask us to begin before the withdrawal period ends; "
     "otherwise we cannot provide the service at once."},
    {"url_control_characters", "Die Adresse darf keine Steuerzeichen enthalten.",
     "The address must not contain control characters."},
    {"url_not_allowed", "Nur Adressen unter {0} sind erlaubt.",
     "Only addresses under {0} are allowed."},
    {"addon_not_recurring", "„{0}“ gibt es nur mit einer neuen Bestellung.",
     "\"{0}\" is only available with a new order."},
    {"no_change", "Das ist die laufende Konfiguration; es ändert sich nichts.",
     "That is the current configuration; nothing changes."},
    {"reason_required", "Bitte nennen Sie den Grund der außerordentlichen Kündigung.",
     "Please give the reason for cancelling for cause."},
    {"idempotency_key_reused",
     "Dieser Idempotency-Key wurde schon für eine andere Anfrage benutzt.",
     "This Idempotency-Key was already used for a different request."},
}};

std::string Fill(std::string_view text, const std::vector<std::string>& args) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      const auto index = static_cast<std::size_t>(text[i + 1] - '0');
      if (index < args.size()) out += args[index];
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

FieldError LocalizedFieldError(const Violation& violation, Locale locale) {
  for (const Message& message : kMessages) {
    if (message.code == violation.code) {
      return {violation.code, violation.field,
              Fill(locale == Locale::kDe ? message.de : message.en, violation.args)};
    }
  }
  return {violation.code, violation.field,
          locale == Locale::kDe ? "Ungültiger Wert." : "Invalid value."};
}

Error ValidationError(const std::vector<Violation>& violations, Locale locale) {
  Error error{ErrorCode::kValidationFailed,
              locale == Locale::kDe ? "Die Anfrage enthält ungültige Angaben."
                                    : "The request has invalid values.",
              "",
              {}};
  for (const Violation& violation : violations) {
    error.fields.push_back(LocalizedFieldError(violation, locale));
  }
  return error;
}

}  // namespace codezero::domain
