// A small blocking HTTP/1.1 client for tests, on real loopback sockets.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/json/value.hpp>

#include "http/message.h"

namespace codezero::testing {

// One connection; requests on it are kept alive until the server closes it.
class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port);

  http::Response Send(http::Request request);
  // Writes raw bytes (for malformed requests).
  void SendRaw(const std::string& bytes);
  // Reads one response; nullopt when the server closed the connection instead. A response to
  // HEAD has no body whatever its Content-Length says.
  std::optional<http::Response> Receive(bool head = false);
  // True when the server has closed the connection (a read returns end of stream).
  bool ClosedByPeer(std::chrono::milliseconds wait = std::chrono::milliseconds(2000));

 private:
  std::uint16_t port_;
  boost::asio::io_context context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

http::Request MakeRequest(http::Verb method, const std::string& target,
                          const std::string& body = "",
                          const std::string& content_type = "application/json");

// One request on a new connection.
http::Response Fetch(std::uint16_t port, http::Request request);
http::Response Get(std::uint16_t port, const std::string& target);

boost::json::value JsonOf(const http::Response& response);

// True when nothing accepts connections on the port.
bool ConnectionRefused(std::uint16_t port);

}  // namespace codezero::testing
