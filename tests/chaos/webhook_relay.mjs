// Between the Stripe stand-in and the API: passes each webhook on byte for byte and answers with
// the API's status, or 502 when the API cannot be reached (the stand-in then retries on Stripe's
// schedule). `delayUpToMs` holds each webhook back for a random time up to that, so webhooks
// arrive late and out of order, as Stripe's do when its queue backs up.
import http from 'node:http';
import { freePort } from '../e2e/harness.mjs';

// Headers the API reads from Stripe's request; hop-by-hop ones stay behind.
const FORWARDED = ['content-type', 'stripe-signature', 'user-agent'];

export async function startWebhookRelay() {
  const port = await freePort();
  const relay = {
    url: `http://127.0.0.1:${port}/v1/webhooks/stripe`,
    target: undefined,
    delayUpToMs: 0,
    received: 0,
    passedOn: 0,
    delayed: 0,
  };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      relay.received += 1;
      const headers = {};
      for (const name of FORWARDED) if (request.headers[name]) headers[name] = request.headers[name];
      try {
        if (relay.delayUpToMs > 0) {
          relay.delayed += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * relay.delayUpToMs));
        }
        const answer = await fetch(relay.target, {
          method: 'POST',
          headers,
          body: Buffer.concat(chunks),
          signal: AbortSignal.timeout(10_000),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        relay.passedOn += 1;
        response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
        response.end(body);
      } catch (error) {
        response.writeHead(502, { 'Content-Type': 'text/plain' });
        response.end(`the API could not be reached: ${error.message}`);
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  relay.close = () => new Promise((resolve) => server.close(resolve));
  return relay;
}
