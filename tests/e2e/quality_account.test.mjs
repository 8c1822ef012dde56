// Accessibility and markup of the purchase's and the account's pages (issue 11): axe-core (no
// serious or critical violation) and the Nu HTML Checker (no error) on every page of the journey,
// signed out and signed in, both languages, including the states with errors and the
// confirmation steps. Each page is produced in the browser as a person gets there; axe checks the
// live page, the Nu HTML Checker the HTML the server sent for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import {
  addMember,
  closeAll,
  createAccount,
  describeViolations,
  invite,
  launchBrowser,
  newContext,
  runVnu,
  startStack,
  test,
  waitFor,
} from './harness.mjs';
import {
  answerConsent,
  continueToOrder,
  orderAndGoToPayment,
  payOnStandIn,
  signIn,
  TEXT,
  waitForText,
} from './site.mjs';

const BUSINESS = '?plan=team&interval=year&extra_seats=2&sso=1&type=business&country=DE&code=LAUNCH20';
const CONSUMER = '?plan=starter&interval=month&type=consumer&country=DE';

let stack;
let browser;
let owner;
let member;
let paidOrder; // active
let openOrder; // awaiting payment
let paidInvoice; // the paid order's first invoice
let subscription; // the paid order's subscription

before(async () => {
  stack = await startStack({ payments: true });
  browser = await launchBrowser();
  owner = await createAccount(stack, { company: 'Barrierefrei GmbH', name: 'Ada Inhaberin' });
  member = await addMember(stack, owner, { name: 'Ben Mitglied' });
  await invite(stack, owner);  // pending: the owner's members page lists it
  // Two orders: one paid (active), one left on the payment page (awaiting payment).
  const t = TEXT.de;
  const context = await newContext(browser, { js: true, locale: t.locale });
  try {
    const page = await context.newPage();
    await signIn(page, stack, owner);
    for (const pay of [true, false]) {
      await continueToOrder(page, stack, t, BUSINESS);
      await page.getByLabel(t.acceptTerms).check();
      await orderAndGoToPayment(page, stack, t);
      if (pay) {
        await Promise.all([
          page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
          payOnStandIn(page, t, '4242 4242 4242 4242'),
        ]);
        await waitForText(page, t.workspaceReady);
      }
    }
  } finally {
    await context.close();
  }
  const rows = await stack.sql(`SELECT id, status FROM orders WHERE company_id = '${owner.companyId}'`);
  paidOrder = rows.find(([, status]) => status === 'active')[0];
  openOrder = rows.find(([, status]) => status === 'awaiting_payment')[0];
  paidInvoice = await waitFor(
    async () => (await stack.sql(`SELECT id FROM invoices WHERE order_id = '${paidOrder}'`))[0]?.[0],
    { message: 'the paid order\'s invoice is stored' },
  );
  subscription = await waitFor(
    async () => (await stack.sql(`SELECT id FROM subscriptions WHERE order_id = '${paidOrder}'`))[0]?.[0],
    { message: 'the paid order\'s subscription is stored' },
  );
});

after(async () => {
  await closeAll();
});

// The configurator's checkout link for a configuration (its signed quote).
async function checkoutPath(page, t, query) {
  await page.goto(stack.url(`${t.configurator}${query}`));
  return page.getByRole('link', { name: t.continueToOrder }).getAttribute('href');
}

// Every page of the journey in one language: who looks at it, and how a person gets there.
// `open(page)` leaves the page showing it and returns the main document's response.
function journey(lang) {
  const t = TEXT[lang];
  const go = (target) => (page) => page.goto(stack.url(target));
  // Submits the page's form and returns the answer (the page with the server's messages).
  const submit = (name) => async (page) => {
    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().isNavigationRequest());
    await page.getByRole('button', { name, exact: true }).click();
    const response = await answered;
    await page.waitForLoadState();
    return response;
  };
  return [
    // Signed out (the consent banner open).
    { who: 'visitor', name: 'sign-in', open: go(t.signIn) },
    { who: 'visitor', name: 'sign-in, on the way to order', open: go(`${t.signIn}?next=${encodeURIComponent(`${t.checkout}?quote=x`)}`) },
    {
      who: 'visitor', name: 'sign-in, wrong password', status: 422,
      open: async (page) => {
        await page.goto(stack.url(t.signIn));
        await page.getByLabel(t.email).fill(owner.email);
        await page.getByLabel(t.password, { exact: true }).fill('not the password');
        return submit(t.signInButton)(page);
      },
    },
    { who: 'visitor', name: 'sign-up', open: go(t.signUp) },
    {
      who: 'visitor', name: 'sign-up, with errors', status: 422,
      open: async (page) => {
        await page.goto(stack.url(t.signUp));
        await page.getByLabel(t.companyName).fill('Fehler GmbH');
        await page.getByLabel(t.email).fill('not-an-address');
        await page.getByLabel(t.password, { exact: true }).fill('short');
        return submit(t.createAccount)(page);
      },
    },
    { who: 'visitor', name: 'sign-up sent', open: go(t.signUpSent) },
    { who: 'visitor', name: 'verify', open: go(`${t.verify}?token=cz_ml_notarealtoken`) },
    {
      who: 'visitor', name: 'verify, invalid link', status: 422,
      open: async (page) => {
        await page.goto(stack.url(`${t.verify}?token=cz_ml_notarealtoken`));
        return submit(t.confirmEmail)(page);
      },
    },
    { who: 'visitor', name: 'forgot password', open: go(t.forgotPassword) },
    { who: 'visitor', name: 'forgot password, sent', open: go(`${t.forgotPassword}?sent=1`) },
    { who: 'visitor', name: 'reset password', open: go(`${t.resetPassword}?token=cz_ml_notarealtoken`) },
    { who: 'visitor', name: 'accept invitation', open: go(`${t.acceptInvitation}?token=cz_ml_notarealtoken`) },
    { who: 'visitor', name: 'cancel contracts here', open: go(t.cancelPage) },
    { who: 'visitor', name: 'home, through a referral link', open: go(`${t.home}?ref=CZ-TEST`) },
    {
      who: 'visitor', name: 'cancel contracts here, refused', status: 422,
      open: async (page) => {
        await page.goto(stack.url(t.cancelPage));
        await page.getByLabel(t.email, { exact: true }).fill('not an address');
        return submit(t.cancelNow)(page);
      },
    },
    {
      who: 'visitor', name: 'cancel contracts here, received',
      open: async (page) => {
        await page.goto(stack.url(t.cancelPage));
        await page.getByLabel(t.yourName, { exact: true }).fill('Nobody');
        await page.getByLabel(t.email, { exact: true }).fill('nobody@example.com');
        return submit(t.cancelNow)(page);
      },
    },
    { who: 'visitor', name: 'cancellation link, invalid', status: 400, open: go(`${t.cancelConfirm}?token=cz_ml_notarealtoken`) },

    // The owner, signed in.
    { who: 'owner', name: 'checkout, business', open: async (page) => page.goto(stack.url(await checkoutPath(page, t, BUSINESS))) },
    { who: 'owner', name: 'checkout, consumer', open: async (page) => page.goto(stack.url(await checkoutPath(page, t, CONSUMER))) },
    {
      who: 'owner', name: 'checkout, consumer, refused', status: 422,
      open: async (page) => {
        await page.goto(stack.url(await checkoutPath(page, t, CONSUMER)));
        await page.getByLabel(t.acceptTerms).check();
        return submit(t.orderButton)(page);
      },
    },
    { who: 'owner', name: 'success, active', open: go(`${t.checkoutSuccess}?order=${paidOrder}&session_id=cs_test_x`) },
    { who: 'owner', name: 'success, payment being confirmed', open: go(`${t.checkoutSuccess}?order=${openOrder}&session_id=cs_test_x`) },
    { who: 'owner', name: 'canceled', open: go(`${t.checkoutCanceled}?order=${openOrder}`) },
    { who: 'owner', name: 'account', open: go(t.account) },
    { who: 'owner', name: 'orders', open: go(t.orders) },
    { who: 'owner', name: 'order, active', open: go(`${t.order}${paidOrder}`) },
    { who: 'owner', name: 'order, awaiting payment', open: go(`${t.order}${openOrder}`) },
    { who: 'owner', name: 'invoices', open: go(t.invoices) },
    { who: 'owner', name: 'invoices, no billing account yet', open: go(`${t.invoices}?portal=none`) },
    { who: 'owner', name: 'invoice, paid with a discount', open: go(`${t.invoice}${paidInvoice}`) },
    { who: 'owner', name: 'subscriptions', open: go(t.subscriptions) },
    { who: 'owner', name: 'referrals', open: go(t.referrals) },
    { who: 'owner', name: 'subscription change', open: go(`${t.subscriptionChange}?subscription=${subscription}`) },
    {
      who: 'owner', name: 'subscription change, its price',
      open: go(`${t.subscriptionChange}?subscription=${subscription}&preview=1&plan=team&addon_extra_seats=5&addon_sso=1`),
    },
    {
      who: 'owner', name: 'subscription change, another interval',
      open: go(`${t.subscriptionChange}?subscription=${subscription}&preview=1&plan=team&interval=month&addon_extra_seats=2&addon_sso=1`),
    },
    {
      who: 'owner', name: 'subscription change, nothing to change', status: 422,
      open: go(`${t.subscriptionChange}?subscription=${subscription}&preview=1&plan=team&addon_extra_seats=2&addon_sso=1`),
    },
    { who: 'owner', name: 'subscription, cancellation step', open: go(`${t.subscriptionCancel}?subscription=${subscription}`) },
    { who: 'owner', name: 'company', open: go(t.company) },
    { who: 'owner', name: 'company, closing asked', open: go(`${t.company}?close=1`) },
    { who: 'owner', name: 'members', open: go(t.members) },
    { who: 'owner', name: 'members, removal asked', open: go(`${t.members}?remove=${member.userId}`) },
    { who: 'owner', name: 'members, handover asked', open: go(`${t.members}?owner=${member.userId}`) },
    { who: 'owner', name: 'profile', open: go(t.profile) },
    { who: 'owner', name: 'delete (owner: hand over first)', open: go(t.deleteAccount) },

    // A member, signed in.
    { who: 'member', name: 'checkout, not the owner', open: async (page) => page.goto(stack.url(await checkoutPath(page, t, BUSINESS))) },
    { who: 'member', name: 'invoices, no payment button', open: go(t.invoices) },
    { who: 'member', name: 'subscriptions, no buttons', open: go(t.subscriptions) },
    { who: 'member', name: 'company, read only', open: go(t.company) },
    { who: 'member', name: 'members', open: go(t.members) },
    { who: 'member', name: 'delete', open: go(t.deleteAccount) },
  ];
}

for (const lang of ['de', 'en']) {
  describe(`${lang}: every page of the journey`, () => {
    const t = TEXT[lang];
    const seen = []; // { label, html } for the Nu HTML Checker

    test('axe-core: no serious or critical violation, signed out and signed in', async () => {
      const contexts = {};
      const failures = [];
      try {
        for (const who of ['visitor', 'owner', 'member']) {
          contexts[who] = await newContext(browser, { js: true, locale: t.locale });
          if (who !== 'visitor') {
            // The consent decided (before signing in: a signed-in visitor's answer is refused,
            // see account.test.mjs), then signed in. The visitor's pages have the banner open.
            const page = await contexts[who].newPage();
            await page.goto(stack.url(t.home));
            await answerConsent(page, t);
            await signIn(page, stack, who === 'owner' ? owner : member, { lang });
            await page.close();
          }
        }
        const pages = Object.fromEntries(
          await Promise.all(Object.entries(contexts).map(async ([who, context]) => [who, await context.newPage()])),
        );
        for (const entry of journey(lang)) {
          const page = pages[entry.who];
          const response = await entry.open(page);
          const label = `${entry.name} (${entry.who}, ${new URL(page.url()).pathname})`;
          assert.equal(response.status(), entry.status ?? 200, label);
          assert.equal(new URL(page.url()).origin, stack.origin, label);
          seen.push({ label, html: await response.text() });
          const results = await new AxeBuilder({ page }).analyze();
          const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
          if (serious.length > 0) failures.push(`${label}:\n${describeViolations(serious)}`);
        }
      } finally {
        await Promise.all(Object.values(contexts).map((context) => context.close()));
      }
      assert.equal(failures.length, 0, `axe found serious or critical violations:\n${failures.join('\n')}`);
    });

    test('Nu HTML Checker: no error in the HTML the server sent', async () => {
      assert.ok(seen.length >= 30, `the pages above were collected (${seen.length})`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-vnu-'));
      try {
        const files = new Map();
        for (const { label, html } of seen) {
          const file = path.join(dir, `${files.size}.html`);
          fs.writeFileSync(file, html);
          files.set(file, label);
        }
        const report = await runVnu([...files.keys()]);
        const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
        const described = errors.map((m) => {
          const file = files.get(decodeURIComponent(new URL(m.url).pathname)) ?? m.url;
          return `  ${file}:${m.lastLine ?? '?'}: ${m.message}\n      ${(m.extract ?? '').replace(/\n/g, ' ')}`;
        });
        assert.equal(errors.length, 0, `the Nu HTML Checker found errors:\n${described.join('\n')}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
