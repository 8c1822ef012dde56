#include "metrics/registry.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace codezero::metrics {
namespace {

TEST(MetricsRegistry, RendersCountersAndGaugesInTheTextFormat) {
  Registry registry;
  auto& requests = registry.AddCounter("demo_requests_total", "Requests.", {"route", "class"});
  requests.With({"/v1/orders/{id}", "2xx"}).Inc();
  requests.With({"/v1/orders/{id}", "2xx"}).Inc(2);
  requests.With({"/v1/quotes", "4xx"}).Inc();
  registry.AddGauge("demo_in_flight", "In flight.").With({}).Set(1.5);

  EXPECT_EQ(registry.Render(),
            "# HELP demo_in_flight In flight.\n"
            "# TYPE demo_in_flight gauge\n"
            "demo_in_flight 1.5\n"
            "# HELP demo_requests_total Requests.\n"
            "# TYPE demo_requests_total counter\n"
            "demo_requests_total{route=\"/v1/orders/{id}\",class=\"2xx\"} 3\n"
            "demo_requests_total{route=\"/v1/quotes\",class=\"4xx\"} 1\n");
}

TEST(MetricsRegistry, HistogramsAreCumulativeWithSumCountAndInf) {
  Registry registry;
  static const std::vector<double> kBounds{0.001, 0.01, 0.1};
  auto& family = registry.AddHistogram("demo_seconds", "Durations.", {"kind"}, kBounds);
  Histogram& histogram = family.With({"a"});
  histogram.Observe(0.0005);
  histogram.Observe(0.001);  // on a bound: counted in it (le = less or equal)
  histogram.Observe(0.05);
  histogram.Observe(3);

  EXPECT_EQ(registry.Render(),
            "# HELP demo_seconds Durations.\n"
            "# TYPE demo_seconds histogram\n"
            "demo_seconds_bucket{kind=\"a\",le=\"0.001\"} 2\n"
            "demo_seconds_bucket{kind=\"a\",le=\"0.01\"} 2\n"
            "demo_seconds_bucket{kind=\"a\",le=\"0.1\"} 3\n"
            "demo_seconds_bucket{kind=\"a\",le=\"+Inf\"} 4\n"
            "demo_seconds_sum{kind=\"a\"} 3.0515\n"
            "demo_seconds_count{kind=\"a\"} 4\n");
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.AddCounter("demo_total", "A \\ help\nline.", {"value"}).With({"say \"hi\"\\\n"}).Inc();
  EXPECT_EQ(registry.Render(),
            "# HELP demo_total A \\\\ help\\nline.\n"
            "# TYPE demo_total counter\n"
            "demo_total{value=\"say \\\"hi\\\"\\\\\\n\"} 1\n");
}

TEST(MetricsRegistry, AFamilyIsFoundAgainAndItsShapeIsFixed) {
  Registry registry;
  auto& first = registry.AddCounter("demo_total", "Help.", {"a"});
  EXPECT_EQ(&registry.AddCounter("demo_total", "Help.", {"a"}), &first);
  EXPECT_EQ(&first.With({"x"}), &first.With({"x"}));
  EXPECT_THROW((void)registry.AddCounter("demo_total", "Help.", {"b"}), std::logic_error);
  EXPECT_THROW((void)registry.AddGauge("demo_total", "Help.", {"a"}), std::logic_error);
  EXPECT_THROW((void)first.With({"x", "y"}), std::invalid_argument);
}

TEST(MetricsRegistry, CallbacksAreReadWhenRenderedInNameOrderAmongFamilies) {
  Registry registry;
  double value = 1;
  registry.AddCallback("b_value", "B.", Type::kGauge, [&value] { return value; });
  registry.AddCounter("a_total", "A.").With({}).Inc();
  registry.AddCounter("c_total", "C.").With({}).Inc();
  value = 7;
  EXPECT_EQ(registry.Render(),
            "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n"
            "# HELP b_value B.\n# TYPE b_value gauge\nb_value 7\n"
            "# HELP c_total C.\n# TYPE c_total counter\nc_total 1\n");
}

TEST(MetricsRegistry, ValuesAreWrittenPlainly) {
  std::string out;
  AppendValue(out, 0.0001);
  out += ' ';
  AppendValue(out, 12345678);
  out += ' ';
  AppendValue(out, 1e-9);
  out += ' ';
  AppendValue(out, std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, "0.0001 12345678 1e-09 +Inf");
}

}  // namespace
}  // namespace codezero::metrics
