// Which span the coroutines of a request or a job work for, without passing it through every
// call: the request's (or job's) coroutine is spawned on a TracedExecutor, an event loop's
// executor that also carries a key into this thread's active spans (active_spans.h). Every
// coroutine it awaits runs on the same executor, so code deep below (a SQL statement, a Redis
// command, a call to Stripe) reads `co_await this_coro::executor` and finds the span to be a
// child of. The key, not a pointer, travels: a coroutine that outlives its request (a late job
// handler) finds no span rather than a dangling one.
//
// Asio executors are values with properties (P0443 as Boost.Asio implements it); this one
// forwards every query, require and prefer to the loop's executor and keeps its key.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include "tracing/tracer.h"

namespace codezero::tracing {

template <class Inner>
class TracedExecutor {
 public:
  TracedExecutor(Inner inner, std::uint64_t key) noexcept : inner_(std::move(inner)), key_(key) {}

  [[nodiscard]] std::uint64_t key() const noexcept { return key_; }
  [[nodiscard]] const Inner& inner() const noexcept { return inner_; }

  template <class Function>
  void execute(Function&& function) const {
    inner_.execute(std::forward<Function>(function));
  }

  template <class Property>
  auto query(const Property& property) const noexcept
      -> decltype(boost::asio::query(std::declval<const Inner&>(), property)) {
    return boost::asio::query(inner_, property);
  }

  template <class Property>
  auto require(const Property& property) const -> TracedExecutor<
      std::decay_t<decltype(boost::asio::require(std::declval<const Inner&>(), property))>> {
    return {boost::asio::require(inner_, property), key_};
  }

  template <class Property>
  auto prefer(const Property& property) const -> TracedExecutor<
      std::decay_t<decltype(boost::asio::prefer(std::declval<const Inner&>(), property))>> {
    return {boost::asio::prefer(inner_, property), key_};
  }

  friend bool operator==(const TracedExecutor& a, const TracedExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.key_ == b.key_;
  }
  friend bool operator!=(const TracedExecutor& a, const TracedExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  Inner inner_;
  std::uint64_t key_;
};

// `executor` carrying `key` (ActiveSpanScope::key()) for what is spawned on it; `executor`
// itself when it is not an event loop's.
[[nodiscard]] boost::asio::any_io_executor WithActiveSpan(
    const boost::asio::any_io_executor& executor, std::uint64_t key);
[[nodiscard]] inline boost::asio::any_io_executor WithActiveSpan(
    const boost::asio::io_context::executor_type& executor, std::uint64_t key) {
  return TracedExecutor<boost::asio::io_context::executor_type>(executor, key);
}

// The span the coroutine running on `executor` works for, while its request or job is being
// handled; null otherwise (tracing off, no such scope, or it has ended).
[[nodiscard]] const SpanContext* CurrentSpan(const boost::asio::any_io_executor& executor);

// A span under CurrentSpan(executor), when that one is recorded (tracing on, sampled); none
// otherwise, so work outside a request or job (a background loop) starts no trace of its own
// and an unsampled request costs no span.
[[nodiscard]] std::optional<Span> StartChildSpan(const boost::asio::any_io_executor& executor,
                                                 std::string_view name, SpanKind kind);

}  // namespace codezero::tracing
