// Observability (issue 15, "Must show"): a real Prometheus scrapes all four processes while a
// customer buys in the browser, and its HTTP API then has the RED series per route template,
// the queue and the webhook series; every exposition passes `promtool check metrics` and holds
// nothing of the customer (docs/metrics.md).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { closeAll, launchBrowser, newContext, startStack, test, uniqueEmail, waitFor } from './harness.mjs';
import { checkMetrics, startPrometheus } from './prometheus.mjs';
import { buyAsNewCustomer, TEXT } from './site.mjs';

const CARD = '4242 4242 4242 4242';
const t = TEXT.de;

let stack;
let browser;
let prometheus;
const buyer = {
  company: 'Messbar GmbH',
  name: 'Mia Messbar',
  email: uniqueEmail('observed'),
  password: 'observed horse battery staple',
};
let orderId;

before(async () => {
  stack = await startStack({ payments: true });
  browser = await launchBrowser();
  const target = (port) => `127.0.0.1:${port}`;
  prometheus = await startPrometheus(stack.dir, {
    'codezero-api': target(stack.metricsPorts.api),
    'codezero-web': target(stack.metricsPorts.web),
    'codezero-worker': target(stack.metricsPorts.worker),
    'codezero-stripe-fake': target(stack.metricsPorts.stripe),
  });
});

after(async () => {
  await prometheus?.stop();
  await closeAll();
});

// A new customer's purchase, from the configurator to the ready workspace.
async function buy() {
  const context = await newContext(browser, { locale: t.locale });
  try {
    orderId = await buyAsNewCustomer(await context.newPage(), stack, t, buyer, {
      query: '?plan=team&interval=month&type=business&country=DE',
      card: CARD,
    });
  } finally {
    await context.close();
  }
}

const atLeastOne = ({ value }) => value >= 1;

describe('Prometheus scrapes every process during a purchase', () => {
  test('the RED, queue, webhook, job and pool series are there, per route template', async () => {
    await buy();
    await stack.waitForMail({ to: buyer.email, subject: t.mail.accessDetails });

    // Prometheus discovers its targets a few seconds after start, then scrapes each every second.
    await waitFor(
      async () => {
        const health = await prometheus.targetHealth();
        return Object.keys(health).length === 4 && Object.values(health).every((state) => state === 'up');
      },
      { timeout: 30_000, interval: 250, message: 'all four targets scraped and up' },
    );

    // RED per route template: the web pages the buyer saw, the API routes web called, the
    // webhooks the stand-in delivered, the stand-in's own checkout route.
    await prometheus.waitForSeries(
      'http_server_requests_total{job="codezero-web",method="GET",route="/de/konfigurator",status_class="2xx"}',
      { accept: atLeastOne },
    );
    await prometheus.waitForSeries(
      'http_server_requests_total{job="codezero-api",method="POST",route="/v1/webhooks/stripe",status_class="2xx"}',
      { accept: atLeastOne },
    );
    await prometheus.waitForSeries(
      'http_server_requests_total{job="codezero-api",route="/v1/orders/{id}",status_class="2xx"}',
      { accept: atLeastOne },
    );
    await prometheus.waitForSeries(
      'http_server_requests_total{job="codezero-stripe-fake",method="POST",route="/v1/checkout/sessions"}',
      { accept: atLeastOne },
    );
    const p99 = await prometheus.waitForSeries(
      'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="codezero-api"}[1m])))',
      { accept: ({ value }) => Number.isFinite(value) && value > 0 },
    );
    assert.ok(p99[0].value < 10, `the API's p99 is a duration in seconds (${p99[0].value})`);

    // No raw path became a label: no order id, no session id, no token.
    const routes = await prometheus.query('count by (job, route) (http_server_requests_total)');
    for (const { metric } of routes) {
      assert.doesNotMatch(metric.route, /[0-9a-f]{8}-[0-9a-f]{4}|cs_test_|token=/, `route ${metric.route}`);
      assert.ok(metric.route === 'unmatched' || metric.route.startsWith('/'), `route ${metric.route}`);
    }
    assert.ok(!routes.some(({ metric }) => orderId && metric.route.includes(orderId)));

    // The webhooks, the jobs they led to, the e-mails, the order's way to active.
    await prometheus.waitForSeries(
      'codezero_webhook_events_total{job="codezero-api",type="checkout.session.completed",outcome="stored"}',
      { accept: atLeastOne },
    );
    await prometheus.waitForSeries(
      'codezero_jobs_total{job="codezero-worker",kind="order.provision",outcome="completed"}',
      { accept: atLeastOne },
    );
    await prometheus.waitForSeries('codezero_job_duration_seconds_count{job="codezero-worker",kind="email.send"}', {
      accept: atLeastOne,
    });
    await prometheus.waitForSeries('codezero_emails_total{job="codezero-worker",outcome="sent"}', {
      accept: atLeastOne,
    });
    await prometheus.waitForSeries('sum(codezero_order_transitions_total{to="active"})', { accept: atLeastOne });

    // The queue as a whole: every queue reported, nothing left waiting once all is done.
    const depth = await prometheus.waitForSeries('codezero_queue_depth{job="codezero-worker"}');
    assert.deepEqual(depth.map(({ metric }) => metric.queue).sort(), ['default', 'email']);
    await prometheus.waitForSeries('codezero_queue_oldest_available_age_seconds{job="codezero-worker",queue="email"}');
    await prometheus.waitForSeries('codezero_jobs_discarded{job="codezero-worker"}', {
      accept: ({ value }) => value === 0,
    });

    // Pools, Redis, outbound Stripe calls, the process itself.
    await prometheus.waitForSeries('codezero_db_pool_size{job="codezero-api",pool="main"}', {
      accept: ({ value }) => value === 4,
    });
    await prometheus.waitForSeries('codezero_db_pool_acquire_seconds_count{job="codezero-worker",pool="queue"}', {
      accept: atLeastOne,
    });
    await prometheus.waitForSeries('codezero_redis_command_duration_seconds_count{job="codezero-web"}', {
      accept: atLeastOne,
    });
    await prometheus.waitForSeries(
      'codezero_outbound_request_duration_seconds_count{job="codezero-api",service="stripe",status_class="2xx"}',
      { accept: atLeastOne },
    );
    const memory = await prometheus.waitForSeries('process_resident_memory_bytes', {
      accept: () => true,
    });
    assert.equal(memory.length, 4, 'every process reports its memory');
    const builds = await prometheus.query('codezero_build_info');
    assert.deepEqual(builds.map(({ metric }) => metric.process).sort(), ['api', 'stripe-fake', 'web', 'worker']);
  });

  test('every exposition passes promtool and holds nothing of the customer', async () => {
    assert.ok(orderId, 'the purchase ran first');
    const [[companyId, userId]] = await stack.sql(
      `SELECT c.id, u.id FROM users u JOIN companies c ON c.id = u.company_id WHERE u.email = '${buyer.email}'`,
    );
    const secrets = [buyer.email, buyer.password, CARD, CARD.replace(/ /g, ''), orderId, companyId, userId];
    for (const [name, url] of Object.entries(stack.metricsUrls)) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      assert.equal(response.status, 200, `${name} /metrics`);
      assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
      const exposition = await response.text();
      await checkMetrics(exposition);
      for (const secret of secrets) {
        assert.ok(!exposition.includes(secret), `${name}'s metrics hold ${secret}`);
      }
      assert.doesNotMatch(exposition, /cs_test_|sub_|in_[A-Za-z0-9]{8}|czl_/, `${name}: no Stripe or licence ids`);
    }
    // The public listener has no /metrics: it is not for the edge to pass on.
    const publicMetrics = await fetch(stack.url('/metrics'), { signal: AbortSignal.timeout(5_000) });
    assert.equal(publicMetrics.status, 404);
    const apiMetrics = await fetch(`${stack.apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(apiMetrics.status, 404);
  });

  test('an idle process serves nothing in flight', async () => {
    await waitFor(
      async () => {
        const vector = await prometheus.query('http_server_requests_in_flight{job="codezero-api"}');
        return vector.length === 1 && vector[0].value === 0;
      },
      { timeout: 15_000, message: 'the API has no request in flight' },
    );
  });
});
