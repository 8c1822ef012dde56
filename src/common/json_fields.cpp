#include "common/json_fields.h"

#include <algorithm>

namespace codezero {
namespace {

std::size_t CodePoints(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

JsonFields::JsonFields(const boost::json::value& value)
    : object_(value.if_object()), errors_(std::make_shared<std::vector<FieldError>>()) {
  if (object_ == nullptr) {
    errors_->push_back({"not_an_object", "", "The request body must be a JSON object."});
  }
}

JsonFields::JsonFields(const boost::json::object* object, std::string prefix,
                       std::shared_ptr<std::vector<FieldError>> errors)
    : object_(object), prefix_(std::move(prefix)), errors_(std::move(errors)) {}

std::string JsonFields::PathOf(std::string_view name) const {
  return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name);
}

const boost::json::value* JsonFields::Find(std::string_view name) {
  read_.emplace_back(name);
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(name);
  if (it == object_->end() || it->value().is_null()) return nullptr;
  return &it->value();
}

const boost::json::value* JsonFields::Raw(std::string_view name) { return Find(name); }

void JsonFields::AddError(std::string code, std::string_view name, std::string message) {
  errors_->push_back({std::move(code), PathOf(name), std::move(message)});
}

std::optional<std::string> JsonFields::String(std::string_view name, StringRule rule) {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    if (rule.required && object_ != nullptr) AddError("required", name, "This field is required.");
    return std::nullopt;
  }
  if (!value->is_string()) {
    AddError("invalid_type", name, "Must be a string.");
    return std::nullopt;
  }
  std::string text(value->get_string());
  const std::size_t length = CodePoints(text);
  if (length < rule.min_length) {
    AddError(rule.min_length == 1 ? "required" : "too_short", name,
             rule.min_length == 1
                 ? "This field must not be empty."
                 : "Must be at least " + std::to_string(rule.min_length) + " characters long.");
    return std::nullopt;
  }
  if (length > rule.max_length) {
    AddError("too_long", name,
             "Must be at most " + std::to_string(rule.max_length) + " characters long.");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> JsonFields::Integer(std::string_view name, IntegerRule rule) {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    if (rule.required && object_ != nullptr) AddError("required", name, "This field is required.");
    return std::nullopt;
  }
  std::int64_t number = 0;
  if (value->is_int64()) {
    number = value->get_int64();
  } else if (value->is_uint64() &&
             value->get_uint64() <=
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    number = static_cast<std::int64_t>(value->get_uint64());
  } else {
    AddError("invalid_type", name, "Must be a whole number.");
    return std::nullopt;
  }
  if (number < rule.min || number > rule.max) {
    AddError(
        "out_of_range", name,
        "Must be between " + std::to_string(rule.min) + " and " + std::to_string(rule.max) + ".");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonFields::Boolean(std::string_view name, bool required) {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    if (required && object_ != nullptr) AddError("required", name, "This field is required.");
    return std::nullopt;
  }
  if (!value->is_bool()) {
    AddError("invalid_type", name, "Must be true or false.");
    return std::nullopt;
  }
  return value->get_bool();
}

JsonFields JsonFields::Object(std::string_view name, bool required) {
  const boost::json::value* value = Find(name);
  const boost::json::object* nested = nullptr;
  if (value == nullptr) {
    if (required && object_ != nullptr) AddError("required", name, "This field is required.");
  } else if (!value->is_object()) {
    AddError("invalid_type", name, "Must be an object.");
  } else {
    nested = &value->get_object();
  }
  return JsonFields(nested, PathOf(name), errors_);
}

JsonFields JsonFields::Nested(const boost::json::value& value, std::string path) {
  const std::string full = PathOf(path);
  const boost::json::object* object = value.if_object();
  if (object == nullptr) errors_->push_back({"invalid_type", full, "Must be an object."});
  return JsonFields(object, full, errors_);
}

const boost::json::array* JsonFields::Array(std::string_view name, bool required,
                                            std::size_t max_size) {
  const boost::json::value* value = Find(name);
  if (value == nullptr) {
    if (required && object_ != nullptr) AddError("required", name, "This field is required.");
    return nullptr;
  }
  if (!value->is_array()) {
    AddError("invalid_type", name, "Must be an array.");
    return nullptr;
  }
  if (value->get_array().size() > max_size) {
    AddError("too_long", name, "At most " + std::to_string(max_size) + " entries.");
    return nullptr;
  }
  return &value->get_array();
}

void JsonFields::RejectUnknown() {
  if (object_ == nullptr) return;
  for (const auto& member : *object_) {
    if (std::find(read_.begin(), read_.end(), member.key()) == read_.end()) {
      AddError("unknown_field", member.key(), "This field is not part of the request.");
    }
  }
}

Result<void> JsonFields::Finish(std::string message) const {
  if (errors_->empty()) return {};
  Error error{ErrorCode::kValidationFailed, std::move(message), {}, *errors_};
  return tl::unexpected(std::move(error));
}

}  // namespace codezero
