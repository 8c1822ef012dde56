// The HTTP/1.1 server: one acceptor on loop 0 hands each connection to the next event loop in
// turn, where a coroutine serves it for its whole life (keep-alive, read and write timeouts,
// header and body limits, malformed requests answered 400 and closed).
//
// Shutdown is graceful: the listening socket closes at once (new connections are refused),
// idle connections close, requests in flight finish and are answered with
// `Connection: close`; whatever is still open when the grace period ends is closed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/event_loops.h"
#include "http/pipeline.h"
#include "http/server_options.h"

namespace codezero::http {

class Server {
 public:
  // REQUIRES: pipelines.size() == loops.size(); pipelines[i] serves the connections of
  // loops[i]. `loops` outlives the server; the server outlives loops.Run().
  Server(EventLoops& loops, ServerOptions options,
         std::vector<std::shared_ptr<const Pipeline>> pipelines);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Binds and listens. Throws boost::system::system_error (a std::runtime_error, not a
  // std::system_error) when the address cannot be bound.
  // Returns the bound port (useful with port 0).
  std::uint16_t Start();

  // Begins the graceful shutdown. `on_stopped(clean)` runs once on loop 0 when every
  // connection is closed; `clean` is false when some request outlived the grace period and
  // its connection was closed under it. Thread-safe; later calls do nothing.
  void Shutdown(std::function<void(bool clean)> on_stopped);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codezero::http
