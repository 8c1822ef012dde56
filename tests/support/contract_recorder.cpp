#include "support/contract_recorder.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace codezero::testing {
namespace {

struct Recorder {
  std::mutex mutex;
  std::vector<std::uint16_t> ports;
  std::ofstream out;
  bool opened = false;
};

Recorder& TheRecorder() {
  static Recorder recorder;
  return recorder;
}

// REQUIRES: the recorder's mutex is held. False when recording is off.
bool Open(Recorder& recorder) {
  if (recorder.opened) return recorder.out.is_open();
  recorder.opened = true;
  const char* directory = std::getenv("CODEZERO_CONTRACT_RECORDS");
  if (directory == nullptr || *directory == '\0') return false;
  std::error_code ignored;
  std::filesystem::create_directories(directory, ignored);
  const std::string path =
      std::string(directory) + "/responses-" + std::to_string(::getpid()) + ".jsonl";
  recorder.out.open(path, std::ios::app);
  return recorder.out.is_open();
}

}  // namespace

void RegisterApiPort(std::uint16_t port) {
  Recorder& recorder = TheRecorder();
  const std::lock_guard lock(recorder.mutex);
  recorder.ports.push_back(port);
}

void UnregisterApiPort(std::uint16_t port) {
  Recorder& recorder = TheRecorder();
  const std::lock_guard lock(recorder.mutex);
  std::erase(recorder.ports, port);
}

void RecordApiResponse(std::uint16_t port, const http::Request& request,
                       const http::Response& response) {
  Recorder& recorder = TheRecorder();
  const std::lock_guard lock(recorder.mutex);
  if (std::find(recorder.ports.begin(), recorder.ports.end(), port) == recorder.ports.end()) {
    return;
  }
  if (!Open(recorder)) return;
  boost::json::object headers;
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // A repeated field (Vary, Set-Cookie) is kept as one, its values joined.
    if (auto* earlier = headers.if_contains(name)) {
      std::string joined(earlier->as_string());
      joined += ", ";
      joined += field.value();
      *earlier = joined;
    } else {
      headers[name] = field.value();
    }
  }
  const boost::json::object record{
      {"method", request.method_string()}, {"target", request.target()},
      {"status", response.result_int()},   {"content_type", response[http::Field::content_type]},
      {"body", response.body()},           {"headers", std::move(headers)}};
  recorder.out << boost::json::serialize(record) << '\n';
  recorder.out.flush();
}

}  // namespace codezero::testing
