#include "http/client.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "common/no_throw.h"

namespace codezero::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

asio::ssl::context& TlsContext() {
  static asio::ssl::context context = [] {
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    return tls;
  }();
  return context;
}

Error Unreachable(const std::string& what, const boost::system::error_code& ec) {
  return Error{ec == beast::error::timeout ? ErrorCode::kTimeout : ErrorCode::kUnavailable,
               "an outside service is unavailable",
               what + ": " + ec.message(),
               {}};
}

template <class Stream>
asio::awaitable<Result<Response>> Exchange(Stream& stream, Request& message,
                                           std::size_t max_bytes) {
  auto [write_ec, written] = co_await beast::http::async_write(stream, message, kNoThrow);
  if (write_ec) co_return tl::unexpected(Unreachable("write", write_ec));
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(max_bytes);
  auto [read_ec, read] = co_await beast::http::async_read(stream, buffer, parser, kNoThrow);
  if (read_ec) co_return tl::unexpected(Unreachable("read", read_ec));
  co_return parser.release();
}

}  // namespace

asio::awaitable<Result<Response>> Fetch(asio::any_io_executor executor, OutboundRequest request) {
  auto url = boost::urls::parse_uri(request.url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
    co_return Fail(ErrorCode::kBadRequest, "not an http(s) URL");
  }
  const bool tls = url->scheme() == "https";
  const std::string host = url->host();
  const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  std::string target = std::string(url->encoded_path());
  if (target.empty()) target = "/";
  if (url->has_query()) target += "?" + std::string(url->encoded_query());

  Request message(request.method, target, 11);
  message.set(Field::host, host);
  message.set(Field::user_agent, "codezero");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = std::move(request.body);
  message.prepare_payload();

  asio::ip::tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, port, kNoThrow);
  if (resolve_ec) co_return tl::unexpected(Unreachable("resolve " + host, resolve_ec));

  beast::tcp_stream tcp(executor);
  tcp.expires_after(request.timeout);  // one deadline for the whole exchange
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, kNoThrow);
  if (connect_ec) co_return tl::unexpected(Unreachable("connect " + host, connect_ec));

  if (!tls) co_return co_await Exchange(tcp, message, request.max_response_bytes);

  asio::ssl::stream<beast::tcp_stream> stream(std::move(tcp), TlsContext());
  // SNI. (OpenSSL's macro contains a C cast.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  const long sni = SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
#pragma GCC diagnostic pop
  if (sni != 1) {
    co_return Fail(ErrorCode::kUnavailable, "an outside service is unavailable", "SNI failed");
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(host));
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kNoThrow);
  if (handshake_ec)
    co_return tl::unexpected(Unreachable("TLS handshake with " + host, handshake_ec));
  co_return co_await Exchange(stream, message, request.max_response_bytes);
}

}  // namespace codezero::http
