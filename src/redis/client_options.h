// Where Redis is and how long to wait for it: REDIS_URL (`redis://[:password@]host:port/db`
// or `unix:///path/to/redis.sock?db=N&password=...`), and the timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/settings.h"

namespace codezero::redis {

struct Endpoint {
  std::string host;  // empty for a unix socket
  std::uint16_t port = 6379;
  std::string socket_path;  // set for a unix socket
  std::string username;     // ACL user; empty for the default user
  std::string password;
  int database = 0;
};

struct ClientOptions {
  Endpoint endpoint;
  std::chrono::milliseconds connect_timeout{1'000};
  std::chrono::milliseconds command_timeout{500};
  std::chrono::milliseconds max_reconnect_delay{2'000};
};

[[nodiscard]] Result<Endpoint> ParseRedisUrl(std::string_view url);

[[nodiscard]] ClientOptions ReadClientOptions(SettingsReader& reader);

}  // namespace codezero::redis
