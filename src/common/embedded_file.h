// A file compiled into the binary (cmake: codezero_embed_directory), e.g. an e-mail template.
#pragma once

#include <string_view>

namespace codezero {

struct EmbeddedFile {
  std::string_view name;  // the file's name, without its directory
  std::string_view text;
};

}  // namespace codezero
