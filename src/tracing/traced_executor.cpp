#include "tracing/traced_executor.h"

#include <string>

#include "tracing/active_spans.h"

namespace codezero::tracing {

using LoopExecutor = boost::asio::io_context::executor_type;

boost::asio::any_io_executor WithActiveSpan(const boost::asio::any_io_executor& executor,
                                            std::uint64_t key) {
  if (const auto* loop = executor.target<LoopExecutor>()) return WithActiveSpan(*loop, key);
  if (const auto* traced = executor.target<TracedExecutor<LoopExecutor>>()) {
    return WithActiveSpan(traced->inner(), key);
  }
  return executor;
}

const SpanContext* CurrentSpan(const boost::asio::any_io_executor& executor) {
  const auto* traced = executor.target<TracedExecutor<LoopExecutor>>();
  return traced == nullptr ? nullptr : ActiveSpanOfKey(traced->key());
}

std::optional<Span> StartChildSpan(const boost::asio::any_io_executor& executor,
                                   std::string_view name, SpanKind kind) {
  if (!Enabled()) return std::nullopt;
  const SpanContext* parent = CurrentSpan(executor);
  if (parent == nullptr || !parent->sampled) return std::nullopt;
  return std::optional<Span>(std::in_place, std::string(name), kind, std::optional(*parent));
}

}  // namespace codezero::tracing
