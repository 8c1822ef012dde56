#include "http/pipeline.h"

#include <algorithm>
#include <ctime>
#include <exception>
#include <optional>

#include "common/log.h"
#include "error_reports/sentry.h"
#include "http/header_value.h"
#include "http/problem.h"
#include "http/request_id.h"
#include "http/request_metrics.h"

namespace codezero::http {

std::string_view HttpDateNow() {
  thread_local std::time_t cached_second = 0;
  thread_local char buffer[64];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buffer, length};
}

void PrepareContext(const Request& request, RequestContext& context) {
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  context.path = target.substr(0, question);
  context.query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  // A request without its own id but in a W3C trace takes the trace's id (tracing/tracer.h).
  const std::string_view given_id = request["X-Request-Id"];
  const std::optional<tracing::SpanContext> parent =
      tracing::ParseTraceparent(request["traceparent"]);
  context.request_id =
      given_id.empty() && parent ? std::string(parent->TraceIdText()) : RequestIdFor(given_id);
  // The server span: the caller's trace when it sent one, else one named by the request id.
  context.span = tracing::NewSpanContext(parent, context.request_id);
  context.parent_span = parent;
}

namespace {

// An answer 5xx as an error report (error_reports/sentry.h): where, what kind, never the path
// with its ids, the query, a header or the body.
void ReportServerError(const Request& request, const RequestContext& context,
                       const Router::Match& match, unsigned status,
                       const std::optional<Error>& error,
                       const std::optional<std::string>& escaped) {
  error_reports::Report report;
  report.route = match.route != nullptr ? match.route->pattern : "unmatched";
  report.kind = escaped ? "exception" : "http.5xx";
  report.title = std::to_string(status) + " on " + std::string(MethodLabel(request.method())) +
                 " " + report.route;
  if (escaped) {
    report.detail = *escaped;
  } else if (error) {
    report.detail = std::string(ToString(error->code)) + ": " + error->message;
  }
  report.request_id = context.request_id;
  report.user_id = context.user_id;
  report.trace_id = context.span.TraceIdText();
  report.span_id = context.span.SpanIdText();
  error_reports::Capture(std::move(report));
}

}  // namespace

Pipeline::Pipeline(std::shared_ptr<const Router> router, SecurityHeaders security_headers,
                   ErrorRenderer error_renderer, bool record_request_metrics)
    : router_(std::move(router)),
      error_renderer_(std::move(error_renderer)),
      header_block_(security_headers.Block()),
      request_metrics_(record_request_metrics ? std::make_unique<RequestMetrics>(*router_)
                                              : nullptr) {}

void Pipeline::Serialize(const Response& response, const RequestContext& context,
                         std::string& out) const {
  for (const auto& field : response) {
    if (HasControlCharacter(field.name_string()) || HasControlCharacter(field.value())) {
      log::Error("refused to send a header with a control character; answering 500",
                 {{"header", std::string(field.name_string())}, {"path", context.path}},
                 context.request_id);
      Response refused = ProblemResponse(
          Error{ErrorCode::kInternal, "The answer could not be sent.", "bad header", {}}, context,
          response.version());
      refused.keep_alive(response.keep_alive());
      refused.prepare_payload();
      Serialize(refused, context, out);
      return;
    }
  }
  out.clear();
  out.reserve(512 + response.body().size());
  out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.result_int());
  out += ' ';
  out += boost::beast::http::obsolete_reason(response.result());
  out += "\r\n";
  for (const auto& field : response) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += header_block_;
  if (response.find(Field::cache_control) == response.end()) out += "Cache-Control: no-store\r\n";
  out += "X-Request-Id: ";
  out += context.request_id;  // validated: no CR or LF can reach this line
  out += "\r\nDate: ";
  out += HttpDateNow();
  out += "\r\n\r\n";
  out += response.body();
}

std::size_t BodyLimitOf(const Router::Match& match, std::size_t server_limit) {
  if (match.route == nullptr || match.route->options.body_limit == 0) return server_limit;
  return std::min(match.route->options.body_limit, server_limit);
}

Router::Match Pipeline::Route(Verb method, std::string_view path,
                              std::vector<PathParam>& params) const {
  return router_->Find(method, path, params);
}

boost::asio::awaitable<Response> Pipeline::Handle(Request& request, RequestContext& context,
                                                  const Router::Match& match) const {
  Result<Response> result = Fail(ErrorCode::kInternal, "unreachable");
  std::optional<std::string> escaped;  // what an exception said that escaped the handler
  if (match.handler == nullptr) {
    result =
        match.path_exists
            ? Fail(ErrorCode::kMethodNotAllowed,
                   "This resource does not support " + std::string(request.method_string()) + ".")
            : Fail(ErrorCode::kNotFound, "There is nothing at this address.");
  } else {
    try {
      result = co_await (*match.handler)(request, context);
    } catch (const std::exception& e) {
      log::Error("handler threw", {{"error", e.what()}, {"path", context.path}},
                 context.request_id);
      result = Fail(ErrorCode::kInternal, "handler threw", e.what());
      escaped = e.what();
    }
  }

  Response response = result ? std::move(*result)
                      : error_renderer_
                          ? error_renderer_(result.error(), request, context)
                          : ProblemResponse(result.error(), context, request.version());
  response.version(request.version());
  if (!match.allow.empty() && response.result() == Status::method_not_allowed) {
    response.set(Field::allow, match.allow);
  }
  if (response.result_int() >= 500 && error_reports::Enabled()) {
    ReportServerError(request, context, match, response.result_int(),
                      result ? std::nullopt : std::optional<Error>(result.error()), escaped);
  }
  co_return response;
}

}  // namespace codezero::http
