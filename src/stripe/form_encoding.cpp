#include "stripe/form_encoding.h"

#include <charconv>
#include <map>
#include <memory>
#include <optional>

#include <boost/json/array.hpp>

namespace codezero::stripe {
namespace {

constexpr long kMaxIndex = 10'000;

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendEncoded(std::string& out, std::string_view text, bool keep_brackets) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (IsUnreserved(c) || (keep_brackets && (c == '[' || c == ']'))) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One parameter's key split at its brackets: "a[b][0][]" -> {"a", "b", "0", ""}.
Result<std::vector<std::string>> SplitKey(std::string_view key) {
  std::vector<std::string> segments;
  const auto open = key.find('[');
  segments.emplace_back(key.substr(0, open));
  if (segments.front().empty()) return Fail(ErrorCode::kBadRequest, "a parameter has no name");
  if (open == std::string_view::npos) return segments;
  std::size_t at = open;
  while (at < key.size()) {
    if (key[at] != '[') return Fail(ErrorCode::kBadRequest, "unbalanced brackets in a parameter");
    const auto close = key.find(']', at);
    if (close == std::string_view::npos) {
      return Fail(ErrorCode::kBadRequest, "unbalanced brackets in a parameter");
    }
    segments.emplace_back(key.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return segments;
}

std::optional<long> IndexOf(std::string_view segment) {
  long index = 0;
  const auto [end, error] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  if (error != std::errc() || end != segment.data() + segment.size() || index < 0) {
    return std::nullopt;
  }
  return index;
}

// The decoded parameters as a tree; arrays are kept by index until the end, because a form may
// list them in any order.
struct Node {
  enum class Kind { kUnset, kLeaf, kObject, kArray } kind = Kind::kUnset;
  std::string value;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> members;
  std::map<long, std::unique_ptr<Node>> elements;

  Node* Member(const std::string& name) {
    for (auto& [key, child] : members) {
      if (key == name) return child.get();
    }
    members.emplace_back(name, std::make_unique<Node>());
    return members.back().second.get();
  }

  boost::json::value ToJson() const {
    switch (kind) {
      case Kind::kUnset:
      case Kind::kLeaf:
        return boost::json::string(value);
      case Kind::kObject: {
        boost::json::object object;
        for (const auto& [key, child] : members) object[key] = child->ToJson();
        return object;
      }
      case Kind::kArray: {
        boost::json::array array;
        for (const auto& [index, child] : elements) array.push_back(child->ToJson());
        return array;
      }
    }
    return nullptr;
  }
};

Result<void> Insert(Node& root, const std::vector<std::string>& segments, std::string value) {
  Node* node = &root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const bool first = i == 0;
    Node* child = nullptr;
    if (!first && (segment.empty() || IndexOf(segment))) {
      if (node->kind == Node::Kind::kUnset) node->kind = Node::Kind::kArray;
      if (node->kind != Node::Kind::kArray) {
        return Fail(ErrorCode::kBadRequest, "a parameter is used both as an object and a list");
      }
      long index = 0;
      if (segment.empty()) {
        index = node->elements.empty() ? 0 : node->elements.rbegin()->first + 1;
      } else {
        index = *IndexOf(segment);
      }
      if (index > kMaxIndex) return Fail(ErrorCode::kBadRequest, "a list index is too large");
      auto& slot = node->elements[index];
      if (!slot) slot = std::make_unique<Node>();
      child = slot.get();
    } else {
      if (node->kind == Node::Kind::kUnset) node->kind = Node::Kind::kObject;
      if (node->kind != Node::Kind::kObject) {
        return Fail(ErrorCode::kBadRequest, "a parameter is used both as a value and a container");
      }
      child = node->Member(segment);
    }
    node = child;
  }
  if (node->kind != Node::Kind::kUnset && node->kind != Node::Kind::kLeaf) {
    return Fail(ErrorCode::kBadRequest, "a parameter is used both as a value and a container");
  }
  node->kind = Node::Kind::kLeaf;
  node->value = std::move(value);
  return {};
}

}  // namespace

std::string FormEncode(const FormFields& fields) {
  std::string out;
  out.reserve(fields.size() * 32);
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back('&');
    AppendEncoded(out, key, /*keep_brackets=*/true);
    out.push_back('=');
    AppendEncoded(out, value, /*keep_brackets=*/false);
  }
  return out;
}

Result<std::string> FormDecodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return Fail(ErrorCode::kBadRequest, "broken percent-encoding in the request body");
      }
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) {
        return Fail(ErrorCode::kBadRequest, "broken percent-encoding in the request body");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<boost::json::object> DecodeForm(std::string_view body) {
  Node root;
  root.kind = Node::Kind::kObject;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto key = FormDecodeComponent(pair.substr(0, equals));
    if (!key) return tl::unexpected(key.error());
    auto value = FormDecodeComponent(equals == std::string_view::npos ? std::string_view()
                                                                      : pair.substr(equals + 1));
    if (!value) return tl::unexpected(value.error());
    auto segments = SplitKey(*key);
    if (!segments) return tl::unexpected(segments.error());
    if (auto inserted = Insert(root, *segments, std::move(*value)); !inserted) {
      return tl::unexpected(inserted.error());
    }
  }
  return std::move(root.ToJson().as_object());
}

}  // namespace codezero::stripe
