// The configurator: with JavaScript the visitor operates the controls and the price updates in
// place (the address bar follows); without it the same URL is rendered by the server. Both must
// show the same numbers and the same errors, in German and English. Also: the language switch
// keeps the configuration, add-on rules are shown, and the printable offer matches.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { closeAll, launchBrowser, newContext, startStack, test, waitFor } from './harness.mjs';
import { normalize, quoteReference, signLegacyQuoteToken, SELLER_TEXT, TEXT } from './site.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
});

// Runs `fn` with a page in a fresh profile (JavaScript on or off, German or English).
async function withPage({ js, lang }, fn) {
  const context = await newContext(browser, { js, locale: TEXT[lang].locale });
  const page = await context.newPage();
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

function queryOf(page) {
  return new URL(page.url()).search.replace(/^\?/, '');
}

// Waits until the script has put `query` into the address bar and the breakdown for it has
// arrived (the form is busy while the fragment is fetched).
async function settled(page, query) {
  await waitFor(() => queryOf(page) === query, {
    timeout: 10_000,
    message: `address bar query to become "${query}" (it is "${queryOf(page)}")`,
  });
  await waitFor(async () => (await page.locator('form#configurator').getAttribute('aria-busy')) === null, {
    timeout: 10_000,
    message: 'the configurator to finish updating (aria-busy removed)',
  });
}

async function totalOf(page) {
  const total = page.locator('aside#breakdown #total');
  if ((await total.count()) === 0) return undefined;
  return normalize(await total.textContent());
}

async function fieldError(page, field) {
  return normalize(await page.locator(`#error-${field}`).textContent());
}

async function breakdownText(page) {
  return normalize(await page.locator('aside#breakdown').innerText());
}

// What a visitor without JavaScript sees at this address.
async function renderWithoutScript(lang, pathAndQuery) {
  return withPage({ js: false, lang }, async (page) => {
    const response = await page.goto(stack.url(pathAndQuery));
    assert.equal(response.status(), 200, `GET ${pathAndQuery} without JS`);
    return {
      total: await totalOf(page),
      breakdown: await breakdownText(page),
      errors: Object.fromEntries(
        await Promise.all(
          ['plan', 'interval', 'type', 'country', 'vat_id', 'code', 'extra_seats', 'sso'].map(
            async (field) => [field, await fieldError(page, field)],
          ),
        ),
      ),
      vatInvalid: await page.getByLabel(TEXT[lang].vatId, { exact: true }).getAttribute('aria-invalid'),
    };
  });
}

function plan(page, name) {
  return page.getByRole('radio', { name: new RegExp(`^${name}\\b`) });
}

// The configurations a visitor builds with the controls, and the query each must end up as.
const CONFIGURATIONS = [
  {
    name: 'German business: Team, yearly, 5 extra seats, SSO',
    query: 'plan=team&interval=year&extra_seats=5&sso=1&type=business&country=DE',
    async operate(page, t) {
      await plan(page, 'Team').check();
      await page.getByLabel(t.yearly, { exact: true }).check();
      await page.getByLabel(t.seats, { exact: true }).fill('5');
      await page.getByLabel(t.sso, { exact: true }).check();
    },
    check(rendered, t) {
      assert.match(rendered.breakdown, /19 ?%/);
      assert.ok(rendered.total, 'a total is shown');
    },
  },
  {
    name: 'reverse charge: Austrian business with a valid VAT ID',
    query: 'plan=team&interval=month&type=business&country=AT&vat_id=ATU12345675',
    async operate(page, t) {
      await page.getByLabel(t.business, { exact: true }).check();
      await page.getByLabel(t.country, { exact: true }).selectOption({ label: t.countries.AT });
      await page.getByLabel(t.vatId, { exact: true }).fill('ATU12345675');
    },
    check(rendered, t) {
      assert.ok(rendered.breakdown.includes(normalize(t.reverseCharge)), `reverse charge line in: ${rendered.breakdown}`);
      assert.equal(rendered.errors.vat_id, '');
    },
  },
  {
    name: 'OSS: consumer in France pays French VAT',
    query: 'plan=starter&interval=month&type=consumer&country=FR',
    async operate(page, t) {
      await plan(page, 'Starter').check();
      await page.getByLabel(t.consumer, { exact: true }).check();
      await page.getByLabel(t.country, { exact: true }).selectOption({ label: t.countries.FR });
    },
    check(rendered, t) {
      assert.ok(
        rendered.breakdown.includes(normalize(t.oss(20, t.countries.FR))),
        `French VAT line in: ${rendered.breakdown}`,
      );
    },
  },
  {
    name: 'coupon LAUNCH20',
    query: 'plan=business&interval=month&type=business&country=DE&code=LAUNCH20',
    async operate(page, t) {
      await plan(page, 'Business').check();
      await page.getByLabel(t.code, { exact: true }).fill('LAUNCH20');
    },
    check(rendered, t) {
      assert.ok(rendered.breakdown.includes(normalize(t.coupon)), `discount line in: ${rendered.breakdown}`);
      assert.equal(rendered.errors.code, '');
    },
  },
  {
    name: 'invalid VAT ID',
    query: 'plan=team&interval=month&type=business&country=AT&vat_id=ATU12345678',
    async operate(page, t) {
      await page.getByLabel(t.country, { exact: true }).selectOption({ label: t.countries.AT });
      await page.getByLabel(t.vatId, { exact: true }).fill('ATU12345678');
    },
    check(rendered, t) {
      assert.equal(rendered.total, undefined, 'no total for a refused configuration');
      assert.equal(rendered.errors.vat_id, normalize(t.invalidVatId('ATU12345678')));
      assert.equal(rendered.vatInvalid, 'true');
      assert.ok(rendered.breakdown.includes(t.checkEntries), `error summary in: ${rendered.breakdown}`);
    },
  },
];

for (const lang of ['de', 'en']) {
  const t = TEXT[lang];
  describe(`configurator, ${lang}: JavaScript and no JavaScript agree`, () => {
    for (const configuration of CONFIGURATIONS) {
      test(configuration.name, async () => {
        const expectedPath = `${t.configurator}?${configuration.query}`;
        await withPage({ js: true, lang }, async (page) => {
          await page.goto(stack.url(t.configurator));
          // With the script the "Update price" button is not needed and hidden.
          await waitFor(async () => !(await page.getByRole('button', { name: t.update }).isVisible()), {
            message: 'the script hides the update button',
          });
          await page.evaluate(() => {
            window.sameDocument = true;
          });
          await configuration.operate(page, t);
          await settled(page, configuration.query);
          assert.equal(new URL(page.url()).pathname, t.configurator);
          assert.equal(await page.evaluate(() => window.sameDocument), true, 'updated in place, no reload');
          const withScript = {
            total: await totalOf(page),
            breakdown: await breakdownText(page),
            errors: {
              vat_id: await fieldError(page, 'vat_id'),
              code: await fieldError(page, 'code'),
            },
            vatInvalid: await page.getByLabel(t.vatId, { exact: true }).getAttribute('aria-invalid'),
          };
          const withoutScript = await renderWithoutScript(lang, expectedPath);
          configuration.check(withoutScript, t);
          configuration.check(withScript, t);
          assert.equal(withScript.total, withoutScript.total, 'the same total with and without JS');
          assert.equal(withScript.errors.vat_id, withoutScript.errors.vat_id);
          assert.equal(withScript.errors.code, withoutScript.errors.code);
          // Not just the total: every line of the breakdown is the same (the quote token in the
          // links may differ, the text does not).
          assert.equal(withScript.breakdown, withoutScript.breakdown);
        });
      });
    }

    test('without JavaScript, the form is sent with "Update price"', async () => {
      await withPage({ js: false, lang }, async (page) => {
        await page.goto(stack.url(t.configurator));
        await page.getByLabel(t.yearly, { exact: true }).check();
        await page.getByLabel(t.seats, { exact: true }).fill('5');
        await page.getByLabel(t.sso, { exact: true }).check();
        await Promise.all([
          page.waitForURL((url) => url.search.includes('extra_seats=5')),
          page.getByRole('button', { name: t.update }).click(),
        ]);
        const sent = await totalOf(page);
        const direct = await renderWithoutScript(
          lang,
          `${t.configurator}?plan=team&interval=year&extra_seats=5&sso=1&type=business&country=DE`,
        );
        assert.equal(sent, direct.total);
        assert.equal(await page.getByLabel(t.seats, { exact: true }).inputValue(), '5');
        assert.ok(await page.getByLabel(t.sso, { exact: true }).isChecked());
      });
    });
  });
}

describe('language switch', () => {
  for (const js of [true, false]) {
    test(`keeps the configuration (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const de = TEXT.de;
      const en = TEXT.en;
      const query = 'plan=starter&interval=year&extra_seats=2&audit_log=1&type=consumer&country=FR';
      await withPage({ js, lang: 'de' }, async (page) => {
        if (js) {
          await page.goto(stack.url(de.configurator));
          await plan(page, 'Starter').check();
          await page.getByLabel(de.yearly, { exact: true }).check();
          await page.getByLabel(de.seats, { exact: true }).fill('2');
          await page.getByLabel(de.auditLog, { exact: true }).check();
          await page.getByLabel(de.consumer, { exact: true }).check();
          await page.getByLabel(de.country, { exact: true }).selectOption({ label: de.countries.FR });
          await settled(page, query);
        } else {
          await page.goto(stack.url(`${de.configurator}?${query}`));
        }
        const germanTotal = await totalOf(page);
        await Promise.all([
          page.waitForURL((url) => url.pathname === en.configurator),
          page.getByRole('link', { name: de.switchLink, exact: true }).click(),
        ]);
        assert.equal(queryOf(page), query, 'the same query on the English page');
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        assert.ok(await plan(page, 'Starter').isChecked(), 'Starter still chosen');
        assert.ok(await page.getByLabel(en.yearly, { exact: true }).isChecked(), 'yearly still chosen');
        assert.equal(await page.getByLabel(en.seats, { exact: true }).inputValue(), '2');
        assert.ok(await page.getByLabel(en.auditLog, { exact: true }).isChecked());
        assert.ok(await page.getByLabel(en.consumer, { exact: true }).isChecked());
        assert.equal(
          await page.getByLabel(en.country, { exact: true }).locator('option:checked').textContent(),
          en.countries.FR,
        );
        // The same amount, written the English way (1.234,56 € → €1,234.56).
        const englishTotal = await totalOf(page);
        const digits = (text) => text.replace(/[^0-9]/g, '');
        assert.equal(digits(englishTotal), digits(germanTotal), `${germanTotal} vs ${englishTotal}`);
        assert.match(englishTotal, /^€[0-9,]+\.[0-9]{2}$/);
        assert.match(germanTotal, /^[0-9.]+,[0-9]{2} €$/);
      });
    });
  }
});

describe('add-on rules', () => {
  for (const lang of ['de', 'en']) {
    const t = TEXT[lang];
    // The list entry of an add-on as the visitor sees it: its control, price or rule.
    const addon = (page, name) =>
      page.getByRole('listitem').filter({ has: page.getByLabel(name, { exact: true }) });

    test(`${lang}: not available for the plan is disabled with the reason; included is marked`, async () => {
      await withPage({ js: true, lang }, async (page) => {
        await page.goto(stack.url(t.configurator));
        // Team: SSO can be added, EU data residency only comes with Business.
        assert.ok(await page.getByLabel(t.sso, { exact: true }).isEnabled());
        assert.ok(await page.getByLabel(t.euResidency, { exact: true }).isDisabled());
        assert.match(normalize(await addon(page, t.euResidency).innerText()), new RegExp(`${t.onlyWith} Business`));

        // Starter (changed in place): SSO is not available, with the reason.
        await plan(page, 'Starter').check();
        await settled(page, 'plan=starter&interval=month&type=business&country=DE');
        assert.ok(await page.getByLabel(t.sso, { exact: true }).isDisabled(), 'SSO disabled for Starter');
        assert.match(normalize(await addon(page, t.sso).innerText()), new RegExp(`${t.onlyWith} Team`));

        // Business: SSO and the audit log are included, ticked and not changeable.
        await plan(page, 'Business').check();
        await settled(page, 'plan=business&interval=month&type=business&country=DE');
        for (const name of [t.sso, t.auditLog]) {
          const control = page.getByLabel(name, { exact: true });
          assert.ok(await control.isChecked(), `${name} ticked`);
          assert.ok(await control.isDisabled(), `${name} not changeable`);
          assert.ok(normalize(await addon(page, name).innerText()).includes(t.included), `${name} marked included`);
        }
        assert.ok(await page.getByLabel(t.euResidency, { exact: true }).isEnabled());
      });
      // The same rules without a script, from the server's rendering.
      await withPage({ js: false, lang }, async (page) => {
        await page.goto(stack.url(`${t.configurator}?plan=starter&sso=1`));
        assert.ok(await page.getByLabel(t.sso, { exact: true }).isDisabled());
        assert.ok(!(await page.getByLabel(t.sso, { exact: true }).isChecked()));
        assert.match(normalize(await addon(page, t.sso).innerText()), new RegExp(`${t.onlyWith} Team`));
        await page.goto(stack.url(`${t.configurator}?plan=business`));
        assert.ok(await page.getByLabel(t.sso, { exact: true }).isChecked());
        assert.ok(normalize(await addon(page, t.sso).innerText()).includes(t.included));
      });
    });
  }
});

describe('add-ons after a plan that includes them', () => {
  test('Team → Business → Team with JavaScript shows the add-ons as the same URL without JavaScript', async () => {
    const t = TEXT.de;
    await withPage({ js: true, lang: 'de' }, async (page) => {
      await page.goto(stack.url(t.configurator));
      assert.ok(!(await page.getByLabel(t.sso, { exact: true }).isChecked()), 'Team starts without SSO');
      await plan(page, 'Business').check();
      await settled(page, 'plan=business&interval=month&type=business&country=DE');
      await plan(page, 'Team').check();
      await settled(page, 'plan=team&interval=month&type=business&country=DE');
      const withoutScript = await withPage({ js: false, lang: 'de' }, async (plain) => {
        await plain.goto(page.url());
        return {
          sso: await plain.getByLabel(t.sso, { exact: true }).isChecked(),
          auditLog: await plain.getByLabel(t.auditLog, { exact: true }).isChecked(),
          total: await totalOf(plain),
        };
      });
      const withScript = {
        sso: await page.getByLabel(t.sso, { exact: true }).isChecked(),
        auditLog: await page.getByLabel(t.auditLog, { exact: true }).isChecked(),
        total: await totalOf(page),
      };
      // The visitor never ticked SSO or the audit log: what the boxes say must be what is priced.
      assert.deepEqual(withScript, withoutScript, `${page.url()}: with JS ${JSON.stringify(withScript)}`);

      // And the next change must not add what the visitor did not choose.
      await page.getByLabel(t.yearly, { exact: true }).check();
      await waitFor(() => queryOf(page).includes('interval=year'), { message: 'the yearly interval in the address' });
      assert.equal(queryOf(page), 'plan=team&interval=year&type=business&country=DE');
    });
  });
});

describe('printable offer', () => {
  for (const lang of ['de', 'en']) {
    const t = TEXT[lang];
    test(`${lang}: "${t.printOffer}" leads to the offer with the same total, seller, reference and validity`, async () => {
      await withPage({ js: true, lang }, async (page) => {
        const query = 'plan=team&interval=year&extra_seats=5&sso=1&type=business&country=AT&vat_id=ATU12345675';
        await page.goto(stack.url(`${t.configurator}?${query}`));
        const total = await totalOf(page);
        assert.ok(total, 'the configurator shows a total');
        const link = page.getByRole('link', { name: t.printOffer });
        const href = await link.getAttribute('href');
        assert.ok(href.startsWith(t.offer), href);
        const token = href.slice(t.offer.length);
        await Promise.all([page.waitForURL((url) => url.pathname.startsWith(t.offer)), link.click()]);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.offerTitle);
        const totalRow = page.getByRole('row', { name: t.offerTotal });
        assert.equal(normalize(await totalRow.getByRole('cell').last().innerText()), total);
        const text = normalize(await page.locator('main').innerText());
        for (const fact of SELLER_TEXT) assert.ok(text.includes(normalize(fact)), `seller data "${fact}" on the offer`);
        assert.ok(text.includes(quoteReference(token)), `reference ${quoteReference(token)} on the offer`);
        // The token is opaque: its dates come from the API, which opens it.
        const quote = await (await fetch(`${stack.apiUrl}/v1/quotes/${token}`)).json();
        const issued = Date.parse(quote.issued_at) / 1000;
        const expires = Date.parse(quote.expires_at) / 1000;
        assert.equal(expires - issued, 7 * 24 * 3600, 'an offer is valid for seven days');
        const validity = page.getByRole('definition').filter({ hasText: t.date(expires) });
        assert.equal(await validity.count(), 1, `valid until ${t.date(expires)}`);
        assert.ok(text.includes(`${t.validUntil} ${t.date(expires)}`), `"${t.validUntil} ${t.date(expires)}" in ${text}`);
        assert.ok(!token.includes('ATU12345675') && !Buffer.from(token.slice(3), 'base64url').includes('ATU12345675'),
          'the VAT ID cannot be read from the link');
        assert.ok(text.includes('ATU12345675'), 'the customer VAT ID');
        assert.ok(text.includes(normalize(t.reverseCharge)));
      });
    });

    test(`${lang}: the offer with every line prints on one A4 page`, async () => {
      await withPage({ js: true, lang }, async (page) => {
        const query = 'plan=team&interval=year&extra_seats=40&credits_5m=20&sso=1&audit_log=1&priority_support=1' +
          '&onboarding=1&type=business&country=FR&vat_id=FR40303265045&code=LAUNCH20';
        await page.goto(stack.url(`${t.configurator}?${query}`));
        assert.equal(await page.locator('#error-extra_seats').textContent(), '', 'a valid configuration');
        await Promise.all([
          page.waitForURL((url) => url.pathname.startsWith(t.offer)),
          page.getByRole('link', { name: t.printOffer }).click(),
        ]);
        const lines = await page.getByRole('table').getByRole('row').count();
        assert.ok(lines >= 10, `every line on the offer (${lines} rows)`);
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
        assert.equal(pages.length, 1, `the offer prints on ${pages.length} pages`);
        const size = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
        assert.ok(size, 'a page size');
        // A4 is 595 × 842 points.
        assert.ok(Math.abs(Number(size[1]) - 595) < 2 && Math.abs(Number(size[2]) - 842) < 2, `A4: ${size[1]} × ${size[2]}`);
      });
    });

    test(`${lang}: an altered offer is a 404 page, an expired one a 410 page`, async () => {
      await withPage({ js: false, lang }, async (page) => {
        await page.goto(stack.url(`${t.configurator}?plan=starter`));
        const href = await page.getByRole('link', { name: t.printOffer }).getAttribute('href');
        const token = href.slice(t.offer.length);
        // One changed character in the sealed token.
        const at = 20;
        const altered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
        let response = await page.goto(stack.url(`${t.offer}${altered}`));
        assert.equal(response.status(), 404);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.notFound);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);

        // A well-formed offer whose validity has ended.
        const quote = await (await fetch(`${stack.apiUrl}/v1/quotes/${token}`)).json();
        const now = Math.floor(Date.now() / 1000);
        const expired = signLegacyQuoteToken({
          f: 1, cv: quote.catalog_version, p: 'starter', i: 'month', a: [], cur: 'EUR',
          c: ['DE', 'business', null], cp: null, rc: null, l: lang, d: null,
          t: ['standard', 'DE', 1900, false], iat: now - 8 * 24 * 3600, exp: now - 24 * 3600,
        });
        response = await page.goto(stack.url(`${t.offer}${expired}`));
        assert.equal(response.status(), 410);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), t.expired);
        assert.ok(await page.getByText(t.reference).isVisible(), 'the request id is given');
      });
    });
  }
});
