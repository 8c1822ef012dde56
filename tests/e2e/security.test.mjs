// Sessions and forms (issue 11, "Security tests"): the session cookie's flags; forged form posts
// (no token, a cross-site Origin, another site's form in the browser) get the 403 page and change
// nothing; the session id changes at sign-in (fixation); idle and absolute expiry with short
// settings; and a whole purchase scanned for API tokens, the password and the card number in
// every page, cookie, URL and log line.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before, describe } from 'node:test';
import {
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
  continueToOrder,
  fillSignUp,
  orderAndGoToPayment,
  payOnStandIn,
  signIn,
  TEXT,
  waitForText,
} from './site.mjs';

const SESSION = '__Host-session';

let stack;
let browser;
let evil; // another origin on loopback, serving a page with a form that posts to the site

function startEvilSite() {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const target = url.searchParams.get('target') ?? '';
    const csrf = url.searchParams.get('csrf') ?? '';
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><html lang="en"><title>Win a prize</title>
<form method="post" action="${target}"><input type="hidden" name="name" value="Hacked">
<input type="hidden" name="locale" value="en"><input type="hidden" name="csrf" value="${csrf}">
<button type="submit">Claim</button></form></html>`);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

before(async () => {
  evil = await startEvilSite();
  // Debug, the most the servers ever log (production runs at info, a subset): the log scan
  // reads every line they could write.
  stack = await startStack({ payments: true, logLevel: 'debug' });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
  await evil?.close();
});

async function sessionCookie(context) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION);
}

// The account page fetched with exactly this session cookie (no browser, so no cookie expiry
// of the browser's own): 200 signed in, or 303 to the sign-in page.
async function accountWithCookie(value, t = TEXT.de) {
  const response = await fetch(stack.url(t.account), {
    headers: { Cookie: `${SESSION}=${value}` },
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') };
}

async function userName(userId) {
  const [[name]] = await stack.sql(`SELECT name FROM users WHERE id = '${userId}'`);
  return name;
}

describe('session cookie', () => {
  test('de: __Host-session is Secure, HttpOnly, SameSite=Lax, Path=/, without Domain; signed-in pages are private', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Keks GmbH' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await page.goto(stack.url(t.signIn));
      assert.equal(await sessionCookie(context), undefined, 'no session before sign-in');
      await page.getByLabel(t.email).fill(owner.email);
      await page.getByLabel(t.password, { exact: true }).fill(owner.password);
      const posted = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: t.signInButton, exact: true }).click();
      const response = await posted;
      assert.equal(response.status(), 303);
      const setCookie = (await response.headerValue('set-cookie'))
        .split('\n')
        .find((line) => line.startsWith(`${SESSION}=`));
      assert.ok(setCookie, 'the sign-in sets the session cookie');
      const attributes = setCookie.split(';').slice(1).map((part) => part.trim().toLowerCase());
      assert.ok(attributes.includes('secure'), setCookie);
      assert.ok(attributes.includes('httponly'), setCookie);
      assert.ok(attributes.includes('samesite=lax'), setCookie);
      assert.ok(attributes.includes('path=/'), setCookie);
      assert.ok(!attributes.some((attribute) => attribute.startsWith('domain')), `no Domain: ${setCookie}`);
      const value = setCookie.slice(SESSION.length + 1).split(';')[0];
      assert.match(value, /^[A-Za-z0-9_-]{43}$/, 'a random id only');

      await page.waitForURL((url) => url.pathname === t.account);
      const cookie = await sessionCookie(context);
      assert.deepEqual(
        { secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path, domain: cookie.domain },
        { secure: true, httpOnly: true, sameSite: 'Lax', path: '/', domain: '127.0.0.1' },
      );
      assert.ok(!(await page.evaluate(() => document.cookie)).includes(SESSION), 'scripts cannot read it');
      const page2 = await page.goto(stack.url(t.profile));
      assert.equal(page2.headers()['cache-control'], 'private, no-store', 'signed-in pages are not cached');
    } finally {
      await context.close();
    }
  });
});

describe('forged form posts', () => {
  test('de: without the token, with a cross-site Origin, and from another site in the browser: the 403 page, nothing changed', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Fälschung GmbH', name: 'Vera Echt' });
    const context = await newContext(browser, { js: true, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      await page.goto(stack.url(t.profile));
      const token = await page.locator('input[name="csrf"][form="profile-form"]').getAttribute('value');
      const target = stack.url(t.profile);
      const post = (form, headers) => context.request.post(target, { form, headers, maxRedirects: 0 });
      const assertRefused = async (answer, why) => {
        assert.equal(answer.status(), 403, why);
        const html = await answer.text();
        assert.ok(html.includes(`<h1>${t.refused}</h1>`), `${why}: the localized 403 page`);
        assert.equal(await userName(owner.userId), 'Vera Echt', `${why}: nothing changed`);
      };

      // Same origin, but no token.
      await assertRefused(await post({ name: 'Hacked', locale: 'en' }, { Origin: stack.origin }), 'no token');
      // A wrong token.
      await assertRefused(await post({ name: 'Hacked', locale: 'en', csrf: `${token}x` }, { Origin: stack.origin }), 'a wrong token');
      // The right token, but posted from another site.
      await assertRefused(await post({ name: 'Hacked', locale: 'en', csrf: token }, { Origin: 'https://evil.example' }), 'cross-site Origin');
      // Neither Origin nor Sec-Fetch-Site: not accepted either.
      await assertRefused(await post({ name: 'Hacked', locale: 'en', csrf: token }, {}), 'no Origin at all');
      // The same token from this origin works: the refusals above were about the forgery.
      const genuine = await post({ name: 'Vera Echt', locale: 'de', csrf: token }, { Origin: stack.origin });
      assert.equal(genuine.status(), 303);

      // Another site's page submits a form to the site in the victim's browser (the session
      // cookie goes along: another port on 127.0.0.1 is the same site).
      const victim = await context.newPage();
      await victim.goto(`${evil.origin}/?target=${encodeURIComponent(target)}&csrf=${encodeURIComponent(token)}`);
      const answered = victim.waitForResponse((response) => response.url() === target);
      await victim.getByRole('button', { name: 'Claim' }).click();
      assert.equal((await answered).status(), 403);
      await victim.getByRole('heading', { name: t.refused, level: 1 }).waitFor();
      assert.equal(await userName(owner.userId), 'Vera Echt', 'nothing changed');
      assert.ok(await sessionCookie(context), 'and the visitor is still signed in');
    } finally {
      await context.close();
    }
  });
});

describe('session fixation', () => {
  test('de: an id planted before sign-in is replaced at sign-in and worthless afterwards', async () => {
    const t = TEXT.de;
    const owner = await createAccount(stack, { company: 'Fixierung GmbH' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      // The attacker's choice of id, set in the victim's browser before they sign in.
      const planted = 'A'.repeat(20) + 'fixedByTheAttacker_0123';
      assert.equal(planted.length, 43);
      await context.addCookies([
        { name: SESSION, value: planted, domain: '127.0.0.1', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' },
      ]);
      const page = await context.newPage();
      await signIn(page, stack, owner);
      assert.equal(new URL(page.url()).pathname, t.account);
      const after = (await sessionCookie(context)).value;
      assert.notEqual(after, planted, 'a new id at sign-in');
      assert.equal((await accountWithCookie(planted)).status, 303, 'the planted id signs nobody in');
      assert.equal((await accountWithCookie(after)).status, 200);

      // Signing in again (say, as someone else on a shared computer) ends the earlier id too.
      const csrf = await page.locator('input[name="csrf"][form="sign-out-form"]').getAttribute('value');
      const again = await context.request.post(stack.url(t.signIn), {
        form: { csrf, email: owner.email, password: owner.password, next: '' },
        headers: { Origin: stack.origin },
        maxRedirects: 0,
      });
      assert.equal(again.status(), 303);
      const third = (await sessionCookie(context)).value;
      assert.notEqual(third, after, 'another new id');
      assert.equal((await accountWithCookie(after)).status, 303, 'the earlier id is over');
      assert.equal((await accountWithCookie(third)).status, 200);
    } finally {
      await context.close();
    }
  });
});

describe('the purchase, scanned for secrets', () => {
  test('de: no API token, password or card number in any page, cookie, URL, redirect or log line', async () => {
    const t = TEXT.de;
    const password = `scan-${Math.random().toString(36).slice(2)}-passphrase`;
    const card = '4242 4242 4242 4242';
    const account = { company: 'Scan GmbH', name: 'Sina Scan', email: uniqueEmail('scan'), password };
    const context = await newContext(browser, { js: true, locale: t.locale });
    const urls = []; // every URL requested, and every Location
    // Every response, its body read at once (a page's body is gone once the browser has left it).
    const responses = [];
    const posted = []; // the bodies the browser posted (where the password and card belong)
    context.on('request', (request) => {
      urls.push(request.url());
      if (request.method() === 'POST') posted.push(request.postData() ?? '');
    });
    context.on('response', (response) => {
      responses.push({ response, body: response.text().catch(() => undefined) });
    });
    // Before the browser leaves a page: every body read so far is in.
    const bodiesRead = () => Promise.all(responses.map((entry) => entry.body));
    try {
      const page = await context.newPage();
      await continueToOrder(page, stack, t, '?plan=team&interval=month&type=business&country=DE');
      await bodiesRead();
      await page.getByRole('link', { name: t.createAccountLink }).click();
      await page.waitForURL((url) => url.pathname === t.signUp);
      await fillSignUp(page, t, account);
      await bodiesRead();
      await page.getByRole('button', { name: t.createAccount, exact: true }).click();
      await page.waitForURL((url) => url.pathname === t.signUpSent);
      const mail = await stack.waitForMail({ to: account.email, subject: t.mail.verify });
      await bodiesRead();
      await page.goto(stack.mailLink(mail, t.verify));
      await bodiesRead();
      await page.getByRole('button', { name: t.confirmEmail }).click();
      await page.waitForURL((url) => url.pathname === t.signIn);
      await page.getByLabel(t.email).fill(account.email);
      await page.getByLabel(t.password, { exact: true }).fill(password);
      await bodiesRead();
      await page.getByRole('button', { name: t.signInButton, exact: true }).click();
      await page.waitForURL((url) => url.pathname === t.checkout);
      await page.getByLabel(t.acceptTerms).check();
      await bodiesRead();
      await orderAndGoToPayment(page, stack, t);
      await Promise.all([
        page.waitForURL((url) => url.origin === stack.origin && url.pathname === t.checkoutSuccess),
        payOnStandIn(page, t, card),
      ]);
      await waitForText(page, t.workspaceReady);
      for (const path of [t.account, t.orders, t.company, t.members, t.profile]) {
        await bodiesRead();
        await page.goto(stack.url(path));
      }
      await bodiesRead();
      await page.getByRole('button', { name: t.signOut }).click();
      await page.waitForURL((url) => url.pathname === t.signIn);
      await bodiesRead();

      // What the browser saw: the site's responses (bodies and Set-Cookie), every Location.
      // The Stripe stand-in's own page lists the test cards: its bodies are Stripe's, not ours.
      const pages = [];
      const unread = [];
      for (const { response, body } of responses) {
        const headers = await response.allHeaders();
        if (headers.location) urls.push(headers.location);
        if (new URL(response.url()).origin !== stack.origin) continue;
        if (headers['set-cookie']) pages.push({ url: `${response.url()} (Set-Cookie)`, body: headers['set-cookie'] });
        if (response.status() >= 300 && response.status() < 400) continue;
        // Pages, scripts, styles, JSON (images and fonts hold no text of ours).
        if (!/html|json|javascript|css|text\/plain/.test(headers['content-type'] ?? '')) continue;
        const text = await body;
        if (text === undefined) unread.push(response.url());
        else pages.push({ url: response.url(), body: text });
      }
      assert.deepEqual(unread, [], 'every page, script and style of the site was read');
      const cookies = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      const html = pages.filter((entry) => entry.body.includes('<html'));
      assert.ok(html.length >= 12, `the scan saw the journey's pages (${html.length})`);
      assert.ok(urls.some((url) => url.startsWith(stack.stripeOrigin)), 'and the payment page\'s URLs');

      // What the servers logged: api, web, worker and the Stripe stand-in, all at debug.
      const log = stack.logText();
      for (const message of ['"request"', 'checkout session created']) {
        assert.ok(log.includes(message), `the log has ${message} lines (the scan reads real lines)`);
      }
      const logLines = log.split('\n');

      const secrets = [
        ['an API access token', /cz_at_[A-Za-z0-9_-]+/],
        ['an API refresh token', /cz_rt_[A-Za-z0-9_-]+/],
        ['the password', new RegExp(password)],
        ['the card number', /4242(?:\s|\+|%20)?4242(?:\s|\+|%20)?4242(?:\s|\+|%20)?4242/],
      ];
      // The patterns find what they look for: the password and the card were posted (to the
      // sign-in form and to Stripe's page), as they should be.
      assert.ok(posted.some((body) => secrets[2][1].test(body)), 'the password pattern matches the sign-in post');
      assert.ok(posted.some((body) => secrets[3][1].test(body)), 'the card pattern matches the payment post');
      const found = [];
      for (const [what, pattern] of secrets) {
        for (const entry of pages) if (pattern.test(entry.body)) found.push(`${what} in the response of ${entry.url}`);
        for (const url of urls) if (pattern.test(url) || pattern.test(decodeURIComponent(url))) found.push(`${what} in the URL ${url}`);
        if (pattern.test(cookies)) found.push(`${what} in a cookie`);
        for (const line of logLines) if (pattern.test(line)) found.push(`${what} in the log line ${line.slice(0, 300)}`);
      }
      // E-mail link tokens are kept out of the logs as well (the pages log their path only).
      for (const line of logLines) if (/cz_ml_[A-Za-z0-9_-]+/.test(line)) found.push(`an e-mail link token in the log line ${line.slice(0, 300)}`);
      assert.deepEqual(found, [], 'no secret anywhere');
    } finally {
      await context.close();
    }
  });
});

// Last: these restart `web` with short session settings.
describe('session expiry', () => {
  test('de: a session idle longer than WEB_SESSION_IDLE_MS ends; activity keeps it alive until then', async () => {
    const t = TEXT.de;
    const idleMs = 2_500;
    await stack.restartWeb({ WEB_SESSION_IDLE_MS: String(idleMs), WEB_SESSION_LIFETIME_MS: '600000' });
    const owner = await createAccount(stack, { company: 'Leerlauf GmbH' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await context.newPage();
      await signIn(page, stack, owner);
      const id = (await sessionCookie(context)).value;

      // Active for twice the idle time: still signed in throughout. The last activity is when
      // the last request was sent: the session is renewed while it is handled, which under a
      // slow build (ASan) ends well after it was sent.
      const activeUntil = Date.now() + 2 * idleMs;
      let lastActivity = 0;
      await waitFor(
        async () => {
          const sentAt = Date.now();
          assert.equal((await accountWithCookie(id)).status, 200, 'signed in while active');
          lastActivity = sentAt;
          return Date.now() >= activeUntil;
        },
        { timeout: 4 * idleMs, interval: idleMs / 4, message: 'active for twice the idle time' },
      );

      // Then nothing: the session's Redis key expires (looked at without touching the session).
      const key = `web:session:${sha256Hex(id)}`;
      assert.equal(await stack.redis('EXISTS', key), '1');
      await waitFor(async () => (await stack.redis('EXISTS', key)) === '0', {
        timeout: idleMs + 5_000,
        interval: 100,
        message: 'the idle session expires',
      });
      assert.ok(Date.now() - lastActivity >= idleMs - 200, 'not before the idle time');
      const answer = await accountWithCookie(id);
      assert.equal(answer.status, 303);
      assert.ok(answer.location.startsWith(`${t.signIn}?next=`), answer.location);
      await page.goto(stack.url(t.account));
      assert.equal(new URL(page.url()).pathname, t.signIn, 'the browser is sent to sign in');
    } finally {
      await context.close();
    }
  });

  test('de: a session ends WEB_SESSION_LIFETIME_MS after sign-in, however active', async () => {
    const t = TEXT.de;
    const lifetimeMs = 4_000;
    await stack.restartWeb({ WEB_SESSION_IDLE_MS: '600000', WEB_SESSION_LIFETIME_MS: String(lifetimeMs) });
    const owner = await createAccount(stack, { company: 'Lebensdauer GmbH' });
    const context = await newContext(browser, { js: false, locale: t.locale });
    try {
      const page = await context.newPage();
      // Taken before signing in: the session is made somewhere inside signIn, and under a slow
      // build (ASan) the rest of signIn can take seconds of the lifetime.
      const signInStartedAt = Date.now();
      await signIn(page, stack, owner);
      const id = (await sessionCookie(context)).value;
      // Busy all the time (a request every 250 ms) until the account page sends us to sign in.
      const answer = await waitFor(
        async () => {
          const result = await accountWithCookie(id);
          return result.status === 303 ? result : undefined;
        },
        { timeout: lifetimeMs + 5_000, interval: 250, message: 'the session reaches its lifetime' },
      );
      const lasted = Date.now() - signInStartedAt;
      assert.ok(lasted >= lifetimeMs - 250, `not before its lifetime (${lasted} ms)`);
      assert.ok(answer.location.startsWith(`${t.signIn}?next=`), answer.location);
    } finally {
      await context.close();
      await stack.restartWeb({ WEB_SESSION_IDLE_MS: '1800000', WEB_SESSION_LIFETIME_MS: '43200000' });
    }
  });
});

function sha256Hex(text) {
  return createHash('sha256').update(text).digest('hex');
}
