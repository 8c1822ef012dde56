#include "tracing/blocking_post.h"

#include <curl/curl.h>

namespace codezero::tracing {
namespace {

std::size_t IgnoreBody(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

PostOutcome BlockingPost(CURL* curl, const std::string& url,
                         const std::vector<std::string>& headers, const std::string& body,
                         std::chrono::milliseconds timeout) {
  PostOutcome outcome;
  if (curl == nullptr) {
    outcome.error = "no curl handle";
    return outcome;
  }
  curl_easy_reset(curl);
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, IgnoreBody);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &outcome.status);
  curl_slist_free_all(list);
  if (code != CURLE_OK) outcome.error = curl_easy_strerror(code);
  outcome.delivered = code == CURLE_OK && outcome.status >= 200 && outcome.status < 300;
  return outcome;
}

}  // namespace codezero::tracing
