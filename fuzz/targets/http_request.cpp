// The HTTP request handling glue: raw bytes read as the server reads a request (Beast's parser
// with the server's header and body limits, src/http/server.cpp), then what the pipeline takes
// from it (src/http/pipeline.cpp): the path and query, query parameters, the request id.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/query.h"
#include "http/request_id.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::system::error_code error;
  (void)parser.put(boost::asio::buffer(data, size), error);
  if (error || !parser.is_header_done()) return 0;
  const auto& request = parser.get();
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  (void)codezero::http::IsSitePath(path);
  (void)codezero::http::QueryParameter(query, "locale");
  (void)codezero::http::IntegerParameter(query, "limit", 20, 1, 100);
  (void)codezero::http::HasRepeatedParameter(query);
  const std::string id = codezero::http::RequestIdFor(request["X-Request-Id"]);
  if (id.empty()) __builtin_trap();
  (void)codezero::http::EncodeQueryValue(std::string_view(request.body()));
  return 0;
}
