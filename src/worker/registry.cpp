#include "worker/registry.h"

#include <stdexcept>

namespace codezero::worker {

void Registry::Add(std::string kind, KindOptions options, JobHandler handler) {
  if (entries_.contains(kind)) throw std::invalid_argument("job kind registered twice: " + kind);
  entries_.emplace(std::move(kind), Entry{options, std::move(handler)});
}

const Registry::Entry* Registry::Find(const std::string& kind) const {
  const auto found = entries_.find(kind);
  return found == entries_.end() ? nullptr : &found->second;
}

}  // namespace codezero::worker
