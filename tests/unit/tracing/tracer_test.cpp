#include "tracing/tracer.h"

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/settings_of.h"
#include "tracing/active_spans.h"
#include "tracing/otlp_encoding.h"

namespace codezero::tracing {
namespace {

using test::SettingsOf;

TEST(Traceparent, IsReadAsW3CTraceContextDefinesIt) {
  const auto context = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->TraceIdText(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->SpanIdText(), "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled);
  EXPECT_EQ(context->Traceparent(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_FALSE(
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
  // All-zero ids, upper case, a wrong length or version: not a context.
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_FALSE(ParseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"));
  EXPECT_FALSE(ParseTraceparent(""));
}

TEST(Traceparent, IsRefusedWhereTheSpecificationRefusesIt) {
  for (const std::string_view invalid : {
           "",
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // unknown version
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero parent id
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // short trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // trailing data
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",   // separators
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",   // flags not hex
       }) {
    EXPECT_FALSE(ParseTraceparent(invalid).has_value()) << invalid;
  }
}

TEST(Traceparent, AChildKeepsTheTraceAndTheParentsSamplingByDefault) {
  const SpanContext parent =
      *ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  const SpanContext child = NewSpanContext(parent);
  EXPECT_EQ(child.TraceIdText(), parent.TraceIdText());
  EXPECT_NE(child.SpanIdText(), parent.SpanIdText());
  EXPECT_TRUE(ParseTraceparent(child.Traceparent()));  // well-formed lowercase hex
  EXPECT_FALSE(child.sampled);  // parentbased_always_on follows an unsampled parent
  const SpanContext root = NewSpanContext(std::nullopt, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(root.TraceIdText(), "0123456789abcdef0123456789abcdef");
  EXPECT_TRUE(root.sampled);
  const SpanContext fresh = NewSpanContext(std::nullopt, "not-a-trace-id");
  EXPECT_TRUE(ParseTraceparent(fresh.Traceparent()));
  EXPECT_NE(fresh.TraceIdText(), NewSpanContext(std::nullopt).TraceIdText());
}

TEST(TracingSettings, AreOpenTelemetrysEnvironmentVariables) {
  SettingsReader reader =
      SettingsOf({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"},
                  {"OTEL_SERVICE_NAME", "api-eu-1"},
                  {"OTEL_RESOURCE_ATTRIBUTES",
                   "deployment.environment=prod,service.name=ignored,team=bill%20ing"},
                  {"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic abc"},
                  {"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                  {"OTEL_TRACES_SAMPLER_ARG", "0.25"},
                  {"OTEL_BSP_SCHEDULE_DELAY", "200"}});
  const TracingSettings settings = ReadTracingSettings(reader, "codezero-api");
  EXPECT_TRUE(reader.problems().empty());
  EXPECT_TRUE(settings.enabled);
  EXPECT_EQ(settings.endpoint, "http://collector:4318/v1/traces");
  EXPECT_EQ(settings.sampler, Sampler::kParentBasedTraceIdRatio);
  EXPECT_DOUBLE_EQ(settings.ratio, 0.25);
  EXPECT_EQ(settings.schedule_delay.count(), 200);
  ASSERT_EQ(settings.headers.size(), 1U);
  EXPECT_EQ(settings.headers[0].second, "Basic abc");
  std::map<std::string, std::string> resource(settings.resource.begin(), settings.resource.end());
  EXPECT_EQ(resource["service.name"], "api-eu-1");  // OTEL_SERVICE_NAME wins
  EXPECT_EQ(resource["deployment.environment"], "prod");
  EXPECT_EQ(resource["team"], "bill ing");
}

TEST(TracingSettings, AServiceNameAmongTheResourceAttributesWinsOverTheDefault) {
  SettingsReader reader =
      SettingsOf({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=billing-api,service.version=7"}});
  const TracingSettings settings = ReadTracingSettings(reader, "codezero-api");
  const std::map<std::string, std::string> resource(settings.resource.begin(),
                                                    settings.resource.end());
  EXPECT_EQ(resource.at("service.name"), "billing-api");
  EXPECT_EQ(resource.at("service.version"), "7");
  EXPECT_EQ(settings.resource.size(), 2U);  // each key once
  SettingsReader plain = SettingsOf({});
  EXPECT_EQ(ReadTracingSettings(plain, "codezero-api").resource.front().second, "codezero-api");
}

TEST(TracingSettings, NoEndpointOrDisabledMeansNoTracingAndBadValuesAreProblems) {
  SettingsReader none = SettingsOf({});
  EXPECT_FALSE(ReadTracingSettings(none, "codezero-web").enabled);
  SettingsReader disabled = SettingsOf(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}, {"OTEL_SDK_DISABLED", "true"}});
  EXPECT_FALSE(ReadTracingSettings(disabled, "codezero-web").enabled);
  SettingsReader bad = SettingsOf({{"OTEL_TRACES_SAMPLER", "sometimes"},
                                   {"OTEL_TRACES_SAMPLER_ARG", "2"},
                                   {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  (void)ReadTracingSettings(bad, "codezero-web");
  EXPECT_EQ(bad.problems().size(), 3U);
}

TEST(OtlpEncoding, WritesTheExportRequestsFieldsInProtobufsWireFormat) {
  SpanData span;
  const auto context = *ParseTraceparent("00-0102030405060708090a0b0c0d0e0f10-1112131415161718-01");
  span.trace_id = context.trace_id;
  span.span_id = context.span_id;
  span.name = "GET /x";
  span.kind = SpanKind::kServer;
  span.start_unix_nano = 1;
  span.end_unix_nano = 2;
  const std::string encoded = EncodeExportRequest({}, std::span<const SpanData>(&span, 1));
  // ExportTraceServiceRequest.resource_spans (field 1, length-delimited): tag 0x0a.
  ASSERT_FALSE(encoded.empty());
  EXPECT_EQ(static_cast<unsigned char>(encoded[0]), 0x0a);
  // The span's ids as raw bytes behind their tags (trace_id: 0x0a 16, span_id: 0x12 8).
  EXPECT_NE(encoded.find(std::string(
                "\x0a\x10\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 18)),
            std::string::npos);
  EXPECT_NE(encoded.find(std::string("\x12\x08\x11\x12\x13\x14\x15\x16\x17\x18", 10)),
            std::string::npos);
  // kind SERVER (field 6 varint 2), start (field 7 fixed64 1).
  EXPECT_NE(encoded.find(std::string("\x30\x02\x39\x01\0\0\0\0\0\0\0", 11)), std::string::npos);
}

TEST(ActiveSpans, FindTheSpanOfARequestBeingHandledOnThisThread) {
  EXPECT_EQ(ActiveSpan("req-1"), nullptr);
  const SpanContext first =
      *ParseTraceparent("00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  const SpanContext second =
      *ParseTraceparent("00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01");
  {
    const ActiveSpanScope one("req-1", first);
    const ActiveSpanScope other("req-2", second);
    EXPECT_EQ(ActiveSpan("req-1"), &first);
    EXPECT_EQ(ActiveSpan("req-2"), &second);
    std::string_view trace_id;
    std::string_view span_id;
    ASSERT_TRUE(ActiveSpanIds("req-2", trace_id, span_id));
    EXPECT_EQ(trace_id, "cccccccccccccccccccccccccccccccc");
    EXPECT_EQ(span_id, "dddddddddddddddd");
  }
  EXPECT_EQ(ActiveSpan("req-1"), nullptr);
  EXPECT_EQ(ActiveSpan("req-2"), nullptr);
}

}  // namespace
}  // namespace codezero::tracing
