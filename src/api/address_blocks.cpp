#include "api/address_blocks.h"

#include <algorithm>

namespace codezero::api {

std::chrono::milliseconds AddressBlocks::RemainingFor(const std::string& address,
                                                      Clock::time_point now) {
  const auto found = until_.find(address);
  if (found == until_.end()) return std::chrono::milliseconds(0);
  if (found->second <= now) {
    until_.erase(found);
    return std::chrono::milliseconds(0);
  }
  return std::chrono::ceil<std::chrono::milliseconds>(found->second - now);
}

void AddressBlocks::Block(const std::string& address, Clock::time_point until) {
  if (until_.size() >= capacity_ && !until_.contains(address)) {
    const Clock::time_point now = Clock::now();
    std::erase_if(until_, [now](const auto& entry) { return entry.second <= now; });
    if (until_.size() >= capacity_) until_.clear();
  }
  auto& stored = until_[address];
  stored = std::max(stored, until);
}

}  // namespace codezero::api
