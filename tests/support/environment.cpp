#include "support/environment.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "common/random.h"

namespace codezero::testing {
namespace {

using PgConnection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

PgConnection ConnectBlocking(const std::string& url) {
  PgConnection connection(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("test database connection failed: ") +
                             PQerrorMessage(connection.get()));
  }
  return connection;
}

std::string ExecBlocking(PGconn* connection, const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection, sql.c_str()), &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("SQL failed: " + sql + ": " + PQerrorMessage(connection));
  }
  if (status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0) {
    return PQgetvalue(result.get(), 0, 0);
  }
  return "";
}

}  // namespace

std::string RequiredEnvironment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run the tests through scripts/test, which starts "
                             "PostgreSQL and Redis for them");
  }
  return value;
}

std::string WithDatabase(const std::string& base, const std::string& database) {
  auto parsed = boost::urls::parse_uri(base);
  if (!parsed) throw std::runtime_error("TEST_DATABASE_URL is not a URL");
  boost::urls::url url(*parsed);
  url.set_path("/" + database);
  return std::string(url.buffer());
}

TestDatabase::TestDatabase() {
  std::string suffix = NewRequestId().substr(0, 16);
  name_ = "t_" + suffix;
  const std::string admin = RequiredEnvironment("TEST_DATABASE_URL");
  PgConnection connection = ConnectBlocking(admin);
  ExecBlocking(connection.get(), "CREATE DATABASE " + name_);
  url_ = WithDatabase(admin, name_);
}

TestDatabase::~TestDatabase() {
  try {
    PgConnection connection = ConnectBlocking(RequiredEnvironment("TEST_DATABASE_URL"));
    ExecBlocking(connection.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The throw-away cluster is deleted after the run anyway.
  }
}

void TestDatabase::Execute(const std::string& sql) const {
  PgConnection connection = ConnectBlocking(url_);
  ExecBlocking(connection.get(), sql);
}

std::string TestDatabase::QueryValue(const std::string& sql) const {
  PgConnection connection = ConnectBlocking(url_);
  return ExecBlocking(connection.get(), sql);
}

std::string TestRedisUrl() { return RequiredEnvironment("TEST_REDIS_URL"); }

std::string UniqueKeyPrefix() { return "test:" + NewRequestId().substr(0, 12) + ":"; }

}  // namespace codezero::testing
