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

// What a route declares besides its handler. The API fills these from its route policy
// (api/route_table.h); the web frontend and the stand-in take the defaults.
struct RouteOptions {
  // The largest body the route accepts, checked against Content-Length before the body is
  // read; 0: the server's limit (API_MAX_BODY_BYTES and alike). Never above the server's.
  std::size_t body_limit = 0;
  // A stable name for logs, metrics and the API document (the OpenAPI operationId); empty
  // for routes that have none.
  std::string name;
};

// A registered route, as Router::Routes lists it.
struct RouteEntry {
  Verb method = Verb::unknown;
  std::string pattern;  // "/v1/orders/{id}"
  RouteOptions options;
  Handler handler;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument for a malformed pattern or a route registered twice: both
  // are programming errors found at start.
  void Add(Verb method, std::string_view pattern, Handler handler, RouteOptions options = {});
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
    const RouteEntry* route = nullptr;  // null: no route for this method
    const Handler* handler = nullptr;   // &route->handler
    bool path_exists = false;           // true with a null handler: 405
    std::string allow;                  // for 405: "GET, HEAD, POST"
  };

  // Fills `params` with the matched parameters (percent-decoded). A segment that is not valid
  // percent-encoding matches nothing.
  [[nodiscard]] Match Find(Verb method, std::string_view path,
                           std::vector<PathParam>& params) const;

  // Every route, in the order registered.
  [[nodiscard]] std::vector<const RouteEntry*> Routes() const;

 private:
  struct Node;
  // Depth-first: literals first, then the parameter; returns the node whose pattern matches
  // every segment from `index` on, collecting parameters on the way.
  static const Node* Descend(const Node* node, const std::vector<std::string_view>& segments,
                             std::size_t index, std::vector<PathParam>& params);

  std::unique_ptr<Node> root_;
  std::vector<const RouteEntry*> routes_;
};

// Decodes %XX escapes; false when an escape is malformed. '+' is left as is (paths, not forms).
[[nodiscard]] bool PercentDecode(std::string_view in, std::string& out);

}  // namespace codezero::http
