#include "redis/client_options.h"

#include <charconv>

#include <boost/url/parse.hpp>

namespace codezero::redis {
namespace {

std::optional<int> ParseDatabase(std::string_view text) {
  int database = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), database);
  if (ec != std::errc() || end != text.data() + text.size() || database < 0 || database > 10'000) {
    return std::nullopt;
  }
  return database;
}

}  // namespace

Result<Endpoint> ParseRedisUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Fail(ErrorCode::kBadRequest, "not a URL");
  const auto scheme = parsed->scheme();
  Endpoint endpoint;
  if (parsed->has_userinfo()) {
    endpoint.username = parsed->user();
    endpoint.password = parsed->password();
  }
  if (scheme == "rediss") {
    return Fail(ErrorCode::kBadRequest,
                "rediss:// (TLS) is not supported; reach Redis over a private network or a "
                "local TLS-terminating proxy");
  }
  if (scheme == "unix") {
    endpoint.socket_path = parsed->path();
    if (endpoint.socket_path.empty())
      return Fail(ErrorCode::kBadRequest, "unix:// needs a socket path");
    for (auto param : parsed->params()) {
      if (param.key == "db") {
        auto database = ParseDatabase(param.value);
        if (!database) return Fail(ErrorCode::kBadRequest, "db must be a database number");
        endpoint.database = *database;
      } else if (param.key == "password") {
        endpoint.password = param.value;
      }
    }
    return endpoint;
  }
  if (scheme != "redis")
    return Fail(ErrorCode::kBadRequest, "the scheme must be redis:// or unix://");
  endpoint.host = parsed->host();
  if (endpoint.host.empty()) return Fail(ErrorCode::kBadRequest, "redis:// needs a host");
  if (parsed->has_port()) {
    const auto port = parsed->port_number();
    if (port == 0) return Fail(ErrorCode::kBadRequest, "the port must be 1 ... 65535");
    endpoint.port = port;
  }
  std::string path = parsed->path();  // decoded copy (not a view into the URL)
  if (path.starts_with('/')) path.erase(0, 1);
  if (!path.empty()) {
    auto database = ParseDatabase(path);
    if (!database)
      return Fail(ErrorCode::kBadRequest, "the path must be a database number, e.g. /0");
    endpoint.database = *database;
  }
  return endpoint;
}

ClientOptions ReadClientOptions(SettingsReader& reader) {
  ClientOptions options;
  const std::string url = reader.String({.name = "REDIS_URL",
                                         .help = "redis://[:password@]host:port/db or "
                                                 "unix:///path/redis.sock?db=N",
                                         .secret = true,
                                         .required = true});
  if (!url.empty()) {
    auto endpoint = ParseRedisUrl(url);
    if (endpoint) {
      options.endpoint = std::move(*endpoint);
    } else {
      reader.AddProblem("REDIS_URL", endpoint.error().message);
    }
  }
  options.connect_timeout = reader.Milliseconds({.name = "REDIS_CONNECT_TIMEOUT_MS",
                                                 .default_value = "1000",
                                                 .help = "connection set-up limit"},
                                                1, 60'000);
  options.command_timeout =
      reader.Milliseconds({.name = "REDIS_COMMAND_TIMEOUT_MS",
                           .default_value = "500",
                           .help = "a command without an answer after this fails (503)"},
                          1, 60'000);
  return options;
}

}  // namespace codezero::redis
