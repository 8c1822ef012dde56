// Accessibility and markup: axe-core on every page (both languages, with the consent banner
// open, light and dark), the Nu HTML Checker on every page's HTML, and the configurator
// operated with the keyboard alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import {
  closeAll,
  describeViolations,
  get,
  launchBrowser,
  newContext,
  runVnu,
  startStack,
  test,
  waitFor,
} from './harness.mjs';
import { normalize, TEXT } from './site.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await closeAll();
});

// Every page in the states worth checking, per language. The offer's address is found on the
// configurator (its print link).
function pagesOf(lang) {
  const t = TEXT[lang];
  return [
    { name: 'home', path: t.home },
    { name: 'configurator', path: t.configurator },
    { name: 'configurator, yearly with add-ons', path: `${t.configurator}?plan=team&interval=year&extra_seats=5&sso=1&onboarding=1&type=business&country=DE` },
    { name: 'configurator, Starter (add-ons unavailable)', path: `${t.configurator}?plan=starter&type=consumer&country=FR` },
    { name: 'configurator, reverse charge with coupon', path: `${t.configurator}?plan=business&type=business&country=AT&vat_id=ATU12345675&code=LAUNCH20` },
    { name: 'configurator, with errors', path: `${t.configurator}?plan=team&extra_seats=999&type=business&country=AT&vat_id=ATU12345678&code=NOPE` },
    { name: 'offer', offer: true },
    ...t.legal.map((legal) => ({ name: legal, path: legal })),
    { name: '404', path: `/${lang}/nicht-da`, status: 404 },
  ];
}

async function offerPath(lang) {
  const t = TEXT[lang];
  const html = (await get(stack.url(`${t.configurator}?plan=team&interval=year&extra_seats=2&code=LAUNCH20`))).text;
  const match = new RegExp(`href="(${t.offer}[^"]+)"`).exec(html);
  assert.ok(match, 'the configurator links to an offer');
  return match[1];
}

const DARK = new Set(['home', 'configurator, reverse charge with coupon', 'configurator, with errors', 'offer', '/de/cookies', '/en/cookies', '404']);

describe('axe-core', () => {
  for (const lang of ['de', 'en']) {
    for (const colorScheme of ['light', 'dark']) {
      test(`${lang}, ${colorScheme}: no serious or critical violation on any page, banner open`, async () => {
        const context = await newContext(browser, { js: true, locale: TEXT[lang].locale, colorScheme });
        const failures = [];
        try {
          const page = await context.newPage();
          const offer = await offerPath(lang);
          // Dark mode changes colours only: the pages that show every kind of element.
          const entries = pagesOf(lang).filter((entry) => colorScheme === 'light' || DARK.has(entry.name));
          for (const entry of entries) {
            const target = entry.offer ? offer : entry.path;
            const response = await page.goto(stack.url(target));
            assert.equal(response.status(), entry.status ?? 200, target);
            assert.ok(
              await page.getByRole('region', { name: TEXT[lang].banner }).isVisible(),
              `${target}: the consent banner is open`,
            );
            const results = await new AxeBuilder({ page }).analyze();
            const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
            if (serious.length > 0) failures.push(`${target} (${entry.name}):\n${describeViolations(serious)}`);
          }
          // The banner's settings opened in place.
          await page.goto(stack.url(TEXT[lang].home));
          await page.getByRole('region', { name: TEXT[lang].banner }).getByRole('button', { name: TEXT[lang].settings }).click();
          await waitFor(() => page.getByRole('button', { name: TEXT[lang].save }).isVisible(), { message: 'settings open' });
          const results = await new AxeBuilder({ page }).analyze();
          const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
          if (serious.length > 0) failures.push(`home with the consent settings open:\n${describeViolations(serious)}`);
        } finally {
          await context.close();
        }
        assert.equal(failures.length, 0, `axe found serious or critical violations:\n${failures.join('\n')}`);
      });
    }
  }
});

describe('Nu HTML Checker', () => {
  test('no error on any page (both languages, banner open and closed)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-vnu-'));
    try {
      const files = new Map();
      // A visitor who has chosen: the banner is hidden, the page otherwise the same.
      const decided = { Cookie: '__Host-consent=0b5d2b1e-6f38-4a52-9c1e-3d1f6a7b8c9d.2026-11-29.00' };
      for (const lang of ['de', 'en']) {
        const offer = await offerPath(lang);
        for (const entry of pagesOf(lang)) {
          const target = entry.offer ? offer : entry.path;
          for (const [variant, headers] of [['open', {}], ['decided', decided]]) {
            const response = await get(stack.url(target), { headers });
            assert.equal(response.status, entry.status ?? 200, target);
            const file = path.join(dir, `${files.size}.html`);
            fs.writeFileSync(file, response.text);
            files.set(file, `${target} (banner ${variant})`);
          }
        }
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

describe('keyboard', () => {
  for (const lang of ['de', 'en']) {
    const t = TEXT[lang];
    test(`${lang}: the configurator works with the keyboard alone`, async () => {
      const context = await newContext(browser, { js: true, locale: t.locale });
      try {
        const page = await context.newPage();
        await page.goto(stack.url(t.configurator));
        const totalBefore = normalize(await page.locator('#total').textContent());

        // The first Tab reaches the skip link, which leads to the content.
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => document.activeElement.getAttribute('href'));
        assert.equal(skip, '#main', 'the skip link comes first');

        // Tab on until a plan is focused (the checked one: a radio group is one stop).
        const focused = () => page.evaluate(() => {
          const el = document.activeElement;
          return { name: el?.getAttribute('name'), value: el?.getAttribute('value'), tag: el?.tagName };
        });
        let reached = false;
        for (let i = 0; i < 30 && !reached; i++) {
          await page.keyboard.press('Tab');
          const now = await focused();
          reached = now.name === 'plan';
        }
        assert.ok(reached, 'Tab reaches the plans');
        assert.deepEqual(await focused(), { name: 'plan', value: 'team', tag: 'INPUT' });
        // The focus is visible on the plan's card (its label).
        const outline = await page.evaluate(() => {
          const label = document.querySelector(`label[for="${document.activeElement.id}"]`);
          const style = getComputedStyle(label);
          return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
        });
        assert.ok(outline.style !== 'none' && outline.width >= 2, `visible focus: ${JSON.stringify(outline)}`);

        // The arrow key chooses the next plan; the price follows.
        await page.keyboard.press('ArrowRight');
        assert.deepEqual(await focused(), { name: 'plan', value: 'business', tag: 'INPUT' });
        assert.ok(await page.getByRole('radio', { name: /^Business\b/ }).isChecked());
        await waitFor(() => new URL(page.url()).search.startsWith('?plan=business'), { message: 'the address follows' });
        await waitFor(async () => (await page.locator('form#configurator').getAttribute('aria-busy')) === null, {
          message: 'the update finished',
        });
        const totalAfter = normalize(await page.locator('#total').textContent());
        assert.notEqual(totalAfter, totalBefore, 'the total changed');
        const plain = await get(stack.url(`${t.configurator}${new URL(page.url()).search}`));
        const plainTotal = normalize(/id="total">([^<]+)</.exec(plain.text)[1]);
        assert.equal(totalAfter, plainTotal, 'the same total as without JavaScript');
        // The change is announced to screen readers.
        assert.equal(
          normalize(await page.locator('#total-announcement').textContent()),
          `${t.dueToday}: ${totalAfter}`,
        );

        // Space on an add-on ticks it; the breakdown gains its line.
        await page.getByLabel(t.euResidency, { exact: true }).focus();
        await page.keyboard.press('Space');
        await waitFor(() => new URL(page.url()).search.includes('eu_residency=1'), { message: 'add-on in the address' });
        await waitFor(async () => normalize(await page.locator('aside#breakdown').innerText()).includes(t.euResidency), {
          message: 'the add-on in the breakdown',
        });
      } finally {
        await context.close();
      }
    });
  }
});
