// The standard process metrics every Prometheus client library exports (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_start_time_seconds), read from /proc when rendered, and
// codezero_build_info, so that a dashboard can tell which release each process runs.
#pragma once

#include <string_view>

#include "metrics/registry.h"

namespace codezero::metrics {

void RegisterProcessMetrics(Registry& registry, std::string_view process, std::string_view version,
                            std::string_view commit);

}  // namespace codezero::metrics
