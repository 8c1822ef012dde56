// The queue as a whole, sampled from PostgreSQL every few seconds by each worker (they all
// report the same values; dashboards and alerts take the max): codezero_queue_depth{queue},
// codezero_queue_oldest_available_age_seconds{queue} and codezero_jobs_discarded
// (docs/metrics.md). Every queue of the platform's job kinds is reported, 0 when empty.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "db/pool.h"

namespace codezero::worker {

class QueueMetricsSampler {
 public:
  QueueMetricsSampler(boost::asio::any_io_executor executor, db::Pool& database,
                      std::chrono::milliseconds interval = std::chrono::seconds(10));
  ~QueueMetricsSampler();

  void Start();
  // Stops sampling; on the executor's thread.
  void Stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace codezero::worker
