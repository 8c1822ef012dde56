#include "http/router.h"

#include <stdexcept>

namespace codezero::http {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> parameter;
  std::string parameter_name;
  std::vector<std::unique_ptr<RouteEntry>> handlers;

  Node* Literal(std::string_view segment) const {
    for (const auto& [text, child] : literals) {
      if (text == segment) return child.get();
    }
    return nullptr;
  }
  const RouteEntry* RouteFor(Verb method) const {
    for (const auto& route : handlers) {
      if (route->method == method) return route.get();
    }
    return nullptr;
  }
};

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits "/a/b/c" into {"a","b","c"}; "/" gives {""}. REQUIRES: path starts with '/'.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool PercentDecode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int high = HexValue(in[i + 1]);
    const int low = HexValue(in[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Verb method, std::string_view pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  Node* node = root_.get();
  for (std::string_view segment : Segments(pattern)) {
    if (IsParameter(segment)) {
      const std::string_view name = segment.substr(1, segment.size() - 2);
      if (!node->parameter) {
        node->parameter = std::make_unique<Node>();
        node->parameter_name = std::string(name);
      } else if (node->parameter_name != name) {
        throw std::invalid_argument("route " + std::string(pattern) + " names parameter {" +
                                    std::string(name) + "} where another route has {" +
                                    node->parameter_name + "}");
      }
      node = node->parameter.get();
      continue;
    }
    if (segment.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("malformed route segment in " + std::string(pattern));
    }
    Node* child = node->Literal(segment);
    if (child == nullptr) {
      node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
      child = node->literals.back().second.get();
    }
    node = child;
  }
  if (node->RouteFor(method) != nullptr) {
    throw std::invalid_argument(
        "route registered twice: " + std::string(boost::beast::http::to_string(method)) + " " +
        std::string(pattern));
  }
  node->handlers.push_back(std::make_unique<RouteEntry>(
      RouteEntry{method, std::string(pattern), std::move(options), std::move(handler)}));
  routes_.push_back(node->handlers.back().get());
}

std::vector<const RouteEntry*> Router::Routes() const { return routes_; }

const Router::Node* Router::Descend(const Node* node, const std::vector<std::string_view>& segments,
                                    std::size_t index, std::vector<PathParam>& params) {
  if (index == segments.size()) return node->handlers.empty() ? nullptr : node;
  std::string decoded;
  if (!PercentDecode(segments[index], decoded)) return nullptr;
  if (const Node* child = node->Literal(decoded)) {
    if (const Node* found = Descend(child, segments, index + 1, params)) return found;
  }
  if (node->parameter && !decoded.empty()) {
    params.push_back(PathParam{node->parameter_name, std::move(decoded)});
    if (const Node* found = Descend(node->parameter.get(), segments, index + 1, params)) {
      return found;
    }
    params.pop_back();
  }
  return nullptr;
}

Router::Match Router::Find(Verb method, std::string_view path,
                           std::vector<PathParam>& params) const {
  params.clear();
  Match match;
  if (path.empty() || path.front() != '/') return match;
  const Node* node = Descend(root_.get(), Segments(path), 0, params);
  if (node == nullptr) {
    params.clear();
    return match;
  }
  match.path_exists = true;
  match.route = node->RouteFor(method);
  if (match.route == nullptr && method == Verb::head) match.route = node->RouteFor(Verb::get);
  if (match.route != nullptr) {
    match.handler = &match.route->handler;
    return match;
  }

  params.clear();
  bool has_get = false;
  bool has_head = false;
  for (const auto& route : node->handlers) {
    has_get = has_get || route->method == Verb::get;
    has_head = has_head || route->method == Verb::head;
  }
  for (const auto& route : node->handlers) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += boost::beast::http::to_string(route->method);
    if (route->method == Verb::get && !has_head) match.allow += ", HEAD";
  }
  return match;
}

}  // namespace codezero::http
