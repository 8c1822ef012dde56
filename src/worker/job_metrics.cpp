#include "worker/job_metrics.h"

#include "metrics/registry.h"

namespace codezero::worker {

void RecordJobRun(std::string_view kind, std::string_view outcome,
                  std::chrono::steady_clock::duration took) {
  metrics::Registry& registry = metrics::Default();
  registry
      .AddCounter("codezero_jobs_total", "Job runs, by kind and how they ended.",
                  {"kind", "outcome"})
      .With({kind, outcome})
      .Inc();
  registry.AddHistogram("codezero_job_duration_seconds", "One run of a job, by kind.", {"kind"})
      .With({kind})
      .Observe(std::chrono::duration<double>(took).count());
}

void SetJobsRunning(std::size_t running) {
  static metrics::Gauge& gauge =
      metrics::Default().AddGauge("codezero_jobs_running", "Jobs this worker runs now.").With({});
  gauge.Set(static_cast<double>(running));
}

void RecordJobsRescued(std::int64_t jobs) {
  static metrics::Counter& counter =
      metrics::Default()
          .AddCounter("codezero_jobs_rescued_total", "Jobs taken back from an expired lease.")
          .With({});
  counter.Inc(static_cast<std::uint64_t>(jobs));
}

}  // namespace codezero::worker
