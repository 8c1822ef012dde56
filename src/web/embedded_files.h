// The web frontend's files compiled into the binary (cmake/web_files.cmake): templates,
// translations, legal content and static assets, each under its path in the tree
// ("templates/layout.mustache", "content/de/impressum.md", "assets/app.css.br").
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "common/embedded_file.h"

namespace codezero::web {

[[nodiscard]] std::span<const EmbeddedFile> EmbeddedFiles();

// The bytes of the file at `path`; nullopt when there is none.
[[nodiscard]] std::optional<std::string_view> FindEmbeddedFile(std::string_view path);

}  // namespace codezero::web
