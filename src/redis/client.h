// A Redis client for one event loop: one connection, commands pipelined on it in order, each
// with its own timeout. hiredis formats the commands and parses the replies; the socket
// belongs to Asio (docs/adr/0003-redis-client-on-hiredis-reader.md). Commands issued before
// the first connection attempt has ended wait for it (a process that has just started serves
// its first requests). When the connection drops, commands in flight fail with kUnavailable, new
// commands fail at once (so callers answer 503 quickly instead of piling up) and the client
// reconnects in the background with growing, jittered delays. A connection that stays silent past a
// command's timeout is treated as dead and replaced.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "redis/client_options.h"
#include "redis/reply.h"
#include "redis/script.h"

namespace codezero::redis {

struct SetOptions {
  std::optional<std::chrono::milliseconds> expire;  // PX
  bool only_if_absent = false;                      // NX
  bool only_if_present = false;                     // XX
};

class Client {
 public:
  // Starts connecting in the background.
  Client(boost::asio::any_io_executor executor, ClientOptions options);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();  // Close()s  NOLINT(bugprone-exception-escape): see client.cpp

  // Any command. A Redis error reply is an Error with the server's text in `reason`.
  [[nodiscard]] boost::asio::awaitable<Result<Reply>> Command(std::vector<std::string> args);
  //   co_await cache.Run("EXPIRE", key, "60");
  template <class... Args>
  [[nodiscard]] boost::asio::awaitable<Result<Reply>> Run(Args&&... args) {
    std::vector<std::string> command;
    command.reserve(sizeof...(Args));
    (command.emplace_back(std::forward<Args>(args)), ...);
    return Command(std::move(command));
  }

  [[nodiscard]] boost::asio::awaitable<Result<void>> Ping();
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<std::string>>> Get(std::string key);
  // False when the NX or XX condition was not met (nothing was written).
  [[nodiscard]] boost::asio::awaitable<Result<bool>> Set(std::string key, std::string value,
                                                         SetOptions options = {});
  [[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> Incr(std::string key);
  [[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> Del(std::vector<std::string> keys);
  // EVALSHA, loading the script on NOSCRIPT and trying once more.
  // REQUIRES: `script` outlives the call (scripts are long-lived constants).
  [[nodiscard]] boost::asio::awaitable<Result<Reply>> Eval(const Script& script,
                                                           std::vector<std::string> keys,
                                                           std::vector<std::string> args);

  [[nodiscard]] bool connected() const;

  // Fails what is in flight and stops reconnecting. Idempotent.
  void Close();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace codezero::redis
