// The site's pages as a whole: error pages (404, 503 when the API is down), the language
// redirect, escaping of every configurator parameter, the SEO head of every page, JSON-LD,
// sitemap and robots, and the nonce-based CSP.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { closeAll, get, launchBrowser, newContext, SELLER, startStack, test, waitFor } from './harness.mjs';
import { normalize, TEXT } from './site.mjs';

let stack;
let browser;

before(async () => {
  // The API-down test must not find pages or quotes that were cached before (by this stack or
  // by other files' stacks in the shared Redis): a Redis database of its own, short-lived
  // shared entries, no in-process page cache.
  stack = await startStack({
    redisDb: 9,
    webEnv: { WEB_SHARED_CACHE_TTL_MS: '1000', WEB_PAGE_CACHE_ENTRIES: '0' },
  });
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
});

async function withPage({ js = true, lang = 'de' } = {}, fn) {
  const context = await newContext(browser, { js, locale: TEXT[lang].locale });
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

// Every page a visitor can reach, in both languages (the offer is added where needed).
const INDEXED = [
  { name: 'home', de: '/de/', en: '/en/' },
  { name: 'configurator', de: '/de/konfigurator', en: '/en/configurator' },
  { name: 'imprint', de: '/de/impressum', en: '/en/imprint' },
  { name: 'privacy', de: '/de/datenschutz', en: '/en/privacy' },
  { name: 'terms', de: '/de/agb', en: '/en/terms' },
  { name: 'withdrawal', de: '/de/widerruf', en: '/en/withdrawal' },
  { name: 'cookies', de: '/de/cookies', en: '/en/cookies' },
];

describe('error pages', () => {
  // First in this file: nothing has been rendered or priced yet, so nothing can come from a cache.
  test('API down: home and configurator give the localized 503 page, legal pages still work', async () => {
    await stack.stopApi();
    try {
      for (const lang of ['de', 'en']) {
        const t = TEXT[lang];
        for (const path of [t.home, t.configurator, `${t.configurator}?plan=business&interval=year`]) {
          await withPage({ js: true, lang }, async (page) => {
            const response = await page.goto(stack.url(path));
            assert.equal(response.status(), 503, `${path} while the API is down`);
            assert.equal(response.headers()['retry-after'], '5');
            assert.equal(await page.locator('html').getAttribute('lang'), lang);
            assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.unavailable);
            assert.ok(await page.getByText(t.errorCode(503)).isVisible());
            const requestId = response.headers()['x-request-id'];
            assert.ok(requestId, 'a request id');
            assert.ok(
              (await page.getByText(t.reference).innerText()).includes(requestId),
              'the request id is shown',
            );
            assert.match(await page.title(), new RegExp(t.unavailable));
            // Still the whole site around it: navigation, footer, and the consent banner.
            assert.ok(await page.getByRole('link', { name: t.switchLink }).isVisible());
            assert.ok(await page.getByRole('link', { name: t.cookieSettings }).isVisible());
          });
        }
        for (const path of t.legal) {
          const response = await get(stack.url(path));
          assert.equal(response.status, 200, `${path} while the API is down`);
          assert.match(response.text, new RegExp(`<html lang="${lang}">`));
        }
      }
      assert.equal((await get(stack.url('/readyz'))).status, 503, 'web reports itself not ready');

      // A consent choice cannot be recorded: it is not acted on either (no cookie).
      await withPage({ js: false, lang: 'de' }, async (page, context) => {
        await page.goto(stack.url('/de/impressum'));
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.getByRole('button', { name: TEXT.de.rejectAll }).click(),
        ]);
        assert.equal(response.status(), 503);
        await page.waitForLoadState();
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), TEXT.de.unavailable);
        assert.deepEqual(await context.cookies(), [], 'no consent cookie without a record');
      });
    } finally {
      await stack.startApi();
      await waitFor(async () => (await get(stack.url('/readyz'))).status === 200, {
        timeout: 15_000,
        message: 'web ready again after the API is back',
      });
    }
    // And back: the home page works again.
    assert.equal((await get(stack.url('/de/'))).status, 200);
  });

  for (const lang of ['de', 'en']) {
    const t = TEXT[lang];
    test(`${lang}: the localized 404 page with the request id`, async () => {
      await withPage({ js: true, lang }, async (page) => {
        const response = await page.goto(stack.url(`/${lang}/gibt-es-nicht/really`));
        assert.equal(response.status(), 404);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.notFound);
        assert.match(await page.title(), new RegExp(`^${t.notFound}`));
        const requestId = response.headers()['x-request-id'];
        assert.match(requestId, /^[0-9a-f]{16,}$/);
        assert.ok((await page.getByText(t.reference).innerText()).includes(requestId));
        assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex');
        assert.equal(response.headers()['cache-control'], 'private, no-store');
        // The visitor is not on the home page: no link of the navigation may say so.
        const current = await page.getByRole('navigation').first().locator('[aria-current="page"]').allInnerTexts();
        // The way on: home and configurator.
        await Promise.all([
          page.waitForURL((url) => url.pathname === t.configurator),
          page.getByRole('main').getByRole('link', { name: lang === 'de' ? 'Zum Konfigurator' : 'To the configurator' }).click(),
        ]);
        assert.deepEqual(current, [], 'no navigation link is marked as the current page on the 404 page');
      });
    });
  }

  test('a path outside /de and /en gets the 404 page in the visitor\'s language', async () => {
    for (const [acceptLanguage, lang] of [['en-US,en;q=0.9', 'en'], ['de-DE', 'de']]) {
      const response = await get(stack.url('/nirgendwo'), { headers: { 'Accept-Language': acceptLanguage } });
      assert.equal(response.status, 404);
      assert.match(response.text, new RegExp(`<html lang="${lang}">`));
      assert.ok(response.text.includes(TEXT[lang].notFound));
    }
  });
});

describe('language', () => {
  test('/ redirects by Accept-Language (302)', async () => {
    for (const [acceptLanguage, target] of [
      ['de-DE,de;q=0.9,en;q=0.8', '/de/'],
      ['en-US,en;q=0.9', '/en/'],
      ['en-GB,en;q=0.9,de;q=0.8', '/en/'],
      ['fr-FR,fr;q=0.9,de;q=0.7,en;q=0.5', '/de/'],
      ['fr-FR,fr;q=0.9,en;q=0.7,de;q=0.5', '/en/'],
    ]) {
      const response = await get(stack.url('/'), { headers: { 'Accept-Language': acceptLanguage } });
      assert.equal(response.status, 302, acceptLanguage);
      assert.equal(response.headers.get('location'), target, acceptLanguage);
      assert.match(response.headers.get('vary') ?? '', /Accept-Language/);
    }
    for (const lang of ['de', 'en']) {
      await withPage({ js: true, lang }, async (page) => {
        await page.goto(stack.url('/'));
        assert.equal(new URL(page.url()).pathname, TEXT[lang].home);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
      });
    }
  });
});

describe('escaping', () => {
  const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
  const PARAMETERS = [
    'plan', 'interval', 'extra_seats', 'credits_5m', 'sso', 'audit_log', 'priority_support',
    'eu_residency', 'onboarding', 'type', 'country', 'vat_id', 'code',
  ];

  test('every configurator parameter: no raw markup in the HTML', async () => {
    for (const payload of PAYLOADS) {
      for (const lang of ['de', 'en']) {
        const t = TEXT[lang];
        for (const parameter of PARAMETERS) {
          const query = new URLSearchParams({ plan: 'team', [parameter]: payload }).toString();
          for (const path of [t.configurator, t.fragment]) {
            const response = await get(stack.url(`${path}?${query}`));
            assert.equal(response.status, 200, `${path}?${query}`);
            assert.ok(!response.text.includes(payload), `raw "${payload}" in ${path}?${query}`);
            assert.ok(!/<img[^>]+onerror/i.test(response.text), `an <img onerror> in ${path}?${query}`);
            assert.ok(!/<script>alert/i.test(response.text), `a <script> in ${path}?${query}`);
          }
        }
        // Where the value is shown again (a field's value, the API's message about it), it is
        // there as text: the test reached the places that could go wrong.
        for (const parameter of ['plan', 'extra_seats', 'vat_id', 'code']) {
          const query = new URLSearchParams({ plan: 'team', [parameter]: payload }).toString();
          const response = await get(stack.url(`${t.configurator}?${query}`));
          const escaped = payload.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
          assert.ok(response.text.toLowerCase().includes(escaped.toLowerCase()), `"${parameter}" shown escaped`);
        }
        // All at once, and in a path.
        const all = new URLSearchParams(PARAMETERS.map((p) => [p, payload])).toString();
        const everything = await get(stack.url(`${t.configurator}?${all}`));
        assert.ok(!everything.text.includes(payload));
        const missing = await get(stack.url(`/${lang}/${encodeURIComponent(payload)}`));
        assert.equal(missing.status, 404);
        assert.ok(!missing.text.includes(payload));
      }
    }
  });

  test('in the browser no script runs: no dialog, no injected element', async () => {
    await withPage({ js: true, lang: 'de' }, async (page) => {
      const dialogs = [];
      page.on('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      for (const payload of PAYLOADS) {
        for (const parameter of PARAMETERS) {
          const query = new URLSearchParams({ [parameter]: payload }).toString();
          await page.goto(stack.url(`/de/konfigurator?${query}`));
          assert.equal(await page.locator('img[src="x"]').count(), 0, `no injected <img> (${parameter})`);
        }
        // The language switch carries the query: still escaped on the other side.
        const all = new URLSearchParams(PARAMETERS.map((p) => [p, payload])).toString();
        await page.goto(stack.url(`/de/konfigurator?${all}`));
        await page.getByRole('link', { name: 'English' }).click();
        await page.waitForURL((url) => url.pathname === '/en/configurator');
        // A change through the script renders the fragment with the payload in it.
        await page.getByLabel(TEXT.en.yearly, { exact: true }).check();
        await waitFor(() => new URL(page.url()).search.includes('interval=year'), { message: 'the script updated' });
        await waitFor(async () => (await page.locator('form#configurator').getAttribute('aria-busy')) === null, {
          message: 'the update finished',
        });
        assert.equal(await page.locator('img[src="x"]').count(), 0);
      }
      assert.deepEqual(dialogs, [], 'no alert() ran');
    });
  });
});

// The head of a page as a search engine and a link preview read it.
async function headOf(page) {
  return page.evaluate(() => {
    const meta = (selector) => document.querySelector(selector)?.getAttribute('content') ?? null;
    const alternates = {};
    for (const link of document.querySelectorAll('link[rel="alternate"][hreflang]')) {
      alternates[link.getAttribute('hreflang')] = link.getAttribute('href');
    }
    return {
      lang: document.documentElement.getAttribute('lang'),
      title: document.title,
      titles: document.querySelectorAll('title').length,
      description: meta('meta[name="description"]'),
      canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null,
      alternates,
      robots: meta('meta[name="robots"]'),
      og: Object.fromEntries(
        [...document.querySelectorAll('meta[property^="og:"]')].map((m) => [m.getAttribute('property'), m.getAttribute('content')]),
      ),
      twitter: Object.fromEntries(
        [...document.querySelectorAll('meta[name^="twitter:"]')].map((m) => [m.getAttribute('name'), m.getAttribute('content')]),
      ),
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
    };
  });
}

describe('SEO', () => {
  test('every page has its title, description, canonical, hreflang, OpenGraph and Twitter tags, lang', async () => {
    const titles = new Map();
    const descriptions = new Map();
    await withPage({ js: true }, async (page) => {
      for (const entry of INDEXED) {
        for (const lang of ['de', 'en']) {
          const path = entry[lang];
          const response = await page.goto(stack.url(path));
          assert.equal(response.status(), 200, path);
          const head = await headOf(page);
          const where = `${path}:`;
          assert.equal(head.lang, lang, `${where} lang`);
          assert.equal(response.headers()['content-language'], lang, `${where} Content-Language`);
          assert.equal(head.titles, 1, `${where} one title`);
          assert.ok(head.title.length >= 10 && head.title.length <= 70, `${where} title "${head.title}"`);
          assert.ok(head.description && head.description.length >= 50 && head.description.length <= 200,
            `${where} description "${head.description}"`);
          assert.equal(head.canonical, stack.url(path), `${where} canonical`);
          assert.deepEqual(head.alternates, {
            de: stack.url(entry.de),
            en: stack.url(entry.en),
            'x-default': stack.url('/'),
          }, `${where} hreflang`);
          assert.equal(head.robots, null, `${where} indexable`);
          assert.equal(head.og['og:title'], head.title, `${where} og:title`);
          assert.equal(head.og['og:description'], head.description, `${where} og:description`);
          assert.equal(head.og['og:url'], head.canonical, `${where} og:url`);
          assert.equal(head.og['og:type'], 'website');
          assert.equal(head.og['og:locale'], lang === 'de' ? 'de_DE' : 'en_GB');
          assert.ok(head.og['og:image']?.startsWith(stack.url('/assets/')), `${where} og:image`);
          const image = await get(head.og['og:image']);
          assert.equal(image.status, 200, `${where} og:image loads`);
          assert.equal(head.twitter['twitter:card'], 'summary_large_image');
          assert.equal(head.twitter['twitter:title'], head.title);
          assert.equal(head.h1.length, 1, `${where} one h1`);
          titles.set(head.title, [...(titles.get(head.title) ?? []), path]);
          descriptions.set(head.description, [...(descriptions.get(head.description) ?? []), path]);
        }
      }
      for (const [title, paths] of titles) assert.equal(paths.length, 1, `title "${title}" used by ${paths}`);
      for (const [text, paths] of descriptions) assert.equal(paths.length, 1, `description "${text}" used by ${paths}`);

      // A configuration is not a page of its own: canonical to the plain configurator.
      await page.goto(stack.url('/en/configurator?plan=business&interval=year&code=LAUNCH20'));
      assert.equal((await headOf(page)).canonical, stack.url('/en/configurator'));

      // Offers and error pages are not for search engines.
      const href = await page.getByRole('link', { name: TEXT.en.printOffer }).getAttribute('href');
      await page.goto(stack.url(href));
      const offer = await headOf(page);
      assert.equal(offer.robots, 'noindex');
      assert.deepEqual(offer.alternates, {});
      assert.equal(offer.lang, 'en');
    });
  });

  test('the home page has JSON-LD: the Organization and each plan as a Product with Offers', async () => {
    for (const lang of ['de', 'en']) {
      await withPage({ js: true, lang }, async (page) => {
        await page.goto(stack.url(TEXT[lang].home));
        const { jsonLd } = await headOf(page);
        assert.equal(jsonLd.length, 1, 'one JSON-LD block');
        const data = JSON.parse(jsonLd[0]);
        assert.equal(data['@context'], 'https://schema.org');
        const graph = data['@graph'];
        const organization = graph.find((node) => node['@type'] === 'Organization');
        assert.ok(organization, 'an Organization');
        assert.equal(organization.name, SELLER.SELLER_NAME);
        assert.equal(organization.vatID, SELLER.SELLER_VAT_ID);
        assert.equal(organization.address.postalCode, SELLER.SELLER_POSTCODE);
        const products = graph.filter((node) => node['@type'] === 'Product');
        assert.deepEqual(products.map((p) => p.name), ['Code Zero AI Starter', 'Code Zero AI Team', 'Code Zero AI Business']);
        // The monthly offers' prices are the prices the page shows.
        const shown = normalize(await page.getByRole('main').innerText());
        for (const product of products) {
          assert.equal(product.brand['@id'], organization['@id']);
          assert.equal(product.offers.length, 2, `${product.name}: monthly and yearly`);
          for (const offer of product.offers) {
            assert.equal(offer['@type'], 'Offer');
            assert.equal(offer.priceCurrency, 'EUR');
            assert.match(offer.price, /^[0-9]+\.[0-9]{2}$/);
            assert.ok(offer.url.startsWith(stack.url(TEXT[lang].configurator)));
          }
          const [monthly, yearly] = product.offers;
          assert.equal(Number(yearly.price), Number(monthly.price) * 10, 'yearly: ten months');
          const [euros, cents] = monthly.price.split('.');
          const written = lang === 'de'
            ? `${Number(euros).toLocaleString('de-DE')},${cents} €`
            : `€${Number(euros).toLocaleString('en-GB')}.${cents}`;
          assert.ok(shown.includes(written), `${product.name} at ${written} on the page`);
        }
      });
    }
  });

  test('sitemap.xml lists every page in both languages with alternates; robots.txt points to it', async () => {
    const sitemap = await get(stack.url('/sitemap.xml'));
    assert.equal(sitemap.status, 200);
    assert.match(sitemap.headers.get('content-type'), /xml/);
    const locs = [...sitemap.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    const expected = INDEXED.flatMap((entry) => [stack.url(entry.de), stack.url(entry.en)]);
    assert.deepEqual([...locs].sort(), [...expected].sort());
    for (const entry of INDEXED) {
      for (const lang of ['de', 'en']) {
        const block = sitemap.text.split('<url>').find((b) => b.includes(`<loc>${stack.url(entry[lang])}</loc>`));
        assert.ok(block.includes(`hreflang="de" href="${stack.url(entry.de)}"`));
        assert.ok(block.includes(`hreflang="en" href="${stack.url(entry.en)}"`));
        assert.ok(block.includes(`hreflang="x-default" href="${stack.url('/')}"`));
      }
    }
    const robots = await get(stack.url('/robots.txt'));
    assert.equal(robots.status, 200);
    assert.ok(robots.text.includes(`Sitemap: ${stack.url('/sitemap.xml')}`));
    for (const disallowed of ['/de/angebot/', '/en/offer/', '/de/konfigurator/fragment']) {
      assert.ok(robots.text.includes(`Disallow: ${disallowed}`), disallowed);
    }
  });
});

describe('delivery', () => {
  test('pages stay under 50 KB compressed; assets are fingerprinted, immutable, precompressed, with ETag', async () => {
    const weights = {};
    for (const path of ['/de/', '/de/konfigurator?plan=team&interval=year&extra_seats=5&sso=1&type=business&country=DE', '/en/privacy']) {
      const page = await get(stack.url(path), { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-encoding'), 'br');
      assert.equal(page.headers.get('cache-control'), 'public, max-age=0, s-maxage=60', `${path}: cacheable by an edge`);
      assert.match(page.headers.get('vary'), /Accept-Encoding/);
      const html = (await get(stack.url(path))).text;
      const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]))];
      assert.ok(assets.some((a) => a.endsWith('.css')) && assets.some((a) => a.endsWith('.js')), `${path}: CSS and JS`);
      let total = Number(page.headers.get('content-length'));
      for (const asset of assets) {
        assert.match(asset, /\.[0-9a-f]{8,}\.(css|js)$/, `${asset} fingerprinted`);
        const brotli = await get(stack.url(asset), { headers: { 'Accept-Encoding': 'br' } });
        assert.equal(brotli.status, 200);
        assert.equal(brotli.headers.get('content-encoding'), 'br');
        assert.equal(brotli.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const gzip = await get(stack.url(asset), { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(gzip.headers.get('content-encoding'), 'gzip');
        const etag = brotli.headers.get('etag');
        assert.ok(etag, `${asset}: an ETag`);
        const again = await get(stack.url(asset), { headers: { 'Accept-Encoding': 'br', 'If-None-Match': etag } });
        assert.equal(again.status, 304, `${asset}: 304 for its ETag`);
        total += Number(brotli.headers.get('content-length'));
      }
      weights[path] = total;
      assert.ok(total < 50 * 1024, `${path}: ${total} bytes compressed (HTML + CSS + JS)`);
    }
    console.log('compressed weight (brotli, HTML + CSS + JS):', weights);
  });
});

describe('Content Security Policy', () => {
  test('every HTML response: a fresh nonce that the script tags carry, no unsafe-inline', async () => {
    const offerPage = await get(stack.url('/de/konfigurator?plan=starter'));
    const offer = /href="(\/de\/angebot\/[^"]+)"/.exec(offerPage.text)[1];
    const paths = [
      ...INDEXED.flatMap((entry) => [entry.de, entry.en]),
      offer,
      '/de/konfigurator?plan=team&vat_id=ATU12345678&country=AT',
      '/en/no-such-page',
    ];
    for (const path of paths) {
      const first = await get(stack.url(path));
      const second = await get(stack.url(path));
      assert.ok([200, 404].includes(first.status), path);
      assert.match(first.headers.get('content-type'), /^text\/html/);
      const policy = first.headers.get('content-security-policy');
      assert.ok(policy, `${path}: a CSP`);
      assert.ok(!policy.includes('unsafe-inline'), `${path}: no unsafe-inline in ${policy}`);
      assert.ok(!policy.includes('unsafe-eval'), `${path}: no unsafe-eval`);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.match(policy, /object-src 'none'/);
      assert.match(policy, /base-uri 'none'/);
      const nonce = /script-src[^;]*'nonce-([A-Za-z0-9+/_=-]+)'/.exec(policy)?.[1];
      assert.ok(nonce && nonce.length >= 16, `${path}: a nonce in script-src`);
      const secondNonce = /'nonce-([^']+)'/.exec(second.headers.get('content-security-policy'))[1];
      assert.notEqual(secondNonce, nonce, `${path}: a new nonce per response`);
      const scripts = [...first.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      const executable = scripts.filter((attributes) => !/type="application\/ld\+json"/.test(attributes));
      assert.ok(executable.length >= 1, `${path}: the site's script`);
      for (const attributes of executable) {
        assert.ok(attributes.includes(`nonce="${nonce}"`), `${path}: script <script${attributes}> carries the nonce`);
      }
      assert.ok(!/\son[a-z]+=/i.test(first.text), `${path}: no inline event handler`);
      assert.ok(!/<style\b/i.test(first.text) && !/\sstyle="/i.test(first.text), `${path}: no inline style`);
      assert.equal(first.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(first.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
      assert.ok(first.headers.get('permissions-policy'));
    }
  });

  test('the browser reports no CSP violation and no script error on any page', async () => {
    await withPage({ js: true, lang: 'en' }, async (page) => {
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      for (const entry of INDEXED) {
        for (const lang of ['de', 'en']) {
          await page.goto(stack.url(entry[lang]), { waitUntil: 'load' });
        }
      }
      assert.deepEqual(problems, []);
    });
  });
});
