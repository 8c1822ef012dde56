#include "web/page_cache.h"

#include "common/digest.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kMagic = "cz-page-1\n";

void PutField(std::string& out, std::string_view field) {
  const auto size = static_cast<std::uint32_t>(field.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  out.append(field);
}

std::optional<std::string_view> TakeField(std::string_view& in) {
  if (in.size() < 4) return std::nullopt;
  std::uint32_t size = 0;
  for (int i = 0; i < 4; ++i)
    size |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  if (in.size() < size) return std::nullopt;
  const std::string_view field = in.substr(0, size);
  in.remove_prefix(size);
  return field;
}

std::optional<std::uint32_t> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

}  // namespace

std::string SerializePage(const CachedPage& page) {
  std::string out(kMagic);
  PutField(out, std::to_string(page.status));
  PutField(out, page.content_language);
  PutField(out, page.identity);
  PutField(out, page.compressed.gzip);
  PutField(out, std::to_string(page.compressed.gzip_crc));
  PutField(out, std::to_string(page.compressed.size));
  PutField(out, page.compressed.brotli);
  PutField(out, page.has_tail ? "1" : "0");
  PutField(out, std::to_string(page.csrf_forms.size()));
  for (const std::string& form : page.csrf_forms) PutField(out, form);
  return out;
}

std::optional<CachedPage> DeserializePage(std::string_view bytes) {
  if (!bytes.starts_with(kMagic)) return std::nullopt;
  bytes.remove_prefix(kMagic.size());
  CachedPage page;
  const auto status = TakeField(bytes);
  const auto language = TakeField(bytes);
  const auto identity = TakeField(bytes);
  const auto gzip = TakeField(bytes);
  const auto crc = TakeField(bytes);
  const auto size = TakeField(bytes);
  const auto brotli = TakeField(bytes);
  const auto has_tail = TakeField(bytes);
  const auto forms = TakeField(bytes);
  if (!status || !language || !identity || !gzip || !crc || !size || !brotli || !has_tail ||
      !forms || (*has_tail != "0" && *has_tail != "1")) {
    return std::nullopt;
  }
  const auto status_value = ParseNumber(*status);
  const auto crc_value = ParseNumber(*crc);
  const auto size_value = ParseNumber(*size);
  const auto form_count = ParseNumber(*forms);
  if (!status_value || !crc_value || !size_value || !form_count || *form_count > 16) {
    return std::nullopt;
  }
  page.status = *status_value;
  page.content_language = std::string(*language);
  page.identity = std::string(*identity);
  page.compressed.gzip = std::string(*gzip);
  page.compressed.gzip_crc = *crc_value;
  page.compressed.size = *size_value;
  page.compressed.brotli = std::string(*brotli);
  page.has_tail = *has_tail == "1";
  for (std::uint32_t i = 0; i < *form_count; ++i) {
    const auto form = TakeField(bytes);
    if (!form) return std::nullopt;
    page.csrf_forms.emplace_back(*form);
  }
  if (!bytes.empty() || page.compressed.size != page.identity.size()) return std::nullopt;
  return page;
}

std::string PageCacheKey(std::string_view build, int catalog_version, std::string_view language,
                         std::string_view variant, std::string_view path_and_query) {
  const Sha256Digest digest = Sha256(path_and_query);
  std::string key = "web:page:";
  key += build;
  key += ':';
  key += std::to_string(catalog_version);
  key += ':';
  key += language;
  key += ':';
  key += variant;
  key += ':';
  key += ToHex(digest.data(), 16);
  return key;
}

PageCache::PageCache(redis::Client* cache, PageCacheOptions options)
    : cache_(cache), options_(options) {}

std::shared_ptr<const CachedPage> PageCache::FindLocal(const std::string& key) {
  const auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  if (found->second->expires <= std::chrono::steady_clock::now()) {
    entries_.erase(found->second);
    index_.erase(found);
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, found->second);
  return found->second->page;
}

void PageCache::StoreLocal(const std::string& key, std::shared_ptr<const CachedPage> page) {
  if (options_.local_entries == 0) return;
  const auto expires = std::chrono::steady_clock::now() + options_.local_ttl;
  if (const auto found = index_.find(key); found != index_.end()) {
    found->second->page = std::move(page);
    found->second->expires = expires;
    entries_.splice(entries_.begin(), entries_, found->second);
    return;
  }
  entries_.push_front(Entry{key, std::move(page), expires});
  index_.emplace(key, entries_.begin());
  while (index_.size() > options_.local_entries) {
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
}

asio::awaitable<std::shared_ptr<const CachedPage>> PageCache::Find(std::string key) {
  if (auto local = FindLocal(key)) co_return local;
  if (cache_ == nullptr || !cache_->connected()) co_return nullptr;
  auto stored = co_await cache_->Get(key);
  if (!stored || !*stored) co_return nullptr;
  auto page = DeserializePage(**stored);
  if (!page) co_return nullptr;
  auto shared = std::make_shared<const CachedPage>(std::move(*page));
  StoreLocal(key, shared);
  co_return shared;
}

asio::awaitable<void> PageCache::Store(std::string key, std::shared_ptr<const CachedPage> page) {
  StoreLocal(key, page);
  if (cache_ == nullptr || !cache_->connected()) co_return;
  const redis::SetOptions expiry{.expire = options_.shared_ttl};
  (void)co_await cache_->Set(std::move(key), SerializePage(*page), expiry);
}

}  // namespace codezero::web
