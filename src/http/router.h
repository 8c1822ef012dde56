// Maps a method and a path to a handler. Patterns are literal segments and `{name}`
// parameters: `/v1/orders/{id}`. Literal segments win over parameters at the same position
// (`/v1/orders/export` before `/v1/orders/{id}`). A path that matches no pattern is 404; a path
// that matches with another method is 405 with the methods that would work in `Allow`. HEAD is
// answered by the GET handler when no HEAD route exists. Built once at start, then read-only.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace codezero::http {

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument for a malformed pattern or a route registered twice: both
  // are programming errors found at start.
  void Add(Verb method, std::string_view pattern, Handler handler);
  void Get(std::string_view pattern, Handler handler) {
    Add(Verb::get, pattern, std::move(handler));
  }
  void Post(std::string_view pattern, Handler handler) {
    Add(Verb::post, pattern, std::move(handler));
  }
  void Put(std::string_view pattern, Handler handler) {
    Add(Verb::put, pattern, std::move(handler));
  }
  void Patch(std::string_view pattern, Handler handler) {
    Add(Verb::patch, pattern, std::move(handler));
  }
  void Delete(std::string_view pattern, Handler handler) {
    Add(Verb::delete_, pattern, std::move(handler));
  }

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    bool path_exists = false;          // true with a null handler: 405
    std::string allow;                 // for 405: "GET, HEAD, POST"
  };

  // Fills `params` with the matched parameters (percent-decoded). A segment that is not valid
  // percent-encoding matches nothing.
  [[nodiscard]] Match Find(Verb method, std::string_view path,
                           std::vector<PathParam>& params) const;

 private:
  struct Node;
  // Depth-first: literals first, then the parameter; returns the node whose pattern matches
  // every segment from `index` on, collecting parameters on the way.
  static const Node* Descend(const Node* node, const std::vector<std::string_view>& segments,
                             std::size_t index, std::vector<PathParam>& params);

  std::unique_ptr<Node> root_;
};

// Decodes %XX escapes; false when an escape is malformed. '+' is left as is (paths, not forms).
[[nodiscard]] bool PercentDecode(std::string_view in, std::string& out);

}  // namespace codezero::http
