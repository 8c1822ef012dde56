#include "worker/registry.h"

#include <stdexcept>

namespace codezero::worker {

void Registry::Add(std::string kind, KindOptions options, JobHandler handler) {
  if (entries_.contains(kind)) throw std::invalid_argument("job kind registered twice: " + kind);
  entries_.emplace(std::move(kind), Entry{options, std::move(handler)});
}

void Registry::Add(const queue::JobKind& kind, JobHandler handler) {
  Add(std::string(kind.name), KindOptions{.timeout = kind.timeout}, std::move(handler));
}

std::vector<std::string> Registry::MissingKinds() const {
  std::vector<std::string> missing;
  for (const queue::JobKind* kind : queue::kAllKinds) {
    if (!entries_.contains(kind->name)) missing.emplace_back(kind->name);
  }
  return missing;
}

const Registry::Entry* Registry::Find(const std::string& kind) const {
  const auto found = entries_.find(kind);
  return found == entries_.end() ? nullptr : &found->second;
}

}  // namespace codezero::worker
