// The end-to-end harness: each test file starts its own stack (a fresh database, `codezero api`
// and `codezero web` on free loopback ports) and its own Chromium, so files can run in parallel.
//
//   const stack = await startStack({ webEnv: { … } });   // stack.url('/de/'), stack.sql('…')
//   const browser = await launchBrowser();
//   const context = await newContext(browser, { js: false, locale: 'en-US' });
//
// Everything started here is stopped in the file's `after` hook (closeAll), and also when the
// process exits some other way. `test` (re-exported below) prints the tail of the servers' log
// when a test fails.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test as nodeTest } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// One quote-signing key for every stack: a token one stack's API signed is valid at another's,
// as it is between the instances of one deployment.
export const QUOTE_SIGNING_SECRET = 'e2e-quote-signing-secret-0123456789abcdef';

// The seller as the Impressum and the offer show it.
export const SELLER = {
  SELLER_NAME: 'Code Zero AI GmbH',
  SELLER_STREET: 'Beispielstraße 1',
  SELLER_POSTCODE: '10115',
  SELLER_CITY: 'Berlin',
  SELLER_MANAGING_DIRECTORS: 'Erika Mustermann',
  SELLER_EMAIL: 'kontakt@codezero.example',
  SELLER_REGISTER_COURT: 'Amtsgericht Charlottenburg',
  SELLER_REGISTER_NUMBER: 'HRB 123456 B',
  SELLER_VAT_ID: 'DE136695976',
  SELLER_CONTENT_RESPONSIBLE: 'Erika Mustermann, Beispielstraße 1, 10115 Berlin',
};

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The e2e tests need CODEZERO_BINARY, TEST_DATABASE_URL and ` +
        'TEST_REDIS_URL; `scripts/test -L e2e` sets all three.',
    );
  }
  return value;
}

// Polls `condition` (sync or async) until it returns a truthy value, which it returns; throws
// with `message` (and the last error the condition threw) when `timeout` ms have passed.
export async function waitFor(condition, { timeout = 10_000, interval = 50, message } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = message ?? `condition ${condition.toString().slice(0, 200)}`;
      throw new Error(
        `waitFor timed out after ${timeout} ms: ${why}` +
          (lastError ? ` (last error: ${lastError.message ?? lastError})` : ''),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(command, args, { env, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          error.message += `\n${stderr}`;
          reject(error);
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

// Runs SQL with psql against `url`; the rows as arrays of fields (-At: unaligned, tuples only).
export async function psql(url, sql) {
  const out = await run('psql', ['--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', url, '-c', sql]);
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

function databaseUrl(adminUrl, name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// Everything alive in this process, for closeAll() and the exit handler.
const stacks = new Set();
const browsers = new Set();

class Server {
  constructor(name, args, env, logFd) {
    this.name = name;
    this.args = args;
    this.env = env;
    this.logFd = logFd;
    this.child = undefined;
    this.exited = undefined;
  }

  start() {
    const child = spawn(requiredEnv('CODEZERO_BINARY'), this.args, {
      env: this.env,
      stdio: ['ignore', this.logFd, this.logFd],
    });
    this.child = child;
    this.exitCode = undefined;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? signal;
        resolve();
      });
      child.on('error', (error) => {
        this.exitCode = `spawn error: ${error.message}`;
        resolve();
      });
    });
  }

  get running() {
    return this.child !== undefined && this.exitCode === undefined;
  }

  async stop() {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
    ]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  killNow() {
    if (this.running) this.child.kill('SIGKILL');
  }
}

async function httpStatus(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export class Stack {
  constructor({ adminUrl, dbName, dir, redisDb }) {
    this.redisUrl = requiredEnv('TEST_REDIS_URL');
    if (redisDb !== undefined) {
      const url = new URL(this.redisUrl);
      url.pathname = `/${redisDb}`;
      this.redisUrl = url.toString();
    }
    this.adminUrl = adminUrl;
    this.dbName = dbName;
    this.dbUrl = databaseUrl(adminUrl, dbName);
    this.dir = dir;
    this.logFile = path.join(dir, 'servers.log');
    this.logFd = fs.openSync(this.logFile, 'a');
    this.api = undefined;
    this.web = undefined;
  }

  url(pathAndQuery = '/') {
    return `${this.baseUrl}${pathAndQuery}`;
  }

  get origin() {
    return this.baseUrl;
  }

  sql(statement) {
    return psql(this.dbUrl, statement);
  }

  apiEnv() {
    return {
      PATH: process.env.PATH,
      DATABASE_URL: this.dbUrl,
      REDIS_URL: this.redisUrl,
      QUOTE_SIGNING_SECRET,
      API_PORT: String(this.apiPort),
      API_HOST: '127.0.0.1',
      API_THREADS: '1',
      API_SHUTDOWN_GRACE_MS: '500',
      DB_POOL_SIZE: '4',
      PUBLIC_WEB_URL: this.baseUrl,
      LOG_LEVEL: 'warn',
    };
  }

  webEnv(overrides = {}) {
    return {
      PATH: process.env.PATH,
      REDIS_URL: this.redisUrl,
      API_URL: `http://127.0.0.1:${this.apiPort}`,
      WEB_PORT: String(this.webPort),
      WEB_HOST: '127.0.0.1',
      WEB_THREADS: '1',
      WEB_SHUTDOWN_GRACE_MS: '500',
      PUBLIC_WEB_URL: this.baseUrl,
      WEB_SECRET: this.webSecret,
      WEB_HSTS: 'off',
      LOG_LEVEL: 'warn',
      // Every test file posts consent choices from 127.0.0.1 against the one shared Redis:
      // the per-address limit would otherwise count all files together.
      RATE_LIMIT_CONSENT_IP: '10000/600',
      ...SELLER,
      ...overrides,
    };
  }

  log(line) {
    fs.writeSync(this.logFd, `--- harness: ${line}\n`);
  }

  async startApi() {
    this.log('starting api');
    this.api = new Server('api', ['api'], this.apiEnv(), this.logFd);
    this.api.start();
    await waitFor(
      async () => {
        if (!this.api.running) throw new Error(`api exited (${this.api.exitCode})`);
        return (await httpStatus(`http://127.0.0.1:${this.apiPort}/readyz`)) === 200;
      },
      { timeout: 30_000, message: `api on port ${this.apiPort} ready (GET /readyz 200)` },
    );
  }

  async stopApi() {
    this.log('stopping api');
    await this.api?.stop();
  }

  async startWeb(overrides = this.webOverrides) {
    this.webOverrides = overrides;
    this.log(`starting web ${JSON.stringify(overrides)}`);
    this.web = new Server('web', ['web'], this.webEnv(overrides), this.logFd);
    this.web.start();
    await waitFor(
      async () => {
        if (!this.web.running) throw new Error(`web exited (${this.web.exitCode})`);
        return (await httpStatus(this.url('/readyz'))) === 200;
      },
      { timeout: 30_000, message: `web on port ${this.webPort} ready (GET /readyz 200)` },
    );
  }

  async stopWeb() {
    this.log('stopping web');
    await this.web?.stop();
  }

  // Restarts only `web` (same port), with these settings on top of the ones it had.
  async restartWeb(overrides = {}) {
    await this.stopWeb();
    await this.startWeb({ ...this.webOverrides, ...overrides });
  }

  logTail(lines = 60) {
    try {
      const text = fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n');
      return text.slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async close() {
    stacks.delete(this);
    await Promise.all([this.web?.stop(), this.api?.stop()]);
    try {
      await psql(this.adminUrl, `DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`);
    } catch (error) {
      console.error(`could not drop database ${this.dbName}: ${error.message}`);
    }
    try {
      fs.closeSync(this.logFd);
    } catch {
      // already closed
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // Synchronous last resort for the exit handler.
  killNow() {
    this.web?.killNow();
    this.api?.killNow();
    spawnSync('psql', ['--no-psqlrc', '-At', this.adminUrl, '-c',
      `DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`], { timeout: 10_000 });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// A fresh database with the migrations applied, `codezero api` and `codezero web` ready.
// `webEnv`: settings of `web` beyond the harness's own (e.g. CONSENT_POLICY_VERSION).
// `redisDb`: a Redis database of the stack's own instead of TEST_REDIS_URL's, for a test that
// must not find pages or quotes that other files' stacks put into the shared cache.
export async function startStack({ webEnv = {}, redisDb } = {}) {
  requiredEnv('CODEZERO_BINARY');
  requiredEnv('TEST_REDIS_URL');
  const adminUrl = requiredEnv('TEST_DATABASE_URL');
  const dbName = `e2e_${randomBytes(6).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-e2e-'));
  const stack = new Stack({ adminUrl, dbName, dir, redisDb });
  stacks.add(stack);
  try {
    await psql(adminUrl, `CREATE DATABASE "${dbName}"`);
    stack.log(`migrating ${dbName}`);
    await run(requiredEnv('CODEZERO_BINARY'), ['migrate'], {
      env: { DATABASE_URL: stack.dbUrl, LOG_LEVEL: 'warn' },
    });
    stack.apiPort = await freePort();
    stack.webPort = await freePort();
    stack.baseUrl = `http://127.0.0.1:${stack.webPort}`;
    stack.webSecret = randomBytes(32).toString('hex');
    await stack.startApi();
    await stack.startWeb(webEnv);
    return stack;
  } catch (error) {
    console.error(`stack failed to start; servers' log:\n${stack.logTail()}`);
    await stack.close();
    throw error;
  }
}

export async function launchBrowser(options = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, ...options });
  browsers.add(browser);
  browser.on('disconnected', () => browsers.delete(browser));
  return browser;
}

// A fresh browser profile: JavaScript on or off, German or English.
export async function newContext(browser, { js = true, locale = 'de-DE', ...options } = {}) {
  return browser.newContext({
    javaScriptEnabled: js,
    locale,
    extraHTTPHeaders: { 'Accept-Language': locale === 'de-DE' ? 'de-DE,de;q=0.9' : 'en-US,en;q=0.9' },
    ...options,
  });
}

// Closes every browser and stack this process started (the `after` hook of each file).
export async function closeAll() {
  const closing = [];
  for (const browser of browsers) closing.push(browser.close().catch(() => {}));
  await Promise.all(closing);
  await Promise.all([...stacks].map((stack) => stack.close()));
}

process.on('exit', () => {
  for (const browser of browsers) {
    try {
      browser.process?.()?.kill('SIGKILL');
    } catch {
      // gone
    }
  }
  for (const stack of stacks) stack.killNow();
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

// node:test's `test`, printing the servers' log tail when the test fails.
export function test(name, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return nodeTest(name, options, async (t) => {
    try {
      await fn(t);
    } catch (error) {
      for (const stack of stacks) {
        console.error(`\n--- servers' log (${stack.logFile}), last lines:\n${stack.logTail()}\n---`);
      }
      throw error;
    }
  });
}

// The value of a cookie in a Playwright context, or undefined.
export async function cookieValue(context, name) {
  const cookies = await context.cookies();
  return cookies.find((cookie) => cookie.name === name)?.value;
}

// Fetches a page the way a browser without cookies would; { status, headers, text }.
export async function get(url, { headers = {}, redirect = 'manual' } = {}) {
  const response = await fetch(url, { headers, redirect, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
