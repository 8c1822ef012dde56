#include "stripe_fake/listing.h"

#include <boost/json/array.hpp>

#include "stripe_fake/checkout.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

bool MatchesCreated(const json::object& object, const json::object& params) {
  const json::value* created = params.if_contains("created");
  if (created == nullptr) return true;
  const std::int64_t value = Number(object, "created");
  if (created->is_string()) return Int(params, "created") == value;
  if (!created->is_object()) return true;
  if (auto bound = Int(params, "created.gt"); bound && !(value > *bound)) return false;
  if (auto bound = Int(params, "created.gte"); bound && !(value >= *bound)) return false;
  if (auto bound = Int(params, "created.lt"); bound && !(value < *bound)) return false;
  if (auto bound = Int(params, "created.lte"); bound && !(value <= *bound)) return false;
  return true;
}

void ExpandPath(Core& core, json::value& value, std::string_view path) {
  const auto dot = path.find('.');
  const std::string head(path.substr(0, dot));
  const std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (!value.is_object()) return;
  json::object& object = value.as_object();
  if (Text(object, "object") == "list" && head == "data") {
    if (rest.empty()) return;
    for (json::value& item : object.at("data").as_array()) ExpandPath(core, item, rest);
    return;
  }
  if (head == "line_items" && Text(object, "object") == "checkout.session") {
    const std::string id = Text(object, "id");
    object["line_items"] =
        NestedList(SessionLineItems(core, id), "/v1/checkout/sessions/" + id + "/line_items");
  } else {
    json::value* field = object.if_contains(head);
    if (field == nullptr) return;
    if (field->is_string()) {
      if (const json::object* found = core.store.Find(field->as_string())) *field = *found;
    }
  }
  if (rest.empty()) return;
  json::value& next = object.at(head);
  if (next.is_array()) {  // an array of hashes: "total_tax_amounts.tax_rate"
    for (json::value& item : next.as_array()) ExpandPath(core, item, rest);
  } else {
    ExpandPath(core, next, rest);
  }
}

}  // namespace

std::vector<ParamSpec> ListParams(std::vector<ParamSpec> filters) {
  for (ParamSpec spec :
       {ParamSpec{"limit", ParamKind::kInteger}, ParamSpec{"starting_after"},
        ParamSpec{"ending_before"}, ParamSpec{"created"},
        ParamSpec{"created.gt", ParamKind::kInteger}, ParamSpec{"created.gte", ParamKind::kInteger},
        ParamSpec{"created.lt", ParamKind::kInteger},
        ParamSpec{"created.lte", ParamKind::kInteger}}) {
    filters.push_back(spec);
  }
  return filters;
}

ApiResult Page(json::array data, const json::object& params, const std::string& url) {
  const std::int64_t limit = Int(params, "limit").value_or(10);
  if (limit < 1 || limit > 100) {
    return tl::unexpected(
        InvalidParam("limit", limit < 1 ? "This value must be greater than or equal to 1."
                                        : "This value must be less than or equal to 100."));
  }
  std::size_t begin = 0;
  std::size_t end = data.size();
  const auto index_of = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (Text(data[i].as_object(), "id") == id) return i;
    }
    return std::nullopt;
  };
  bool backwards = false;
  if (const std::optional<std::string> after = Str(params, "starting_after")) {
    const auto at = index_of(*after);
    if (!at) return tl::unexpected(NoSuch("object", *after, "starting_after"));
    begin = *at + 1;
  } else if (const std::optional<std::string> before = Str(params, "ending_before")) {
    const auto at = index_of(*before);
    if (!at) return tl::unexpected(NoSuch("object", *before, "ending_before"));
    end = *at;
    backwards = true;
  }
  const auto count = static_cast<std::size_t>(limit);
  std::size_t from = begin;
  std::size_t to = end;
  bool has_more = false;
  if (backwards) {
    // The `limit` objects just before (newer than) `ending_before`, newest first.
    has_more = end - begin > count;
    from = has_more ? end - count : begin;
  } else {
    has_more = end - begin > count;
    to = has_more ? begin + count : end;
  }
  json::array page;
  for (std::size_t i = from; i < to; ++i) page.push_back(std::move(data[i]));
  json::object list;
  list["object"] = "list";
  list["data"] = std::move(page);
  list["has_more"] = has_more;
  list["url"] = url;
  return list;
}

ApiResult ListOf(Core& core, const std::string& type, const json::object& params,
                 const std::string& url, const ListFilter& filter) {
  json::array data;
  const std::vector<std::string>& ids = core.store.Ids(type);
  // Newest first: by `created`, then by creation order (test clocks can create objects with an
  // older `created` than real-time ones made before them).
  std::vector<const json::object*> objects;
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    const json::object* object = core.store.Find(*it);
    if (object == nullptr || !MatchesCreated(*object, params)) continue;
    if (filter && !filter(*object)) continue;
    objects.push_back(object);
  }
  std::stable_sort(objects.begin(), objects.end(),
                   [](const json::object* a, const json::object* b) {
                     return Number(*a, "created") > Number(*b, "created");
                   });
  for (const json::object* object : objects) data.push_back(*object);
  return Page(std::move(data), params, url);
}

void ExpandAll(Core& core, json::value& value, const json::object& params) {
  for (const std::string& path : StrList(params, "expand")) ExpandPath(core, value, path);
}

}  // namespace codezero::stripe_fake
