#include "domain/vat_territory.h"

#include <array>

namespace codezero::domain {
namespace {

struct Special {
  std::string_view country;
  std::string_view prefix;  // of the postal code, spaces removed
  std::string_view territory;
};

// Postal codes: Deutsche Post (78266 Büsingen, 27498 Helgoland), Correos (35, 38 the Canary
// Islands' provinces, 51 Ceuta, 52 Melilla), Poste Italiane (23041 Livigno, 22061 Campione
// d'Italia), ELTA (63086, 63087 Mount Athos), Posti (22 Åland), La Poste (97 overseas).
constexpr std::array<Special, 13> kSpecials = {{
    {"DE", "78266", "busingen"},
    {"DE", "27498", "heligoland"},
    {"ES", "35", "canary_islands"},
    {"ES", "38", "canary_islands"},
    {"ES", "51", "ceuta"},
    {"ES", "52", "melilla"},
    {"IT", "23041", "livigno"},
    {"IT", "22061", "campione"},
    {"GR", "63086", "mount_athos"},
    {"GR", "63087", "mount_athos"},
    {"FI", "22", "aland"},
    {"FR", "97", "french_overseas"},
    {"MC", "", "monaco"},
}};

struct Name {
  std::string_view territory;
  std::string_view de;
  std::string_view en;
};

constexpr std::array<Name, 11> kTerritoryNames = {{
    {"monaco", "Monaco", "Monaco"},
    {"busingen", "Büsingen am Hochrhein", "Büsingen am Hochrhein"},
    {"heligoland", "Helgoland", "Heligoland"},
    {"canary_islands", "die Kanarischen Inseln", "the Canary Islands"},
    {"ceuta", "Ceuta", "Ceuta"},
    {"melilla", "Melilla", "Melilla"},
    {"livigno", "Livigno", "Livigno"},
    {"campione", "Campione d’Italia", "Campione d’Italia"},
    {"mount_athos", "der Berg Athos", "Mount Athos"},
    {"aland", "die Åland-Inseln", "the Åland Islands"},
    {"french_overseas", "die französischen Überseedepartements", "the French overseas departments"},
}};

std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '-') out.push_back(c);
  }
  return out;
}

}  // namespace

VatTerritory VatTerritoryOf(std::string_view country, std::string_view postal_code) {
  VatTerritory result;
  result.country = std::string(country);
  const std::string code = WithoutSpaces(postal_code);
  for (const Special& special : kSpecials) {
    if (special.country != country) continue;
    if (!special.prefix.empty() && !code.starts_with(special.prefix)) continue;
    result.territory = std::string(special.territory);
    if (special.territory == "monaco") {
      result.country = "FR";
    } else {
      result.outside_vat_area = true;
    }
    return result;
  }
  return result;
}

LocalizedText TerritoryName(std::string_view territory) {
  for (const Name& name : kTerritoryNames) {
    if (name.territory == territory) return {std::string(name.de), std::string(name.en)};
  }
  return {std::string(territory), std::string(territory)};
}

}  // namespace codezero::domain
