// The purchase (issue 11, "Must show"): from the configurator through sign-up, the e-mail link
// read from the outbox, sign-in, the checkout and the Stripe stand-in's payment page to the
// success page with the active order and its access details, in German and English and without
// JavaScript; a declined card leaving the order unpaid with a way to pay again; a consumer's
// express request to begin early (and the order refused without it); a double-clicked order
// button giving one order; and a member who is not the owner cannot buy.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addMember,
  closeAll,
  createAccount,
  launchBrowser,
  newContext,
  startStack,
  test,
  uniqueEmail,
  waitFor,
} from './harness.mjs';
import {
  answerConsent,
  continueToOrder,
  factOf,
  fillSignUp,
  normalize,
  orderAndGoToPayment,
  payOnStandIn,
  signIn,
  TEXT,
  waitForText,
} from './site.mjs';

const PAYS = '4242 4242 4242 4242';
const DECLINED = '4000 0000 0000 0002';
// Team, yearly, two extra seats: the plan includes 10 seats (catalog/catalog-v1.json).
const BUSINESS = '?plan=team&interval=year&extra_seats=2&type=business&country=DE';
const BUSINESS_SEATS = '12';

let stack;
let browser;

before(async () => {
  stack = await startStack({ payments: true });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
});

async function orderCount(where = 'true') {
  const [[count]] = await stack.sql(`SELECT count(*) FROM orders WHERE ${where}`);
  return Number(count);
}

async function orderStatus(id) {
  const [[status]] = await stack.sql(`SELECT status FROM orders WHERE id = '${id}'`);
  return status;
}

// Everything from the configurator to the active order, as a new customer.
async function wholePurchase({ lang, js }) {
  const t = TEXT[lang];
  const context = await newContext(browser, { js, locale: t.locale });
  try {
    const page = await context.newPage();
    const account = {
      company: lang === 'de' ? 'Beispiel GmbH' : 'Example Ltd',
      name: lang === 'de' ? 'Kim Beispiel' : 'Kim Example',
      email: uniqueEmail(`buyer-${lang}-${js ? 'js' : 'nojs'}`),
      password: 'correct horse battery staple',
    };

    // The configuration, and on to order: sign in or sign up first.
    const total = await continueToOrder(page, stack, t, BUSINESS);
    assert.equal(new URL(page.url()).pathname, t.signIn);
    assert.ok(new URL(page.url()).searchParams.get('next').startsWith(`${t.checkout}?quote=`), 'the way back is kept');
    await page.getByText(t.toOrderSignIn).waitFor();

    // Sign-up, then "check your inbox".
    await Promise.all([
      page.waitForURL((url) => url.pathname === t.signUp),
      page.getByRole('link', { name: t.createAccountLink }).click(),
    ]);
    await fillSignUp(page, t, account);
    await Promise.all([
      page.waitForURL((url) => url.pathname === t.signUpSent),
      page.getByRole('button', { name: t.createAccount, exact: true }).click(),
    ]);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.checkInbox);

    // The e-mail's link, in the visitor's language, leads back to the checkout.
    const mail = await stack.waitForMail({ to: account.email, subject: t.mail.verify });
    const link = stack.mailLink(mail, t.verify);
    assert.ok(new URL(link).searchParams.get('token'), 'the link carries its token');
    await page.goto(link);
    await Promise.all([
      page.waitForURL((url) => url.pathname === t.signIn),
      page.getByRole('button', { name: t.confirmEmail }).click(),
    ]);
    await page.getByText(t.verified).waitFor();
    await page.getByLabel(t.email).fill(account.email);
    await page.getByLabel(t.password, { exact: true }).fill(account.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname === t.checkout),
      page.getByRole('button', { name: t.signInButton, exact: true }).click(),
    ]);

    // The checkout: the same total as configured, the company, the order button.
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.yourOrder);
    assert.equal(normalize(await page.locator('#total').textContent()), total, 'the configured total');
    await page.getByText(account.company).first().waitFor();
    await page.getByLabel(t.acceptTerms).check();
    await orderAndGoToPayment(page, stack, t);
    const [[orderId, status]] = await stack.sql(
      `SELECT o.id, o.status FROM orders o JOIN users u ON u.id = o.created_by WHERE u.email = '${account.email}'`,
    );
    assert.equal(status, 'awaiting_payment');

    // Stripe's page (the stand-in), then back to the success page.
    await Promise.all([
      page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
      payOnStandIn(page, t, PAYS),
    ]);
    assert.equal(new URL(page.url()).searchParams.get('order'), orderId);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.thankYou);
    await waitForText(page, t.workspaceReady);
    assert.equal(normalize(await factOf(page, t.plan).textContent()), 'Team');
    assert.equal(normalize(await factOf(page, t.seatsFact).textContent()), BUSINESS_SEATS);
    const shownKey = normalize(await factOf(page, t.licenceKey).locator('code').textContent());
    assert.match(shownKey, /^czl_[A-Za-z0-9_-]+…$/, 'the licence key\'s prefix, not the key');
    assert.equal(await orderStatus(orderId), 'active');

    // The access e-mail has the whole key, which begins with the prefix shown.
    const access = await stack.waitForMail({ to: account.email, subject: t.mail.accessDetails });
    const key = /czl_[A-Za-z0-9_-]{16,}/.exec(access.text)?.[0];
    assert.ok(key, 'the access e-mail holds the licence key');
    assert.ok(key.startsWith(shownKey.slice(0, -1)), `${key} begins with ${shownKey}`);
    assert.ok(!(await page.content()).includes(key), 'the page never shows the whole key');

    // The order in the account: active, the same total.
    await Promise.all([
      page.waitForURL((url) => url.pathname === `${t.order}${orderId}`),
      page.getByRole('link', { name: t.seeOrder }).click(),
    ]);
    assert.equal(normalize(await factOf(page, t.status).textContent()), t.statusActive);
    const firstInvoice = page.getByRole('row', { name: new RegExp(`^${t.firstInvoice}`) });
    assert.equal(normalize(await firstInvoice.getByRole('cell').textContent()), total);

    // Its invoice, once the worker has stored it: paid, the same total, with its VAT per rate.
    await waitFor(
      async () => {
        const [[count]] = await stack.sql(
          `SELECT count(*) FROM invoices WHERE order_id = '${orderId}' AND status = 'paid'`,
        );
        return count === '1';
      },
      { message: 'the paid invoice is stored' },
    );
    await Promise.all([
      page.waitForURL((url) => url.pathname === t.invoices),
      page.locator('nav.account-nav').getByRole('link', { name: t.invoicesNav }).click(),
    ]);
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.equal(normalize(await rows.first().locator('td.num').textContent()), total);
    assert.equal(normalize(await rows.first().locator('.status').textContent()), t.invoiceStatusPaid);
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith(t.invoice)),
      rows.first().getByRole('link').first().click(),
    ]);
    const invoiceTotal = page.getByRole('row', { name: new RegExp(`^${t.invoiceTotal}`) });
    assert.equal(normalize(await invoiceTotal.getByRole('cell').textContent()), total);
    assert.equal(await page.locator('tfoot tr').count(), 3, 'net, one VAT rate, total');

    // The owner's way to the payment methods: Stripe's billing portal (the stand-in's).
    await page.goto(`${stack.origin}${t.invoices}`);
    await Promise.all([
      page.waitForURL((url) => url.origin === stack.stripeOrigin && url.pathname.startsWith('/p/session/')),
      page.getByRole('button', { name: t.managePayment }).click(),
    ]);
    await page.getByText(account.email).first().waitFor();

    await changeSeats(page, t, orderId);
    await cancelWithoutSigningInAndResume(page, t, js, account);
  } finally {
    await context.close();
  }
}

// Two more seats, priced first (prorated for the rest of the year), then charged at once; the
// workspace gets them.
async function changeSeats(page, t, orderId) {
  await page.goto(stack.url(t.subscriptions));
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptionChange),
    page.getByRole('link', { name: t.changePlan }).click(),
  ]);
  const seats = page.getByLabel(t.seats, { exact: true });
  assert.equal(await seats.inputValue(), '2', 'the subscription as it is');
  await seats.fill('4');
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptionChange && url.searchParams.get('preview') === '1'),
    page.getByRole('button', { name: t.showPrice }).click(),
  ]);
  const due = normalize(await factOf(page, t.chargedNow).textContent());
  assert.match(due, /\d/, `an amount due now: ${due}`);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptions && url.searchParams.get('notice') === 'changed'),
    page.getByRole('button', { name: t.changeAndPay }).click(),
  ]);
  assert.equal(normalize(await page.locator('.notice--success').textContent()), t.changedNotice);
  await waitFor(
    async () => {
      const [[seatCount]] = await stack.sql(
        `SELECT entitlements->>'seats' FROM workspaces WHERE order_id = '${orderId}'`,
      );
      return seatCount === String(Number(BUSINESS_SEATS) + 2);
    },
    { message: 'the workspace has the two more seats' },
  );
  // The prorations' invoice, paid at once: the order's second.
  const paid = await waitFor(
    async () => {
      const rows = await stack.sql(
        `SELECT amount_paid FROM invoices WHERE order_id = '${orderId}' AND status = 'paid' ORDER BY created_at`,
      );
      return rows.length === 2 ? Number(rows[1][0]) : undefined;
    },
    { message: 'the prorations are invoiced and paid' },
  );
  assert.ok(paid > 0, `paid ${paid}`);
}

// "Verträge hier kündigen" from the footer in a browser that is not signed in, identified by the
// owner's e-mailed link; then, signed in, the cancellation taken back and made again in the
// account (its confirmation step's button says "Jetzt kündigen" too).
async function cancelWithoutSigningInAndResume(page, t, js, account) {
  const status = () => factOf(page, t.status).textContent().then(normalize);
  await page.goto(stack.url(t.account));
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptions),
    page.locator('nav.account-nav').getByRole('link', { name: t.subscriptionsNav }).click(),
  ]);
  assert.equal(await status(), t.subscriptionActive);

  const anonymous = await newContext(browser, { js, locale: t.locale });
  try {
    const visitor = await anonymous.newPage();
    await visitor.goto(stack.url(t.home));
    await Promise.all([
      visitor.waitForURL((url) => url.pathname === t.cancelPage),
      visitor.locator('footer').getByRole('link', { name: t.cancelContracts }).click(),
    ]);
    await visitor.getByLabel(t.yourName, { exact: true }).fill(account.name);
    await visitor.getByLabel(t.email, { exact: true }).fill(account.email);
    await visitor.getByRole('button', { name: t.cancelNow, exact: true }).click();
    await visitor.getByRole('heading', { level: 1, name: t.cancellationReceived }).waitFor();
    assert.match(normalize(await visitor.locator('.notice--success').textContent()), t.receivedOn);

    // The link in the owner's e-mail: nothing happens until its button is pressed.
    const mail = await stack.waitForMail({ to: account.email, subject: t.cancellationMail.link });
    await visitor.goto(stack.mailLink(mail, t.cancelConfirm));
    await page.reload();
    assert.equal(await status(), t.subscriptionActive, 'opening the link cancels nothing');
    await visitor.getByRole('button', { name: t.confirmCancellation }).click();
    await visitor.getByText(t.cancellationConfirmed).waitFor();
    await stack.waitForMail({ to: account.email, subject: t.cancellationMail.received });
  } finally {
    await anonymous.close();
  }

  await page.reload();
  assert.match(await status(), t.subscriptionEnding);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptions && url.searchParams.get('notice') === 'resumed'),
    page.getByRole('button', { name: t.takeBack }).click(),
  ]);
  assert.equal(normalize(await page.locator('.notice--success').textContent()), t.resumedNotice);
  assert.equal(await status(), t.subscriptionActive);
  await stack.waitForMail({ to: account.email, subject: t.cancellationMail.resumed });

  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptionCancel),
    page.getByRole('link', { name: t.cancelSubscription }).click(),
  ]);
  await Promise.all([
    page.waitForURL((url) => url.pathname === t.subscriptions && url.searchParams.get('notice') === 'cancelled'),
    page.getByRole('button', { name: t.cancelNow, exact: true }).click(),
  ]);
  assert.equal(normalize(await page.locator('.notice--success').textContent()), t.cancelledNotice);
  assert.match(await status(), t.subscriptionEnding);
}

describe('the whole purchase', () => {
  test('de, with JavaScript: configurator → sign-up → e-mail link → sign-in → 4242 → active order with access details', async () => {
    await wholePurchase({ lang: 'de', js: true });
  });

  test('en, with JavaScript: the same journey in English', async () => {
    await wholePurchase({ lang: 'en', js: true });
  });

  test('de, without JavaScript: the same journey, the success page refreshing itself', async () => {
    await wholePurchase({ lang: 'de', js: false });
  });
});

describe('referrals', () => {
  test('de: the referrer copies the link, a second browser buys through it, the referral is held for its credit', async () => {
    const t = TEXT.de;
    // The referrer is a customer (a credit needs its Stripe customer): it bought before.
    const referrer = await createAccount(stack, { email: uniqueEmail('referrer').replace('@example.org', '@referrer.example') });
    const own = await newContext(browser, { js: true, locale: t.locale });
    await own.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.origin });
    let link;
    try {
      const page = await own.newPage();
      await signIn(page, stack, referrer);
      await continueToOrder(page, stack, t, BUSINESS);
      await page.getByLabel(t.acceptTerms).check();
      await orderAndGoToPayment(page, stack, t);
      await Promise.all([
        page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
        payOnStandIn(page, t, PAYS),
      ]);
      await waitForText(page, t.workspaceReady);

      await page.goto(stack.url(t.account));
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.referrals),
        page.locator('nav.account-nav').getByRole('link', { name: t.referralsNav }).click(),
      ]);
      await page.getByRole('button', { name: t.copyLink }).click();
      await page.getByText(t.linkCopied).waitFor();
      link = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(link, await page.locator('#referral-link').inputValue());
      assert.match(link, new RegExp(`^${stack.origin}/de/\\?ref=CZ-[2-9A-HJKMNP-Z]{4}$`));
    } finally {
      await own.close();
    }

    // Someone else, in another browser: the link, the configurator with the code, the order.
    const referee = await createAccount(stack, { email: uniqueEmail('referee').replace('@example.org', '@referee.example') });
    const theirs = await newContext(browser, { js: true, locale: t.locale });
    let orderId;
    try {
      const page = await theirs.newPage();
      await page.goto(link);
      assert.match(normalize(await page.locator('.notice--success').textContent()), t.referredNotice);
      const code = new URL(link).searchParams.get('ref');
      await answerConsent(page, t);
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.configurator && url.searchParams.get('code') === code),
        page.getByRole('link', { name: t.configurePlan }).click(),
      ]);
      await page.getByText(t.referralDiscount).first().waitFor();
      await Promise.all([
        page.waitForURL((url) => url.pathname !== t.configurator),
        page.getByRole('link', { name: t.continueToOrder }).click(),
      ]);
      await page.getByLabel(t.email).fill(referee.email);
      await page.getByLabel(t.password, { exact: true }).fill(referee.password);
      await Promise.all([
        page.waitForURL((url) => url.pathname === t.checkout),
        page.getByRole('button', { name: t.signInButton, exact: true }).click(),
      ]);
      await page.getByLabel(t.acceptTerms).check();
      await orderAndGoToPayment(page, stack, t);
      await Promise.all([
        page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
        payOnStandIn(page, t, PAYS),
      ]);
      await waitForText(page, t.workspaceReady);
      orderId = new URL(page.url()).searchParams.get('order');
    } finally {
      await theirs.close();
    }
    const [[discountKind, state]] = await stack.sql(
      `SELECT o.discount_kind, r.state FROM orders o JOIN referral_redemptions r ON r.order_id = o.id WHERE o.id = '${orderId}'`,
    );
    assert.equal(discountKind, 'referral');
    assert.equal(state, 'holding');

    // The referrer sees it waiting for its credit.
    const again = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await again.newPage();
      await signIn(page, stack, referrer, { next: t.referrals });
      assert.match(normalize(await page.locator('tbody tr td').nth(1).textContent()), t.referralHolding);
    } finally {
      await again.close();
    }
  });
});

describe('payment', () => {
  test('de: a declined card leaves the order awaiting payment, with a way to pay again', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Abgelehnt GmbH' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      await continueToOrder(page, stack, t, BUSINESS);
      assert.equal(new URL(page.url()).pathname, t.checkout, 'signed in: straight to the checkout');
      await page.getByLabel(t.acceptTerms).check();
      await orderAndGoToPayment(page, stack, t);
      const payUrl = page.url();
      const [[orderId]] = await stack.sql(`SELECT id FROM orders WHERE company_id = '${owner.companyId}'`);

      // Declined: the stand-in says why and stays on its page.
      const answered = page.waitForResponse((response) => response.request().method() === 'POST');
      await payOnStandIn(page, t, DECLINED);
      assert.equal((await answered).status(), 402);
      await page.getByRole('alert').waitFor();
      assert.equal(new URL(page.url()).origin, stack.stripeOrigin);

      // Stripe's failure events reached the API and were processed; the order still awaits payment.
      await waitFor(
        async () => {
          const [[processed]] = await stack.sql(
            "SELECT count(*) FROM stripe_events WHERE type = 'payment_intent.payment_failed' AND processed_at IS NOT NULL",
          );
          return Number(processed) >= 1;
        },
        { timeout: 20_000, interval: 200, message: 'payment_intent.payment_failed processed' },
      );
      assert.equal(await orderStatus(orderId), 'awaiting_payment');
      const [[workspaces]] = await stack.sql(`SELECT count(*) FROM workspaces WHERE order_id = '${orderId}'`);
      assert.equal(Number(workspaces), 0, 'no workspace for an unpaid order');

      // Cancel on Stripe's page: our page says nothing was charged and offers to pay again.
      await Promise.all([
        page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutCanceled),
        page.getByRole('link', { name: t.cancelPayment }).click(),
      ]);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.paymentCancelled);
      const again = page.getByRole('link', { name: t.tryPaymentAgain });
      assert.equal(await again.getAttribute('href'), payUrl, 'back to the same payment page');

      // The order page says so too.
      await page.goto(stack.url(`${t.order}${orderId}`));
      assert.equal(normalize(await factOf(page, t.status).textContent()), t.statusAwaiting);
      assert.equal(await page.getByRole('link', { name: t.payNow }).getAttribute('href'), payUrl);

      // Trying again with a good card: paid, active, still one order.
      await page.getByRole('link', { name: t.payNow }).click();
      await page.waitForURL((url) => url.origin === stack.stripeOrigin);
      await Promise.all([
        page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
        payOnStandIn(page, t, PAYS),
      ]);
      await waitForText(page, t.workspaceReady);
      assert.equal(await orderStatus(orderId), 'active');
      assert.equal(await orderCount(`company_id = '${owner.companyId}'`), 1);
    } finally {
      await context.close();
    }
  });
});

describe('consumers', () => {
  // A consumer in Germany: the withdrawal notice and the express request to begin at once.
  const CONSUMER = '?plan=starter&interval=month&type=consumer&country=DE';

  for (const lang of ['de', 'en']) {
    const t = TEXT[lang];
    test(`${lang}: refused without the express request to begin early (no order), recorded with it`, async () => {
      const owner = await createAccount(stack, { company: `Privat ${lang}`, name: 'Sam Privat', locale: lang });
      const context = await newContext(browser, { js: lang === 'de', locale: t.locale });
      try {
        const page = await context.newPage();
        await signIn(page, stack, owner, { lang });
        await continueToOrder(page, stack, t, CONSUMER);
        assert.equal(new URL(page.url()).pathname, t.checkout);
        await page.getByRole('heading', { name: t.withdrawalTitle }).waitFor();

        // Terms accepted, the express request not given: the page again with the reason next
        // to the checkbox, and no order.
        await page.getByLabel(t.acceptTerms).check();
        const answered = page.waitForResponse((response) => response.request().method() === 'POST');
        await page.getByRole('button', { name: t.orderButton, exact: true }).click();
        assert.equal((await answered).status(), 422);
        await page.waitForLoadState();
        assert.equal(new URL(page.url()).origin, stack.origin, 'not sent on to pay');
        const box = page.getByLabel(t.earlyStart);
        assert.equal(await box.getAttribute('aria-invalid'), 'true');
        assert.equal(await box.isChecked(), false);
        assert.equal(normalize(await page.locator('#error-early_start').textContent()), t.earlyStartRequired);
        assert.ok((await box.getAttribute('aria-describedby')).split(' ').includes('error-early_start'));
        assert.ok(await page.getByLabel(t.acceptTerms).isChecked(), 'what was ticked stays ticked');
        assert.equal(await orderCount(`company_id = '${owner.companyId}'`), 0, 'no order row');

        // With the express request: ordered, and the request is recorded with its date.
        await box.check();
        await orderAndGoToPayment(page, stack, t);
        const [[orderId, requested]] = await stack.sql(
          `SELECT id, early_performance_requested_at IS NOT NULL FROM orders WHERE company_id = '${owner.companyId}'`,
        );
        assert.equal(requested, 't');
        if (lang === 'de') {
          // Paid like any other order.
          await Promise.all([
            page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
            payOnStandIn(page, t, PAYS),
          ]);
          await waitForText(page, t.workspaceReady);
        } else {
          // Not paid: the success page (without JavaScript) says so and reloads itself.
          await page.goto(stack.url(`${t.checkoutSuccess}?order=${orderId}`));
          await page.getByText(t.paymentBeingConfirmed).waitFor();
          await page.waitForEvent('load', { timeout: 10_000 });
          await page.getByText(t.paymentBeingConfirmed).waitFor();
        }
        await page.goto(stack.url(`${t.order}${orderId}`));
        const today = t.date(Math.floor(Date.now() / 1000));
        assert.equal(normalize(await factOf(page, t.earlyStartRequested).textContent()), today);
        assert.equal(normalize(await factOf(page, t.status).textContent()), lang === 'de' ? t.statusActive : t.statusAwaiting);
      } finally {
        await context.close();
      }
    });
  }
});

describe('one order per click', () => {
  test('de: a double-clicked order button, and the same form posted twice, each give one order', async (testContext) => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Doppelklick GmbH' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      await continueToOrder(page, stack, t, BUSINESS);
      await page.getByLabel(t.acceptTerms).check();
      const posts = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === t.checkout) posts.push(request);
      });
      // The second click's post aborts the first one's navigation, which a waitForURL started
      // before the clicks would report as a failure: wait for where the page ends up instead.
      await page.getByRole('button', { name: t.orderButton, exact: true }).dblclick();
      await waitFor(() => new URL(page.url()).origin === stack.stripeOrigin, {
        timeout: 20_000,
        message: 'the double click ends on the payment page',
      });
      // Chromium may collapse the two submissions into one request; the posts below are two.
      assert.ok(posts.length >= 1);
      testContext.diagnostic(`the double click sent ${posts.length} post(s)`);
      assert.equal(await orderCount(`company_id = '${owner.companyId}'`), 1, `one order after ${posts.length} post(s)`);

      // The form as the browser would send it, twice at once (a double submit that the
      // browser did not collapse): both go to the one payment page, one order more.
      await page.goto(stack.url(`${t.configurator}${BUSINESS}`));
      await page.getByRole('link', { name: t.continueToOrder }).click();
      await page.waitForURL((url) => url.pathname === t.checkout);
      const form = await page.locator('#checkout-form').evaluate((element) =>
        Object.fromEntries(new FormData(element).entries()));
      form.terms = '1';
      const post = () => context.request.post(stack.url(t.checkout), {
        form,
        headers: { Origin: stack.origin },
        maxRedirects: 0,
      });
      const answers = await Promise.all([post(), post()]);
      assert.deepEqual(answers.map((answer) => answer.status()), [303, 303]);
      const targets = answers.map((answer) => answer.headers().location);
      assert.ok(targets[0].startsWith(`${stack.stripeOrigin}/c/pay/`), targets[0]);
      assert.equal(targets[1], targets[0], 'the same payment page');
      assert.equal(await orderCount(`company_id = '${owner.companyId}'`), 2, 'one more order, not two');
    } finally {
      await context.close();
    }
  });
});

describe('who may buy', () => {
  test('de: a member who is not the owner sees why they cannot order, and a forged order post is refused', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Nur Inhaber GmbH' });
    const member = await addMember(stack, owner, { name: 'Mika Mitglied' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, member);
      await continueToOrder(page, stack, t, BUSINESS);
      assert.equal(new URL(page.url()).pathname, t.checkout);
      await page.getByText(t.onlyOwnerCanOrder).waitFor();
      assert.equal(await page.getByRole('button', { name: t.orderButton }).count(), 0, 'no order button');

      // The form an owner would have, posted by the member with their own form token.
      const quote = new URL(page.url()).searchParams.get('quote');
      const csrf = await page.locator('input[name="csrf"][form="sign-out-form"]').getAttribute('value');
      const answer = await context.request.post(stack.url(t.checkout), {
        form: { csrf, quote, attempt: 'forged-attempt-0001', terms: '1', line1: 'Hauptstraße 5', postal_code: '10115', city: 'Berlin' },
        headers: { Origin: stack.origin },
        maxRedirects: 0,
      });
      assert.notEqual(answer.status(), 303, 'not sent on to pay');
      assert.ok(answer.status() >= 400, `refused: ${answer.status()}`);
      assert.ok((await answer.text()).includes(t.forbidden), 'the page says only the owner may do this');
      assert.equal(await orderCount(`company_id = '${owner.companyId}'`), 0, 'no order');
    } finally {
      await context.close();
    }
  });
});
