// Tracing (issue 15, "Must show"): every process exports its spans over OTLP/HTTP to a local
// collector, which decodes them with the official OTLP definitions (otlp.mjs). A purchase in the
// browser, whose requests carry a W3C traceparent as an instrumented page would send, is one
// trace: spans from web, the API and the worker, each linked to its parent, down to their SQL
// statements, Redis commands and calls to Stripe, none holding a value. When the collector
// goes away, spans are dropped and counted and the site answers as before.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { closeAll, launchBrowser, metricTotal, newContext, startStack, test, uniqueEmail, waitFor } from './harness.mjs';
import { startCollector } from './otlp.mjs';
import { buyAsNewCustomer, TEXT } from './site.mjs';

const CARD = '4242 4242 4242 4242';
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const t = TEXT.de;

let stack;
let browser;
let collector;
const buyer = {
  company: 'Spurlich GmbH',
  name: 'Sam Spurlich',
  email: uniqueEmail('traced'),
  password: 'traced horse battery staple',
};
// The browser's own span, as an instrumented page would start it.
const browserTrace = randomBytes(16).toString('hex');
const browserSpan = randomBytes(8).toString('hex');

before(async () => {
  collector = await startCollector();
  // At info, so the access log lines are there to carry the trace.
  stack = await startStack({ payments: true, otlpEndpoint: collector.url, logLevel: 'info' });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
  await collector?.close();
});

const inTrace = () => collector.spans.filter((span) => span.traceId === browserTrace);

describe('one purchase is one trace from the browser to the worker', () => {
  test('web, API and worker spans, each under its parent, with nothing of the buyer', async () => {
    const context = await newContext(browser, {
      locale: t.locale,
      extraHTTPHeaders: {
        'Accept-Language': 'de-DE,de;q=0.9',
        traceparent: `00-${browserTrace}-${browserSpan}-01`,
      },
    });
    let orderId;
    try {
      orderId = await buyAsNewCustomer(await context.newPage(), stack, t, buyer, {
        query: '?plan=team&interval=month&type=business&country=DE',
        card: CARD,
      });
    } finally {
      await context.close();
    }
    const access = await stack.waitForMail({ to: buyer.email, subject: t.mail.accessDetails });
    const verification = await stack.waitForMail({ to: buyer.email, subject: t.mail.verify });
    const verifyToken = new URL(stack.mailLink(verification, t.verify)).searchParams.get('token');
    const licenceKey = /czl_[A-Za-z0-9_-]{16,}/.exec(access.text)?.[0];
    assert.ok(verifyToken && licenceKey, 'the e-mails hold a token and a licence key');

    // The sign-up: web's page → web's call → the API's route → the verification e-mail's job.
    const signUp = await waitFor(
      () => {
        const spans = inTrace();
        const api = spans.find(
          (span) => span.service === 'codezero-api' && span.name === 'POST /v1/accounts' && span.kind === SERVER,
        );
        const job = api && spans.find((span) => span.name === 'job email.send' && span.parentSpanId === api.spanId);
        return job && { api, job, spans };
      },
      { timeout: 20_000, interval: 200, message: 'the sign-up trace reached the worker' },
    );
    assert.deepEqual(collector.rejected, [], 'every export decoded');
    const byId = new Map(signUp.spans.map((span) => [span.spanId, span]));
    const webCall = byId.get(signUp.api.parentSpanId);
    assert.ok(webCall, "the API's span has web's call as its parent");
    assert.equal(webCall.service, 'codezero-web');
    assert.equal(webCall.kind, CLIENT);
    const webPage = byId.get(webCall.parentSpanId);
    assert.ok(webPage, "web's call has web's page as its parent");
    assert.equal(webPage.service, 'codezero-web');
    assert.equal(webPage.kind, SERVER);
    assert.equal(webPage.parentSpanId, browserSpan, "web's page continues the browser's span");
    assert.equal(signUp.job.service, 'codezero-worker');
    assert.equal(signUp.job.kind, CONSUMER);
    assert.equal(signUp.job.attributes['codezero.job.kind'], 'email.send');
    assert.equal(signUp.api.attributes['http.route'], '/v1/accounts');
    assert.equal(signUp.api.attributes['http.response.status_code'], 202);

    // The API's log line of that request names the trace and the span.
    // (Log lines are written out in batches every 20 ms.)
    const logLine = await waitFor(
      () =>
        stack
          .logText()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line))
          .find((line) => line.msg === 'request' && line.span_id === signUp.api.spanId),
      { timeout: 5_000, interval: 50, message: "the API's access log line carries the span id" },
    );
    assert.equal(logLine.trace_id, browserTrace);
    assert.equal(logLine.fields.path, '/v1/accounts');

    // The whole purchase: every span of the trace hangs under the browser's span through
    // spans of the same trace, from all three of web, the API and the worker.
    // Each process exports on its own schedule: a parent may arrive after its child.
    const orphans = () => {
      const ids = new Set(inTrace().map((span) => span.spanId));
      return inTrace().filter((span) => span.parentSpanId !== browserSpan && !ids.has(span.parentSpanId));
    };
    await waitFor(() => orphans().length === 0, { timeout: 10_000, interval: 200, message: 'every parent exported' });
    const spans = inTrace();
    const ids = new Set(spans.map((span) => span.spanId));
    for (const span of spans) {
      assert.ok(
        span.parentSpanId === browserSpan || ids.has(span.parentSpanId),
        `${span.service} "${span.name}" has a parent in the trace (${span.parentSpanId})`,
      );
      assert.ok(span.end >= span.start, `${span.name} ends after it starts`);
    }
    const services = new Set(spans.map((span) => span.service));
    for (const service of ['codezero-web', 'codezero-api', 'codezero-worker']) {
      assert.ok(services.has(service), `${service} has spans in the trace`);
    }
    assert.ok(
      spans.some((span) => span.service === 'codezero-api' && span.name === 'POST /v1/checkout/sessions'),
      'the checkout is in the trace',
    );

    // Below the requests and jobs: a client span for each SQL statement, Redis command and
    // outbound call, each under the span of the request or job it was made for.
    const childrenOf = (parent, predicate) =>
      spans.filter((span) => span.parentSpanId === parent.spanId && predicate(span));
    const isSql = (span) => span.attributes['db.system.name'] === 'postgresql';
    const isRedis = (span) => span.attributes['db.system.name'] === 'redis';
    assert.ok(childrenOf(signUp.api, isSql).length > 0, "the sign-up's SQL statements are its children");
    assert.ok(childrenOf(signUp.job, isSql).length > 0, "the e-mail job's SQL statements are its children");
    for (const service of ['codezero-web', 'codezero-api']) {
      assert.ok(
        spans.some((span) => span.service === service && isRedis(span) && span.kind === CLIENT),
        `${service}'s Redis commands are in the trace`,
      );
    }
    const checkout = spans.find((span) => span.service === 'codezero-api' && span.name === 'POST /v1/checkout/sessions');
    const stripeCall = spans.find(
      (span) => span.name === 'stripe POST' && span.kind === CLIENT && span.parentSpanId === checkout.spanId,
    );
    assert.ok(stripeCall, "the checkout's call to Stripe is its child");
    assert.equal(stripeCall.attributes['peer.service'], 'stripe');
    assert.equal(stripeCall.attributes['http.response.status_code'], 200);
    assert.ok(
      spans.some(
        (span) => span.service === 'codezero-stripe-fake' && span.kind === SERVER && span.parentSpanId === stripeCall.spanId,
      ),
      'the Stripe stand-in continues the trace of the call',
    );
    // A SQL span names its statement and operation and holds nothing else: no SQL text, no
    // parameter value. Nor does a Redis span hold a key or a value.
    for (const span of spans.filter((candidate) => isSql(candidate) || isRedis(candidate))) {
      assert.match(span.name, /^[A-Za-z0-9_.]+$/, `a statement or command name: ${span.name}`);
      assert.deepEqual(Object.keys(span.attributes).sort(), ['db.operation.name', 'db.system.name'], span.name);
      assert.match(span.attributes['db.operation.name'], /^[A-Za-z]+$/, span.name);
    }

    // Nothing of the buyer in any span (names, attributes) or in any log line of the whole run
    // (all four processes, at info): not the e-mail address, the password, the card, the
    // e-mail link's token or the licence key. Spans also hold no order id.
    const secrets = [buyer.email, buyer.password, CARD, CARD.replace(/ /g, ''), verifyToken, licenceKey];
    for (const span of collector.spans) {
      const text = JSON.stringify({ name: span.name, attributes: span.attributes, status: span.statusMessage });
      for (const secret of [...secrets, orderId, buyer.company, buyer.name]) {
        assert.ok(!text.includes(secret), `${span.name} holds ${secret}`);
      }
      assert.doesNotMatch(text, /token=|Bearer |czl_/, `${span.name}: no token`);
    }
    const logs = stack.logText();
    assert.ok(logs.includes('"msg":"request"'), 'the logs of the run are there');
    for (const secret of secrets) assert.ok(!logs.includes(secret), `the logs hold ${secret}`);
  });

  test('without a collector spans are dropped and counted, and the site answers as before', async () => {
    await collector.close();
    const dropped = () =>
      metricTotal(stack.metricsUrls.web, 'codezero_trace_spans_dropped_total{reason="export_failed"}');
    const before = await dropped();
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(stack.url('/de/'), { signal: AbortSignal.timeout(5_000) });
      assert.equal(response.status, 200);
    }
    await waitFor(async () => (await dropped()) > before, {
      timeout: 10_000,
      interval: 200,
      message: 'web counted the spans it could not export',
    });
  });
});
