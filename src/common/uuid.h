// UUIDs as the database generates them (gen_random_uuid()). A path parameter is checked before
// it reaches SQL, so a malformed id is a 404, not a cast error.
#pragma once

#include <string_view>

namespace codezero {

// True for a canonical UUID text (8-4-4-4-12 hex digits).
[[nodiscard]] bool IsUuid(std::string_view text);

}  // namespace codezero
