#include "stripe_fake/store.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

const std::vector<std::string>& NoIds() {
  static const std::vector<std::string> none;
  return none;
}

}  // namespace

json::object* Store::Find(std::string_view id) {
  const auto found = objects_.find(std::string(id));
  return found == objects_.end() ? nullptr : &found->second;
}

json::object* Store::Find(std::string_view id, std::string_view type) {
  json::object* object = Find(id);
  if (object == nullptr) return nullptr;
  const json::value* kind = object->if_contains("object");
  if (kind == nullptr || !kind->is_string() || kind->as_string() != type) return nullptr;
  return object;
}

json::object& Store::Insert(std::string type, json::object object) {
  std::string id(object.at("id").as_string());
  order_[type].push_back(id);
  dirty_ = true;
  return objects_.insert_or_assign(std::move(id), std::move(object)).first->second;
}

void Store::Remove(std::string_view id) {
  const auto found = objects_.find(std::string(id));
  if (found == objects_.end()) return;
  const std::string type(found->second.at("object").as_string());
  auto& ids = order_[type];
  std::erase(ids, std::string(id));
  objects_.erase(found);
  private_.erase(std::string(id));
  dirty_ = true;
}

json::object& Store::Private(std::string_view id) { return private_[std::string(id)]; }

const std::vector<std::string>& Store::Ids(std::string_view type) const {
  const auto found = order_.find(type);
  return found == order_.end() ? NoIds() : found->second;
}

json::value Store::ToJson() const {
  json::object state;
  state["format"] = 1;
  json::object types;
  for (const auto& [type, ids] : order_) {
    json::array objects;
    for (const std::string& id : ids) {
      json::object entry;
      entry["object"] = objects_.at(id);
      const auto hidden = private_.find(id);
      if (hidden != private_.end()) entry["private"] = hidden->second;
      objects.push_back(std::move(entry));
    }
    types[type] = std::move(objects);
  }
  state["objects"] = std::move(types);
  json::object records;
  for (const auto& [key, record] : idempotency_) {
    if (record.in_flight) continue;
    json::object entry;
    entry["fingerprint"] = record.fingerprint;
    entry["status"] = record.status;
    entry["body"] = record.body;
    entry["request_id"] = record.request_id;
    entry["created_ms"] = record.created_ms;
    records[key] = std::move(entry);
  }
  state["idempotency"] = std::move(records);
  json::array jobs;
  for (const ScheduledJob& job : jobs_) {
    json::object entry;
    entry["kind"] = job.kind;
    entry["id"] = job.id;
    entry["due_ms"] = job.due_ms;
    jobs.push_back(std::move(entry));
  }
  state["jobs"] = std::move(jobs);
  state["webhook_queue"] = webhook_queue_;
  return state;
}

Result<Store> Store::FromJson(const json::value& state) {
  try {
    Store store;
    const json::object& root = state.as_object();
    if (root.at("format").to_number<int>() != 1) {
      return Fail(ErrorCode::kBadRequest, "unknown state file format");
    }
    for (const auto& [type, objects] : root.at("objects").as_object()) {
      for (const json::value& entry : objects.as_array()) {
        const json::object& object = entry.at("object").as_object();
        const std::string id(object.at("id").as_string());
        store.Insert(std::string(type), object);
        if (const json::value* hidden = entry.as_object().if_contains("private")) {
          store.Private(id) = hidden->as_object();
        }
      }
    }
    for (const auto& [key, entry] : root.at("idempotency").as_object()) {
      IdempotencyRecord record;
      record.in_flight = false;
      record.fingerprint = std::string(entry.at("fingerprint").as_string());
      record.status = entry.at("status").to_number<int>();
      record.body = std::string(entry.at("body").as_string());
      record.request_id = std::string(entry.at("request_id").as_string());
      record.created_ms = entry.at("created_ms").to_number<std::int64_t>();
      store.idempotency_.emplace(std::string(key), std::move(record));
    }
    for (const json::value& entry : root.at("jobs").as_array()) {
      store.jobs_.push_back(ScheduledJob{std::string(entry.at("kind").as_string()),
                                         std::string(entry.at("id").as_string()),
                                         entry.at("due_ms").to_number<std::int64_t>()});
    }
    store.webhook_queue_ = root.at("webhook_queue").as_array();
    store.dirty_ = false;
    return store;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kBadRequest, "the state file is malformed", e.what());
  }
}

Result<Store> LoadStore(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Store{};  // no file yet: start empty
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value state = json::parse(text.str(), ec);
  if (ec) return Fail(ErrorCode::kBadRequest, "the state file is not JSON", ec.message());
  return Store::FromJson(state);
}

Result<void> SaveStore(const Store& store, const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the state file", temporary);
    out << json::serialize(store.ToJson());
    out.flush();
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the state file", temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot replace the state file", ec.message());
  return {};
}

}  // namespace codezero::stripe_fake
