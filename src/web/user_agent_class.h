// A coarse class of a browser's User-Agent for consent records ("desktop, Chrome"): enough to
// tell what kind of device and browser a choice was made in, too coarse to single anyone out
// (the full User-Agent string is never stored).
#pragma once

#include <string>
#include <string_view>

namespace codezero::web {

// "<device>, <browser>": device is desktop, mobile, tablet or bot; browser is Edge, Opera,
// Samsung Internet, Firefox, Chrome, Safari or other. An empty User-Agent is "unknown, other".
[[nodiscard]] std::string UserAgentClass(std::string_view user_agent);

}  // namespace codezero::web
