// What a form shows when the API did not take it: the API's answer turned into the data the
// `form_summary` partial and the fields' error lines read: a flag for the kind of problem
// (`refused`, `rate_limited` with `wait_minutes`, `conflict`, `forbidden`, `invalid_link`, the
// sign-in cases), the API's messages (already in the page's language) per form field, and a
// summary linking to each field.
#pragma once

#include <span>
#include <string_view>

#include <boost/json/object.hpp>

#include "http/message.h"

namespace codezero::web {

// An API field ("company.address.city") and the form field it is shown at ("city").
struct FieldMapping {
  std::string_view api;
  std::string_view form;
};

// Template data for a refusal; merge it into the page's data.
[[nodiscard]] boost::json::object FeedbackOf(const http::Response& answer,
                                             std::span<const FieldMapping> fields);

// Template data for one problem of the page's own (a flag of form_summary), optionally at a
// field with a message: FeedbackFlag("refused", "terms", "…").
[[nodiscard]] boost::json::object FeedbackFlag(std::string_view flag);

// Adds `message` as the error of form field `field` to feedback data (made by FeedbackOf or
// FeedbackFlag), and to its summary.
void AddFieldError(boost::json::object& feedback, std::string_view field, std::string message);

// Copies every member of `from` into `into`.
void Merge(boost::json::object& into, const boost::json::object& from);

}  // namespace codezero::web
