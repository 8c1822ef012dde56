#include "queue/kinds.h"

namespace codezero::queue {

const JobKind* FindKind(std::string_view name) {
  for (const JobKind* kind : kAllKinds) {
    if (kind->name == name) return kind;
  }
  return nullptr;
}

int MaxAttemptsOf(std::string_view name) {
  const JobKind* kind = FindKind(name);
  return kind != nullptr ? kind->max_attempts : kDefaultMaxAttempts;
}

}  // namespace codezero::queue
