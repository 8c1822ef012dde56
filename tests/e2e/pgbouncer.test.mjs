// The platform through PgBouncer in transaction mode (issue 16, "Many machines": "the API must
// work through it: check prepared statements"). Debian 12's PgBouncer (1.18) keeps no prepared
// statements across transactions and refuses session options in the start-up packet, so with
// DB_PGBOUNCER=true the API and the worker send unnamed statements and no options, and LISTEN
// on PostgreSQL itself (DATABASE_DIRECT_URL). A whole purchase in the browser runs through two
// server connections shared by every client connection of the API and the worker.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { closeAll, createAccount, launchBrowser, newContext, startStack, test, uniqueEmail, waitFor } from './harness.mjs';
import { startPgBouncer } from './pgbouncer.mjs';
import { buyAsNewCustomer, TEXT } from './site.mjs';

const t = TEXT.de;
let bouncer;
let stack;
let browser;

before(async () => {
  bouncer = await startPgBouncer({ adminUrl: process.env.TEST_DATABASE_URL, serverConnections: 2 });
  stack = await startStack({ payments: true, pgbouncer: bouncer });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
  await bouncer?.close();
});

describe('through PgBouncer in transaction mode', () => {
  test('a whole purchase: sign-up, checkout, payment, provisioning and e-mails', async () => {
    const before = (await bouncer.stats(stack.dbName))?.total_xact_count ?? 0;
    const buyer = {
      company: 'Gepoolt GmbH',
      name: 'Pia Pool',
      email: uniqueEmail('pooled'),
      password: 'pooled horse battery staple',
    };
    const context = await newContext(browser, { locale: t.locale });
    let orderId;
    try {
      orderId = await buyAsNewCustomer(await context.newPage(), stack, t, buyer, {
        query: '?plan=team&interval=month&type=business&country=DE',
        card: '4242 4242 4242 4242',
      });
    } finally {
      await context.close();
    }
    const [[status]] = await stack.sql(`SELECT status FROM orders WHERE id = '${orderId}'`);
    assert.equal(status, 'active');
    await stack.waitForMail({ to: buyer.email, subject: t.mail.accessDetails });
    // The work went through PgBouncer, not around it.
    const after = (await bouncer.stats(stack.dbName))?.total_xact_count ?? 0;
    assert.ok(after - before > 50, `PgBouncer counted ${after - before} transactions for the purchase`);
    // No statement failed on the way (a named statement on a borrowed connection would).
    assert.doesNotMatch(stack.logText(), /prepared statement|unsupported startup parameter/);
  });

  test('many sign-ups at once share the two server connections without a failure', async () => {
    // Each sign-up is a transaction of several statements and a job for the worker.
    const accounts = await Promise.all(
      Array.from({ length: 16 }, (_, i) => createAccount(stack, { company: `Parallel ${i} GmbH` })),
    );
    assert.equal(new Set(accounts.map((account) => account.userId)).size, 16);
    // Their verification e-mails: the worker took the jobs through PgBouncer too.
    await Promise.all(accounts.map((account) => stack.waitForMail({ to: account.email, subject: t.mail.verify })));
    await waitFor(async () => (await fetch(`${stack.apiUrl}/readyz`)).status === 200, {
      timeout: 5_000,
      message: 'the API is ready through PgBouncer',
    });
  });
});
