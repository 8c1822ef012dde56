// Reads typed fields out of a JSON request body and collects every problem as a FieldError,
// so a client learns about all of its mistakes in one 422 response instead of one at a time:
//
//   JsonFields fields(body);
//   auto name = fields.String("name", {.max_length = 200});
//   auto seats = fields.Integer("seats", {.min = 1, .max = 500});
//   JsonFields address = fields.Object("address");
//   auto city = address.String("city");          // errors name it "address.city"
//   fields.RejectUnknown();                       // typos are errors, not silently ignored
//   if (auto ok = fields.Finish(); !ok) return ok.error();
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/error.h"

namespace codezero {

struct StringRule {
  bool required = true;
  std::size_t min_length = 0;     // in Unicode code points
  std::size_t max_length = 1000;  // in Unicode code points
};

struct IntegerRule {
  bool required = true;
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

class JsonFields {
 public:
  // A value that is not an object is itself an error (reported on Finish()).
  // REQUIRES: `value` outlives this reader and every reader made from it.
  explicit JsonFields(const boost::json::value& value);

  [[nodiscard]] std::optional<std::string> String(std::string_view name, StringRule rule = {});
  [[nodiscard]] std::optional<std::int64_t> Integer(std::string_view name, IntegerRule rule = {});
  [[nodiscard]] std::optional<bool> Boolean(std::string_view name, bool required = true);
  // A nested object's reader; its errors are reported through this one's Finish().
  [[nodiscard]] JsonFields Object(std::string_view name, bool required = true);
  // A reader for `value` (an element of an array, say) whose errors are reported, as
  // "<path>.<field>", through this one's Finish(). REQUIRES: `value` outlives the reader.
  [[nodiscard]] JsonFields Nested(const boost::json::value& value, std::string path);
  // The elements of an array field (empty, with an error when required, if absent or not an
  // array). `max_size` bounds what a client may send.
  [[nodiscard]] const boost::json::array* Array(std::string_view name, bool required = true,
                                                std::size_t max_size = 100);
  // The raw value, or null when absent (marks the field as known).
  [[nodiscard]] const boost::json::value* Raw(std::string_view name);

  // Every member not read so far becomes an "unknown_field" error.
  void RejectUnknown();
  void AddError(std::string code, std::string_view name, std::string message);

  [[nodiscard]] bool ok() const { return errors_->empty(); }
  // kValidationFailed listing every field error, or success.
  [[nodiscard]] Result<void> Finish(
      std::string message = "Some fields are missing or invalid.") const;

 private:
  JsonFields(const boost::json::object* object, std::string prefix,
             std::shared_ptr<std::vector<FieldError>> errors);
  std::string PathOf(std::string_view name) const;
  const boost::json::value* Find(std::string_view name);

  const boost::json::object* object_ = nullptr;
  std::string prefix_;
  std::vector<std::string_view> read_;  // REQUIRES: field names outlive the reader (literals)
  std::shared_ptr<std::vector<FieldError>> errors_;
};

}  // namespace codezero
