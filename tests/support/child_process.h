// A child process running the `codezero` binary with exactly the given environment, its output
// discarded (or appended to a log file). The destructor kills what still runs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace codezero::testing {

class ChildProcess {
 public:
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::vector<std::string>& environment, const std::string& log_file = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  void Signal(int signal) const;
  // Waits for the process to end; its exit code, or -signal when a signal ended it.
  int Wait();
  // The same, or nullopt when it still runs after `limit`.
  std::optional<int> WaitFor(std::chrono::milliseconds limit);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

struct CommandOutput {
  int exit_code = -1;  // or -signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs `binary args...` with exactly `environment` to its end and returns what it printed.
CommandOutput RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                       const std::vector<std::string>& environment);

}  // namespace codezero::testing
