#include "db/statement.h"

#include <charconv>

namespace codezero::db {

Param::Param(double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_ = error == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

}  // namespace codezero::db
