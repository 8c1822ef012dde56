// A stand-in Sentry for the error-report tests: it takes envelopes on a local port at the
// DSN's ingest endpoint and parses each with Sentry's own envelope parser (@sentry/core's
// parseEnvelope), keeping the events and the auth header they came with.
import http from 'node:http';
import { parseEnvelope } from '@sentry/core';

export const PROJECT_ID = '42';
export const PUBLIC_KEY = 'e2epublickey0123456789abcdef0000';

export async function startSentry() {
  const sentry = { events: [], rejected: [], auth: [], bodies: [] };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      sentry.bodies.push(body.toString('utf8'));
      if (request.method !== 'POST' || request.url !== `/api/${PROJECT_ID}/envelope/`) {
        sentry.rejected.push(`${request.method} ${request.url}`);
        response.writeHead(404).end();
        return;
      }
      sentry.auth.push(request.headers['x-sentry-auth']);
      try {
        const [headers, items] = parseEnvelope(new Uint8Array(body));
        for (const [itemHeader, payload] of items) {
          if (itemHeader.type !== 'event') continue;
          // An item with a length comes back as its bytes; the event is JSON in them.
          const event = payload instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(payload)) : payload;
          sentry.events.push({ envelope: headers, item: itemHeader, event });
        }
      } catch (error) {
        sentry.rejected.push(`unparsable: ${error.message}`);
        response.writeHead(400).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sentry.dsn = `http://${PUBLIC_KEY}@127.0.0.1:${server.address().port}/${PROJECT_ID}`;
  sentry.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return sentry;
}
