// What the integration tests need from scripts/test: a PostgreSQL role that may create
// databases (TEST_DATABASE_URL) and a Redis (TEST_REDIS_URL). Each test gets a database of its
// own and a key prefix of its own, so tests run in parallel and in any order.
#pragma once

#include <string>

namespace codezero::testing {

// The value of an environment variable the tests need; fails the test (by throwing) when it is
// missing, so a run without services cannot pass by skipping.
std::string RequiredEnvironment(const char* name);

// A fresh, empty database, dropped again when the object is destroyed.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  // Runs SQL through a separate, blocking admin connection to this database.
  void Execute(const std::string& sql) const;
  // The first column of the first row of a query's result, as text ("" when no row).
  [[nodiscard]] std::string QueryValue(const std::string& sql) const;

 private:
  std::string name_;
  std::string url_;
};

// The test Redis's URL and a key prefix unique to this test process.
std::string TestRedisUrl();
std::string UniqueKeyPrefix();

// The URL `base` with its path (the database) replaced.
std::string WithDatabase(const std::string& base, const std::string& database);

}  // namespace codezero::testing
