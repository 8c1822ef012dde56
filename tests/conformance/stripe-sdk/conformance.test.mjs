// The official stripe npm SDK (pinned in package.json) driving `codezero stripe-fake` through
// every call the platform makes, and verifying every webhook it delivers with
// stripe.webhooks.constructEvent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import {
  WEBHOOK_SECRET, startReceiver, startFake, payOnHostedPage, sleep,
} from './harness.mjs';

let fake;
let receiver;
let stripe;

before(async () => {
  receiver = await startReceiver();
  fake = await startFake(receiver.url);
  stripe = fake.stripe;
});

after(async () => {
  const code = await fake.stop();
  receiver.server.close();
  assert.equal(code, 0, 'stripe-fake exits 0 on SIGTERM');
});

const DAY = 86400;
const START = 1800000000 - (1800000000 % DAY) + 8 * 3600; // 2027-01-15T08:00:00Z

// Customer, catalog and a subscription-mode session with price_data, tax rates, a coupon and a
// one-time line, as the platform's checkout creates it.
async function checkoutFixture({ clock, card = '4242 4242 4242 4242' } = {}) {
  const customer = await stripe.customers.create({
    name: 'Ada GmbH',
    email: 'billing@ada.example',
    preferred_locales: ['de'],
    address: { country: 'DE' },
    tax_exempt: 'none',
    tax_id_data: [{ type: 'eu_vat', value: 'DE123456789' }],
    metadata: { company_id: 'co_1' },
    ...(clock ? { test_clock: clock.id } : {}),
  });
  const vat = await stripe.taxRates.create({
    display_name: 'USt.', percentage: 19, inclusive: false, country: 'DE', jurisdiction: 'DE',
  });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: 'ord_1',
    metadata: { order_id: 'ord_1' },
    subscription_data: { metadata: { order_id: 'ord_1' } },
    success_url: 'https://app.example/thanks?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example/cancel',
    locale: 'de',
    // The platform always sets an expiry; on a test clock the clock's time is "now".
    ...(clock ? {} : { expires_at: Math.floor(Date.now() / 1000) + 23 * 3600 }),
    discounts: [{ coupon: 'SDK20' }],
    line_items: [
      { price_data: { currency: 'eur', unit_amount: 19900, product: 'sdk_team', recurring: { interval: 'month' } },
        quantity: 1, tax_rates: [vat.id] },
      { price_data: { currency: 'eur', unit_amount: 1499, product: 'sdk_sso', recurring: { interval: 'month' } },
        quantity: 3, tax_rates: [vat.id] },
      { price_data: { currency: 'eur', unit_amount: 99999, product_data: { name: 'Workshop' } },
        quantity: 1, tax_rates: [vat.id] },
    ],
  });
  return { customer, vat, session, card };
}

async function pay(session, card = '4242 4242 4242 4242') {
  const response = await payOnHostedPage(session.url, {
    card_number: card, exp: '12/34', cvc: '123', name: 'Ada Lovelace',
  });
  return response;
}

test('catalog: products with a custom id, tax rates and coupons', async () => {
  const team = await stripe.products.create({ id: 'sdk_team', name: 'Team plan', metadata: { plan: 'team' } });
  assert.equal(team.id, 'sdk_team');
  await stripe.products.create({ id: 'sdk_sso', name: 'Single sign-on' });
  const again = await stripe.products.retrieve('sdk_team');
  assert.equal(again.metadata.plan, 'team');
  await assert.rejects(stripe.products.create({ id: 'sdk_team', name: 'Team plan' }), (error) => {
    assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(error.code, 'resource_already_exists');
    return true;
  });
  const rate = await stripe.taxRates.create({ display_name: 'ALV', percentage: 25.5, inclusive: false, country: 'FI' });
  assert.match(rate.id, /^txr_[A-Za-z0-9]{24}$/);
  assert.equal(rate.percentage, 25.5);
  const coupon = await stripe.coupons.create({
    id: 'SDK20', percent_off: 20, duration: 'once', applies_to: { products: ['sdk_team', 'sdk_sso'] },
  });
  assert.equal(coupon.percent_off, 20);
  assert.deepEqual(coupon.applies_to.products, ['sdk_team', 'sdk_sso']);
});

test('customers: create, retrieve, update', async () => {
  const customer = await stripe.customers.create({
    name: 'Grace', email: 'grace@example.com', preferred_locales: ['en'],
    tax_id_data: [{ type: 'eu_vat', value: 'DE123456789' }], metadata: { a: '1', b: '2' },
  });
  assert.match(customer.id, /^cus_[A-Za-z0-9]{24}$/);
  assert.equal(customer.livemode, false);
  assert.match(customer.invoice_prefix, /^[A-Z0-9]{8}$/);
  const updated = await stripe.customers.update(customer.id, { name: 'Grace H.', metadata: { b: '' } });
  assert.equal(updated.name, 'Grace H.');
  assert.deepEqual(updated.metadata, { a: '1' });
  const retrieved = await stripe.customers.retrieve(customer.id);
  assert.equal(retrieved.email, 'grace@example.com');
  await assert.rejects(stripe.customers.retrieve('cus_missing'), (error) => {
    assert.equal(error.type, 'StripeInvalidRequestError');
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'resource_missing');
    assert.ok(error.requestId.startsWith('req_'));
    return true;
  });
});

test('customers: tax IDs of the types the platform sends, and a malformed one refused', async () => {
  for (const [type, value] of [['gb_vat', 'GB980780684'], ['ch_vat', 'CHE-100.155.212 MWST'],
    ['no_vat', '995525828MVA'], ['eu_vat', 'EL094259216']]) {
    const created = await stripe.customers.create({ name: 'Taxed Ltd', tax_id_data: [{ type, value }] });
    const customer = await stripe.customers.retrieve(created.id, { expand: ['tax_ids'] });
    assert.equal(customer.tax_ids.data[0].type, type);
    assert.equal(customer.tax_ids.data[0].value, value);
  }
  await assert.rejects(stripe.customers.create({
    name: 'Typo Ltd', tax_id_data: [{ type: 'eu_vat', value: 'CHE-100.155.212 MWST' }],
  }), (error) => {
    assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(error.code, 'tax_id_invalid');
    assert.equal(error.param, 'tax_id_data[0][value]');
    return true;
  });
});

test('customers: the tax ID follows the company and the footer reaches the invoice settings', async () => {
  const customer = await stripe.customers.create({
    name: 'Moving GmbH', tax_id_data: [{ type: 'eu_vat', value: 'ATU12345675' }],
  });
  const updated = await stripe.customers.update(customer.id, {
    address: { line1: 'Ring 2', postal_code: '1010', city: 'Wien', country: 'AT' },
    invoice_settings: { footer: 'Reverse charge' },
  });
  assert.equal(updated.invoice_settings.footer, 'Reverse charge');
  assert.equal(updated.address.line1, 'Ring 2');
  const listed = await stripe.customers.listTaxIds(customer.id);
  assert.equal(listed.data.length, 1);
  const deleted = await stripe.customers.deleteTaxId(customer.id, listed.data[0].id);
  assert.equal(deleted.deleted, true);
  const added = await stripe.customers.createTaxId(customer.id, { type: 'gb_vat', value: 'GB980780684' });
  assert.match(added.id, /^txi_/);
  assert.deepEqual((await stripe.customers.listTaxIds(customer.id)).data.map((t) => t.value), ['GB980780684']);
  await assert.rejects(stripe.customers.createTaxId(customer.id, { type: 'no_vat', value: 'NO1' }),
    (error) => error.code === 'tax_id_invalid' && error.param === 'value');
});

test('authentication: a wrong key is a StripeAuthenticationError', async () => {
  const wrong = new Stripe('sk_test_wrongwrong9999', {
    host: '127.0.0.1', port: fake.port, protocol: 'http', apiVersion: '2024-06-20',
  });
  await assert.rejects(wrong.customers.list(), (error) => {
    assert.ok(error instanceof Stripe.errors.StripeAuthenticationError);
    assert.equal(error.statusCode, 401);
    assert.match(error.message, /sk_test_\*\*\*\*9999/);
    return true;
  });
});

test('idempotency: the SDK idempotencyKey option replays, other parameters are refused', async () => {
  const first = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-key-1' });
  const second = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-key-1' });
  assert.equal(second.id, first.id);
  assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
  await assert.rejects(
    stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'sdk-key-1' }),
    (error) => {
      assert.ok(error instanceof Stripe.errors.StripeIdempotencyError);
      return true;
    },
  );
});

test('checkout: create, retrieve, list line items, pay on the hosted page, expire', async () => {
  const { session } = await checkoutFixture();
  assert.match(session.id, /^cs_test_/);
  assert.equal(session.amount_subtotal, 124396);
  assert.equal(session.total_details.amount_discount, 4879);
  assert.equal(session.total_details.amount_tax, 22709);
  assert.equal(session.amount_total, 124396 - 4879 + 22709);
  const items = await stripe.checkout.sessions.listLineItems(session.id);
  assert.deepEqual(items.data.map((item) => [item.amount_subtotal, item.amount_discount, item.amount_tax, item.amount_total]),
    [[19900, 3980, 3025, 18945], [4497, 899, 684, 4282], [99999, 0, 19000, 118999]]);

  const declined = await pay(session, '4000 0000 0000 0002');
  assert.equal(declined.status, 402);
  assert.match(await declined.text(), /Your card was declined/);
  const paid = await pay(session);
  assert.equal(paid.status, 303);
  assert.equal(paid.headers.get('location'), `https://app.example/thanks?session=${session.id}`);

  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription', 'line_items'] });
  assert.equal(done.status, 'complete');
  assert.equal(done.payment_status, 'paid');
  assert.equal(done.subscription.status, 'active');
  assert.equal(done.subscription.metadata.order_id, 'ord_1');
  assert.equal(done.line_items.data.length, 3);

  const other = await stripe.checkout.sessions.create({
    mode: 'payment', success_url: 'https://app.example/ok',
    line_items: [{ price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'X' } }, quantity: 1 }],
  });
  const expired = await stripe.checkout.sessions.expire(other.id);
  assert.equal(expired.status, 'expired');
  assert.equal(expired.url, null);
});

test('subscriptions, invoices, refunds and the portal', async () => {
  const { customer, session } = await checkoutFixture();
  assert.equal((await pay(session)).status, 303);
  const { data: [subscription] } = await stripe.subscriptions.list({ customer: customer.id });
  const retrieved = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
  assert.equal(retrieved.latest_invoice.status, 'paid');
  assert.equal(retrieved.latest_invoice.billing_reason, 'subscription_create');
  assert.equal(retrieved.latest_invoice.number, `${customer.invoice_prefix}-0001`);

  const sso = retrieved.items.data[1];
  const updated = await stripe.subscriptions.update(subscription.id, {
    items: [{ id: sso.id, quantity: 5 }], proration_behavior: 'create_prorations',
    cancel_at_period_end: true, metadata: { seats: '5' },
  });
  assert.equal(updated.items.data[1].quantity, 5);
  assert.equal(updated.cancel_at_period_end, true);
  assert.equal(updated.metadata.seats, '5');

  const invoices = await stripe.invoices.list({ customer: customer.id });
  assert.equal(invoices.data.length, 1);
  const invoice = await stripe.invoices.retrieve(invoices.data[0].id);
  assert.equal(invoice.amount_paid, session.amount_total);
  assert.ok(invoice.hosted_invoice_url.startsWith(fake.base));
  const pdf = await fetch(invoice.invoice_pdf);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.from(await pdf.arrayBuffer()).toString('latin1').startsWith('%PDF-1.4'));

  const refund = await stripe.refunds.create({ charge: invoice.charge, amount: 1000 });
  assert.equal(refund.status, 'succeeded');
  assert.equal(refund.amount, 1000);
  const rest = await stripe.refunds.create({ payment_intent: invoice.payment_intent });
  assert.equal(rest.amount, invoice.amount_paid - 1000);

  const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://app.example/billing' });
  assert.match(portal.id, /^bps_/);
  const page = await fetch(portal.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(subscription.id));

  const canceled = await stripe.subscriptions.cancel(subscription.id, { prorate: true });
  assert.equal(canceled.status, 'canceled');
  const all = await stripe.subscriptions.list({ customer: customer.id, status: 'all' });
  assert.equal(all.data.length, 1);
});

test('test clocks: a failed renewal leaves an open invoice that can be voided', async () => {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START, name: 'sdk' });
  assert.match(clock.id, /^clock_/);
  const { customer, session } = await checkoutFixture({ clock });
  assert.equal((await pay(session, '4000 0000 0000 0341')).status, 303);
  const { data: [subscription] } = await stripe.subscriptions.list({ customer: customer.id });
  const waitReady = async () => {
    let current;
    for (let i = 0; i < 200; i += 1) {
      current = await stripe.testHelpers.testClocks.retrieve(clock.id);
      if (current.status === 'ready') break;
      await sleep(10);
    }
    return current;
  };
  // At the period's end the renewal is a draft for an hour: its footer can be set
  // (what the worker does with the order's tax note).
  await stripe.testHelpers.testClocks.advance(clock.id, {
    frozen_time: subscription.current_period_end + 60,
  });
  assert.equal((await waitReady()).status, 'ready');
  const { data: [draft] } = await stripe.invoices.list({ subscription: subscription.id, status: 'draft' });
  assert.equal(draft.billing_reason, 'subscription_cycle');
  const noted = await stripe.invoices.update(draft.id, { footer: 'Reverse charge.' });
  assert.equal(noted.footer, 'Reverse charge.');
  assert.equal((await stripe.invoices.update(draft.id, { footer: '' })).footer, null);
  const advancing = await stripe.testHelpers.testClocks.advance(clock.id, {
    frozen_time: subscription.current_period_end + 3600,
  });
  assert.equal(advancing.status, 'advancing');
  let ready;
  for (let i = 0; i < 200; i += 1) {
    ready = await stripe.testHelpers.testClocks.retrieve(clock.id);
    if (ready.status === 'ready') break;
    await sleep(10);
  }
  assert.equal(ready.status, 'ready');
  assert.equal(ready.frozen_time, subscription.current_period_end + 3600);
  const pastDue = await stripe.subscriptions.retrieve(subscription.id);
  assert.equal(pastDue.status, 'past_due');
  const { data: [open] } = await stripe.invoices.list({ subscription: subscription.id, status: 'open' });
  assert.equal(open.billing_reason, 'subscription_cycle');
  assert.equal(open.attempt_count, 1);
  await assert.rejects(stripe.invoices.pay(open.id), (error) => {
    assert.ok(error instanceof Stripe.errors.StripeCardError);
    assert.equal(error.decline_code, 'generic_decline');
    return true;
  });
  const voided = await stripe.invoices.voidInvoice(open.id);
  assert.equal(voided.status, 'void');
});

test('events: list with filters and pagination, retrieve', async () => {
  const page = await stripe.events.list({ limit: 3 });
  assert.equal(page.data.length, 3);
  assert.equal(page.has_more, true);
  const next = await stripe.events.list({ limit: 3, starting_after: page.data[2].id });
  assert.notEqual(next.data[0].id, page.data[2].id);
  const completed = await stripe.events.list({ type: 'checkout.session.completed' });
  assert.ok(completed.data.length >= 2);
  const some = await stripe.events.list({ types: ['invoice.paid', 'invoice.voided'] });
  assert.ok(some.data.every((event) => ['invoice.paid', 'invoice.voided'].includes(event.type)));
  const event = await stripe.events.retrieve(completed.data[0].id);
  assert.equal(event.type, 'checkout.session.completed');
  assert.equal(event.api_version, '2024-06-20');
  assert.equal(event.data.object.object, 'checkout.session');
  let count = 0;
  for await (const item of stripe.events.list({ limit: 10 })) {
    assert.equal(item.object, 'event');
    count += 1;
  }
  assert.ok(count > 20, `auto-pagination saw ${count} events`);
});

test('setup: a webhook endpoint on the pinned version, and the account tax ID', async () => {
  // What `codezero stripe setup` calls (src/billing/stripe_setup.cpp).
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'https://api.example/v1/webhooks/stripe',
    api_version: '2024-06-20',
    enabled_events: ['checkout.session.completed', 'invoice.paid'],
    description: 'Code Zero platform (codezero stripe setup)',
  });
  assert.match(endpoint.id, /^we_/);
  assert.equal(endpoint.api_version, '2024-06-20');
  assert.match(endpoint.secret, /^whsec_/);
  const updated = await stripe.webhookEndpoints.update(endpoint.id, {
    enabled_events: ['checkout.session.completed', 'invoice.paid', 'charge.refunded'],
    disabled: true,
  });
  assert.deepEqual(updated.enabled_events, ['checkout.session.completed', 'invoice.paid', 'charge.refunded']);
  assert.equal(updated.status, 'disabled');
  assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret, undefined);
  const { data: endpoints } = await stripe.webhookEndpoints.list({ limit: 100 });
  assert.ok(endpoints.some((e) => e.id === endpoint.id));
  assert.equal((await stripe.webhookEndpoints.del(endpoint.id)).deleted, true);

  const portal = await stripe.billingPortal.configurations.create({
    business_profile: { privacy_policy_url: 'https://www.example/de/datenschutz', terms_of_service_url: 'https://www.example/de/agb' },
    default_return_url: 'https://www.example/de/account',
    features: {
      invoice_history: { enabled: true },
      payment_method_update: { enabled: true },
      customer_update: { enabled: false },
      subscription_cancel: { enabled: false },
      subscription_update: { enabled: false },
    },
    metadata: { codezero: 'platform' },
  });
  assert.match(portal.id, /^bpc_/);
  assert.equal(portal.features.subscription_cancel.enabled, false);
  const changed = await stripe.billingPortal.configurations.update(portal.id, {
    business_profile: { terms_of_service_url: 'https://www.example/en/terms' },
  });
  assert.equal(changed.business_profile.terms_of_service_url, 'https://www.example/en/terms');
  const { data: portals } = await stripe.billingPortal.configurations.list({ limit: 100 });
  assert.ok(portals.some((p) => p.id === portal.id && p.metadata.codezero === 'platform'));

  const taxId = await stripe.taxIds.create({ type: 'eu_vat', value: 'DE136695976' });
  assert.match(taxId.id, /^txi_/);
  assert.equal(taxId.owner.type, 'self');
  const { data: taxIds } = await stripe.taxIds.list({ limit: 100 });
  assert.ok(taxIds.some((t) => t.id === taxId.id && t.value === 'DE136695976'));
  await assert.rejects(stripe.taxIds.create({ type: 'eu_vat', value: '123456789' }),
    (error) => error.code === 'tax_id_invalid');
  assert.equal((await stripe.taxIds.del(taxId.id)).deleted, true);
});

test('webhooks: constructEvent accepts every delivery', async () => {
  const { data: events } = await stripe.events.list({ limit: 100 });
  for (let i = 0; i < 300 && receiver.deliveries.length < events.length; i += 1) await sleep(20);
  assert.ok(receiver.deliveries.length >= events.length, `${receiver.deliveries.length} deliveries for ${events.length} events`);
  const seen = new Set();
  for (const delivery of receiver.deliveries) {
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, WEBHOOK_SECRET);
    assert.equal(event.object, 'event');
    assert.match(delivery.userAgent, /^Stripe\/1\.0/);
    seen.add(event.type);
  }
  for (const type of ['customer.created', 'checkout.session.completed', 'invoice.paid',
    'customer.subscription.created', 'invoice.payment_failed', 'charge.refunded']) {
    assert.ok(seen.has(type), `a ${type} webhook`);
  }
  const [delivery] = receiver.deliveries;
  assert.throws(() => stripe.webhooks.constructEvent(`${delivery.body} `, delivery.signature, WEBHOOK_SECRET),
    Stripe.errors.StripeSignatureVerificationError);
  assert.throws(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other'),
    Stripe.errors.StripeSignatureVerificationError);
});
