// A scripted SMTP server on 127.0.0.1 for tests (RFC 5321, no STARTTLS). Every recipient gets
// the reply `rcpt_reply(address)` returns (default "250 2.1.5 OK"), so a test can answer 451
// once and then 250, or 550 for one mailbox. Accepted messages are kept as received
// (dot-unstuffed). Each connection is served on a thread of its own, as clients keep
// connections open and send in parallel.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace codezero::testing {

class FakeSmtpServer {
 public:
  explicit FakeSmtpServer(std::function<std::string(const std::string& recipient)> rcpt_reply = {});
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  [[nodiscard]] std::string url() const;  // smtp://127.0.0.1:<port>
  [[nodiscard]] std::vector<std::string> messages();
  [[nodiscard]] int connections();

 private:
  void Serve();
  void Converse(int client);

  std::function<std::string(const std::string&)> rcpt_reply_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<std::thread> conversations_;  // used by the accepting thread only
  std::mutex mutex_;
  std::vector<std::string> messages_;
  int connections_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace codezero::testing
