// List endpoints and `expand[]`, as Stripe does them:
//   {"object":"list","data":[...newest first...],"has_more":true,"url":"/v1/customers"}
// with `limit` (1..100, default 10), `starting_after` / `ending_before` (an object id), and
// `created[gt|gte|lt|lte]` (or `created=<ts>`). `expand[]` replaces id fields by the objects
// they name, along dotted paths (`latest_invoice.payment_intent`, `data.customer` on lists).
#pragma once

#include <functional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"
#include "stripe_fake/params.h"

namespace codezero::stripe_fake {

using ListFilter = std::function<bool(const boost::json::object&)>;

// The parameters every list accepts; add the endpoint's own filters to them.
[[nodiscard]] std::vector<ParamSpec> ListParams(std::vector<ParamSpec> filters);

// Lists objects of `type` (newest first) that pass `filter` and the `created` filter.
[[nodiscard]] ApiResult ListOf(Core& core, const std::string& type,
                               const boost::json::object& params, const std::string& url,
                               const ListFilter& filter);

// Pages through `data` (newest first already) with the list parameters.
[[nodiscard]] ApiResult Page(boost::json::array data, const boost::json::object& params,
                             const std::string& url);

// Applies every `expand[]` path in `params` to `value`.
void ExpandAll(Core& core, boost::json::value& value, const boost::json::object& params);

}  // namespace codezero::stripe_fake
