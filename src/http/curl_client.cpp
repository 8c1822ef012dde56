#include "http/curl_client.h"

#include <curl/curl.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codezero::http {
namespace {

namespace asio = boost::asio;
using Completion = asio::any_completion_handler<void(Result<Response>)>;

constexpr long kMaxConnectMs = 5'000;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl failed to initialise");
    }
  });
}

// One request on its way: the easy handle, what it sends and receives, and whom to tell.
struct Transfer {
  OutboundRequest request;
  Completion completion;
  asio::executor_work_guard<asio::any_io_executor> work;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  Response response;
  std::string status_line_reason;
  bool too_large = false;
  char error[CURL_ERROR_SIZE] = {};

  Transfer(OutboundRequest r, Completion c, asio::any_io_executor executor)
      : request(std::move(r)), completion(std::move(c)), work(executor) {}
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (headers != nullptr) curl_slist_free_all(headers);
  }

  void Finish(Result<Response> result) {
    auto executor = work.get_executor();
    asio::post(executor,
               [completion = std::move(completion), result = std::move(result)]() mutable {
                 std::move(completion)(std::move(result));
               });
    work.reset();
  }
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string& body = transfer->response.body();
  if (body.size() + bytes > transfer->request.max_response_bytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  body.append(data, bytes);
  return bytes;
}

// Called once per header line, also for the status lines of interim (1xx) and redirect
// responses; a new status line starts the header set afresh.
std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    transfer->response = Response();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  transfer->response.insert(line.substr(0, colon), value);
  return bytes;
}

std::string_view MethodName(Verb method) { return boost::beast::http::to_string(method); }

Error Failure(CURLcode code, const Transfer& transfer) {
  std::string reason = curl_easy_strerror(code);
  if (transfer.error[0] != '\0') reason += std::string(": ") + transfer.error;
  if (transfer.too_large) {
    return Error{ErrorCode::kUnavailable,
                 "an outside service answered too much",
                 "response larger than " + std::to_string(transfer.request.max_response_bytes),
                 {}};
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorCode::kTimeout, "an outside service did not answer in time", reason, {}};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{ErrorCode::kBadRequest, "not a usable URL", reason, {}};
    default:
      return Error{ErrorCode::kUnavailable, "an outside service is unavailable", reason, {}};
  }
}

}  // namespace

struct CurlClient::Impl {
  CURLM* multi = nullptr;
  std::mutex mutex;
  std::deque<std::unique_ptr<Transfer>> submitted;  // guarded by mutex
  bool stopping = false;                            // guarded by mutex
  std::unordered_set<Transfer*> active;             // owned; only the loop thread touches it
  std::thread thread;

  Impl() {
    GlobalInit();
    multi = curl_multi_init();
    if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
    thread = std::thread([this] { Loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    curl_multi_wakeup(multi);
    thread.join();
    curl_multi_cleanup(multi);
  }

  void Submit(std::unique_ptr<Transfer> transfer) {
    {
      std::lock_guard lock(mutex);
      if (!stopping) {
        submitted.push_back(std::move(transfer));
      }
    }
    if (transfer) {
      transfer->Finish(Fail(ErrorCode::kUnavailable, "the process is shutting down"));
      return;
    }
    curl_multi_wakeup(multi);
  }

  // Sets up the easy handle; false (and the transfer finished) when libcurl refuses it.
  bool Start(Transfer& t) {
    t.easy = curl_easy_init();
    if (t.easy == nullptr) {
      t.Finish(Fail(ErrorCode::kUnavailable, "an outside service is unavailable", "no handle"));
      return false;
    }
    const OutboundRequest& r = t.request;
    curl_easy_setopt(t.easy, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(t.easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(kMaxConnectMs, static_cast<long>(r.timeout.count())));
    curl_easy_setopt(t.easy, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(t.easy, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(t.easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(t.easy, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate/br as built
    curl_easy_setopt(t.easy, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
    const std::string method(MethodName(r.method));
    if (r.method == Verb::get) {
      curl_easy_setopt(t.easy, CURLOPT_HTTPGET, 1L);
    } else if (r.method == Verb::head) {
      curl_easy_setopt(t.easy, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(t.easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (!r.body.empty() || r.method == Verb::post || r.method == Verb::put ||
        r.method == Verb::patch) {
      curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, r.body.data());
      if (r.method != Verb::post) curl_easy_setopt(t.easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    // libcurl would otherwise add "Expect: 100-continue" to larger bodies: one round trip lost.
    t.headers = curl_slist_append(t.headers, "Expect:");
    for (const auto& [name, value] : r.headers) {
      t.headers = curl_slist_append(t.headers, (name + ": " + value).c_str());
    }
    curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
    if (curl_multi_add_handle(multi, t.easy) != CURLM_OK) {
      t.Finish(Fail(ErrorCode::kUnavailable, "an outside service is unavailable", "add_handle"));
      return false;
    }
    return true;
  }

  void Complete(CURL* easy, CURLcode code) {
    Transfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    curl_multi_remove_handle(multi, easy);
    active.erase(raw);
    std::unique_ptr<Transfer> transfer(raw);
    if (code != CURLE_OK) {
      transfer->Finish(tl::unexpected(Failure(code, *transfer)));
      return;
    }
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    transfer->response.result(static_cast<unsigned>(status));
    transfer->response.prepare_payload();
    transfer->Finish(std::move(transfer->response));
  }

  void Loop() {
    for (;;) {
      std::deque<std::unique_ptr<Transfer>> batch;
      bool stop = false;
      {
        std::lock_guard lock(mutex);
        batch.swap(submitted);
        stop = stopping;
      }
      for (auto& transfer : batch) {
        if (stop) {
          transfer->Finish(Fail(ErrorCode::kUnavailable, "the process is shutting down"));
          continue;
        }
        // On success the multi handle owns the transfer until Complete takes it back.
        if (Start(*transfer)) active.insert(transfer.release());
      }
      if (stop) break;
      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
        if (message->msg == CURLMSG_DONE) Complete(message->easy_handle, message->data.result);
      }
      curl_multi_poll(multi, nullptr, 0, 1'000, nullptr);
    }
    // Shutting down: whatever is still running fails.
    for (Transfer* raw : active) {
      curl_multi_remove_handle(multi, raw->easy);
      std::unique_ptr<Transfer> transfer(raw);
      transfer->Finish(Fail(ErrorCode::kUnavailable, "the process is shutting down"));
    }
    active.clear();
  }
};

CurlClient::CurlClient() : impl_(std::make_unique<Impl>()) {}
CurlClient::~CurlClient() = default;

asio::awaitable<Result<Response>> CurlClient::Perform(OutboundRequest request) {
  Impl* impl = impl_.get();
  auto initiate = [impl](auto handler, OutboundRequest r) {
    auto executor = asio::get_associated_executor(handler);
    impl->Submit(std::make_unique<Transfer>(std::move(r), Completion(std::move(handler)),
                                            asio::any_io_executor(executor)));
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<Response>)>(
      initiate, asio::use_awaitable, std::move(request));
}

}  // namespace codezero::http
