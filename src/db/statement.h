// SQL is written as named constants with $n placeholders, never built from strings:
//
//   constexpr db::Statement kFindOrder{"find_order", "SELECT ... FROM orders WHERE id = $1"};
//
// Each connection prepares a statement the first time it runs it and reuses the prepared
// plan afterwards. Parameters travel separately from the SQL (text format), so no value is
// ever interpreted as SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codezero::db {

struct Statement {
  std::string_view name;  // for logs; the prepared name is per connection
  std::string_view sql;
};

// One parameter value in PostgreSQL's text format, or SQL NULL.
class Param {
 public:
  Param(std::nullptr_t) {}
  Param(std::nullopt_t) {}
  Param(std::string value) : text_(std::move(value)) {}
  Param(std::string_view value) : text_(std::string(value)) {}
  Param(const char* value) : text_(std::string(value)) {}
  Param(bool value) : text_(value ? "true" : "false") {}
  Param(int value) : text_(std::to_string(value)) {}
  Param(long value) : text_(std::to_string(value)) {}
  Param(long long value) : text_(std::to_string(value)) {}
  Param(unsigned value) : text_(std::to_string(value)) {}
  Param(unsigned long value) : text_(std::to_string(value)) {}
  // The shortest text that reads back as the same double (std::to_chars), never a locale's.
  Param(double value);
  template <class T>
  Param(const std::optional<T>& value) {
    if (value) *this = Param(*value);
  }

  [[nodiscard]] bool is_null() const { return !text_.has_value(); }
  [[nodiscard]] const char* data() const { return text_ ? text_->c_str() : nullptr; }
  [[nodiscard]] int length() const { return text_ ? static_cast<int>(text_->size()) : 0; }

 private:
  std::optional<std::string> text_;
};

// Builds the parameter list of a statement. (A variadic function rather than a braced list:
// g++ 12 miscompiles braced lists inside co_await expressions.)
template <class... Args>
[[nodiscard]] std::vector<Param> MakeParams(Args&&... args) {
  std::vector<Param> params;
  params.reserve(sizeof...(Args));
  (params.emplace_back(std::forward<Args>(args)), ...);
  return params;
}

}  // namespace codezero::db
