// How often each job kind is tried before it is discarded, known to every process that
// enqueues (the API as well as the worker): 20 unless a kind says otherwise. With the
// attempt⁴ backoff, 20 attempts span about 11.5 days; 5 about 15 minutes.
#pragma once

#include <string_view>

namespace codezero::queue {

inline constexpr int kDefaultMaxAttempts = 20;

[[nodiscard]] int MaxAttemptsOf(std::string_view kind);

}  // namespace codezero::queue
