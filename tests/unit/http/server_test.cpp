// The HTTP server on real loopback sockets: keep-alive, limits, malformed input, timeouts,
// errors from handlers, and the graceful shutdown.
#include "http/server.h"

#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/json_body.h"
#include "support/http_client.h"
#include "support/log_capture.h"
#include "support/server_harness.h"

namespace codezero::http {
namespace {

using testing::Fetch;
using testing::Get;
using testing::HttpConnection;
using testing::JsonOf;
using testing::MakeRequest;
using testing::ServerHarness;

boost::asio::awaitable<Result<Response>> Echo(Request& request, RequestContext&) {
  auto body = ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  co_return JsonResponse(Status::ok, *body);
}

boost::asio::awaitable<Result<Response>> Slow(Request&, RequestContext&) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  std::chrono::milliseconds(600));
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  co_return JsonResponse(Status::ok, boost::json::object{{"slow", true}});
}

void AddTestRoutes(Router& router, boost::asio::io_context&) {
  router.Post("/echo", Echo);
  router.Add(Verb::post, "/small", Echo, {.body_limit = 16, .name = "small"});
  router.Add(Verb::post, "/large", Echo, {.body_limit = 1 << 20, .name = "large"});
  router.Get("/slow", Slow);
  router.Get("/items/{id}",
             [](Request&, RequestContext& context) -> boost::asio::awaitable<Result<Response>> {
               co_return JsonResponse(Status::ok, boost::json::object{{"id", context.Param("id")}});
             });
  router.Get("/throws", [](Request&, RequestContext&) -> boost::asio::awaitable<Result<Response>> {
    throw std::runtime_error("bug in handler");
    co_return Response{};
  });
  // A handler that puts what it was given into a header, as a careless one might.
  router.Get("/header",
             [](Request& request, RequestContext&) -> boost::asio::awaitable<Result<Response>> {
               Response response(Status::ok, request.version());
               response.set("X-Echo", std::string(request["X-Given"]) + "\r\nSet-Cookie: a=b");
               response.set("X-Nul", std::string("one\0two", 7));
               co_return response;
             });
  router.Get("/invalid", [](Request&, RequestContext&) -> boost::asio::awaitable<Result<Response>> {
    co_return tl::unexpected(Error{ErrorCode::kValidationFailed,
                                   "Fix these.",
                                   "",
                                   {{"required", "name", "This field is required."}}});
  });
}

ServerOptions SmallLimits() {
  ServerOptions options;
  options.max_header_bytes = 2048;
  options.max_body_bytes = 1024;
  options.read_timeout = std::chrono::milliseconds(400);
  options.shutdown_grace = std::chrono::milliseconds(5000);
  return options;
}

TEST(HttpServer, AnswersAndKeepsTheConnectionAlive) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  for (int i = 0; i < 3; ++i) {
    const Response response = connection.Send(MakeRequest(Verb::post, "/echo", R"({"n":1})"));
    EXPECT_EQ(response.result(), Status::ok);
    EXPECT_EQ(response.body(), R"({"n":1})");
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(HttpServer, PassesPathParameters) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  EXPECT_EQ(JsonOf(Get(server.port(), "/items/ab%20c?x=1")).at("id"), "ab c");
}

TEST(HttpServer, EveryResponseCarriesARequestIdAndSecurityHeaders) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  Request request = MakeRequest(Verb::get, "/items/1");
  request.set("X-Request-Id", "support-ticket-42");
  const Response response = Fetch(server.port(), request);
  EXPECT_EQ(response["X-Request-Id"], "support-ticket-42");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(response[Field::cache_control], "no-store");
  EXPECT_FALSE(response[Field::date].empty());

  const Response generated = Get(server.port(), "/items/1");
  EXPECT_EQ(generated["X-Request-Id"].size(), 32u);
}

// A header value with CR, LF or NUL is never written: the answer becomes a 500 without it (no
// response splitting, whatever a handler does), and the connection stays usable.
TEST(HttpServer, RefusesToWriteAHeaderWithControlCharacters) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  Request request = MakeRequest(Verb::get, "/header");
  request.set("X-Given", "fine");
  const Response response = connection.Send(request);
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response.find("X-Echo"), response.end());
  EXPECT_EQ(response.find(Field::set_cookie), response.end());
  EXPECT_EQ(response[Field::content_type], "application/problem+json");
  EXPECT_EQ(connection.Send(MakeRequest(Verb::get, "/items/1")).result(), Status::ok);
}

TEST(HttpServer, UnknownPathIs404ProblemJson) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Get(server.port(), "/nothing/here");
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response[Field::content_type], "application/problem+json");
  const auto body = JsonOf(response);
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("instance"), "/nothing/here");
  EXPECT_EQ(std::string(body.at("request_id").as_string()), std::string(response["X-Request-Id"]));
}

TEST(HttpServer, WrongMethodIs405WithAllow) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Fetch(server.port(), MakeRequest(Verb::delete_, "/echo"));
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[Field::allow], "POST");
  EXPECT_EQ(JsonOf(response).at("status"), 405);
}

TEST(HttpServer, HeadGetsHeadersWithoutABody) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  const Response response = connection.Send(MakeRequest(Verb::head, "/items/abc"));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[Field::content_length], std::to_string(std::string(R"({"id":"abc"})").size()));
}

TEST(HttpServer, MalformedJsonIs400WithPosition) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Fetch(server.port(), MakeRequest(Verb::post, "/echo", "{\"a\":}"));
  EXPECT_EQ(response.result(), Status::bad_request);
  EXPECT_NE(std::string(JsonOf(response).at("detail").as_string()).find("line 1, column 6"),
            std::string::npos);
}

TEST(HttpServer, WrongContentTypeIs415) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Fetch(
      server.port(), MakeRequest(Verb::post, "/echo", "a=1", "application/x-www-form-urlencoded"));
  EXPECT_EQ(response.result(), Status::unsupported_media_type);
}

TEST(HttpServer, ValidationErrorsAre422WithFieldList) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Get(server.port(), "/invalid");
  EXPECT_EQ(response.result(), Status::unprocessable_entity);
  EXPECT_EQ(JsonOf(response).at("errors").at(0).at("field"), "name");
}

TEST(HttpServer, AThrowingHandlerIs500AndTheServerKeepsServing) {
  testing::LogCapture logs;
  ServerHarness server(AddTestRoutes, SmallLimits());
  const Response response = Get(server.port(), "/throws");
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response.body().find("bug in handler"), std::string::npos);
  EXPECT_NE(logs.text().find("bug in handler"), std::string::npos);
  EXPECT_EQ(Get(server.port(), "/items/1").result(), Status::ok);
}

TEST(HttpServer, TooLargeHeadersAre431AndTheConnectionCloses) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  Request request = MakeRequest(Verb::get, "/items/1");
  request.set("X-Padding", std::string(4096, 'a'));
  const Response response = connection.Send(request);
  EXPECT_EQ(response.result(), Status::request_header_fields_too_large);
  EXPECT_EQ(JsonOf(response).at("status"), 431);
  EXPECT_TRUE(connection.ClosedByPeer());
}

TEST(HttpServer, TooLargeBodyIs413) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  const Response response =
      connection.Send(MakeRequest(Verb::post, "/echo", "\"" + std::string(2000, 'x') + "\""));
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_TRUE(connection.ClosedByPeer());
}

// The route's limit is known once the header is read: a larger Content-Length is refused
// before any of the body is sent, let alone read.
TEST(HttpServer, ABodyOverTheRoutesLimitIsRefusedBeforeItIsRead) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  connection.SendRaw(
      "POST /small HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n");
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value()) << "the server waited for a body it should have refused";
  EXPECT_EQ(response->result(), Status::payload_too_large);
  EXPECT_TRUE(connection.ClosedByPeer());
}

// Usually the body comes with the header and is parsed from the buffer; one that follows later
// is read from the socket.
TEST(HttpServer, ABodyArrivingAfterItsHeaderIsReadToo) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  connection.SendRaw(
      "POST /small HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: 11\r\n\r\n{\"n\":");
  connection.SendRaw("12345}");
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::ok);
  EXPECT_EQ(response->body(), R"({"n":12345})");
}

// A client that writes its whole body before it reads, over the limit, still gets the 413: the
// server takes in the rest before it closes. (Closing with unread data would reset the
// connection, and the client's write of more than the socket buffers hold would fail.)
TEST(HttpServer, AClientStillSendingARefusedBodyReadsThe413) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  constexpr std::size_t kBody = 32 * 1024 * 1024;
  connection.SendRaw(
      "POST /small HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(kBody) + "\r\n\r\n" + std::string(kBody, ' '));
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value()) << "the connection was reset before the 413 was read";
  EXPECT_EQ(response->result(), Status::payload_too_large);
}

// `Expect: 100-continue`: the client holds its body back until the server says go on.
TEST(HttpServer, AnswersExpectContinueBeforeTheBodyIsSent) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  connection.SendRaw(
      "POST /small HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 11\r\n\r\n");
  const auto go_on = connection.Receive();
  ASSERT_TRUE(go_on.has_value());
  EXPECT_EQ(go_on->result(), Status::continue_);
  connection.SendRaw(R"({"n":12345})");
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::ok);
  EXPECT_EQ(response->body(), R"({"n":12345})");
}

TEST(HttpServer, AChunkedBodyOverTheRoutesLimitIs413) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  connection.SendRaw(
      "POST /small HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n14\r\n\"aaaaaaaaaaaaaaaaaa\"\r\n0\r\n\r\n");
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::payload_too_large);
}

TEST(HttpServer, ABodyWithinTheRoutesLimitIsServedAndTheServersLimitStillCaps) {
  ServerHarness server(AddTestRoutes, SmallLimits());  // the server takes 1024 bytes
  HttpConnection connection(server.port());
  EXPECT_EQ(connection.Send(MakeRequest(Verb::post, "/small", R"({"n":12345})")).result(),
            Status::ok);
  const Response capped =
      connection.Send(MakeRequest(Verb::post, "/large", "\"" + std::string(2000, 'x') + "\""));
  EXPECT_EQ(capped.result(), Status::payload_too_large);
}

TEST(HttpServer, MalformedHttpIs400AndTheConnectionCloses) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  connection.SendRaw("THIS IS NOT HTTP\r\n\r\n");
  const auto response = connection.Receive();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::bad_request);
  EXPECT_EQ((*response)[Field::content_type], "application/problem+json");
  EXPECT_TRUE(connection.ClosedByPeer());
}

TEST(HttpServer, AClientSendingHeadersTooSlowlyIsCutOff) {
  ServerHarness server(AddTestRoutes, SmallLimits());  // read timeout 400 ms
  HttpConnection connection(server.port());
  connection.SendRaw("GET /items/1 HTTP/1.1\r\nHost: x\r\n");  // never finishes the headers
  EXPECT_FALSE(connection.ClosedByPeer(std::chrono::milliseconds(100)));  // it waits a while,
  EXPECT_TRUE(connection.ClosedByPeer(std::chrono::milliseconds(5000)));  // then gives up
}

TEST(HttpServer, AnIdleKeptAliveConnectionIsClosedAfterTheReadTimeout) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection connection(server.port());
  EXPECT_EQ(connection.Send(MakeRequest(Verb::get, "/items/1")).result(), Status::ok);
  EXPECT_TRUE(connection.ClosedByPeer(std::chrono::milliseconds(5000)));
}

TEST(HttpServer, ServesManyConnectionsOnSeveralLoops) {
  ServerOptions options = SmallLimits();
  options.threads = 3;
  ServerHarness server(AddTestRoutes, options);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&] {
      HttpConnection connection(server.port());
      for (int i = 0; i < 20; ++i) {
        if (connection.Send(MakeRequest(Verb::post, "/echo", "[1]")).result() == Status::ok) ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), 120);
}

TEST(HttpServerShutdown, FinishesTheRequestInFlightAndRefusesNewConnections) {
  ServerHarness server(AddTestRoutes, SmallLimits());
  HttpConnection slow(server.port());
  slow.SendRaw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  HttpConnection idle(server.port());
  EXPECT_EQ(idle.Send(MakeRequest(Verb::get, "/items/1")).result(), Status::ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the slow request is running

  auto stopped = server.Shutdown();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(testing::ConnectionRefused(server.port()));
  EXPECT_TRUE(idle.ClosedByPeer());  // idle keep-alive connections close at once

  const auto response = slow.Receive();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::ok);
  EXPECT_EQ(JsonOf(*response).at("slow"), true);
  EXPECT_FALSE(response->keep_alive());
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_TRUE(stopped.get());  // clean: nothing had to be cut off
}

TEST(HttpServerShutdown, CutsOffRequestsThatOutliveTheGracePeriod) {
  ServerOptions options = SmallLimits();
  options.shutdown_grace = std::chrono::milliseconds(100);
  ServerHarness server(AddTestRoutes, options);
  HttpConnection slow(server.port());
  slow.SendRaw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto stopped = server.Shutdown();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_FALSE(stopped.get());
  EXPECT_FALSE(slow.Receive().has_value());
}

}  // namespace
}  // namespace codezero::http
