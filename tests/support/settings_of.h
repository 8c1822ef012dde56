// Settings for a test: a SettingsReader that reads `values` instead of the environment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/settings.h"

namespace codezero::test {

[[nodiscard]] inline SettingsReader SettingsOf(std::map<std::string, std::string> values) {
  return SettingsReader([values = std::move(values)](std::string_view name) {
    const auto found = values.find(std::string(name));
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  });
}

}  // namespace codezero::test
