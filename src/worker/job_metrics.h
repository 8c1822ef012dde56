// The worker's job metrics (docs/metrics.md): codezero_jobs_total{kind,outcome},
// codezero_job_duration_seconds{kind}, codezero_jobs_running, codezero_jobs_rescued_total.
// Kinds are the platform's job kinds (queue/kinds.h), a closed set.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace codezero::worker {

// outcome: "completed", "failed", "timed_out", "discarded", "snoozed" or "cancelled".
void RecordJobRun(std::string_view kind, std::string_view outcome,
                  std::chrono::steady_clock::duration took);
void SetJobsRunning(std::size_t running);
void RecordJobsRescued(std::int64_t jobs);

}  // namespace codezero::worker
