// One Redis command from a plain test, blocking, on a connection of its own: for tests that
// look at (or change) what a server under test keeps in Redis.
#pragma once

#include <string>
#include <vector>

#include "redis/client_options.h"

namespace codezero::testing {

// The reply's text ("" for nil; the number as text for an integer). Throws on an error reply
// or when Redis cannot be reached.
std::string RedisCommand(const redis::ClientOptions& options, std::vector<std::string> command);

}  // namespace codezero::testing
