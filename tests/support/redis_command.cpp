#include "support/redis_command.h"

#include <chrono>
#include <stdexcept>

#include <boost/asio/io_context.hpp>

#include "redis/client.h"
#include "support/run_async.h"

namespace codezero::testing {

std::string RedisCommand(const redis::ClientOptions& options, std::vector<std::string> command) {
  boost::asio::io_context context;
  redis::Client client(context.get_executor(), options);
  // The client connects in the background; commands before that fail at once.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!client.connected() && std::chrono::steady_clock::now() < deadline) {
    context.run_for(std::chrono::milliseconds(10));
  }
  auto reply = RunAsync(context, client.Command(std::move(command)));
  client.Close();
  if (!reply)
    throw std::runtime_error("redis: " + reply.error().message + " " + reply.error().reason);
  if (reply->type == redis::Reply::Type::kInteger) return std::to_string(reply->integer);
  return reply->text;
}

}  // namespace codezero::testing
