// The stand-in's whole state: every Stripe object by id (as the JSON the API returns), the
// private fields Stripe does not show (a card's test behaviour, a price's basis points), the
// creation order per object type (lists are newest first), idempotency records, and the
// work scheduled on the wall clock. Owned by the one event loop; never locked.
//
// The state file is this, serialized: `ToJson` / `FromJson`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/error.h"

namespace codezero::stripe_fake {

struct IdempotencyRecord {
  std::string fingerprint;  // method, path and body of the first request
  bool in_flight = true;
  int status = 0;
  std::string body;
  std::string request_id;
  std::int64_t created_ms = 0;  // wall clock
};

// Something due on the wall clock (scaled by the time factor), e.g. a SEPA debit settling.
struct ScheduledJob {
  std::string kind;  // "sepa_settle"
  std::string id;    // the object it concerns
  std::int64_t due_ms = 0;
};

class Store {
 public:
  // nullptr when absent.
  [[nodiscard]] boost::json::object* Find(std::string_view id);
  // The object with `id` whose "object" is `type`; nullptr otherwise.
  [[nodiscard]] boost::json::object* Find(std::string_view id, std::string_view type);
  // REQUIRES: object["id"] is a string not yet used.
  boost::json::object& Insert(std::string type, boost::json::object object);
  void Remove(std::string_view id);
  // Private fields of an object (created empty on first use).
  [[nodiscard]] boost::json::object& Private(std::string_view id);
  // Ids of one type in creation order, oldest first.
  [[nodiscard]] const std::vector<std::string>& Ids(std::string_view type) const;

  std::unordered_map<std::string, IdempotencyRecord>& idempotency() { return idempotency_; }
  const std::unordered_map<std::string, IdempotencyRecord>& idempotency() const {
    return idempotency_;
  }
  std::vector<ScheduledJob>& jobs() { return jobs_; }
  // Webhook deliveries still to make, as the dispatcher exports them.
  boost::json::array& webhook_queue() { return webhook_queue_; }

  void MarkDirty() { dirty_ = true; }
  [[nodiscard]] bool dirty() const { return dirty_; }
  void ClearDirty() { dirty_ = false; }

  [[nodiscard]] boost::json::value ToJson() const;
  [[nodiscard]] static Result<Store> FromJson(const boost::json::value& state);

 private:
  std::unordered_map<std::string, boost::json::object> objects_;
  std::unordered_map<std::string, boost::json::object> private_;
  std::map<std::string, std::vector<std::string>, std::less<>> order_;
  std::unordered_map<std::string, IdempotencyRecord> idempotency_;
  std::vector<ScheduledJob> jobs_;
  boost::json::array webhook_queue_;
  bool dirty_ = false;
};

// Reads and writes the state file (written to a temporary file, then renamed).
[[nodiscard]] Result<Store> LoadStore(const std::string& path);
[[nodiscard]] Result<void> SaveStore(const Store& store, const std::string& path);

}  // namespace codezero::stripe_fake
