#include "web/user_agent_class.h"

namespace codezero::web {
namespace {

bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string_view Device(std::string_view agent) {
  if (agent.empty()) return "unknown";
  if (Has(agent, "bot") || Has(agent, "Bot") || Has(agent, "crawler") || Has(agent, "Spider") ||
      Has(agent, "Lighthouse")) {
    return "bot";
  }
  if (Has(agent, "iPad") || Has(agent, "Tablet") ||
      (Has(agent, "Android") && !Has(agent, "Mobile"))) {
    return "tablet";
  }
  if (Has(agent, "Mobi") || Has(agent, "iPhone") || Has(agent, "Android")) return "mobile";
  return "desktop";
}

std::string_view Browser(std::string_view agent) {
  // Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome says "Safari".
  if (Has(agent, "Edg/") || Has(agent, "EdgA/") || Has(agent, "EdgiOS/")) return "Edge";
  if (Has(agent, "OPR/") || Has(agent, "Opera")) return "Opera";
  if (Has(agent, "SamsungBrowser/")) return "Samsung Internet";
  if (Has(agent, "Firefox/") || Has(agent, "FxiOS/")) return "Firefox";
  if (Has(agent, "Chrome/") || Has(agent, "Chromium/") || Has(agent, "CriOS/")) return "Chrome";
  if (Has(agent, "Safari/")) return "Safari";
  return "other";
}

}  // namespace

std::string UserAgentClass(std::string_view user_agent) {
  std::string out(Device(user_agent));
  out += ", ";
  out += Browser(user_agent);
  return out;
}

}  // namespace codezero::web
