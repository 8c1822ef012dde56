// Rendered anonymous pages, shared and kept (seed: Redis as response cache): a small
// in-process LRU in front of Redis, both keyed by everything a page depends on:
//
//   web:page:<build>:<catalog version>:<language>:<visitor variant>:<sha256(path?normalized query)>
//
// <build> changes with any template, text, content file or asset (a deploy), <catalog version>
// with the catalog, so neither needs an explicit purge: new keys are used at once, old entries
// age out (in-process after `local_ttl`, Redis after `shared_ttl`). A page is stored with its
// body compressed once (compression.h); the per-response tail is added when it is sent.
// Redis failing only costs speed: lookups then miss, stores are dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "redis/client.h"
#include "web/compression.h"

namespace codezero::web {

struct CachedPage {
  unsigned status = 200;
  std::string content_language;  // "de" | "en"
  std::string identity;          // the HTML up to where the tail goes
  CompressedPrefix compressed;
  std::vector<std::string> csrf_forms;  // ids of the forms that get a CSRF field in the tail
  bool has_tail = true;                 // false: a fragment of a page, sent as it is
};

// The bytes Redis holds for a page (length-prefixed fields), and back; nullopt when malformed.
[[nodiscard]] std::string SerializePage(const CachedPage& page);
[[nodiscard]] std::optional<CachedPage> DeserializePage(std::string_view bytes);

struct PageCacheOptions {
  std::size_t local_entries = 2'000;
  std::chrono::milliseconds local_ttl{60'000};
  std::chrono::milliseconds shared_ttl{600'000};
};

// One per event loop (not thread-safe); the Redis layer is what the loops and instances share.
class PageCache {
 public:
  // `cache`: null means no Redis layer.
  PageCache(redis::Client* cache, PageCacheOptions options);

  [[nodiscard]] boost::asio::awaitable<std::shared_ptr<const CachedPage>> Find(std::string key);
  // Keeps `page` in both layers (the Redis write is awaited but its failure ignored).
  [[nodiscard]] boost::asio::awaitable<void> Store(std::string key,
                                                   std::shared_ptr<const CachedPage> page);

  // The in-process layer alone (tests and benchmarks look at it).
  [[nodiscard]] std::shared_ptr<const CachedPage> FindLocal(const std::string& key);
  void StoreLocal(const std::string& key, std::shared_ptr<const CachedPage> page);
  [[nodiscard]] std::size_t local_size() const { return index_.size(); }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedPage> page;
    std::chrono::steady_clock::time_point expires;
  };

  redis::Client* cache_;
  PageCacheOptions options_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// The key of a page (see above); `path_and_query` is hashed so keys stay short.
[[nodiscard]] std::string PageCacheKey(std::string_view build, int catalog_version,
                                       std::string_view language, std::string_view variant,
                                       std::string_view path_and_query);

}  // namespace codezero::web
