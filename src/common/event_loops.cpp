#include "common/event_loops.h"

#include <exception>
#include <thread>

#include <boost/asio/post.hpp>

#include "common/log.h"

namespace codezero {
namespace {

void RunLoop(boost::asio::io_context& context, std::size_t index) {
  for (;;) {
    try {
      context.run();
      return;
    } catch (const std::exception& e) {
      log::Error("unhandled exception on event loop", {{"loop", index}, {"error", e.what()}});
    } catch (...) {
      log::Error("unhandled non-standard exception on event loop", {{"loop", index}});
    }
  }
}

}  // namespace

EventLoops::EventLoops(std::size_t count) {
  if (count == 0) count = 1;
  for (std::size_t i = 0; i < count; ++i) {
    // concurrency hint 1: each context is only ever run by one thread.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(boost::asio::make_work_guard(*contexts_.back()));
  }
}

EventLoops::~EventLoops() { Stop(); }

void EventLoops::Run() {
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] { RunLoop(*contexts_[i], i); });
  }
  RunLoop(*contexts_[0], 0);
}

void EventLoops::ReleaseWork() {
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    boost::asio::post(*contexts_[i], [this, i] { guards_[i].reset(); });
  }
}

void EventLoops::Stop() {
  for (auto& context : contexts_) context->stop();
}

std::size_t EventLoops::DefaultCount() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace codezero
