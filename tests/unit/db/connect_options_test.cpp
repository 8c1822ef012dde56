#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "db/connection.h"
#include "db/pool_options.h"
#include "support/settings_of.h"

namespace codezero::db {
namespace {

using test::SettingsOf;

TEST(ConnectOptions, ThroughPgBouncerSessionsOfTheirOwnGoToPostgresItself) {
  SettingsReader reader = SettingsOf({
      {"DATABASE_URL", "postgresql://app:secret@pgbouncer:6432/codezero"},
      {"DB_PGBOUNCER", "true"},
      {"DATABASE_DIRECT_URL", "postgresql://app:secret@postgres:5432/codezero"},
  });
  const ConnectOptions pooled = ReadConnectOptions(reader, "codezero-api");
  EXPECT_TRUE(reader.problems().empty());
  EXPECT_TRUE(pooled.transaction_pooler);
  EXPECT_EQ(pooled.url, "postgresql://app:secret@pgbouncer:6432/codezero");

  // LISTEN and the migrations' lock: PostgreSQL itself, with named statements and options.
  const ConnectOptions direct = DirectConnectOptions(pooled);
  EXPECT_FALSE(direct.transaction_pooler);
  EXPECT_EQ(direct.url, "postgresql://app:secret@postgres:5432/codezero");
  EXPECT_EQ(direct.application_name, "codezero-api");
}

TEST(ConnectOptions, WithoutADirectUrlTheSessionsOfTheirOwnUseDatabaseUrl) {
  SettingsReader reader =
      SettingsOf({{"DATABASE_URL", "postgresql://app:secret@db:5432/codezero"}});
  const ConnectOptions options = ReadConnectOptions(reader, "codezero-worker");
  EXPECT_TRUE(reader.problems().empty());
  EXPECT_FALSE(options.transaction_pooler);
  EXPECT_EQ(DirectConnectOptions(options).url, options.url);
}

TEST(ConnectOptions, AMalformedDirectUrlIsAProblem) {
  SettingsReader reader = SettingsOf({{"DATABASE_URL", "postgresql://app:secret@db:5432/codezero"},
                                      {"DATABASE_DIRECT_URL", "postgresql://app:%zz@db/codezero"}});
  (void)ReadConnectOptions(reader, "codezero-api");
  ASSERT_EQ(reader.problems().size(), 1u);
  EXPECT_NE(reader.problems().front().find("DATABASE_DIRECT_URL"), std::string::npos);
  // The secret never shows in the problem.
  EXPECT_EQ(reader.problems().front().find("%zz"), std::string::npos);
}

}  // namespace
}  // namespace codezero::db
