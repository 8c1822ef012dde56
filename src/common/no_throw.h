// The completion token for an Asio operation whose failure is a value, not an exception:
//   auto [error, bytes] = co_await socket.async_read_some(buffer, kNoThrow);
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codezero {

inline constexpr auto kNoThrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace codezero
