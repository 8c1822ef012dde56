#include "support/fake_smtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace codezero::testing {
namespace {

void Write(int socket, const std::string& line) {
  const std::string text = line + "\r\n";
  (void)::send(socket, text.data(), text.size(), MSG_NOSIGNAL);
}

// Reads one CRLF-terminated line (without CRLF) into `line`; false when the peer is gone or
// the server stops.
bool ReadLine(int socket, std::string& buffer, std::string& line, const std::atomic<bool>& stop) {
  while (true) {
    const std::size_t end = buffer.find("\r\n");
    if (end != std::string::npos) {
      line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      return true;
    }
    pollfd readable{socket, POLLIN, 0};
    const int ready = ::poll(&readable, 1, 50);
    if (stop) return false;
    if (ready < 0) return false;
    if (ready == 0) continue;
    char chunk[4096];
    const ssize_t got = ::recv(socket, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
  }
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return text;
}

}  // namespace

FakeSmtpServer::FakeSmtpServer(std::function<std::string(const std::string&)> rcpt_reply)
    : rcpt_reply_(std::move(rcpt_reply)) {
  if (!rcpt_reply_) rcpt_reply_ = [](const std::string&) { return std::string("250 2.1.5 OK"); };
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("fake SMTP server: cannot listen");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
}

std::string FakeSmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> FakeSmtpServer::messages() {
  std::lock_guard lock(mutex_);
  return messages_;
}

int FakeSmtpServer::connections() {
  std::lock_guard lock(mutex_);
  return connections_;
}

void FakeSmtpServer::Serve() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 100) < 0 || (ready.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
      break;
    }
    if ((ready.revents & POLLIN) == 0) continue;
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) break;
    {
      std::lock_guard lock(mutex_);
      ++connections_;
    }
    conversations_.emplace_back([this, client] {
      Converse(client);
      ::close(client);
    });
  }
  stopping_ = true;  // ends the conversations still open
  for (std::thread& conversation : conversations_) conversation.join();
}

void FakeSmtpServer::Converse(int client) {
  std::string buffer;
  std::string line;
  std::vector<std::string> accepted;
  Write(client, "220 fake.smtp.test ESMTP");
  while (ReadLine(client, buffer, line, stopping_)) {
    const std::string verb = Upper(line.substr(0, 4));
    if (verb == "EHLO") {
      Write(client, "250-fake.smtp.test");
      Write(client, "250 8BITMIME");
    } else if (verb == "HELO") {
      Write(client, "250 fake.smtp.test");
    } else if (verb == "MAIL") {
      accepted.clear();
      Write(client, "250 2.1.0 OK");
    } else if (verb == "RCPT") {
      const std::size_t open = line.find('<');
      const std::size_t close = line.find('>');
      const std::string recipient = open != std::string::npos && close > open
                                        ? line.substr(open + 1, close - open - 1)
                                        : std::string();
      const std::string reply = rcpt_reply_(recipient);
      if (reply.starts_with("250")) accepted.push_back(recipient);
      Write(client, reply);
    } else if (verb == "DATA") {
      if (accepted.empty()) {
        Write(client, "554 5.5.1 no valid recipients");
        continue;
      }
      Write(client, "354 end with <CRLF>.<CRLF>");
      std::string message;
      while (ReadLine(client, buffer, line, stopping_) && line != ".") {
        message += (line.starts_with("..") ? line.substr(1) : line) + "\r\n";
      }
      {
        std::lock_guard lock(mutex_);
        messages_.push_back(std::move(message));
      }
      Write(client, "250 2.0.0 queued");
    } else if (verb == "RSET" || verb == "NOOP") {
      Write(client, "250 2.0.0 OK");
    } else if (verb == "QUIT") {
      Write(client, "221 2.0.0 bye");
      return;
    } else {
      Write(client, "502 5.5.2 not implemented");
    }
  }
}

}  // namespace codezero::testing
