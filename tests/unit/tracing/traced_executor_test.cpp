#include "tracing/traced_executor.h"

#include <chrono>
#include <optional>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "tracing/active_spans.h"

namespace codezero::tracing {
namespace {

namespace asio = boost::asio;

struct Seen {
  const SpanContext* before_wait = nullptr;
  const SpanContext* after_wait = nullptr;
  const SpanContext* in_nested = nullptr;
  bool done = false;
};

asio::awaitable<const SpanContext*> Nested() {
  const auto executor = co_await asio::this_coro::executor;
  co_return CurrentSpan(executor);
}

// Reads the current span, yields to the loop (so the other coroutine runs), reads it again,
// and once more from a coroutine it awaits.
asio::awaitable<void> Observe(Seen& seen) {
  const auto executor = co_await asio::this_coro::executor;
  seen.before_wait = CurrentSpan(executor);
  asio::steady_timer timer(executor, std::chrono::milliseconds(1));
  co_await timer.async_wait(asio::use_awaitable);
  const auto resumed = co_await asio::this_coro::executor;
  seen.after_wait = CurrentSpan(resumed);
  seen.in_nested = co_await Nested();
  seen.done = true;
}

TEST(TracedExecutor, EachCoroutineFindsItsOwnSpanAcrossSuspensions) {
  const SpanContext first =
      *ParseTraceparent("00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  const SpanContext second =
      *ParseTraceparent("00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01");
  asio::io_context loop;
  const std::uint64_t first_key = NewActiveSpanKey();
  const std::uint64_t second_key = NewActiveSpanKey();
  ASSERT_NE(first_key, second_key);
  const ActiveSpanScope first_scope("req-1", first, first_key);
  const ActiveSpanScope second_scope("req-2", second, second_key);
  Seen in_first;
  Seen in_second;
  Seen untraced;
  asio::co_spawn(WithActiveSpan(loop.get_executor(), first_key), Observe(in_first), asio::detached);
  asio::co_spawn(WithActiveSpan(asio::any_io_executor(loop.get_executor()), second_key),
                 Observe(in_second), asio::detached);
  asio::co_spawn(loop, Observe(untraced), asio::detached);
  loop.run();

  ASSERT_TRUE(in_first.done && in_second.done && untraced.done);
  EXPECT_EQ(in_first.before_wait, &first);
  EXPECT_EQ(in_first.after_wait, &first);
  EXPECT_EQ(in_first.in_nested, &first);
  EXPECT_EQ(in_second.before_wait, &second);
  EXPECT_EQ(in_second.after_wait, &second);
  EXPECT_EQ(in_second.in_nested, &second);
  EXPECT_EQ(untraced.before_wait, nullptr);
  EXPECT_EQ(untraced.after_wait, nullptr);
}

TEST(TracedExecutor, ACoroutineOutlivingItsScopeFindsNoSpan) {
  const SpanContext span =
      *ParseTraceparent("00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  asio::io_context loop;
  const std::uint64_t key = NewActiveSpanKey();
  Seen late;
  {
    const ActiveSpanScope scope("req-1", span, key);
    asio::co_spawn(WithActiveSpan(loop.get_executor(), key), Observe(late), asio::detached);
    loop.run_one();  // runs up to the timer's wait
    EXPECT_EQ(late.before_wait, &span);
  }
  loop.run();
  ASSERT_TRUE(late.done);
  EXPECT_EQ(late.after_wait, nullptr);
}

TEST(TracedExecutor, StartsNoChildSpanWhileTracingIsOff) {
  ASSERT_FALSE(Enabled());
  const SpanContext span =
      *ParseTraceparent("00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  asio::io_context loop;
  const std::uint64_t key = NewActiveSpanKey();
  const ActiveSpanScope scope("req-1", span, key);
  const asio::any_io_executor executor = WithActiveSpan(loop.get_executor(), key);
  EXPECT_EQ(CurrentSpan(executor), &span);
  EXPECT_FALSE(StartChildSpan(executor, "select_order", SpanKind::kClient).has_value());
}

}  // namespace
}  // namespace codezero::tracing
