// Time. Objects of a customer created with a test clock live on that clock's `frozen_time`;
// everything else on the wall clock. Delays the stand-in measures on the wall clock itself
// (SEPA settlement, webhook retries, a session's lifetime) are divided by the time factor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stripe_fake/store.h"

namespace codezero::stripe_fake {

[[nodiscard]] std::int64_t WallSeconds();
[[nodiscard]] std::int64_t WallMilliseconds();

// The test clock a customer lives on ("" for none).
[[nodiscard]] std::string ClockOfCustomer(Store& store, std::string_view customer_id);

// The time of `clock_id` ("" is the wall clock).
[[nodiscard]] std::int64_t ClockNow(Store& store, std::string_view clock_id);

// The time the customer lives on.
[[nodiscard]] std::int64_t NowForCustomer(Store& store, std::string_view customer_id);

}  // namespace codezero::stripe_fake
