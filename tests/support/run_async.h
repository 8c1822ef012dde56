// Runs a coroutine to completion from a plain test: drives the io_context only until that
// coroutine is done (background work such as a Redis client's reconnect loop keeps going
// between calls without blocking the test).
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace codezero::testing {

template <class T>
T RunAsync(boost::asio::io_context& context, boost::asio::awaitable<T> task,
           std::chrono::seconds limit = std::chrono::seconds(30)) {
  using Stored = std::conditional_t<std::is_void_v<T>, bool, T>;
  std::optional<Stored> result;
  std::exception_ptr error;
  bool done = false;
  boost::asio::co_spawn(
      context,
      [&]() -> boost::asio::awaitable<void> {
        if constexpr (std::is_void_v<T>) {
          co_await std::move(task);
          result.emplace(true);
        } else {
          result.emplace(co_await std::move(task));
        }
      },
      [&](std::exception_ptr e) {
        error = e;
        done = true;
      });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("RunAsync: timed out");
    context.restart();
    context.run_one_for(std::chrono::milliseconds(10));
  }
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// Runs `context` until `done()` is true; throws after `limit`.
template <class Predicate>
void RunUntil(boost::asio::io_context& context, Predicate done,
              std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("RunUntil: timed out");
    context.restart();
    context.run_one_for(std::chrono::milliseconds(10));
  }
}

// Lets background work on `context` run for `duration`.
inline void RunFor(boost::asio::io_context& context, std::chrono::milliseconds duration) {
  context.restart();
  context.run_for(duration);
}

}  // namespace codezero::testing
