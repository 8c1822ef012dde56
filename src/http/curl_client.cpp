#include "http/curl_client.h"

#include <curl/curl.h>

#include <algorithm>
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

#include "http/header_value.h"

namespace codezero::http {
namespace {

namespace asio = boost::asio;

constexpr long kMaxConnectMs = 5'000;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl failed to initialise");
    }
  });
}

std::string Reason(CURLcode code, const char* detail) {
  std::string reason = curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') reason.append(": ").append(detail);
  return reason;
}

// One transfer on its way: its easy handle, and whom to tell how it ended (posted to the
// caller's executor, with outstanding work so that the caller's loop waits for it).
class Transfer {
 public:
  explicit Transfer(asio::any_io_executor executor) : work_(executor) {}
  virtual ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (list != nullptr) curl_slist_free_all(list);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Sets the handle's options (CURLOPT_PRIVATE and the error buffer are set by the caller).
  virtual void Configure() = 0;
  virtual void Complete(CURLcode code) = 0;
  virtual void Abandon(std::string why) = 0;

  CURL* easy = nullptr;
  curl_slist* list = nullptr;  // headers or recipients
  char error[CURL_ERROR_SIZE] = {};

 protected:
  template <class Handler, class Value>
  void Post(Handler& handler, Value value) {
    auto executor = work_.get_executor();
    asio::post(executor, [handler = std::move(handler), value = std::move(value)]() mutable {
      std::move(handler)(std::move(value));
    });
    work_.reset();
  }

 private:
  asio::executor_work_guard<asio::any_io_executor> work_;
};

class HttpTransfer final : public Transfer {
 public:
  using Completion = asio::any_completion_handler<void(Result<Response>)>;
  HttpTransfer(OutboundRequest request, Completion completion, asio::any_io_executor executor)
      : Transfer(executor), request_(std::move(request)), completion_(std::move(completion)) {}

  void Configure() override {
    const OutboundRequest& r = request_;
    curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(kMaxConnectMs, static_cast<long>(r.timeout.count())));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(easy, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    method_ = std::string(boost::beast::http::to_string(r.method));
    if (r.method == Verb::get) {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (r.method == Verb::head) {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method_.c_str());
    }
    if (!r.body.empty() || r.method == Verb::post || r.method == Verb::put ||
        r.method == Verb::patch) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.data());
      if (r.method != Verb::post) curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method_.c_str());
    }
    // libcurl would otherwise add "Expect: 100-continue" to larger bodies: a round trip lost.
    list = curl_slist_append(list, "Expect:");
    for (const auto& [name, value] : r.headers) {
      std::string line = name;
      line.append(": ").append(value);
      list = curl_slist_append(list, line.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
  }

  void Complete(CURLcode code) override {
    if (code != CURLE_OK) {
      Post(completion_, Result<Response>(tl::unexpected(Failure(code))));
      return;
    }
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response_.result(static_cast<unsigned>(status));
    response_.prepare_payload();
    Post(completion_, Result<Response>(std::move(response_)));
  }

  void Abandon(std::string why) override {
    Post(completion_, Result<Response>(Fail(ErrorCode::kUnavailable, std::move(why))));
  }

 private:
  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<HttpTransfer*>(user);
    const std::size_t bytes = size * count;
    std::string& body = self->response_.body();
    if (body.size() + bytes > self->request_.max_response_bytes) {
      self->too_large_ = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    body.append(data, bytes);
    return bytes;
  }

  // Called once per header line, also for the status lines of interim (1xx) and redirect
  // responses; a new status line starts the header set afresh.
  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<HttpTransfer*>(user);
    const std::size_t bytes = size * count;
    std::string_view line(data, bytes);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
      self->response_ = Response();
      return bytes;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return bytes;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    self->response_.insert(line.substr(0, colon), value);
    return bytes;
  }

  Error Failure(CURLcode code) const {
    if (too_large_) {
      return Error{ErrorCode::kUnavailable,
                   "an outside service answered too much",
                   "response larger than " + std::to_string(request_.max_response_bytes),
                   {}};
    }
    const std::string reason = Reason(code, error);
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

  OutboundRequest request_;
  Completion completion_;
  Response response_;
  std::string method_;
  bool too_large_ = false;
};

class MailTransfer final : public Transfer {
 public:
  using Completion = asio::any_completion_handler<void(MailResult)>;
  MailTransfer(MailRequest request, Completion completion, asio::any_io_executor executor)
      : Transfer(executor), request_(std::move(request)), completion_(std::move(completion)) {}

  void Configure() override {
    const MailRequest& r = request_;
    curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // Without the requirement (a relay on this host only, mail/transport.cpp), STARTTLS is
    // still used whenever the server offers it.
    curl_easy_setopt(easy, CURLOPT_USE_SSL, r.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(kMaxConnectMs, static_cast<long>(r.timeout.count())));
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, ("<" + r.from + ">").c_str());
    for (const std::string& recipient : r.recipients) {
      list = curl_slist_append(list, ("<" + recipient + ">").c_str());
    }
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, list);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(easy, CURLOPT_READDATA, this);
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.message.size()));
  }

  void Complete(CURLcode code) override {
    MailResult result;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.smtp_code);
    result.sent = code == CURLE_OK;
    if (!result.sent) result.error = Reason(code, error);
    Post(completion_, std::move(result));
  }

  void Abandon(std::string why) override {
    MailResult result;
    result.error = std::move(why);
    Post(completion_, std::move(result));
  }

 private:
  static std::size_t OnRead(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<MailTransfer*>(user);
    const std::string& message = self->request_.message;
    const std::size_t bytes = std::min(size * count, message.size() - self->sent_);
    std::copy_n(message.data() + self->sent_, bytes, buffer);
    self->sent_ += bytes;
    return bytes;
  }

  MailRequest request_;
  Completion completion_;
  std::size_t sent_ = 0;
};

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
    std::unique_lock lock(mutex);
    if (stopping) {
      lock.unlock();
      transfer->Abandon("the process is shutting down");
      return;
    }
    submitted.push_back(std::move(transfer));
    lock.unlock();
    curl_multi_wakeup(multi);
  }

  // Sets up the easy handle; false (and the transfer told) when libcurl refuses it.
  bool Start(Transfer& transfer) {
    transfer.easy = curl_easy_init();
    if (transfer.easy == nullptr) {
      transfer.Abandon("libcurl gave no handle");
      return false;
    }
    curl_easy_setopt(transfer.easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(transfer.easy, CURLOPT_ERRORBUFFER, transfer.error);
    curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, &transfer);
    transfer.Configure();
    if (curl_multi_add_handle(multi, transfer.easy) != CURLM_OK) {
      transfer.Abandon("libcurl refused the transfer");
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
    transfer->Complete(code);
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
          transfer->Abandon("the process is shutting down");
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
      transfer->Abandon("the process is shutting down");
    }
    active.clear();
  }
};

CurlClient::CurlClient() : impl_(std::make_unique<Impl>()) {}
CurlClient::~CurlClient() = default;

asio::awaitable<Result<Response>> CurlClient::Perform(OutboundRequest request) {
  for (const auto& [name, value] : request.headers) {
    if (HasControlCharacter(name) || HasControlCharacter(value)) {
      co_return Fail(ErrorCode::kInternal, "an outgoing request could not be sent",
                     "refused to send the header " + name + ": it holds a control character");
    }
  }
  Impl* impl = impl_.get();
  auto initiate = [impl](auto handler, OutboundRequest r) {
    auto executor = asio::get_associated_executor(handler);
    impl->Submit(std::make_unique<HttpTransfer>(std::move(r),
                                                HttpTransfer::Completion(std::move(handler)),
                                                asio::any_io_executor(executor)));
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<Response>)>(
      initiate, asio::use_awaitable, std::move(request));
}

asio::awaitable<MailResult> CurlClient::SendMail(MailRequest request) {
  Impl* impl = impl_.get();
  auto initiate = [impl](auto handler, MailRequest r) {
    auto executor = asio::get_associated_executor(handler);
    impl->Submit(std::make_unique<MailTransfer>(std::move(r),
                                                MailTransfer::Completion(std::move(handler)),
                                                asio::any_io_executor(executor)));
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(MailResult)>(
      initiate, asio::use_awaitable, std::move(request));
}

}  // namespace codezero::http
