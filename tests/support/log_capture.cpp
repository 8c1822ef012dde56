#include "support/log_capture.h"

#include "common/log.h"

namespace codezero::testing {

LogCapture::LogCapture() { log::SetSink(&LogCapture::Append, this); }

LogCapture::~LogCapture() { log::ResetSink(); }

void LogCapture::Append(std::string_view line, void* self) {
  auto* capture = static_cast<LogCapture*>(self);
  std::lock_guard lock(capture->mutex_);
  capture->text_.append(line);
}

std::string LogCapture::text() const {
  std::lock_guard lock(mutex_);
  return text_;
}

}  // namespace codezero::testing
