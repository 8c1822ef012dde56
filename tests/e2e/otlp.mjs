// A stand-in OpenTelemetry Collector for the tracing tests: it takes OTLP/HTTP protobuf
// exports on a local port (POST /v1/traces) and decodes each with the official OTLP message
// definitions, compiled by the OpenTelemetry JavaScript SDK (@opentelemetry/otlp-transformer's
// generated protobuf module), so a span the processes encode wrongly fails to decode here.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { opentelemetry } = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const ExportTraceServiceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

const hex = (bytes) => Buffer.from(bytes ?? []).toString('hex');

function attributesOf(list = []) {
  const out = {};
  for (const { key, value } of list) {
    if (value.stringValue !== undefined && value.stringValue !== null && value.stringValue !== '') {
      out[key] = value.stringValue;
    } else if (value.intValue !== undefined && value.intValue !== null) {
      out[key] = Number(value.intValue);
    } else if (value.boolValue !== undefined && value.boolValue !== null) {
      out[key] = value.boolValue;
    } else if (value.doubleValue !== undefined && value.doubleValue !== null) {
      out[key] = value.doubleValue;
    } else {
      out[key] = value.stringValue ?? null;
    }
  }
  return out;
}

// Starts the collector; `collector.spans` fills with every decoded span:
// { service, traceId, spanId, parentSpanId, name, kind, start, end, attributes, status,
// statusMessage }.
export async function startCollector() {
  const collector = { spans: [], requests: 0, rejected: [], raw: [] };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      collector.requests += 1;
      const body = Buffer.concat(chunks);
      collector.raw.push(body);
      if (request.url !== '/v1/traces' || request.headers['content-type'] !== 'application/x-protobuf') {
        collector.rejected.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
        response.writeHead(404).end();
        return;
      }
      let decoded;
      try {
        decoded = ExportTraceServiceRequest.decode(body);
      } catch (error) {
        collector.rejected.push(`undecodable: ${error.message}`);
        response.writeHead(400).end();
        return;
      }
      for (const resourceSpans of decoded.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) {
            collector.spans.push({
              service: resource['service.name'],
              resource,
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: hex(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              start: BigInt(span.startTimeUnixNano.toString()),
              end: BigInt(span.endTimeUnixNano.toString()),
              attributes: attributesOf(span.attributes),
              status: span.status?.code ?? 0,
              statusMessage: span.status?.message ?? '',
            });
          }
        }
      }
      const answer = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create({})).finish();
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(Buffer.from(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector.url = `http://127.0.0.1:${server.address().port}`;
  collector.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // the processes keep their connections alive
    });
  return collector;
}
