// The platform's HTTP stack for bench/http: http::Server, Pipeline and Router exactly as the
// API composes them (request id, security headers, Date, problem+json, access log), serving
// the API's liveness route and a JSON echo route that parses and re-serialises the body.
//
//   bench_http_routed PORT [THREADS]
// Logs go to stderr at info (one access-log line per request), as in production.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include <boost/asio/signal_set.hpp>

#include "api/routes/health.h"
#include "common/event_loops.h"
#include "http/json_body.h"
#include "http/server.h"

namespace asio = boost::asio;
using namespace codezero;

asio::awaitable<Result<http::Response>> Echo(http::Request& request, http::RequestContext&) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  co_return http::JsonResponse(http::Status::ok, *body, request.version());
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_http_routed PORT [THREADS]\n";
    return 2;
  }
  http::ServerOptions options;
  options.port = static_cast<std::uint16_t>(std::atoi(argv[1]));
  options.threads = argc > 2 ? static_cast<std::size_t>(std::max(1, std::atoi(argv[2]))) : 1;
  options.shutdown_grace = std::chrono::milliseconds(1000);

  EventLoops loops(options.threads);
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines;
  for (std::size_t i = 0; i < loops.size(); ++i) {
    auto router = std::make_shared<http::Router>();
    api::AddLivenessRoute(*router);
    router->Post("/echo", Echo);
    pipelines.push_back(std::make_shared<http::Pipeline>(router, http::SecurityHeaders::ForApi()));
  }
  http::Server server(loops, options, pipelines);
  server.Start();
  asio::signal_set signals(loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { server.Shutdown([&](bool) { loops.ReleaseWork(); }); });
  loops.Run();
  return 0;
}
