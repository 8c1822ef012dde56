// Lighthouse on the home page and the configurator, desktop preset and mobile default: SEO,
// accessibility and best practices at least 0.95. Performance is a matter of timing on a busy
// test machine: its score and main metrics are printed for the report, not asserted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM, CHROMIUM_ARGS, closeAll, freePort, startStack, test, waitFor } from './harness.mjs';

process.env.CHROME_PATH = CHROMIUM;

let stack;
const figures = [];
const running = new Set(); // Chromium processes, for the exit handler

// Chromium with a remote debugging port, for Lighthouse to drive.
async function startChromium() {
  const port = await freePort();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-lighthouse-'));
  const child = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      `--remote-debugging-port=${port}`,
      '--remote-debugging-address=127.0.0.1',
      `--user-data-dir=${profile}`,
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-default-apps',
      '--mute-audio',
      // Chrome's flags for tools (chrome-launcher's list): a headless tab is never
      // "in the background", so nothing throttles the page load that is being traced.
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-ipc-flooding-protection',
      '--disable-hang-monitor',
      '--disable-features=Translate,OptimizationHints,MediaRouter',
      '--metrics-recording-only',
      'about:blank',
    ],
    // A process group of its own, so closing it ends Chromium's helper processes too, before
    // the profile they write into is removed.
    { stdio: 'ignore', detached: true },
  );
  let exited = false;
  running.add(child);
  const exit = new Promise((resolve) => child.on('exit', () => { exited = true; running.delete(child); resolve(); }));
  await waitFor(
    async () => {
      if (exited) throw new Error('chromium exited');
      const response = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(1_000) });
      return response.ok;
    },
    { timeout: 20_000, message: `chromium's debugging port ${port} answers` },
  );
  return {
    port,
    async close() {
      if (!exited) {
        signalGroup(child, 'SIGTERM');
        const done = await Promise.race([exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
        if (!done) signalGroup(child, 'SIGKILL');
        await exit;
      }
      signalGroup(child, 'SIGKILL'); // helpers that outlived the browser process
      // A helper killed a moment ago may still be closing files in the profile.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}

// Sends a signal to the process group a detached child leads; a group already gone is fine.
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

process.on('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

before(async () => {
  stack = await startStack();
});

after(async () => {
  if (figures.length > 0) {
    console.log('\nLighthouse figures (performance not asserted):');
    console.table(figures);
  }
  await closeAll();
});

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

// One run in a Chromium of its own (a fresh profile: the visitor has made no consent choice).
async function audit(url, preset) {
  const chrome = await startChromium();
  let result;
  try {
    // Lighthouse loads a blank page, starts Chromium's trace, then loads the page. From
    // about:blank that load needs a new renderer process for the site, started while tracing
    // starts: now and then the new process missed the page's navigationStart event and the run
    // failed with NO_NAVSTART (once in about 50 runs, locally and in CI). A blank page on the
    // same site keeps the page in the renderer that was there before the trace began.
    const blankPage = new URL('/robots.txt', url).href;
    const flags = { blankPage, port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES };
    result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
  } finally {
    await chrome.close();
  }
  assert.ok(result?.lhr, 'Lighthouse produced a report');
  const { lhr } = result;
  assert.equal(lhr.runtimeError, undefined, `Lighthouse runtime error: ${JSON.stringify(lhr.runtimeError)}`);
  return lhr;
}

function failedAudits(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => {
      const items = (a.details?.items ?? [])
        .slice(0, 5)
        .map((item) => `      ${JSON.stringify(item.node?.snippet ?? item.text ?? item.href ?? item).slice(0, 300)}`)
        .join('\n');
      return `    ${a.id} (${a.score}): ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}\n${items}`;
    })
    .join('\n');
}

const CONFIGURATION = 'plan=team&interval=year&extra_seats=5&sso=1&type=business&country=DE';
const RUNS = [
  ['home', '/de/', 'desktop'],
  ['configurator', `/de/konfigurator?${CONFIGURATION}`, 'desktop'],
  ['home', '/de/', 'mobile'],
  ['configurator', `/de/konfigurator?${CONFIGURATION}`, 'mobile'],
  ['home', '/en/', 'desktop'],
  ['configurator', `/en/configurator?${CONFIGURATION}`, 'desktop'],
];

describe('Lighthouse', () => {
  for (const [name, pathAndQuery, preset] of RUNS) {
    test(`${pathAndQuery.split('?')[0]} (${name}), ${preset}: SEO, accessibility, best practices ≥ 0.95`, { timeout: 120_000 }, async () => {
      const lhr = await audit(stack.url(pathAndQuery), preset);
      const score = (category) => lhr.categories[category].score;
      const metric = (id) => lhr.audits[id]?.numericValue;
      figures.push({
        page: pathAndQuery.split('?')[0],
        preset,
        performance: score('performance'),
        accessibility: score('accessibility'),
        'best-practices': score('best-practices'),
        seo: score('seo'),
        'FCP ms': Math.round(metric('first-contentful-paint')),
        'LCP ms': Math.round(metric('largest-contentful-paint')),
        'TBT ms': Math.round(metric('total-blocking-time')),
        CLS: Number(metric('cumulative-layout-shift')?.toFixed(3)),
        'bytes total': metric('total-byte-weight'),
      });
      console.log(`${name} (${preset}): ${JSON.stringify(figures.at(-1))}`);
      const low = ['seo', 'accessibility', 'best-practices'].filter((category) => !(score(category) >= 0.95));
      assert.deepEqual(
        low,
        [],
        low.map((category) => `${category} ${score(category)} < 0.95 on ${pathAndQuery} (${preset}); audits not passed:\n${failedAudits(lhr, category)}`).join('\n'),
      );
    });
  }
});
