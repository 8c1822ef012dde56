// The process's event loops: one `io_context` per thread, each running on its own thread
// ("shared nothing", see docs/adr/0002-one-event-loop-per-thread.md). Everything a loop owns
// (HTTP sessions, its share of the Postgres pool, its Redis connection) is touched only from
// that loop's thread, so none of it needs a lock.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace codezero {

class EventLoops {
 public:
  // REQUIRES: count >= 1.
  explicit EventLoops(std::size_t count);
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;
  ~EventLoops();

  [[nodiscard]] std::size_t size() const { return contexts_.size(); }
  [[nodiscard]] boost::asio::io_context& operator[](std::size_t index) { return *contexts_[index]; }

  // Runs loop 0 on the calling thread and every other loop on a thread of its own; returns
  // when all of them have returned. A loop returns once ReleaseWork() was called and it has
  // nothing left to do, or at once after Stop(). An exception escaping a handler is logged
  // and the loop goes on.
  void Run();

  // Lets each loop return when it runs out of work. Thread-safe.
  void ReleaseWork();

  // Makes each loop return as soon as possible, leaving pending work undone. Thread-safe.
  void Stop();

  // The number of threads to use when the setting says 0: one per core.
  [[nodiscard]] static std::size_t DefaultCount();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::optional<WorkGuard>> guards_;
};

}  // namespace codezero
