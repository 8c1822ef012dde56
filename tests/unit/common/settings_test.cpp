#include "common/settings.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace codezero {
namespace {

EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string WriteTempFile(const std::string& content) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("codezero-settings-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::ofstream(path) << content;
  return path.string();
}

const SettingSpec kPort{.name = "PORT", .default_value = "8081", .help = "port"};
const SettingSpec kSecret{.name = "SECRET", .help = "a secret", .secret = true, .required = true};

TEST(Settings, UsesTheDefaultWhenUnset) {
  SettingsReader reader(FakeEnvironment({}));
  EXPECT_EQ(reader.Port(kPort), 8081);
  EXPECT_TRUE(reader.problems().empty());
}

TEST(Settings, ReadsTheEnvironment) {
  SettingsReader reader(FakeEnvironment({{"PORT", "9000"}}));
  EXPECT_EQ(reader.Port(kPort), 9000);
}

TEST(Settings, AnEmptyValueCountsAsUnset) {
  SettingsReader reader(FakeEnvironment({{"PORT", ""}}));
  EXPECT_EQ(reader.Port(kPort), 8081);
}

TEST(Settings, ReportsOneLinePerProblem) {
  SettingsReader reader(FakeEnvironment({{"PORT", "80x"}, {"THREADS", "-1"}}));
  (void)reader.Port(kPort);
  (void)reader.Integer({.name = "THREADS", .default_value = "0", .help = "threads"}, 0, 64);
  (void)reader.String(kSecret);
  ASSERT_EQ(reader.problems().size(), 3u);
  EXPECT_EQ(reader.problems()[0], "PORT: '80x' is not a whole number");
  EXPECT_EQ(reader.problems()[1], "THREADS: -1 is outside 0 ... 64");
  EXPECT_EQ(reader.problems()[2], "SECRET: required but not set (a secret)");
}

TEST(Settings, RejectsAPortOutOfRange) {
  SettingsReader reader(FakeEnvironment({{"PORT", "70000"}}));
  (void)reader.Port(kPort);
  ASSERT_EQ(reader.problems().size(), 1u);
}

TEST(Settings, ReadsASecretFromAFile) {
  const std::string path = WriteTempFile("s3cr3t-value\n");
  SettingsReader reader(FakeEnvironment({{"SECRET_FILE", path}}));
  EXPECT_EQ(reader.String(kSecret), "s3cr3t-value");  // the trailing newline is dropped
  EXPECT_TRUE(reader.problems().empty());
  std::filesystem::remove(path);
}

TEST(Settings, AnySettingMayComeFromAFile) {
  const std::string path = WriteTempFile("9100");
  SettingsReader reader(FakeEnvironment({{"PORT_FILE", path}}));
  EXPECT_EQ(reader.Port(kPort), 9100);
  std::filesystem::remove(path);
}

TEST(Settings, RefusesBothTheValueAndTheFile) {
  const std::string path = WriteTempFile("x");
  SettingsReader reader(FakeEnvironment({{"SECRET", "a"}, {"SECRET_FILE", path}}));
  (void)reader.String(kSecret);
  ASSERT_EQ(reader.problems().size(), 1u);
  EXPECT_EQ(reader.problems()[0], "SECRET: set either SECRET or SECRET_FILE, not both");
  std::filesystem::remove(path);
}

TEST(Settings, ReportsAnUnreadableFile) {
  SettingsReader reader(FakeEnvironment({{"SECRET_FILE", "/nonexistent/secret"}}));
  (void)reader.String(kSecret);
  ASSERT_EQ(reader.problems().size(), 1u);
  EXPECT_EQ(reader.problems()[0],
            "SECRET_FILE: cannot read /nonexistent/secret: No such file or directory");
}

TEST(Settings, ReportsAnEmptyFile) {
  const std::string path = WriteTempFile("");
  SettingsReader reader(FakeEnvironment({{"SECRET_FILE", path}}));
  (void)reader.String(kSecret);
  ASSERT_EQ(reader.problems().size(), 1u);
  std::filesystem::remove(path);
}

TEST(Settings, ParsesBooleans) {
  SettingsReader reader(FakeEnvironment({{"A", "yes"}, {"B", "0"}, {"C", "maybe"}}));
  EXPECT_TRUE(reader.Boolean({.name = "A", .default_value = "false", .help = ""}));
  EXPECT_FALSE(reader.Boolean({.name = "B", .default_value = "true", .help = ""}));
  (void)reader.Boolean({.name = "C", .default_value = "false", .help = ""});
  EXPECT_EQ(reader.problems().size(), 1u);
}

TEST(Settings, HelpListsEverySettingWithItsDefaultAndHidesSecrets) {
  SettingsReader reader(FakeEnvironment({{"SECRET", "visible-only-at-runtime"}}));
  (void)reader.Port(kPort);
  (void)reader.String(kSecret);
  (void)reader.Port(kPort);  // asked twice, listed once
  const std::string help = FormatSettingsHelp(reader.specs());
  EXPECT_NE(help.find("PORT    port [default: 8081]"), std::string::npos) << help;
  EXPECT_NE(help.find("SECRET  a secret [required]"), std::string::npos) << help;
  EXPECT_EQ(help.find("visible-only-at-runtime"), std::string::npos);
  EXPECT_NE(help.find("X_FILE"), std::string::npos);
}

}  // namespace
}  // namespace codezero
