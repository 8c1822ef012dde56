#include <gtest/gtest.h>

#include <algorithm>

#include "db/embedded_migrations.h"
#include "db/migrator.h"

namespace codezero::db {
namespace {

TEST(MigrationChecksum, IsTheSha256OfTheText) {
  EXPECT_EQ(MigrationChecksum(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(MigrationChecksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MigrationChecksum, ChangesWithAnyEdit) {
  EXPECT_NE(MigrationChecksum("CREATE TABLE a (id int);"),
            MigrationChecksum("CREATE TABLE a (id bigint);"));
  EXPECT_NE(MigrationChecksum("SELECT 1;"), MigrationChecksum("SELECT 1; "));
}

TEST(MigrationChecksum, ReadsWindowsLineEndsAsUnix) {
  EXPECT_EQ(MigrationChecksum("SELECT 1;\r\nSELECT 2;\r\n"),
            MigrationChecksum("SELECT 1;\nSELECT 2;\n"));
}

TEST(EmbeddedMigrations, AreInVersionOrderAndNamedByVersion) {
  const auto migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_TRUE(
      std::is_sorted(migrations.begin(), migrations.end(),
                     [](const Migration& a, const Migration& b) { return a.version < b.version; }));
  for (const Migration& migration : migrations) {
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%04d_", migration.version);
    EXPECT_TRUE(migration.name.starts_with(prefix)) << migration.name;
    EXPECT_FALSE(migration.sql.empty());
  }
  EXPECT_EQ(migrations.front().name, "0001_init.sql");
}

}  // namespace
}  // namespace codezero::db
