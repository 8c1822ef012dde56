#include "worker/registry.h"

#include <gtest/gtest.h>

#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

Outcome Done() { return Outcome::Completed(); }

JobHandler Handler() {
  return [](const JobRecord&) -> boost::asio::awaitable<Outcome> { co_return Done(); };
}

TEST(Registry, NamesEveryKindOfThePlatformThatHasNoHandler) {
  Registry registry;
  EXPECT_EQ(registry.MissingKinds().size(), queue::kAllKinds.size());
  registry.Add(queue::kinds::kEmailSend, Handler());
  const std::vector<std::string> missing = registry.MissingKinds();
  EXPECT_EQ(missing.size(), queue::kAllKinds.size() - 1);
  EXPECT_EQ(std::count(missing.begin(), missing.end(), "email.send"), 0);
  EXPECT_EQ(std::count(missing.begin(), missing.end(), "stripe.process_event"), 1);
}

TEST(Registry, TakesATypedKindsTimeoutAndRefusesAKindTwice) {
  Registry registry;
  registry.Add(queue::kinds::kBillingReconcile, Handler());
  const Registry::Entry* entry = registry.Find("billing.reconcile");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->options.timeout, queue::kinds::kBillingReconcile.timeout);
  EXPECT_THROW(registry.Add(queue::kinds::kBillingReconcile, Handler()), std::invalid_argument);
}

TEST(JobKinds, AreUniqueByNameAndFoundByIt) {
  for (const queue::JobKind* kind : queue::kAllKinds) {
    EXPECT_EQ(queue::FindKind(kind->name), kind) << kind->name;
  }
  EXPECT_EQ(queue::FindKind("no.such_kind"), nullptr);
  EXPECT_EQ(queue::MaxAttemptsOf("billing.reconcile"), 5);
  EXPECT_EQ(queue::MaxAttemptsOf("no.such_kind"), queue::kDefaultMaxAttempts);
  EXPECT_EQ(queue::kinds::kEmailSend.queue, "email");
}

}  // namespace
}  // namespace codezero::worker
