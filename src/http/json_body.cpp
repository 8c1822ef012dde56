#include "http/json_body.h"

#include <algorithm>
#include <cctype>

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

namespace codezero::http {
namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
         std::to_string(offset) + ")";
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  const std::string type = Lowercase(content_type.substr(0, content_type.find(';')));
  const auto trimmed_end = type.find_last_not_of(" \t");
  const std::string_view media = std::string_view(type).substr(0, trimmed_end + 1);
  return media == "application/json" ||
         (media.starts_with("application/") && media.ends_with("+json"));
}

Result<boost::json::value> ParseJson(std::string_view text, boost::json::storage_ptr storage) {
  if (text.empty())
    return Fail(ErrorCode::kBadRequest, "The request body is empty; send a JSON document.");
  boost::json::parser parser;
  parser.reset(std::move(storage));  // where the resulting value's memory comes from
  boost::system::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (ec) {
    return Fail(ErrorCode::kBadRequest, "The request body is not valid JSON: " + ec.message() +
                                            " at " + Position(text, consumed) + ".");
  }
  return parser.release();
}

Result<boost::json::value> ParseJsonBody(const Request& request, boost::json::storage_ptr storage) {
  const auto content_type = request[Field::content_type];
  if (!IsJsonContentType(content_type)) {
    return Fail(ErrorCode::kUnsupportedMediaType,
                content_type.empty()
                    ? "Send the body as JSON with 'Content-Type: application/json'."
                    : "Content-Type '" + std::string(content_type) +
                          "' is not supported here; send 'application/json'.");
  }
  return ParseJson(request.body(), std::move(storage));
}

Response JsonResponse(Status status, const boost::json::value& body, unsigned version) {
  Response response(status, version);
  response.set(Field::content_type, "application/json");
  response.body() = boost::json::serialize(body);
  return response;
}

Response JsonTextResponse(Status status, std::string json, unsigned version) {
  Response response(status, version);
  response.set(Field::content_type, "application/json");
  response.body() = std::move(json);
  return response;
}

}  // namespace codezero::http
