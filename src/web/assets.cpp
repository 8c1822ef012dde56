#include "web/assets.h"

#include <stdexcept>

#include "common/digest.h"
#include "web/embedded_files.h"

namespace codezero::web {
namespace {

constexpr std::string_view kPrefix = "assets/";

std::optional<std::string_view> ContentTypeOf(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".ico")) return "image/x-icon";
  if (name.ends_with(".webp")) return "image/webp";
  if (name.ends_with(".woff2")) return "font/woff2";
  if (name.ends_with(".txt")) return "text/plain; charset=utf-8";
  if (name.ends_with(".xml")) return "application/xml";
  return std::nullopt;
}

std::string ShortHash(std::string_view bytes) {
  const Sha256Digest digest = Sha256(bytes);
  return ToHex(digest.data(), 5);
}

}  // namespace

Assets::Assets() {
  std::string all_hashes;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (!file.name.starts_with(kPrefix)) continue;
    const std::string_view name = file.name.substr(kPrefix.size());
    if (name.ends_with(".gz") || name.ends_with(".br")) continue;
    const auto type = ContentTypeOf(name);
    if (!type) throw std::runtime_error("asset of an unknown type: " + std::string(name));
    const std::string hash = ShortHash(file.text);
    const std::size_t dot = name.find('.');
    Asset asset;
    asset.public_name =
        std::string(name.substr(0, dot)) + "." + hash + std::string(name.substr(dot));
    asset.content_type = std::string(*type);
    asset.etag = "\"" + hash + "\"";
    asset.identity = file.text;
    asset.gzip = FindEmbeddedFile(std::string(file.name) + ".gz").value_or("");
    asset.brotli = FindEmbeddedFile(std::string(file.name) + ".br").value_or("");
    url_by_name_.emplace(std::string(name), "/assets/" + asset.public_name);
    all_hashes += asset.public_name;
    by_public_name_.emplace(asset.public_name, std::move(asset));
  }
  fingerprint_ = ShortHash(all_hashes);
}

const std::string& Assets::UrlOf(std::string_view name) const {
  const auto found = url_by_name_.find(name);
  if (found == url_by_name_.end()) throw std::invalid_argument("no asset " + std::string(name));
  return found->second;
}

const Asset* Assets::Find(std::string_view public_name) const {
  const auto found = by_public_name_.find(public_name);
  return found == by_public_name_.end() ? nullptr : &found->second;
}

const std::string& BuildFingerprint() {
  static const std::string fingerprint = [] {
    std::string all;
    for (const EmbeddedFile& file : EmbeddedFiles()) {
      all += file.name;
      all += '\0';
      const Sha256Digest digest = Sha256(file.text);
      all.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    }
    return ShortHash(all);
  }();
  return fingerprint;
}

}  // namespace codezero::web
