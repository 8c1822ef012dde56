// The webhook storm (issue 16): Stripe events sent to two API instances behind the nginx edge,
// 30 % of the deliveries duplicates, 5 % with a bad signature, all in shuffled order. Each valid
// event must be stored and applied once, each bad one refused, and the platform must end in the
// state the same events reach when sent once each in Stripe's order.
//
// 1. Customers buy (purchases.mjs) while the Stripe stand-in's webhooks go to a recorder, until
//    it holds enough events; the API and the worker are stopped and the database is copied twice.
//    The storm's events are the first that many of Stripe's list (purchases still under way when
//    the load stopped add more, which neither copy gets).
// 2. The reference: one API and a worker on the first copy get each event once, oldest first.
// 3. The storm: two APIs behind the edge and a worker on the second copy get the shuffled
//    deliveries, 64 at a time.
// Both copies' final states (orders, subscriptions, invoices, workspaces, licences, events,
// e-mails) must be equal. Prints throughput and latency; exits non-zero when a check failed.
//
// Run by tests/chaos/run --storm [--deliveries N] (default 20,000).
import { createHmac, randomInt } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  closeAll,
  freePort,
  psql,
  Server,
  startStack,
  STRIPE_WEBHOOK_SECRET,
  waitFor,
} from '../e2e/harness.mjs';
import { API, startEdge } from '../e2e/edge.mjs';
import { stripeList } from './checks.mjs';
import { PurchaseLoad } from './purchases.mjs';

const argument = process.argv.indexOf('--deliveries');
const DELIVERIES = argument > 0 ? Number(process.argv[argument + 1]) : 20_000;
const DUPLICATES = Math.round(DELIVERIES * 0.3);
const BAD = Math.round(DELIVERIES * 0.05);
const UNIQUE = DELIVERIES - DUPLICATES - BAD;
const IN_FLIGHT = 64;
const SETTLE_MS = 900_000;

const problems = [];
const check = (holds, problem) => {
  if (!holds) problems.push(problem);
};

// Receives the stand-in's webhooks and keeps each event's body as Stripe sent it.
async function startRecorder() {
  const port = await freePort();
  const recorder = { url: `http://127.0.0.1:${port}/`, bodies: new Map() };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      recorder.bodies.set(JSON.parse(body).id, body);
      response.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  recorder.close = () => new Promise((resolve) => server.close(resolve));
  return recorder;
}

// The stand-in's events, oldest first.
async function stripeEventIds(stack) {
  return (await stripeList(stack, '/v1/events')).map((event) => event.id).reverse();
}

function signature(secret, body) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signed = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${signed}`;
}

// The final state the events led to, as sorted lines without generated ids or times.
async function finalState(url) {
  const rows = await psql(url, `
    SELECT 'order ' || id || ' ' || status || ' ' || amount_total FROM orders
    UNION ALL SELECT 'subscription ' || stripe_id || ' ' || coalesce(order_id::text, '-') || ' ' || status || ' ' ||
      cancel_at_period_end || ' ' || coalesce(current_period_end::text, '-') || ' ' || items::text FROM subscriptions
    UNION ALL SELECT 'invoice ' || stripe_id || ' ' || coalesce(number, '-') || ' ' || status || ' ' || total || ' ' ||
      amount_paid || ' ' || coalesce(order_id::text, '-') FROM invoices
    UNION ALL SELECT 'workspace ' || order_id || ' ' || plan || ' ' || status || ' ' || entitlements::text FROM workspaces
    UNION ALL SELECT 'licence ' || w.order_id FROM licences l JOIN workspaces w ON w.id = l.workspace_id
    UNION ALL SELECT 'event ' || id || ' processed ' || (processed_at IS NOT NULL) FROM stripe_events
    UNION ALL SELECT 'e-mail ' || template || ' ' || to_address || ' ' || coalesce(unique_key, '-') FROM email_outbox
    UNION ALL SELECT 'jobs ' || kind || ' ' || state || ' ' || count(*) FROM jobs GROUP BY kind, state
    ORDER BY 1`);
  return rows.map(([line]) => line);
}

// Waits until every stored event is processed, no job is waiting or running and every e-mail is
// sent; the seconds it took.
async function settle(url) {
  const started = Date.now();
  await waitFor(
    async () => {
      const [[unprocessed, live, unsent]] = await psql(url, `
        SELECT (SELECT count(*) FROM stripe_events WHERE processed_at IS NULL),
               (SELECT count(*) FROM jobs WHERE state IN ('available', 'scheduled', 'running', 'retryable')),
               (SELECT count(*) FROM email_outbox WHERE sent_at IS NULL)`);
      return unprocessed === '0' && live === '0' && unsent === '0';
    },
    { timeout: SETTLE_MS, interval: 500, message: 'every event processed, every job done, every e-mail sent' },
  );
  return (Date.now() - started) / 1000;
}

// The webhooks an API instance answered, from its /metrics.
async function webhooksAnswered(metricsUrl) {
  const exposition = await (await fetch(metricsUrl)).text();
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('http_server_requests_total{') && line.includes('route="/v1/webhooks/stripe"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

// Runs `send` over `items` with at most `parallel` at a time.
async function inParallel(items, parallel, send) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) await send(items[next++]);
    }),
  );
}

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function databaseUrl(stack, name) {
  const url = new URL(stack.dbUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// Points the stack's processes at database `name` (a copy) and starts a fresh API and worker.
async function useDatabase(stack, name) {
  await Promise.all([stack.stopApi(), stack.worker.stop()]);
  stack.dbUrl = databaseUrl(stack, name);
  await stack.redis('FLUSHDB');
  await stack.startApi();
  await stack.startWorker();
}

async function main() {
  const recorder = await startRecorder();
  const stack = await startStack({ payments: true, stripeEnv: { STRIPE_FAKE_WEBHOOK_ENDPOINTS: recorder.url } });
  const originalDb = stack.dbName;
  const copies = { reference: `${originalDb}_reference`, storm: `${originalDb}_storm` };
  let edge;
  let secondApi;
  try {
    // 1. Events from real purchases.
    const buying = Date.now();
    const load = new PurchaseLoad(stack, { parallel: 6, limit: Number.MAX_SAFE_INTEGER });
    load.start();
    await waitFor(() => recorder.bodies.size >= UNIQUE, { timeout: 1_800_000, interval: 500, message: `${UNIQUE} events recorded` });
    await load.stop();
    let order;
    await waitFor(
      async () => {
        order = await stripeEventIds(stack);
        return order.every((id) => recorder.bodies.has(id));
      },
      { timeout: 60_000, interval: 500, message: "every event of the stand-in's list recorded" },
    );
    const events = order.slice(0, UNIQUE).map((id) => ({ id, body: recorder.bodies.get(id) }));
    const failed = load.customers.filter((customer) => customer.error);
    check(failed.length === 0, `${failed.length} purchases failed: ${failed[0]?.error}`);
    console.log(`recorded ${order.length} events of ${load.customers.length} purchases in ${((Date.now() - buying) / 1000).toFixed(0)} s`);
    await Promise.all([stack.stopApi(), stack.worker.stop()]);
    for (const copy of Object.values(copies)) await psql(stack.adminUrl, `CREATE DATABASE "${copy}" TEMPLATE "${originalDb}"`);

    // 2. The reference: each event once, oldest first.
    await useDatabase(stack, copies.reference);
    for (const event of events) {
      const answer = await fetch(`${stack.apiUrl}/v1/webhooks/stripe`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature(STRIPE_WEBHOOK_SECRET, event.body) },
        body: event.body,
      });
      check(answer.status === 200, `the reference's ${event.id}: ${answer.status} ${await answer.text()}`);
    }
    const referenceSettle = await settle(stack.dbUrl);
    const reference = await finalState(stack.dbUrl);

    // 3. The storm, through the edge to two API instances.
    await useDatabase(stack, copies.storm);
    const [port, metricsPort] = [await freePort(), await freePort()];
    secondApi = new Server('api-2', ['api'], { ...stack.apiEnv(), API_PORT: String(port), API_METRICS_PORT: String(metricsPort) }, stack.logFd);
    secondApi.start();
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, { timeout: 30_000, message: 'the second API is ready' });
    edge = await startEdge({ web: [stack.webPort], api: [stack.apiPort, port] });
    const deliveries = shuffled([
      ...events.map((event) => ({ ...event, valid: true })),
      ...Array.from({ length: DUPLICATES }, () => ({ ...events[randomInt(events.length)], valid: true })),
      ...Array.from({ length: BAD }, (_, i) => {
        const event = events[randomInt(events.length)];
        // Half signed with another secret, half a changed body under the original's signature.
        return i % 2 === 0
          ? { ...event, valid: false, secret: 'whsec_not_the_endpoints_secret_0123456789' }
          : { ...event, valid: false, altered: Buffer.concat([event.body, Buffer.from(' ')]) };
      }),
    ]);
    const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const latencies = [];
    const wrong = [];
    const started = Date.now();
    await inParallel(deliveries, IN_FLIGHT, async (delivery) => {
      const signed = signature(delivery.secret ?? STRIPE_WEBHOOK_SECRET, delivery.body);
      const sentAt = performance.now();
      const answer = await edge.request(API, '/v1/webhooks/stripe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signed },
        body: delivery.altered ?? delivery.body,
        agent,
      });
      latencies.push(performance.now() - sentAt);
      const expected = delivery.valid ? 200 : 400;
      if (answer.status !== expected) wrong.push(`${delivery.id} (${delivery.valid ? 'valid' : 'bad'}): ${answer.status} ${answer.body.slice(0, 200)}`);
    });
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    // Both instances took their share (the edge balances them round robin).
    const split = [await webhooksAnswered(stack.metricsUrls.api), await webhooksAnswered(`http://127.0.0.1:${metricsPort}/metrics`)];
    check(split.every((answered) => answered >= DELIVERIES / 4), `the API instances answered ${split.join(' and ')} deliveries`);
    check(wrong.length === 0, `${wrong.length} deliveries answered wrongly, e.g. ${wrong.slice(0, 3).join('; ')}`);
    const stormSettle = await settle(stack.dbUrl);
    const storm = await finalState(stack.dbUrl);

    // The checks: the same final state, each valid event stored and applied once.
    const [[stored, jobs, repeatedMoves]] = await stack.sql(`
      SELECT (SELECT count(*) FROM stripe_events),
             (SELECT count(*) FROM jobs WHERE kind = 'stripe.process_event'),
             (SELECT count(*) FROM (SELECT order_id, to_status FROM order_status_history
                                    GROUP BY order_id, to_status HAVING count(*) > 1) twice)`);
    check(Number(stored) === UNIQUE, `${stored} events stored, ${UNIQUE} valid ones sent`);
    check(Number(jobs) === UNIQUE, `${jobs} event jobs for ${UNIQUE} events`);
    check(repeatedMoves === '0', `${repeatedMoves} order moves made twice`);
    // As multisets: a line twice in one state and once in the other is a difference.
    const counts = new Map();
    for (const line of reference) counts.set(line, (counts.get(line) ?? 0) + 1);
    for (const line of storm) counts.set(line, (counts.get(line) ?? 0) - 1);
    const onlyReference = [...counts].filter(([, n]) => n > 0).map(([line, n]) => `${line} (×${n})`);
    const onlyStorm = [...counts].filter(([, n]) => n < 0).map(([line, n]) => `${line} (×${-n})`);
    check(onlyReference.length === 0 && onlyStorm.length === 0,
      `the final states differ:\n  reference only: ${onlyReference.slice(0, 10).join('\n    ')}\n  storm only: ${onlyStorm.slice(0, 10).join('\n    ')}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const [[orders, active]] = await stack.sql("SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM orders");
    console.log([
      `webhook storm: ${DELIVERIES} deliveries (${UNIQUE} events, ${DUPLICATES} duplicates, ${BAD} bad signatures), ${IN_FLIGHT} at a time`,
      `  sent in ${seconds.toFixed(1)} s: ${(DELIVERIES / seconds).toFixed(0)} deliveries/s (the API instances answered ${split.join(' and ')}); ` +
        `latency p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`,
      `  processed: the storm's copy ${stormSettle.toFixed(1)} s after the last delivery, the reference ${referenceSettle.toFixed(1)} s after its last`,
      `  final state: ${storm.length} lines, equal to the reference: ${onlyReference.length + onlyStorm.length === 0} (orders ${orders}, active ${active})`,
      problems.length === 0 ? 'every check held' : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    ].join('\n'));
  } catch (error) {
    problems.push(`the storm itself failed: ${error.stack}`);
    console.log(problems.join('\n'));
  } finally {
    if (problems.length > 0) console.log(`--- servers' log, last lines:\n${stack.logTail(60)}`);
    await secondApi?.stop();
    await edge?.close();
    await recorder.close();
    stack.dbUrl = databaseUrl(stack, originalDb);
    await closeAll();
    for (const copy of Object.values(copies)) await psql(stack.adminUrl, `DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
  }
  process.exitCode = problems.length === 0 ? 0 : 1;
}

await main();
