// What every serving command (`api`, `web`, `stripe-fake`) does around its own parts: listen
// (and serve its metrics), say so, run the event loops until SIGINT or SIGTERM, drain the server
// (its shutdown grace), stop the background work, and return the exit code.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "common/event_loops.h"
#include "common/log.h"
#include "http/server.h"
#include "http/server_options.h"

namespace codezero::cli {

struct ServeHooks {
  // After the server listens, on this thread: start background work, log what is where.
  std::function<void(std::uint16_t port)> started;
  // After the server has drained, on loop 0: stop the background work so the loops can end.
  std::function<void()> close;
};

// Serves /metrics on `metrics_options` as well (metrics_listener.h), with the process metrics
// of `name`. kExitOk after a signal, kExitFailure when an address cannot be bound.
[[nodiscard]] int Serve(std::string_view name, EventLoops& loops, http::Server& server,
                        const http::ServerOptions& options,
                        const http::ServerOptions& metrics_options, ServeHooks hooks);

}  // namespace codezero::cli
