// Captures every log line written while it exists (for tests about what logs contain).
#pragma once

#include <mutex>
#include <string>

namespace codezero::testing {

class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  [[nodiscard]] std::string text() const;

 private:
  static void Append(std::string_view line, void* self);
  mutable std::mutex mutex_;
  std::string text_;
};

}  // namespace codezero::testing
