// Where VAT law puts an address whose country code alone does not say it. The EU VAT area is
// not the member states' map (Art. 6 and 7 of Directive 2006/112/EC, § 1(2) UStG):
//
// - Monaco is treated as France (Art. 7): French VAT, French VAT IDs;
// - outside the EU VAT area, though inside a member state: Büsingen am Hochrhein (DE 78266)
//   and Heligoland (DE 27498); the Canary Islands (ES 35xxx, 38xxx), Ceuta (ES 51xxx) and
//   Melilla (ES 52xxx); Livigno (IT 23041) and Campione d'Italia (IT 22061); Mount Athos
//   (GR 63086, 63087); the Åland Islands (FI 22xxx); the French overseas departments when
//   written with FR and their postal codes (97xxx; with their own codes GP, MQ, GF, RE, YT
//   they are outside the EU here anyway);
// - Northern Ireland (GB, BT postcodes) is part of the UK for services, so nothing special.
//
// A customer outside the EU VAT area is not taxable in Germany, business or consumer (the
// place of supply is where they are, § 3a(2) and (5) UStG, and it is not in the VAT area).
// Pure logic, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "domain/locale.h"

namespace codezero::domain {

struct VatTerritory {
  std::string country;    // the country for VAT: "FR" for Monaco, else the address's own
  std::string territory;  // "" or the special territory's code (below)
  bool outside_vat_area = false;
};

// `country`: ISO 3166-1 alpha-2, upper case. `postal_code`: as typed (spaces ignored); empty
// when not known, which reads as the ordinary part of the country.
[[nodiscard]] VatTerritory VatTerritoryOf(std::string_view country, std::string_view postal_code);

// The territory's name for notes: "Büsingen am Hochrhein", "the Canary Islands", ...; the
// code itself when unknown. Codes: monaco, busingen, heligoland, canary_islands, ceuta,
// melilla, livigno, campione, mount_athos, aland, french_overseas.
[[nodiscard]] LocalizedText TerritoryName(std::string_view territory);

}  // namespace codezero::domain
