#include "support/http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include "support/contract_recorder.h"

namespace codezero::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

HttpConnection::HttpConnection(std::uint16_t port) : port_(port), socket_(context_) {
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

http::Response HttpConnection::Send(http::Request request) {
  request.prepare_payload();
  beast::http::write(socket_, request);
  auto response = Receive(request.method() == http::Verb::head);
  if (!response) throw std::runtime_error("the server closed the connection without answering");
  RecordApiResponse(port_, request, *response);
  return std::move(*response);
}

void HttpConnection::SendRaw(const std::string& bytes) {
  asio::write(socket_, asio::buffer(bytes));
}

std::optional<http::Response> HttpConnection::Receive(bool head) {
  beast::http::response_parser<beast::http::string_body> parser;
  parser.skip(head);
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code ec;
  beast::http::read(socket_, buffer_, parser, ec);
  if (ec) return std::nullopt;
  return parser.release();
}

bool HttpConnection::ClosedByPeer(std::chrono::milliseconds wait) {
  pollfd descriptor{socket_.native_handle(), POLLIN, 0};
  if (::poll(&descriptor, 1, static_cast<int>(wait.count())) <= 0) return false;  // still open
  char byte;
  const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

http::Request MakeRequest(http::Verb method, const std::string& target, const std::string& body,
                          const std::string& content_type) {
  http::Request request(method, target, 11);
  request.set(http::Field::host, "127.0.0.1");
  if (!body.empty()) {
    request.set(http::Field::content_type, content_type);
    request.body() = body;
  }
  request.prepare_payload();
  return request;
}

http::Response Fetch(std::uint16_t port, http::Request request) {
  HttpConnection connection(port);
  return connection.Send(std::move(request));
}

http::Response Get(std::uint16_t port, const std::string& target) {
  return Fetch(port, MakeRequest(http::Verb::get, target));
}

boost::json::value JsonOf(const http::Response& response) {
  return boost::json::parse(response.body());
}

bool ConnectionRefused(std::uint16_t port) {
  asio::io_context context;
  tcp::socket socket(context);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  return ec == asio::error::connection_refused;
}

}  // namespace codezero::testing
