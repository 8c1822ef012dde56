#include "metrics/registry.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace codezero::metrics {
namespace {

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escapes backslash and newline; label values also the double quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendInteger(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

}  // namespace

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[24];
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
    out.append(buffer, end);
  } else {
    // Fixed notation where it stays short ("0.0001", not "1e-04"), for people reading it.
    char buffer[64];
    const auto format = std::fabs(value) >= 1e-6 && std::fabs(value) < 1e15
                            ? std::chars_format::fixed
                            : std::chars_format::general;
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, format);
    out.append(buffer, end);
  }
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::CumulativeCounts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = total;
  }
  return counts;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                           0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                           1,      2.5,     5,      10};
  return buckets;
}

FamilyBase::FamilyBase(std::string name, std::string help, Type type,
                       std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(labels)) {}

void FamilyBase::Render(std::string& out) const {
  out.append("# HELP ").append(name_).append(" ");
  AppendEscaped(out, help_, false);
  out.append("\n# TYPE ").append(name_).append(" ").append(TypeName(type_)).append("\n");
  RenderSeries(out);
}

void FamilyBase::AppendLabels(std::string& out, const std::vector<std::string>& values) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += i == 0 ? '{' : ',';
    out.append(label_names_[i]).append("=\"");
    AppendEscaped(out, values[i], true);
    out += '"';
  }
}

template <typename Metric>
Metric& Family<Metric>::With(std::initializer_list<std::string_view> values) {
  std::vector<std::string> key(values.begin(), values.end());
  return With(key);
}

template <typename Metric>
Metric& Family<Metric>::With(const std::vector<std::string>& values) {
  if (values.size() != label_names().size()) {
    throw std::invalid_argument("metric " + name() + " takes " +
                                std::to_string(label_names().size()) + " label values");
  }
  const std::lock_guard lock(mutex_);
  auto found = series_.find(values);
  if (found == series_.end()) {
    std::unique_ptr<Metric> metric;
    if constexpr (std::is_same_v<Metric, Histogram>) {
      metric = std::make_unique<Histogram>(bounds_);
    } else {
      metric = std::make_unique<Metric>();
    }
    found = series_.emplace(values, std::move(metric)).first;
  }
  return *found->second;
}

template <typename Metric>
void Family<Metric>::RenderSeries(std::string& out) const {
  const std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : series_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      const std::vector<std::uint64_t> counts = metric->CumulativeCounts();
      for (std::size_t i = 0; i < counts.size(); ++i) {
        out.append(name()).append("_bucket");
        AppendLabels(out, values);
        out.append(values.empty() ? "{" : ",").append("le=\"");
        if (i < bounds_.size()) {
          AppendValue(out, bounds_[i]);
        } else {
          out += "+Inf";
        }
        out.append("\"} ");
        AppendInteger(out, counts[i]);
        out += '\n';
      }
      // Captured by name: clang 14 cannot capture a structured binding.
      const std::vector<std::string>& labels = values;
      const auto plain = [&](std::string_view suffix) {
        out.append(name()).append(suffix);
        AppendLabels(out, labels);
        if (!labels.empty()) out += '}';
        out += ' ';
      };
      plain("_sum");
      AppendValue(out, metric->Sum());
      out += '\n';
      plain("_count");
      AppendInteger(out, counts.back());
      out += '\n';
    } else {
      out.append(name());
      AppendLabels(out, values);
      if (!values.empty()) out += '}';
      out += ' ';
      if constexpr (std::is_same_v<Metric, Counter>) {
        AppendInteger(out, metric->Value());
      } else {
        AppendValue(out, metric->Value());
      }
      out += '\n';
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

template <typename Metric>
Family<Metric>& Registry::Add(std::string_view name, std::string_view help, Type type,
                              std::vector<std::string> labels, const std::vector<double>* bounds) {
  const std::lock_guard lock(mutex_);
  if (const auto found = families_.find(name); found != families_.end()) {
    auto* family = dynamic_cast<Family<Metric>*>(found->second.get());
    if (family == nullptr || family->type() != type || family->label_names() != labels) {
      throw std::logic_error("metric " + std::string(name) + " registered twice, differently");
    }
    return *family;
  }
  std::unique_ptr<Family<Metric>> family;
  if (bounds != nullptr) {
    family = std::make_unique<Family<Metric>>(std::string(name), std::string(help), type,
                                              std::move(labels), *bounds);
  } else {
    family = std::make_unique<Family<Metric>>(std::string(name), std::string(help), type,
                                              std::move(labels));
  }
  Family<Metric>& result = *family;
  families_.emplace(std::string(name), std::move(family));
  return result;
}

Family<Counter>& Registry::AddCounter(std::string_view name, std::string_view help,
                                      std::vector<std::string> labels) {
  return Add<Counter>(name, help, Type::kCounter, std::move(labels), nullptr);
}

Family<Gauge>& Registry::AddGauge(std::string_view name, std::string_view help,
                                  std::vector<std::string> labels) {
  return Add<Gauge>(name, help, Type::kGauge, std::move(labels), nullptr);
}

Family<Histogram>& Registry::AddHistogram(std::string_view name, std::string_view help,
                                          std::vector<std::string> labels,
                                          const std::vector<double>& bounds) {
  return Add<Histogram>(name, help, Type::kHistogram, std::move(labels), &bounds);
}

void Registry::AddCallback(std::string_view name, std::string_view help, Type type,
                           std::function<double()> read) {
  const std::lock_guard lock(mutex_);
  callbacks_.insert_or_assign(std::string(name),
                              Callback{std::string(help), type, std::move(read)});
}

std::string Registry::Render() const {
  std::string out;
  out.reserve(16 * 1024);
  const std::lock_guard lock(mutex_);
  auto family = families_.begin();
  auto callback = callbacks_.begin();
  // Both maps are in name order: merge them so the whole exposition is.
  while (family != families_.end() || callback != callbacks_.end()) {
    if (callback == callbacks_.end() ||
        (family != families_.end() && family->first < callback->first)) {
      family->second->Render(out);
      ++family;
      continue;
    }
    const auto& [name, entry] = *callback;
    out.append("# HELP ").append(name).append(" ");
    AppendEscaped(out, entry.help, false);
    out.append("\n# TYPE ").append(name).append(" ").append(TypeName(entry.type)).append("\n");
    out.append(name).append(" ");
    AppendValue(out, entry.read());
    out += '\n';
    ++callback;
  }
  return out;
}

Registry& Default() {
  static Registry* registry = new Registry();  // never destroyed: used until the process ends
  return *registry;
}

}  // namespace codezero::metrics
