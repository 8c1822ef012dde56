// Error reports (issue 15, "Must show"): with SENTRY_DSN set, a 500 from the API and a
// discarded job reach a local stand-in for Sentry as envelopes that Sentry's own parser reads
// (sentry_receiver.mjs), with release, environment, server name, request id, trace id, route or
// job kind, a signed-in caller's user id, and nothing personal: not the e-mail address, name,
// password, token or the client's address.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { apiToken, closeAll, createAccount, metricTotal, startStack, test, uniqueEmail, waitFor } from './harness.mjs';
import { PUBLIC_KEY, startSentry } from './sentry_receiver.mjs';

let stack;
let sentry;

before(async () => {
  sentry = await startSentry();
  stack = await startStack({ payments: true, sentryDsn: sentry.dsn });
});

after(async () => {
  await closeAll();
  await sentry?.close();
});

const CLIENT_ADDRESS = '203.0.113.77';

function assertNothingPersonal(body, secrets) {
  for (const secret of secrets) assert.ok(!body.includes(secret), `the report holds ${secret}`);
}

describe('error reports in Sentry envelopes', () => {
  test('a forced 500 arrives with its route, request and trace, and nothing personal', async () => {
    const person = {
      name: 'Paula Privat',
      email: uniqueEmail('private'),
      password: `secret-${randomBytes(6).toString('hex')}`,
    };
    const traceId = randomBytes(16).toString('hex');
    // The sign-up's table is away for a moment: the API answers 500.
    await stack.sql('ALTER TABLE companies RENAME TO companies_away');
    let response;
    try {
      response = await fetch(`${stack.apiUrl}/v1/accounts`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Forwarded-For': CLIENT_ADDRESS,
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({
          company: { name: 'Privat GmbH', country: 'DE', address: { line1: 'Geheimweg 1', postal_code: '10115', city: 'Berlin' } },
          user: { name: person.name, email: person.email, password: person.password, locale: 'de' },
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } finally {
      await stack.sql('ALTER TABLE companies_away RENAME TO companies');
    }
    assert.equal(response.status, 500);
    const requestId = response.headers.get('x-request-id');

    const report = await waitFor(
      () => sentry.events.find(({ event }) => event.tags?.route === '/v1/accounts'),
      { timeout: 10_000, interval: 100, message: 'the 500 reached Sentry' },
    );
    assert.deepEqual(sentry.rejected, []);
    const { event, envelope, item } = report;
    assert.equal(item.type, 'event');
    assert.equal(envelope.event_id, event.event_id);
    assert.match(event.event_id, /^[0-9a-f]{32}$/);
    assert.equal(event.level, 'error');
    assert.equal(event.environment, 'e2e');
    assert.match(event.release, /^codezero@\d+\.\d+\.\d+\+[0-9a-f]+/);
    assert.ok(event.server_name, 'a server name');
    assert.equal(event.tags.process, 'api');
    assert.equal(event.tags.request_id, requestId);
    assert.equal(event.contexts.trace.trace_id, traceId, 'linked to the trace');
    assert.match(event.contexts.trace.span_id, /^[0-9a-f]{16}$/);
    assert.equal(event.message.formatted, '500 on POST /v1/accounts');
    assert.equal(event.exception.values[0].type, 'http.5xx');
    assert.ok(sentry.auth.every((header) => header.includes(`sentry_key=${PUBLIC_KEY}`)), 'the DSN key authenticates');
    assertNothingPersonal(sentry.bodies.join('\n'), [
      person.email,
      person.name,
      person.password,
      CLIENT_ADDRESS,
      'Geheimweg',
      'Privat GmbH',
    ]);
  });

  test("a signed-in caller's 500 names the user by id only", async () => {
    const owner = await createAccount(stack, { name: 'Olga Offenbar', company: 'Offenbar AG' });
    const token = await apiToken(stack, owner);
    // The invoices' table is away for a moment: the signed-in owner's list answers 500.
    await stack.sql('ALTER TABLE invoices RENAME TO invoices_away');
    let response;
    try {
      response = await fetch(`${stack.apiUrl}/v1/invoices`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } finally {
      await stack.sql('ALTER TABLE invoices_away RENAME TO invoices');
    }
    assert.equal(response.status, 500);
    const { event } = await waitFor(
      () => sentry.events.find(({ event: candidate }) => candidate.tags?.route === '/v1/invoices'),
      { timeout: 10_000, interval: 100, message: 'the 500 reached Sentry' },
    );
    assert.deepEqual(event.user, { id: owner.userId });
    assertNothingPersonal(sentry.bodies.join('\n'), [owner.email, owner.name, owner.password, owner.company, token]);
  });

  test('a discarded job arrives with its kind and reason, and is reported once', async () => {
    await stack.sql(
      "INSERT INTO jobs (kind, queue, max_attempts, args) VALUES ('worker.noop', 'default', 1, '{\"fail\":\"always\"}')",
    );
    const report = await waitFor(
      () => sentry.events.find(({ event }) => event.tags?.job_kind === 'worker.noop'),
      { timeout: 15_000, interval: 100, message: 'the discarded job reached Sentry' },
    );
    const { event } = report;
    assert.equal(event.tags.process, 'worker');
    assert.equal(event.exception.values[0].type, 'job.discarded');
    assert.equal(event.message.formatted, 'job worker.noop discarded');
    assert.match(event.exception.values[0].value, /asked to fail/);
    assert.ok(event.fingerprint.includes('worker.noop'));

    // The same failure again within the minute: counted, not sent again.
    await stack.sql(
      "INSERT INTO jobs (kind, queue, max_attempts, args) VALUES ('worker.noop', 'default', 1, '{\"fail\":\"always\"}')",
    );
    await waitFor(
      async () => (await metricTotal(stack.metricsUrls.worker, 'codezero_error_reports_total{outcome="suppressed"}')) > 0,
      { timeout: 15_000, interval: 200, message: 'the repeat was suppressed' },
    );
    assert.equal(sentry.events.filter(({ event }) => event.tags?.job_kind === 'worker.noop').length, 1);
  });

  test('with Sentry down a 500 is answered as before, and its report dropped and counted', async () => {
    await sentry.close();
    const dropped = () => metricTotal(stack.metricsUrls.api, 'codezero_error_reports_total{outcome="dropped"}');
    const before = await dropped();
    // Another route than the first test's, so the report is not suppressed as a repeat.
    await stack.sql('ALTER TABLE companies RENAME TO companies_away');
    let response;
    try {
      response = await fetch(`${stack.apiUrl}/v1/cancellation-requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail('cancel'), name: 'Kim', kind: 'ordinary', locale: 'en' }),
        signal: AbortSignal.timeout(10_000),
      });
    } finally {
      await stack.sql('ALTER TABLE companies_away RENAME TO companies');
    }
    assert.equal(response.status, 500);
    await waitFor(async () => (await dropped()) > before, {
      timeout: 10_000,
      interval: 100,
      message: 'the API counted the report it could not deliver',
    });
  });
});
