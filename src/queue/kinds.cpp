#include "queue/kinds.h"

#include <array>
#include <utility>

namespace codezero::queue {

int MaxAttemptsOf(std::string_view kind) {
  // Periodic work is scheduled again soon anyway: no point in retrying it for days.
  static constexpr std::array<std::pair<std::string_view, int>, 2> kOverrides{{
      {"billing.reconcile", 5},
      {"maintenance.cleanup", 5},
  }};
  for (const auto& [name, attempts] : kOverrides) {
    if (name == kind) return attempts;
  }
  return kDefaultMaxAttempts;
}

}  // namespace codezero::queue
