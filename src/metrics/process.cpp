#include "metrics/process.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace codezero::metrics {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces), so that
// field N of proc(5) is fields[N - 3].
std::vector<std::string> StatFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const std::size_t close = line.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 2));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double StatField(int number) {
  const std::vector<std::string> fields = StatFields();
  const std::size_t index = static_cast<std::size_t>(number - 3);
  return index < fields.size() ? std::stod(fields[index]) : 0;
}

double OpenFds() {
  std::error_code ec;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  return count > 0 ? count - 1 : 0;  // the iterator's own descriptor of the directory
}

}  // namespace

void RegisterProcessMetrics(Registry& registry, std::string_view process, std::string_view version,
                            std::string_view commit) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // The start time as the clock says now, which is what the Unix time of a scrape compares to.
  const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  registry.AddCallback("process_cpu_seconds_total",
                       "Total user and system CPU time spent in seconds.", Type::kCounter,
                       [ticks] { return (StatField(14) + StatField(15)) / ticks; });
  registry.AddCallback("process_resident_memory_bytes", "Resident memory size in bytes.",
                       Type::kGauge, [page] { return StatField(24) * page; });
  registry.AddCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                       Type::kGauge, [] { return StatField(23); });
  registry.AddCallback("process_open_fds", "Number of open file descriptors.", Type::kGauge,
                       OpenFds);
  registry.AddCallback("process_max_fds", "Maximum number of open file descriptors.", Type::kGauge,
                       [] {
                         rlimit limit{};
                         getrlimit(RLIMIT_NOFILE, &limit);
                         return static_cast<double>(limit.rlim_cur);
                       });
  registry.AddCallback("process_start_time_seconds",
                       "Start time of the process since unix epoch in seconds.", Type::kGauge,
                       [started] { return started; });
  registry
      .AddGauge("codezero_build_info", "The release this process runs: always 1.",
                {"process", "version", "commit"})
      .With({process, version, commit})
      .Set(1);
}

}  // namespace codezero::metrics
