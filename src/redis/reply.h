// A Redis reply, copied out of hiredis's reply tree into plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace codezero::redis {

struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };
  Type type = Type::kNil;
  std::int64_t integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<Reply> elements;

  [[nodiscard]] bool is_nil() const { return type == Type::kNil; }
};

}  // namespace codezero::redis
