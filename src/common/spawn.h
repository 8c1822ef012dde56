// Starts a background coroutine whose escaping exception is logged, not lost. (Asio's
// `detached` drops it silently, which would leave, say, a reconnect loop dead without a word.)
#pragma once

#include <exception>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include "common/log.h"

namespace codezero {

template <class Executor>
void SpawnLogged(Executor executor, boost::asio::awaitable<void> task, std::string what) {
  boost::asio::co_spawn(
      std::move(executor), std::move(task), [what = std::move(what)](std::exception_ptr error) {
        if (!error) return;
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          log::Error("background task failed", {{"task", what}, {"error", e.what()}});
        } catch (...) {
          log::Error("background task failed", {{"task", what}});
        }
      });
}

}  // namespace codezero
