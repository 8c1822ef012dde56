#include "stripe_fake/params.h"

#include <charconv>

#include <boost/json/array.hpp>

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

std::vector<std::string_view> SplitDots(std::string_view path) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto dot = path.find('.');
    parts.push_back(path.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    path.remove_prefix(dot + 1);
  }
}

bool IsInteger(std::string_view text, std::int64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

std::string ChoicesText(std::string_view choices) {
  std::vector<std::string_view> values;
  while (true) {
    const auto bar = choices.find('|');
    values.push_back(choices.substr(0, bar));
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += i + 1 == values.size() ? ", or " : ", ";
    text += values[i];
  }
  return text;
}

bool InChoices(std::string_view choices, std::string_view value) {
  while (true) {
    const auto bar = choices.find('|');
    if (choices.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) return false;
    choices.remove_prefix(bar + 1);
  }
}

Outcome<void> CheckLeaf(const json::value& value, const ParamSpec& spec,
                        const std::string& display) {
  const std::string field =
      display.substr(display.rfind('[') == std::string::npos ? 0 : display.rfind('[') + 1);
  switch (spec.kind) {
    case ParamKind::kMetadata:
      if (value.is_string() && value.as_string().empty()) return {};
      if (!value.is_object()) return tl::unexpected(InvalidParam(display, "Invalid object"));
      for (const auto& [key, item] : value.as_object()) {
        if (!item.is_string()) {
          return tl::unexpected(InvalidParam(display + "[" + std::string(key) + "]",
                                             "Invalid string: metadata values must be strings"));
        }
      }
      return {};
    case ParamKind::kUnset:
      if (value.is_string() && value.as_string().empty()) return {};
      return tl::unexpected(InvalidParam(display, "Invalid object"));
    case ParamKind::kStringList:
      if (value.is_string() && value.as_string().empty()) return {};
      if (!value.is_array()) return tl::unexpected(InvalidParam(display, "Invalid array"));
      for (const json::value& item : value.as_array()) {
        if (!item.is_string()) return tl::unexpected(InvalidParam(display, "Invalid array"));
      }
      return {};
    default:
      break;
  }
  if (!value.is_string()) {
    return tl::unexpected(InvalidParam(display, "Invalid string: {...}"));
  }
  const std::string_view text = value.as_string();
  std::int64_t number = 0;
  switch (spec.kind) {
    case ParamKind::kInteger:
      if (!IsInteger(text, number)) return tl::unexpected(InvalidInteger(display, text));
      return {};
    case ParamKind::kBoolean:
      if (text != "true" && text != "false") {
        return tl::unexpected(InvalidParam(display, "Invalid boolean: " + std::string(text)));
      }
      return {};
    case ParamKind::kEnum:
      if (!InChoices(spec.choices, text)) {
        return tl::unexpected(InvalidParam(
            display,
            "Invalid " + std::string(field) + ": must be one of " + ChoicesText(spec.choices)));
      }
      return {};
    case ParamKind::kDecimal:
      if (!ParseBasisPoints(text)) {
        return tl::unexpected(
            InvalidParam(display, "Invalid decimal: " + std::string(text) +
                                      " (a non-negative number with at most two decimal places)"));
      }
      return {};
    default:
      return {};
  }
}

// Walks `value` at `pattern` (dotted, `*` for indices); `display` is Stripe's bracket name.
Outcome<void> Walk(const json::value& value, const std::string& pattern, const std::string& display,
                   std::span<const ParamSpec> specs) {
  const ParamSpec* exact = nullptr;
  for (const ParamSpec& spec : specs) {
    if (spec.path == pattern) exact = &spec;
  }
  bool container = false;
  const std::string prefix = pattern + ".";
  for (const ParamSpec& spec : specs) {
    if (spec.path.starts_with(prefix)) container = true;
  }
  // `created=123` and `created[gt]=123` are both allowed: a scalar goes to the exact spec.
  if (exact != nullptr && (!container || value.is_string())) {
    return CheckLeaf(value, *exact, display);
  }
  if (!container) return tl::unexpected(ParameterUnknown(display));
  if (value.is_object()) {
    for (const auto& [key, child] : value.as_object()) {
      STRIPE_FAKE_CHECK(
          Walk(child, prefix + std::string(key), display + "[" + std::string(key) + "]", specs));
    }
    return {};
  }
  if (value.is_array()) {
    const json::array& array = value.as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      STRIPE_FAKE_CHECK(
          Walk(array[i], prefix + "*", display + "[" + std::to_string(i) + "]", specs));
    }
    return {};
  }
  // A scalar where an object is expected (`line_items=x`).
  return tl::unexpected(InvalidParam(display, "Invalid object"));
}

}  // namespace

Outcome<void> Validate(const json::object& params, std::span<const ParamSpec> specs) {
  static constexpr ParamSpec kExpand{"expand", ParamKind::kStringList};
  for (const auto& [key, value] : params) {
    const std::string name(key);
    if (name == "expand") {
      STRIPE_FAKE_CHECK(CheckLeaf(value, kExpand, name));
      continue;
    }
    STRIPE_FAKE_CHECK(Walk(value, name, name, specs));
  }
  return {};
}

const json::value* At(const json::value& root, std::string_view path) {
  const json::value* node = &root;
  for (std::string_view part : SplitDots(path)) {
    if (node->is_object()) {
      node = node->as_object().if_contains(part);
    } else if (node->is_array()) {
      std::int64_t index = 0;
      if (!IsInteger(part, index) || index < 0 ||
          static_cast<std::size_t>(index) >= node->as_array().size()) {
        return nullptr;
      }
      node = &node->as_array()[static_cast<std::size_t>(index)];
    } else {
      return nullptr;
    }
    if (node == nullptr) return nullptr;
  }
  return node;
}

const json::value* At(const json::object& root, std::string_view path) {
  const auto dot = path.find('.');
  const json::value* first = root.if_contains(path.substr(0, dot));
  if (first == nullptr || dot == std::string_view::npos) return first;
  return At(*first, path.substr(dot + 1));
}

std::optional<std::string> Str(const json::object& params, std::string_view path) {
  const json::value* value = At(params, path);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<std::int64_t> Int(const json::object& params, std::string_view path) {
  const std::optional<std::string> text = Str(params, path);
  std::int64_t value = 0;
  if (!text || !IsInteger(*text, value)) return std::nullopt;
  return value;
}

std::optional<bool> Bool(const json::object& params, std::string_view path) {
  const std::optional<std::string> text = Str(params, path);
  if (!text) return std::nullopt;
  return *text == "true";
}

std::vector<std::string> StrList(const json::object& params, std::string_view path) {
  std::vector<std::string> items;
  const json::value* value = At(params, path);
  if (value == nullptr || !value->is_array()) return items;
  for (const json::value& item : value->as_array()) {
    if (item.is_string()) items.emplace_back(item.as_string());
  }
  return items;
}

std::vector<const json::object*> Objects(const json::object& params, std::string_view path) {
  std::vector<const json::object*> items;
  const json::value* value = At(params, path);
  if (value == nullptr || !value->is_array()) return items;
  for (const json::value& item : value->as_array()) {
    if (item.is_object()) items.push_back(&item.as_object());
  }
  return items;
}

void ApplyMetadata(json::object& metadata, const json::value* param) {
  if (param == nullptr) return;
  if (param->is_string()) {
    if (param->as_string().empty()) metadata.clear();
    return;
  }
  if (!param->is_object()) return;
  for (const auto& [key, value] : param->as_object()) {
    if (!value.is_string()) continue;
    if (value.as_string().empty()) {
      metadata.erase(key);
    } else {
      metadata[key] = value;
    }
  }
}

std::optional<std::int64_t> ParseBasisPoints(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9) return std::nullopt;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  while (fraction.size() > 2 && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > 2) return std::nullopt;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : whole) value = value * 10 + (c - '0');
  value *= 100;
  if (!fraction.empty()) value += (fraction[0] - '0') * 10;
  if (fraction.size() > 1) value += fraction[1] - '0';
  return value;
}

json::value PercentValue(std::int64_t basis_points) {
  if (basis_points % 100 == 0) return basis_points / 100;
  return static_cast<double>(basis_points) / 100.0;
}

std::string DisplayName(std::string_view dotted) {
  const std::vector<std::string_view> parts = SplitDots(dotted);
  std::string name(parts.front());
  for (std::size_t i = 1; i < parts.size(); ++i) {
    name += '[';
    name += parts[i];
    name += ']';
  }
  return name;
}

}  // namespace codezero::stripe_fake
