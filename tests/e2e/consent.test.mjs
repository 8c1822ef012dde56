// Consent (TDDDG § 25, GDPR Art. 7): nothing non-essential before a choice, the choice recorded
// as proof, the statistics script only after consent, withdrawing as easy as giving, a new
// policy version asks again, and forged posts are refused.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe } from 'node:test';
import { closeAll, cookieValue, get, launchBrowser, newContext, startStack, test, waitFor } from './harness.mjs';
import { TEXT } from './site.mjs';

const POLICY = '2026-11-29';
const COOKIE = '__Host-consent';

let stack;
let browser;
let statistics; // the statistics provider: another origin on loopback

// A stand-in for a statistics provider: serves /stats.js (which marks the page) and, for the
// forgery test, a page on its own origin with a form that posts to the site.
function startStatisticsServer() {
  const hits = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url);
    if (request.url.startsWith('/stats.js')) {
      response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
      response.end("document.documentElement.setAttribute('data-statistics-loaded', '');\n");
      return;
    }
    if (request.url.startsWith('/forged')) {
      const target = new URL(request.url, 'http://x').searchParams.get('target');
      const csrf = new URL(request.url, 'http://x').searchParams.get('csrf') ?? '';
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!DOCTYPE html><html lang="en"><title>Win a prize</title>
<form method="post" action="${target}"><input type="hidden" name="choice" value="accept_all">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="return" value="/de/">
<button type="submit">Claim</button></form></html>`);
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        scriptUrl: `${origin}/stats.js`,
        hits,
        scriptHits: () => hits.filter((url) => url.startsWith('/stats.js')).length,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

before(async () => {
  statistics = await startStatisticsServer();
  stack = await startStack({
    webEnv: {
      WEB_STATISTICS_SCRIPT_URL: statistics.scriptUrl,
      WEB_STATISTICS_NAME: 'Test Analytics',
      WEB_STATISTICS_PROVIDER: 'Test Analytics Ltd.',
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
  await statistics?.close();
});

// A fresh visitor; every request the browser makes is kept in `requests`.
async function visitor({ js = true, lang = 'de' } = {}) {
  const context = await newContext(browser, { js, locale: TEXT[lang].locale });
  const requests = [];
  context.on('request', (request) => requests.push(request));
  const page = await context.newPage();
  return { context, page, requests, t: TEXT[lang] };
}

function banner(page, t) {
  return page.getByRole('region', { name: t.banner });
}

async function records(consentId) {
  const rows = await stack.sql(
    `SELECT action, statistics, marketing, policy_version, user_agent_class FROM consent_records ` +
      `WHERE consent_id = '${consentId}' ORDER BY id`,
  );
  return rows.map(([action, stats, marketing, policyVersion, userAgentClass]) => ({
    action,
    statistics: stats === 't',
    marketing: marketing === 't',
    policyVersion,
    userAgentClass,
  }));
}

async function recordCount() {
  const [[count]] = await stack.sql('SELECT count(*) FROM consent_records');
  return Number(count);
}

function consentIdOf(cookie) {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9._-]+)\.([01])([01])$/.exec(cookie ?? '');
  assert.ok(match, `consent cookie has the form <uuid>.<policy>.<s><m>: ${cookie}`);
  return { id: match[1], policy: match[2], statistics: match[3] === '1', marketing: match[4] === '1' };
}

// Nothing but the site itself was asked for anything.
function assertOnlySiteRequests(requests) {
  const foreign = requests.map((request) => request.url()).filter((url) => new URL(url).origin !== stack.origin);
  assert.deepEqual(foreign, [], 'no request to any other origin');
}

async function assertNoStorage(context, page) {
  const cookies = await context.cookies();
  assert.deepEqual(
    cookies.map((cookie) => cookie.name).filter((name) => name !== COOKIE),
    [],
    'no cookie except the consent cookie',
  );
  const storage = await page.evaluate(() => ({
    local: Object.keys(window.localStorage),
    session: Object.keys(window.sessionStorage),
  }));
  assert.deepEqual(storage, { local: [], session: [] }, 'localStorage and sessionStorage are empty');
}

describe('reject all', () => {
  test('with JavaScript: nothing stored or loaded, the banner closes without a reload, the refusal is recorded', async () => {
    const { context, page, requests, t } = await visitor({ js: true });
    try {
      await page.goto(stack.url('/de/konfigurator'));
      await page.goto(stack.url('/de/'));
      assert.ok(await banner(page, t).isVisible(), 'the banner asks');
      // The three first-layer choices look the same (no nudging).
      const buttons = [t.rejectAll, t.acceptAll].map((name) => banner(page, t).getByRole('button', { name }));
      buttons.push(banner(page, t).getByRole('button', { name: t.settings }));
      const boxes = await Promise.all(buttons.map((button) => button.boundingBox()));
      for (const box of boxes) {
        assert.equal(Math.round(box.width), Math.round(boxes[0].width), 'equal width');
        assert.equal(Math.round(box.height), Math.round(boxes[0].height), 'equal height');
      }
      const classes = await Promise.all(buttons.map((button) => button.getAttribute('class')));
      assert.equal(new Set(classes).size, 1, `the same style: ${classes}`);

      assert.deepEqual(await context.cookies(), [], 'no cookie before a choice');
      await assertNoStorage(context, page);
      assertOnlySiteRequests(requests);

      await page.evaluate(() => {
        window.stillTheSamePage = true;
      });
      await banner(page, t).getByRole('button', { name: t.rejectAll }).click();
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the banner closes' });
      assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no reload');

      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(cookie.policy, POLICY);
      assert.equal(cookie.statistics, false);
      assert.equal(cookie.marketing, false);
      const [set] = (await context.cookies()).filter((c) => c.name === COOKIE);
      assert.equal(set.httpOnly, true);
      assert.equal(set.secure, true);
      assert.equal(set.path, '/');
      await assertNoStorage(context, page);

      const recorded = await records(cookie.id);
      assert.equal(recorded.length, 1, 'one record of the choice');
      assert.equal(recorded[0].action, 'reject_all');
      assert.equal(recorded[0].statistics, false);
      assert.equal(recorded[0].marketing, false);
      assert.equal(recorded[0].policyVersion, POLICY);
      assert.ok(recorded[0].userAgentClass.length > 0);

      // Later pages: no banner, still nothing else.
      await page.goto(stack.url('/de/impressum'));
      assert.ok(!(await banner(page, t).isVisible()), 'the banner stays closed');
      await assertNoStorage(context, page);
      assertOnlySiteRequests(requests);
      assert.equal(statistics.scriptHits(), 0, 'the statistics script was never requested');
    } finally {
      await context.close();
    }
  });

  test('without JavaScript: a form post and a redirect back, the refusal is recorded', async () => {
    const { context, page, requests, t } = await visitor({ js: false, lang: 'en' });
    try {
      const start = '/en/configurator?plan=starter&interval=year&type=business&country=FR';
      await page.goto(stack.url(start));
      assert.ok(await banner(page, t).isVisible());
      assert.deepEqual(await context.cookies(), []);

      const posted = page.waitForResponse((response) => response.request().method() === 'POST');
      await Promise.all([
        page.waitForNavigation(),
        banner(page, t).getByRole('button', { name: t.rejectAll }).click(),
      ]);
      const post = await posted;
      assert.equal(new URL(post.url()).pathname, '/en/consent');
      assert.equal(post.status(), 303);
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, start, 'back where the visitor was');
      assert.ok(!(await banner(page, t).isVisible()), 'the banner is gone');

      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.deepEqual((await context.cookies()).map((c) => c.name), [COOKIE]);
      const state = await context.storageState();
      assert.deepEqual(
        state.origins.flatMap((origin) => origin.localStorage),
        [],
        'no localStorage',
      );
      assertOnlySiteRequests(requests);
      const recorded = await records(cookie.id);
      assert.deepEqual(
        recorded.map(({ action, statistics: s, marketing }) => ({ action, statistics: s, marketing })),
        [{ action: 'reject_all', statistics: false, marketing: false }],
      );
    } finally {
      await context.close();
    }
  });
});

describe('settings in the banner', () => {
  test('with JavaScript "Settings" opens the categories in place; a custom choice is recorded', async () => {
    const { context, page, t } = await visitor({ js: true, lang: 'en' });
    try {
      await page.goto(stack.url('/en/configurator'));
      const stats = banner(page, t).getByRole('checkbox', { name: new RegExp(`^${t.statistics}`) });
      const marketing = banner(page, t).getByRole('checkbox', { name: new RegExp(`^${t.marketing}`) });
      assert.ok(!(await stats.isVisible()), 'categories folded away at first');
      const settings = banner(page, t).getByRole('button', { name: t.settings });
      await settings.click();
      await waitFor(() => stats.isVisible(), { message: 'the categories open' });
      assert.equal(await settings.getAttribute('aria-expanded'), 'true');
      assert.equal(new URL(page.url()).pathname, '/en/configurator', 'opened in place');
      assert.ok(!(await stats.isChecked()) && !(await marketing.isChecked()), 'nothing ticked in advance');
      await stats.check();
      const loaded = page.waitForRequest(statistics.scriptUrl);
      await banner(page, t).getByRole('button', { name: t.save }).click();
      await loaded;
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the banner closes' });
      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.deepEqual([cookie.statistics, cookie.marketing], [true, false]);
      const recorded = await records(cookie.id);
      assert.deepEqual(
        recorded.map(({ action, statistics: s, marketing: m }) => ({ action, statistics: s, marketing: m })),
        [{ action: 'custom', statistics: true, marketing: false }],
      );
    } finally {
      await context.close();
    }
  });

  test('without JavaScript "Settings" leads to the settings on the cookie page', async () => {
    const { context, page, t } = await visitor({ js: false, lang: 'de' });
    try {
      await page.goto(stack.url('/de/agb'));
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/de/cookies' && url.hash === '#consent-settings'),
        banner(page, t).getByRole('link', { name: t.settings }).click(),
      ]);
      const settings = page.getByRole('region', { name: 'Ihre Einstellungen' });
      assert.ok(await settings.isVisible());
      await settings.getByRole('checkbox', { name: new RegExp(`^${t.marketing}`) }).check();
      await Promise.all([page.waitForNavigation(), settings.getByRole('button', { name: t.save }).click()]);
      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.deepEqual([cookie.statistics, cookie.marketing], [false, true]);
      const recorded = await records(cookie.id);
      assert.deepEqual(recorded.map(({ action }) => action), ['custom']);
      assert.ok(!(await banner(page, t).isVisible()), 'no banner after the choice');
    } finally {
      await context.close();
    }
  });
});

describe('accept and withdraw', () => {
  test('the statistics script loads only after "accept all"; withdrawing in the footer dialog stops it', async () => {
    const { context, page, requests, t } = await visitor({ js: true });
    try {
      const before = statistics.scriptHits();
      await page.goto(stack.url('/de/'));
      await page.goto(stack.url('/de/konfigurator'));
      assert.equal(statistics.scriptHits(), before, 'not requested before consent');
      assertOnlySiteRequests(requests);

      const loaded = page.waitForRequest(statistics.scriptUrl);
      await banner(page, t).getByRole('button', { name: t.acceptAll }).click();
      await loaded;
      await waitFor(() => page.locator('html[data-statistics-loaded]').count(), {
        message: 'the statistics script ran',
      });
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the banner closes' });
      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(cookie.statistics, true);
      assert.equal(cookie.marketing, true);
      let recorded = await records(cookie.id);
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0].action, 'accept_all');
      assert.equal(recorded[0].statistics, true);
      assert.equal(recorded[0].marketing, true);

      // The next page brings the script along.
      let hits = statistics.scriptHits();
      await page.goto(stack.url('/de/impressum'));
      assert.ok(statistics.scriptHits() > hits, 'loaded on the next page');

      // Withdraw: the footer link opens the dialog again, with the categories.
      await page.getByRole('link', { name: t.cookieSettings }).click();
      await waitFor(() => banner(page, t).isVisible(), { message: 'the dialog opens again' });
      assert.equal(new URL(page.url()).pathname, '/de/impressum', 'opened in place');
      const stats = banner(page, t).getByRole('checkbox', { name: new RegExp(`^${t.statistics}`) });
      assert.ok(await stats.isChecked(), 'shows the current choice');
      await stats.uncheck();
      await banner(page, t).getByRole('button', { name: t.save }).click();
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the dialog closes' });

      const after = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(after.id, cookie.id, 'the same consent id continues the history');
      assert.equal(after.statistics, false);
      recorded = await records(cookie.id);
      assert.equal(recorded.length, 2);
      assert.equal(recorded[1].action, 'custom');
      assert.equal(recorded[1].statistics, false);
      assert.equal(recorded[1].marketing, true, 'marketing stayed as it was');

      hits = statistics.scriptHits();
      const statsRequests = requests.length;
      await page.goto(stack.url('/de/konfigurator'));
      await page.goto(stack.url('/de/'));
      assert.equal(statistics.scriptHits(), hits, 'not loaded on the next pages');
      assert.deepEqual(
        requests.slice(statsRequests).filter((r) => r.url().startsWith(statistics.origin)).map((r) => r.url()),
        [],
      );
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the footer link leads to the settings form, which withdraws', async () => {
    const { context, page, t } = await visitor({ js: false, lang: 'en' });
    try {
      await page.goto(stack.url('/en/'));
      await Promise.all([
        page.waitForNavigation(),
        banner(page, t).getByRole('button', { name: t.acceptAll }).click(),
      ]);
      const cookie = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(cookie.statistics, true);

      await page.getByRole('link', { name: t.cookieSettings }).click();
      await page.waitForURL((url) => url.pathname === '/en/cookies' && url.hash === '#consent-settings');
      const settings = page.getByRole('region', { name: 'Your settings' });
      const stats = settings.getByRole('checkbox', { name: new RegExp(`^${t.statistics}`) });
      assert.ok(await stats.isChecked(), 'the current choice is shown');
      await stats.uncheck();
      await Promise.all([page.waitForNavigation(), settings.getByRole('button', { name: t.save }).click()]);
      assert.equal(new URL(page.url()).pathname, '/en/cookies');
      assert.ok(!(await settings.getByRole('checkbox', { name: new RegExp(`^${t.statistics}`) }).isChecked()));

      const after = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(after.id, cookie.id);
      assert.equal(after.statistics, false);
      const recorded = await records(cookie.id);
      assert.deepEqual(
        recorded.map(({ action, statistics: s }) => ({ action, statistics: s })),
        [
          { action: 'accept_all', statistics: true },
          { action: 'custom', statistics: false },
        ],
      );
      // The server no longer puts the script into the page.
      assert.doesNotMatch(await page.content(), /<script[^>]*src="[^"]*stats\.js/);
    } finally {
      await context.close();
    }
  });
});

describe('forged posts', () => {
  test('a post from another site gets the localized 403 page and records nothing', async () => {
    const { context, page, t } = await visitor({ js: false, lang: 'de' });
    try {
      // A real token of the site, carried to another origin's form: the Origin gives it away.
      const html = (await get(stack.url('/de/'))).text;
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)[1];
      const count = await recordCount();
      const target = stack.url('/de/einwilligung');
      await page.goto(`${statistics.origin}/forged?target=${encodeURIComponent(target)}&csrf=${encodeURIComponent(csrf)}`);
      const [response] = await Promise.all([
        page.waitForResponse(target),
        page.getByRole('button', { name: 'Claim' }).click(),
      ]);
      assert.equal(response.status(), 403);
      await page.waitForLoadState();
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.refused);
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      assert.ok(await page.getByText(t.reference).isVisible(), 'the request id is shown');
      assert.deepEqual(await context.cookies(stack.url('/')), [], 'no consent cookie set');
      assert.equal(await recordCount(), count, 'nothing recorded');
    } finally {
      await context.close();
    }
  });

  for (const [name, headers, token] of [
    ['another Origin', { Origin: 'https://evil.example' }, 'valid'],
    ['a wrong form token', { Origin: 'same' }, 'wrong'],
    ['no form token', { Origin: 'same' }, 'none'],
    ['no Origin, from another site', { 'Sec-Fetch-Site': 'cross-site' }, 'valid'],
  ]) {
    test(`refused: ${name} (EN page)`, async () => {
      const html = (await get(stack.url('/en/'))).text;
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)[1];
      const body = new URLSearchParams({ choice: 'accept_all', return: '/en/' });
      if (token === 'valid') body.set('csrf', csrf);
      if (token === 'wrong') body.set('csrf', `${csrf.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`);
      const count = await recordCount();
      const response = await fetch(stack.url('/en/consent'), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...headers,
          ...(headers.Origin === 'same' ? { Origin: stack.origin } : {}),
        },
        body,
      });
      const text = await response.text();
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('set-cookie'), null, 'no cookie set');
      assert.match(text, /<html lang="en">/);
      assert.ok(text.includes(TEXT.en.refused), 'the English 403 page');
      assert.equal(await recordCount(), count, 'nothing recorded');
    });
  }
});

describe('redirect after a choice', () => {
  test('goes back to a path on this site only', async () => {
    for (const [wanted, expected] of [
      ['/de/impressum?x=1', '/de/impressum?x=1'],
      ['https://evil.example/', '/de/'],
      ['//evil.example/de/', '/de/'],
      ['/\\evil.example', '/de/'],
      ['javascript:alert(1)', '/de/'],
    ]) {
      const html = (await get(stack.url('/de/'))).text;
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)[1];
      const response = await fetch(stack.url('/de/einwilligung'), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.origin },
        body: new URLSearchParams({ choice: 'reject_all', csrf, return: wanted }),
      });
      await response.arrayBuffer();
      assert.equal(response.status, 303, wanted);
      assert.equal(response.headers.get('location'), expected, `return=${wanted}`);
    }
  });
});

describe('policy version', () => {
  test('a new policy version asks again; the new choice continues the same history', async () => {
    const { context, page, t } = await visitor({ js: true, lang: 'en' });
    try {
      await page.goto(stack.url('/en/'));
      await banner(page, t).getByRole('button', { name: t.rejectAll }).click();
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the banner closes' });
      const first = consentIdOf(await cookieValue(context, COOKIE));
      await page.reload();
      assert.ok(!(await banner(page, t).isVisible()), 'decided: no banner');

      await stack.restartWeb({ CONSENT_POLICY_VERSION: '2027-03-01' });
      await page.reload();
      assert.ok(await banner(page, t).isVisible(), 'the banner asks again under the new policy');
      await banner(page, t).getByRole('button', { name: t.acceptAll }).click();
      await waitFor(async () => !(await banner(page, t).isVisible()), { message: 'the banner closes' });
      const second = consentIdOf(await cookieValue(context, COOKIE));
      assert.equal(second.policy, '2027-03-01');
      assert.equal(second.id, first.id, 'the same consent id');
      const recorded = await records(first.id);
      assert.deepEqual(
        recorded.map(({ action, policyVersion }) => ({ action, policyVersion })),
        [
          { action: 'reject_all', policyVersion: POLICY },
          { action: 'accept_all', policyVersion: '2027-03-01' },
        ],
      );
    } finally {
      await context.close();
    }
  });
});
