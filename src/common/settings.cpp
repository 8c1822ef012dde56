#include "common/settings.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace codezero {
namespace {

std::optional<std::string> ReadWholeFile(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string value = content.str();
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with('\n')) {
    value.pop_back();
  }
  return value;
}

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

SettingsReader::SettingsReader(EnvironmentLookup lookup) : lookup_(std::move(lookup)) {}

void SettingsReader::AddProblem(std::string_view name, std::string_view message) {
  problems_.push_back(std::string(name) + ": " + std::string(message));
}

std::optional<std::string> SettingsReader::Raw(const SettingSpec& spec) {
  const bool seen = std::any_of(specs_.begin(), specs_.end(),
                                [&](const SettingSpec& s) { return s.name == spec.name; });
  if (!seen) specs_.push_back(spec);

  std::optional<std::string> direct = lookup_(spec.name);
  if (direct && direct->empty()) direct.reset();
  const std::string file_name = spec.name + "_FILE";
  std::optional<std::string> file_path = lookup_(file_name);
  if (file_path && file_path->empty()) file_path.reset();

  if (direct && file_path) {
    AddProblem(spec.name, "set either " + spec.name + " or " + file_name + ", not both");
    return std::nullopt;
  }
  if (file_path) {
    std::string error;
    std::optional<std::string> value = ReadWholeFile(*file_path, error);
    if (!value) {
      AddProblem(file_name, "cannot read " + *file_path + ": " + error);
      return std::nullopt;
    }
    if (value->empty()) {
      AddProblem(file_name, *file_path + " is empty");
      return std::nullopt;
    }
    return value;
  }
  if (direct) return direct;
  if (spec.required) {
    AddProblem(spec.name, "required but not set (" + spec.help + ")");
    return std::nullopt;
  }
  return std::string(spec.default_value);
}

std::string SettingsReader::String(const SettingSpec& spec) { return Raw(spec).value_or(""); }

std::int64_t SettingsReader::Integer(const SettingSpec& spec, std::int64_t min, std::int64_t max) {
  const std::optional<std::string> raw = Raw(spec);
  if (!raw) return min;
  std::int64_t value = 0;
  const char* end = raw->data() + raw->size();
  auto [ptr, ec] = std::from_chars(raw->data(), end, value);
  if (ec != std::errc() || ptr != end) {
    AddProblem(spec.name, (spec.secret ? std::string("the value") : "'" + *raw + "'") +
                              " is not a whole number");
    return min;
  }
  if (value < min || value > max) {
    AddProblem(spec.name, (spec.secret ? std::string("the value") : std::to_string(value)) +
                              " is outside " + std::to_string(min) + " ... " + std::to_string(max));
    return std::clamp(value, min, max);
  }
  return value;
}

std::chrono::milliseconds SettingsReader::Milliseconds(const SettingSpec& spec, std::int64_t min,
                                                       std::int64_t max) {
  return std::chrono::milliseconds(Integer(spec, min, max));
}

std::uint16_t SettingsReader::Port(const SettingSpec& spec) {
  return static_cast<std::uint16_t>(Integer(spec, 0, 65535));
}

bool SettingsReader::Boolean(const SettingSpec& spec) {
  const std::optional<std::string> raw = Raw(spec);
  if (!raw) return false;
  if (*raw == "1" || *raw == "true" || *raw == "yes" || *raw == "on") return true;
  if (*raw == "0" || *raw == "false" || *raw == "no" || *raw == "off") return false;
  AddProblem(spec.name, (spec.secret ? std::string("the value") : "'" + *raw + "'") +
                            " is not a boolean (true/false, 1/0, yes/no, on/off)");
  return false;
}

std::string FormatSettingsHelp(std::span<const SettingSpec> specs) {
  std::size_t width = 0;
  for (const SettingSpec& spec : specs) width = std::max(width, spec.name.size());
  std::string out = "Settings (environment variables; any X may be given as X_FILE):\n";
  for (const SettingSpec& spec : specs) {
    out += "  ";
    out += spec.name;
    out.append(width + 2 - spec.name.size(), ' ');
    out += spec.help;
    if (spec.required) {
      out += " [required]";
    } else if (spec.secret) {
      out += " [secret]";
    } else {
      out += " [default: ";
      out += spec.default_value.empty() ? std::string("(empty)") : spec.default_value;
      out += "]";
    }
    out += "\n";
  }
  return out;
}

}  // namespace codezero
