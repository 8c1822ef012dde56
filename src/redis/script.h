// A Lua script run with EVALSHA: its SHA-1 is computed once, the script body is sent to the
// server only when the server does not know it (NOSCRIPT, e.g. after a restart or a
// SCRIPT FLUSH), so the common path sends 40 bytes instead of the script.
#pragma once

#include <string>

namespace codezero::redis {

class Script {
 public:
  explicit Script(std::string source);
  [[nodiscard]] const std::string& source() const { return source_; }
  [[nodiscard]] const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;  // lowercase hex
};

}  // namespace codezero::redis
