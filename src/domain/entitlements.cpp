#include "domain/entitlements.h"

#include "common/json_writer.h"

namespace codezero::domain {

Result<Entitlements> EntitlementsOf(const Catalog& catalog, const std::vector<BoughtItem>& items) {
  const Plan* plan = nullptr;
  for (const BoughtItem& item : items) {
    if (const Plan* found = catalog.FindPlan(item.code)) plan = found;
  }
  if (plan == nullptr) return Fail(ErrorCode::kValidationFailed, "no plan among the items");
  Entitlements granted;
  granted.plan = plan->code;
  granted.seats = plan->included_seats;
  granted.ai_credits_per_month = plan->included_ai_credits;
  granted.sso = plan->Includes("sso");
  granted.audit_log = plan->Includes("audit_log");
  if (plan->Includes("priority_support")) granted.support = "priority";
  if (plan->Includes("eu_residency")) granted.residency = "eu";
  for (const BoughtItem& item : items) {
    if (item.code == "extra_seats") granted.seats += item.quantity;
    if (item.code == "credits_5m") granted.ai_credits_per_month += item.quantity * kCreditsPerPack;
    if (item.code == "sso") granted.sso = true;
    if (item.code == "audit_log") granted.audit_log = true;
    if (item.code == "priority_support") granted.support = "priority";
    if (item.code == "eu_residency") granted.residency = "eu";
  }
  return granted;
}

std::string EntitlementsJson(const Entitlements& entitlements) {
  JsonWriter json(256);
  json.BeginObject();
  json.Member("plan", entitlements.plan);
  json.Member("seats", entitlements.seats);
  json.Member("ai_credits_per_month", entitlements.ai_credits_per_month);
  json.Member("sso", entitlements.sso);
  json.Member("audit_log", entitlements.audit_log);
  json.Member("support", entitlements.support);
  json.Member("residency", entitlements.residency);
  json.EndObject();
  return std::move(json).Take();
}

}  // namespace codezero::domain
