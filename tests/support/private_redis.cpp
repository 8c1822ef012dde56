#include "support/private_redis.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace codezero::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::uint16_t FreePort() {
  asio::io_context context;
  tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

PrivateRedis::PrivateRedis() : port_(FreePort()) { Start(); }

PrivateRedis::~PrivateRedis() { Stop(); }

std::string PrivateRedis::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/0";
}

void PrivateRedis::Start() {
  if (pid_ > 0) return;
  const std::string port = std::to_string(port_);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--logfile", "/dev/null",
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int attempt = 0; attempt < 200; ++attempt) {
    asio::io_context context;
    tcp::socket socket(context);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    if (!ec) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not start on port " + port);
}

void PrivateRedis::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace codezero::testing
