#include "support/private_redis.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace codezero::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::uint16_t FreePort() {
  // Below Linux's ephemeral range (32768 and up), where a connection's own end may take a port
  // between this check and the server's bind (tests/e2e/harness.mjs, freePort).
  // Once per process: a test may draw several before it binds any.
  static std::mutex mutex;
  static std::set<std::uint16_t> handed_out;
  static std::mt19937 random{std::random_device{}()};
  const std::lock_guard<std::mutex> lock(mutex);
  std::uniform_int_distribution<int> below_ephemeral(20000, 31999);
  asio::io_context context;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto port = static_cast<std::uint16_t>(below_ephemeral(random));
    if (handed_out.contains(port)) continue;
    tcp::acceptor acceptor(context);
    boost::system::error_code ec;
    acceptor.open(tcp::v4(), ec);
    if (!ec) acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (!ec) {
      handed_out.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free port below 32000 after 200 attempts");
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
