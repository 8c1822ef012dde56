// Prometheus metrics: counters, gauges and histograms in labelled families, kept in a registry
// that renders the text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Updating a series is one relaxed atomic operation, from any thread. Finding a series by its
// label values takes the family's lock: code on a hot path looks its series up once and keeps
// the reference (series live as long as the registry). Label values must come from closed sets
// (route templates, job kinds, outcomes), never from ids, e-mail addresses or raw paths: each
// distinct value is a series kept for the life of the process (docs/metrics.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace codezero::metrics {

class Counter {
 public:
  void Inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t Value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  [[nodiscard]] double Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // REQUIRES: `bounds` ascending; it outlives the histogram (its family keeps it).
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value) noexcept;

  // Cumulative counts per bound, then the count of all (+Inf).
  [[nodiscard]] std::vector<std::uint64_t> CumulativeCounts() const;
  [[nodiscard]] double Sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  [[nodiscard]] const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (the rest)
  std::atomic<double> sum_{0};
};

// Seconds, for answers that take from 100 µs (a cached quote) to 10 s (a slow Stripe call).
[[nodiscard]] const std::vector<double>& LatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> labels);
  virtual ~FamilyBase() = default;
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] const std::vector<std::string>& label_names() const { return label_names_; }
  // Appends HELP, TYPE and every series.
  void Render(std::string& out) const;

 protected:
  // Appends this family's series lines.
  virtual void RenderSeries(std::string& out) const = 0;
  // `{a="x",b="y"` (no closing brace), or empty without labels.
  void AppendLabels(std::string& out, const std::vector<std::string>& values) const;

  mutable std::mutex mutex_;

 private:
  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
};

template <typename Metric>
class Family : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  Family(std::string name, std::string help, Type type, std::vector<std::string> labels,
         std::vector<double> bounds)
      : FamilyBase(std::move(name), std::move(help), type, std::move(labels)),
        bounds_(std::move(bounds)) {}

  // The series with these label values (one per label name, in order), made at first use.
  // Throws std::invalid_argument when the number of values is not the number of labels.
  Metric& With(std::initializer_list<std::string_view> values);
  Metric& With(const std::vector<std::string>& values);

 protected:
  void RenderSeries(std::string& out) const override;

 private:
  std::vector<double> bounds_;  // histograms only
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each returns the family of that name, made at first call. Asking again with another type,
  // other labels or other bounds is a programming error: std::logic_error.
  Family<Counter>& AddCounter(std::string_view name, std::string_view help,
                              std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(std::string_view name, std::string_view help,
                          std::vector<std::string> labels = {});
  Family<Histogram>& AddHistogram(std::string_view name, std::string_view help,
                                  std::vector<std::string> labels,
                                  const std::vector<double>& bounds = LatencyBuckets());

  // A series without labels whose value is read when rendered (process metrics). A second
  // callback of the same name replaces the first.
  void AddCallback(std::string_view name, std::string_view help, Type type,
                   std::function<double()> read);

  // The whole exposition, families in name order.
  [[nodiscard]] std::string Render() const;

 private:
  template <typename Metric>
  Family<Metric>& Add(std::string_view name, std::string_view help, Type type,
                      std::vector<std::string> labels, const std::vector<double>* bounds);

  struct Callback {
    std::string help;
    Type type;
    std::function<double()> read;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
  std::map<std::string, Callback, std::less<>> callbacks_;
};

// The process's registry: what /metrics renders.
[[nodiscard]] Registry& Default();

// Appends a sample value as the exposition format writes it (integers without a fraction,
// +Inf, NaN).
void AppendValue(std::string& out, double value);

}  // namespace codezero::metrics
