// What this binary is: its version, the git commit it was built from and when. The definition
// is generated at build time (cmake/generate_build_info.cmake).
#pragma once

#include <string_view>

namespace codezero {

struct BuildInfo {
  std::string_view version;
  std::string_view commit;    // "unknown" outside a git checkout; "-dirty" with local changes
  std::string_view built_at;  // ISO 8601, UTC
};

const BuildInfo& GetBuildInfo();

}  // namespace codezero
