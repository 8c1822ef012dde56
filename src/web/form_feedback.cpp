#include "web/form_feedback.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace codezero::web {
namespace {

namespace json = boost::json;

std::string_view FormFieldOf(std::string_view api, std::span<const FieldMapping> fields) {
  for (const FieldMapping& mapping : fields) {
    if (mapping.api == api) return mapping.form;
  }
  return {};
}

}  // namespace

json::object FeedbackFlag(std::string_view flag) {
  json::object feedback{{"problem", true}, {"errors", json::array()}, {"field", json::object()}};
  feedback[flag] = true;
  return feedback;
}

void AddFieldError(json::object& feedback, std::string_view field, std::string message) {
  json::object& fields = feedback["field"].as_object();
  fields[field] = json::object{{"error", message}, {"invalid", true}};
  feedback["errors"].as_array().push_back(
      json::object{{"anchor", "field-" + std::string(field)}, {"message", std::move(message)}});
  feedback["has_errors"] = true;
}

json::object FeedbackOf(const http::Response& answer, std::span<const FieldMapping> fields) {
  const unsigned status = answer.result_int();
  if (status == 429) {
    json::object feedback = FeedbackFlag("rate_limited");
    long seconds = 60;
    try {
      seconds = std::stol(std::string(answer[http::Field::retry_after]));
    } catch (const std::exception&) {
    }
    feedback["wait_minutes"] = std::max<long>(1, (seconds + 59) / 60);
    return feedback;
  }
  if (status == 409) return FeedbackFlag("conflict");
  if (status == 403) return FeedbackFlag("forbidden");

  boost::system::error_code ec;
  const json::value body = json::parse(answer.body(), ec);
  const json::object* object = !ec && body.is_object() ? &body.as_object() : nullptr;
  // OAuth errors (RFC 6749 §5.2) with the API's `reason`.
  if (object != nullptr && object->contains("error") && !object->contains("errors")) {
    const json::value* reason = object->if_contains("reason");
    if (reason != nullptr && reason->is_string()) {
      const std::string_view text = reason->as_string();
      if (text == "email_unverified") return FeedbackFlag("email_unverified");
      if (text == "account_disabled") return FeedbackFlag("account_disabled");
    }
    return FeedbackFlag("wrong_credentials");
  }
  json::object feedback = FeedbackFlag("refused");
  if (object == nullptr) return feedback;
  const json::value* errors = object->if_contains("errors");
  if (errors == nullptr || !errors->is_array()) return feedback;
  for (const json::value& entry : errors->as_array()) {
    if (!entry.is_object()) continue;
    const json::object& error = entry.as_object();
    const json::value* code = error.if_contains("code");
    if (code != nullptr && code->is_string() && code->as_string() == "invalid_link") {
      return FeedbackFlag("invalid_link");
    }
    const json::value* field = error.if_contains("field");
    const json::value* message = error.if_contains("message");
    if (message == nullptr || !message->is_string()) continue;
    const std::string_view form =
        field != nullptr && field->is_string() ? FormFieldOf(field->as_string(), fields) : "";
    if (!form.empty()) {
      AddFieldError(feedback, form, std::string(message->as_string()));
    } else {
      feedback["errors"].as_array().push_back(json::object{{"message", message->as_string()}});
      feedback["has_errors"] = true;
    }
  }
  return feedback;
}

void Merge(json::object& into, const json::object& from) {
  for (const auto& [key, value] : from) into[key] = value;
}

}  // namespace codezero::web
