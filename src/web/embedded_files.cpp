#include "web/embedded_files.h"

#include "embedded/web_files.h"

namespace codezero::web {

std::span<const EmbeddedFile> EmbeddedFiles() { return embedded::web_files(); }

std::optional<std::string_view> FindEmbeddedFile(std::string_view path) {
  for (const EmbeddedFile& file : embedded::web_files()) {
    if (file.name == path) return file.text;
  }
  return std::nullopt;
}

}  // namespace codezero::web
