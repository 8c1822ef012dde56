// Settings come from the environment, are validated once at start and then live in plain
// structs. Each library reads its own group through a `SettingsReader` (http/, db/, redis/);
// a command composes the groups it needs. The reader records every setting it is asked for,
// which is how `codezero <command> --help` lists them with their defaults, and every problem,
// which the command prints one line each before exiting with code 2.
//
// Any setting X may instead be given as X_FILE, the path of a file holding the value (how
// Vault Agent, Kubernetes secrets and systemd credentials deliver secrets); one trailing
// newline is dropped. Setting both is a problem. An empty value counts as unset.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace codezero {

struct SettingSpec {
  std::string name;
  std::string default_value;  // used when unset; ignored when `required`
  std::string help;
  bool secret = false;    // the value is never printed
  bool required = false;  // no default: must be set
};

using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Looks names up in this process's environment.
[[nodiscard]] EnvironmentLookup ProcessEnvironment();

class SettingsReader {
 public:
  explicit SettingsReader(EnvironmentLookup lookup);

  [[nodiscard]] std::string String(const SettingSpec& spec);
  [[nodiscard]] std::int64_t Integer(const SettingSpec& spec, std::int64_t min, std::int64_t max);
  [[nodiscard]] std::chrono::milliseconds Milliseconds(const SettingSpec& spec, std::int64_t min,
                                                       std::int64_t max);
  // 0 means "any free port", which tests use.
  [[nodiscard]] std::uint16_t Port(const SettingSpec& spec);
  [[nodiscard]] bool Boolean(const SettingSpec& spec);

  // Records a problem found by validation beyond the types above.
  void AddProblem(std::string_view name, std::string_view message);

  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  [[nodiscard]] const std::vector<SettingSpec>& specs() const { return specs_; }

 private:
  // The raw value of `spec` (from X or X_FILE), or its default; nullopt when a problem was
  // recorded or a required value is missing.
  std::optional<std::string> Raw(const SettingSpec& spec);

  EnvironmentLookup lookup_;
  std::vector<std::string> problems_;
  std::vector<SettingSpec> specs_;
};

// The settings table printed by `--help`.
[[nodiscard]] std::string FormatSettingsHelp(std::span<const SettingSpec> specs);

}  // namespace codezero
