#include "support/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace codezero::testing {

ChildProcess::ChildProcess(const std::string& binary, const std::vector<std::string>& args,
                           const std::vector<std::string>& environment,
                           const std::string& log_file) {
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out = log_file.empty()
                        ? ::open("/dev/null", O_WRONLY)
                        : ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    (void)Wait();
  }
}

void ChildProcess::Signal(int signal) const { ::kill(pid_, signal); }

namespace {

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

int ChildProcess::Wait() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  return ExitCodeOf(status);
}

std::optional<int> ChildProcess::WaitFor(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return ExitCodeOf(status);
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    ::usleep(10'000);
  }
}

CommandOutput RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                       const std::vector<std::string>& environment) {
  char path[] = "/tmp/cz-command-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  CommandOutput result;
  {
    ChildProcess child(binary, args, environment, path);
    result.exit_code = child.Wait();
  }
  std::ifstream file(path);
  result.output.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  ::unlink(path);
  return result;
}

}  // namespace codezero::testing
