// The static assets (style sheet, script bundle, icons, images), compiled into the binary and
// served under names that carry a hash of their content (`/assets/app.3f2a9c1b0e.css`), so a
// browser and every cache may keep them for a year without asking again: a new build with a
// changed file has a new name. Text assets come precompressed (gzip -9, brotli -q 11, at build
// time); each has a strong ETag.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace codezero::web {

struct Asset {
  std::string public_name;  // "app.3f2a9c1b0e.css"
  std::string content_type;
  std::string etag;  // "\"3f2a9c1b0e\""
  std::string_view identity;
  std::string_view gzip;    // empty when not precompressed
  std::string_view brotli;  // empty when not precompressed
};

class Assets {
 public:
  // Indexes every embedded `assets/` file. Throws std::runtime_error for a file of an unknown
  // type (a build defect).
  Assets();

  // "/assets/app.3f2a9c1b0e.css" for "app.css". Throws std::invalid_argument for an unknown
  // asset (templates ask only for assets that exist; the tests render every page).
  [[nodiscard]] const std::string& UrlOf(std::string_view name) const;
  // By public name ("app.3f2a9c1b0e.css"); nullptr when there is none.
  [[nodiscard]] const Asset* Find(std::string_view public_name) const;
  // A hash over every asset, part of the build fingerprint.
  [[nodiscard]] const std::string& fingerprint() const { return fingerprint_; }

 private:
  std::map<std::string, Asset, std::less<>> by_public_name_;
  std::map<std::string, std::string, std::less<>> url_by_name_;
  std::string fingerprint_;
};

// The build's fingerprint: a hash over every embedded web file (templates, translations,
// content, assets). Part of every page-cache key, so a deploy with any change renders anew.
[[nodiscard]] const std::string& BuildFingerprint();

}  // namespace codezero::web
