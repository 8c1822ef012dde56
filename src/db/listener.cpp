#include "db/listener.h"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;

constexpr Statement kNotify{"notify", "SELECT pg_notify($1, $2)"};

bool IsChannelName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

}  // namespace

NotificationListener::NotificationListener(asio::any_io_executor executor, ConnectOptions options,
                                           std::vector<std::string> channels)
    : executor_(std::move(executor)), options_(std::move(options)), channels_(std::move(channels)) {
  for (const std::string& channel : channels_) {
    if (!IsChannelName(channel)) throw std::invalid_argument("bad channel name: " + channel);
  }
}

NotificationListener::~NotificationListener() = default;

asio::awaitable<Result<void>> NotificationListener::Connect() {
  auto opened = co_await Connection::Open(executor_, options_);
  if (!opened) co_return tl::unexpected(opened.error());
  for (const std::string& channel : channels_) {
    // Quoted identifier; IsChannelName guarantees there is nothing to escape.
    std::string listen = "LISTEN \"" + channel + "\"";
    auto listened = co_await (*opened)->ExecuteScript(std::move(listen));
    if (!listened) co_return tl::unexpected(listened.error());
  }
  connection_ = std::move(*opened);
  co_return Result<void>{};
}

asio::awaitable<Result<Wakeup>> NotificationListener::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Wakeup wakeup;
  if (!connection_ || !connection_->IsUsable()) {
    connection_.reset();
    auto connected = co_await Connect();
    if (!connected) {
      log::Warn("listener cannot connect", {{"reason", connected.error().reason}});
      asio::steady_timer pause(executor_, deadline);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      co_return tl::unexpected(connected.error());
    }
    wakeup.resumed = true;
    co_return wakeup;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto waited = co_await connection_->WaitForInput(std::max(left, std::chrono::milliseconds(0)));
  if (!waited) {
    connection_.reset();
    co_return tl::unexpected(waited.error());
  }
  wakeup.notifications = connection_->TakeNotifications();
  co_return wakeup;
}

void NotificationListener::Cancel() {
  if (connection_) connection_->CancelWait();
}

asio::awaitable<Result<void>> Notify(Connection& connection, std::string channel,
                                     std::string payload) {
  auto sent = co_await connection.Execute(kNotify, channel, payload);
  if (!sent) co_return tl::unexpected(sent.error());
  co_return Result<void>{};
}

}  // namespace codezero::db
