// Runs a transaction against a test database from a plain test, as the platform's handlers do
// (to enqueue a job or an e-mail the way the API would): a one-connection pool of its own,
// `body(tx) -> awaitable<Result<T>>` inside Pool::Transact, committed when it succeeds.
#pragma once

#include <string>

#include <boost/asio/io_context.hpp>

#include "db/pool.h"
#include "support/run_async.h"

namespace codezero::testing {

template <class T, class Body>
Result<T> RunInTransaction(const std::string& database_url, Body body) {
  boost::asio::io_context context;
  db::PoolOptions options;
  options.connect.url = database_url;
  options.size = 1;
  db::Pool pool(context.get_executor(), options);
  Result<T> result = RunAsync(context, pool.Transact(std::move(body)));
  pool.Close();
  return result;
}

}  // namespace codezero::testing
