// The Mustache inputs: data of any shape (JSON, as the templates' data is built from) rendered
// into the platform's own e-mail templates (src/mail/templates/) through
// src/common/mustache_data.h, without a crash or a sanitizer finding.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/mustache_data.h"
#include "http/json_body.h"

namespace {

std::string ReadTemplate(const char* name) {
  std::ifstream in(std::string(CODEZERO_SOURCE_DIR) + "/src/mail/templates/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string templates[] = {ReadTemplate("access_details.de.mustache"),
                                          ReadTemplate("cancellation_declared.en.mustache"),
                                          ReadTemplate("layout.mustache")};
  const auto parsed =
      codezero::http::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  const kainjow::mustache::data view = codezero::MustacheDataOf(*parsed);
  for (const std::string& text : templates) {
    kainjow::mustache::mustache compiled(text);
    if (!compiled.is_valid()) __builtin_trap();
    (void)compiled.render(view);
  }
  return 0;
}
