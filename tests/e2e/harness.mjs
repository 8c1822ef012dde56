// The end-to-end harness: each test file starts its own stack (a fresh database, `codezero api`
// and `codezero web` on free loopback ports) and its own Chromium, so files can run in parallel.
//
//   const stack = await startStack({ webEnv: { … } });   // stack.url('/de/'), stack.sql('…')
//   const browser = await launchBrowser();
//   const context = await newContext(browser, { js: false, locale: 'en-US' });
//
// With `payments: true` the stack also runs the Stripe stand-in (`codezero stripe-fake`) and a
// worker (`codezero worker`) writing e-mails as .eml files into `stack.outboxDir`; read them with
// `stack.waitForMail({ to, subject })`. `createAccount(stack, …)` makes a verified company
// account through the API (for tests not about sign-up).
//
// Everything started here is stopped in the file's `after` hook (closeAll), and also when the
// process exits some other way. `test` (re-exported below) prints the tail of the servers' log
// when a test fails.
import assert from 'node:assert/strict';
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

// The Stripe stand-in's secret key and webhook secret: the API and the worker use the same.
export const STRIPE_SECRET_KEY = 'sk_test_e2e_0123456789abcdefghij';
export const STRIPE_WEBHOOK_SECRET = 'whsec_e2e_0123456789abcdefghijklmnop';

// Every stack's API gets limits no test reaches: all files sign up and sign in from 127.0.0.1
// against the one shared Redis, so the per-address limits would count all files together.
const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_LOGIN_ACCOUNT: '10000/900',
  RATE_LIMIT_LOGIN_IP: '10000/3600',
  RATE_LIMIT_SIGNUP_IP: '10000/3600',
  RATE_LIMIT_RESET_IP: '10000/3600',
  RATE_LIMIT_CONSENT_IP: '10000/600',
  RATE_LIMIT_RESET_CONFIRM_IP: '10000/3600',
  RATE_LIMIT_INVITATION_ACCEPT_IP: '10000/3600',
  RATE_LIMIT_INVITATIONS_COMPANY: '10000/86400',
  RATE_LIMIT_QUOTE_CODES_IP: '10000/3600',
  RATE_LIMIT_CANCELLATION_IP: '10000/3600',
  RATE_LIMIT_CANCELLATION_CONFIRM_IP: '10000/3600',
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

// A TCP port on 127.0.0.1 that nothing listened on a moment ago, chosen at random below Linux's
// ephemeral range (32768 and up; scripts/lib/services.sh does the same). A port the kernel
// hands out for `listen(0)` comes from that range, where any outgoing connection of a test
// running beside this one may take it as its own end before the server binds it: the server
// then fails with "Address already in use". A port is handed out once per process: the ports of
// one stack are drawn before any of them is bound.
const portsHandedOut = new Set();
export async function freePort() {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (portsHandedOut.has(port)) continue;
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      portsHandedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port below 32000 after 200 attempts');
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

// One `codezero` process of a stack, its output in the stack's log.
export class Server {
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

// The sum of the series in a process's Prometheus exposition (`metricsUrl`) whose line starts
// with `series` (a name, or a name and the start of its labels: `x_total{outcome="dropped"}`).
export async function metricTotal(metricsUrl, series) {
  const exposition = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(series))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

// Stops a helper process of a test (nginx, PgBouncer) with `signal`, waiting at most 3 seconds.
export async function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await new Promise((resolve) => {
    child.once('exit', resolve);
    setTimeout(resolve, 3_000).unref();
  });
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
  constructor({ adminUrl, dbName, dir, redisDb, payments = false, logLevel = 'warn' }) {
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
    this.payments = payments;
    this.logLevel = logLevel;
    this.outboxDir = path.join(dir, 'outbox');
    this.stripe = undefined;
    this.worker = undefined;
  }

  // The Stripe stand-in's origin (its hosted payment page), with `payments: true`.
  get stripeOrigin() {
    return `http://127.0.0.1:${this.stripePort}`;
  }

  // The /metrics address of each process: { api, web, worker, stripe } (the last two with
  // `payments: true`).
  get metricsUrls() {
    const urls = {};
    for (const [name, port] of Object.entries(this.metricsPorts)) {
      urls[name] = `http://127.0.0.1:${port}/metrics`;
    }
    return urls;
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.apiPort}`;
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

  // A command to the stack's Redis (redis-cli); its reply as text.
  async redis(...args) {
    return (await run('redis-cli', ['--no-auth-warning', '-u', this.redisUrl, ...args])).trim();
  }

  // Everything the servers have logged so far.
  logText() {
    return fs.readFileSync(this.logFile, 'utf8');
  }

  // Where the API and the worker find the database: PostgreSQL itself, or through `pgbouncer`
  // (pgbouncer.mjs) in transaction mode, with PostgreSQL itself for LISTEN.
  databaseEnv() {
    if (!this.pgbouncer) return { DATABASE_URL: this.dbUrl };
    return { DATABASE_URL: this.pgbouncer.url(this.dbName), DB_PGBOUNCER: 'true', DATABASE_DIRECT_URL: this.dbUrl };
  }

  apiEnv() {
    return {
      PATH: process.env.PATH,
      ...this.databaseEnv(),
      REDIS_URL: this.redisUrl,
      QUOTE_SIGNING_SECRET,
      API_PORT: String(this.apiPort),
      API_METRICS_PORT: String(this.metricsPorts.api),
      API_HOST: '127.0.0.1',
      API_THREADS: '1',
      // Only web calls this API, and it names the visitor in X-Forwarded-For.
      API_TRUSTED_PROXIES: '1',
      API_SHUTDOWN_GRACE_MS: '500',
      DB_POOL_SIZE: '4',
      PUBLIC_WEB_URL: this.publicUrl,
      LOG_LEVEL: this.logLevel,
      // No VIES in these tests: a well-formed foreign VAT ID is reverse charged, as in
      // scripts/dev.
      VIES_REQUIRED: 'false',
      ...GENEROUS_RATE_LIMITS,
      ...this.telemetryEnv,
      ...(this.payments
        ? {
            STRIPE_SECRET_KEY,
            STRIPE_API_BASE: this.stripeOrigin,
            STRIPE_WEBHOOK_SECRETS: STRIPE_WEBHOOK_SECRET,
            STRIPE_MAX_RETRIES: '0',
          }
        : {}),
      ...this.apiOverrides,
    };
  }

  stripeEnv() {
    return {
      PATH: process.env.PATH,
      STRIPE_FAKE_HOST: '127.0.0.1',
      STRIPE_FAKE_PORT: String(this.stripePort),
      STRIPE_FAKE_METRICS_PORT: String(this.metricsPorts.stripe),
      STRIPE_FAKE_API_KEY: STRIPE_SECRET_KEY,
      STRIPE_FAKE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET,
      STRIPE_FAKE_WEBHOOK_ENDPOINTS: `${this.apiUrl}/v1/webhooks/stripe`,
      STRIPE_FAKE_STATE_FILE: path.join(this.dir, 'stripe-state.json'),
      STRIPE_FAKE_SHUTDOWN_GRACE_MS: '500',
      LOG_LEVEL: this.logLevel,
      ...this.telemetryEnv,
      ...this.stripeOverrides,
    };
  }

  workerEnv() {
    return {
      PATH: process.env.PATH,
      ...this.databaseEnv(),
      REDIS_URL: this.redisUrl,
      WORKER_HOST: '127.0.0.1',
      WORKER_PORT: String(this.workerPort),
      WORKER_METRICS_PORT: String(this.metricsPorts.worker),
      WORKER_SHUTDOWN_GRACE_MS: '500',
      WORKER_POLL_MS: '200',
      WORKER_SCHEDULE: 'false',
      DB_POOL_SIZE: '4',
      MAIL_OUTBOX_DIR: this.outboxDir,
      PUBLIC_WEB_URL: this.publicUrl,
      STRIPE_SECRET_KEY,
      STRIPE_API_BASE: this.stripeOrigin,
      STRIPE_MAX_RETRIES: '0',
      LOG_LEVEL: this.logLevel,
      ...this.telemetryEnv,
      ...this.workerOverrides,
    };
  }

  webEnv(overrides = {}) {
    return {
      PATH: process.env.PATH,
      REDIS_URL: this.redisUrl,
      API_URL: `http://127.0.0.1:${this.apiPort}`,
      WEB_PORT: String(this.webPort),
      WEB_METRICS_PORT: String(this.metricsPorts.web),
      WEB_HOST: '127.0.0.1',
      WEB_THREADS: '1',
      WEB_SHUTDOWN_GRACE_MS: '500',
      PUBLIC_WEB_URL: this.publicUrl,
      WEB_SECRET: this.webSecret,
      WEB_HSTS: 'off',
      LOG_LEVEL: this.logLevel,
      ...(this.payments
        ? { WEB_PAYMENT_ORIGIN: this.stripeOrigin, WEB_BILLING_PORTAL_ORIGIN: this.stripeOrigin }
        : {}),
      // Every test file posts consent choices from 127.0.0.1 against the one shared Redis:
      // the per-address limit would otherwise count all files together.
      RATE_LIMIT_CONSENT_IP: '10000/600',
      ...SELLER,
      ...this.telemetryEnv,
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

  async startStripe() {
    this.log('starting stripe-fake');
    this.stripe = new Server('stripe-fake', ['stripe-fake'], this.stripeEnv(), this.logFd);
    this.stripe.start();
    await waitFor(
      async () => {
        if (!this.stripe.running) throw new Error(`stripe-fake exited (${this.stripe.exitCode})`);
        try {
          const response = await fetch(`${this.stripeOrigin}/v1/customers?limit=1`, {
            headers: { Authorization: `Bearer ${STRIPE_SECRET_KEY}` },
            signal: AbortSignal.timeout(2_000),
          });
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      { timeout: 30_000, message: `stripe-fake on port ${this.stripePort} ready` },
    );
  }

  async startWorker() {
    this.log('starting worker');
    fs.mkdirSync(this.outboxDir, { recursive: true });
    this.worker = new Server('worker', ['worker'], this.workerEnv(), this.logFd);
    this.worker.start();
    await waitFor(
      async () => {
        if (!this.worker.running) throw new Error(`worker exited (${this.worker.exitCode})`);
        return (await httpStatus(`http://127.0.0.1:${this.workerPort}/readyz`)) === 200;
      },
      { timeout: 30_000, message: `worker on port ${this.workerPort} ready (GET /readyz 200)` },
    );
  }

  // The e-mails in the outbox, oldest first (see parseMail).
  mails() {
    let names;
    try {
      names = fs.readdirSync(this.outboxDir).filter((name) => name.endsWith('.eml') && !name.startsWith('.'));
    } catch {
      return [];
    }
    return names.sort().map((name) => ({ file: name, ...parseMail(fs.readFileSync(path.join(this.outboxDir, name))) }));
  }

  // Waits for the e-mail to `to` whose subject matches `subject` (a string: equal; a RegExp),
  // beyond the first `skip` such e-mails; it has `to`, `subject`, `text`, `html`, `links`.
  async waitForMail({ to, subject, skip = 0, timeout = 20_000 }) {
    const matches = (mail) =>
      mail.to.toLowerCase() === to.toLowerCase() &&
      (subject === undefined || (subject instanceof RegExp ? subject.test(mail.subject) : mail.subject === subject));
    return waitFor(
      () => this.mails().filter(matches)[skip],
      {
        timeout,
        interval: 100,
        message: `an e-mail to ${to} with the subject ${subject} in ${this.outboxDir} ` +
          `(there are: ${JSON.stringify(this.mails().map((m) => `${m.to}: ${m.subject}`))})`,
      },
    );
  }

  // The link of an e-mail that leads to this site's `pathPrefix` (e.g. '/de/account/verify').
  mailLink(mail, pathPrefix) {
    const link = mail.links.find((url) => url.startsWith(this.url(pathPrefix)));
    assert.ok(link, `the e-mail "${mail.subject}" links to ${this.url(pathPrefix)}…: ${mail.links.join(' ')}`);
    return link;
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
    await Promise.all([this.web?.stop(), this.worker?.stop()]);
    await Promise.all([this.api?.stop(), this.stripe?.stop()]);
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
    this.worker?.killNow();
    this.api?.killNow();
    this.stripe?.killNow();
    spawnSync('psql', ['--no-psqlrc', '-At', this.adminUrl, '-c',
      `DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`], { timeout: 10_000 });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// A fresh database with the migrations applied, `codezero api` and `codezero web` ready.
// `webEnv`: settings of `web` beyond the harness's own (e.g. CONSENT_POLICY_VERSION).
// `redisDb`: a Redis database of the stack's own instead of TEST_REDIS_URL's, for a test that
// must not find pages or quotes that other files' stacks put into the shared cache.
// `payments`: also the Stripe stand-in (the API's Stripe, `web`'s payment origin) and a worker
// (webhooks, provisioning, e-mails into `stack.outboxDir`).
// `logLevel`: of every server (default warn; the log scan of security.test.mjs uses info).
// `otlpEndpoint`: every server exports its spans there (OTLP/HTTP), in batches every 200 ms.
// `sentryDsn`: every server sends its error reports there.
// `pgbouncer`: the API and the worker reach the database through it (pgbouncer.mjs).
// `apiEnv`, `workerEnv`, `stripeEnv`: settings on top of the API's, the worker's and the Stripe
// stand-in's own.
// `publicUrl`: the site's public address (PUBLIC_WEB_URL) when an edge is in front
// (edge.mjs); the stack's own URLs stay web's.
export async function startStack({
  webEnv = {},
  redisDb,
  payments = false,
  logLevel = 'warn',
  otlpEndpoint,
  sentryDsn,
  pgbouncer,
  apiEnv = {},
  workerEnv = {},
  stripeEnv = {},
  publicUrl,
} = {}) {
  requiredEnv('CODEZERO_BINARY');
  requiredEnv('TEST_REDIS_URL');
  const adminUrl = requiredEnv('TEST_DATABASE_URL');
  const dbName = `e2e_${randomBytes(6).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-e2e-'));
  const stack = new Stack({ adminUrl, dbName, dir, redisDb, payments, logLevel });
  stack.pgbouncer = pgbouncer;
  stack.apiOverrides = apiEnv;
  stack.workerOverrides = workerEnv;
  stack.stripeOverrides = stripeEnv;
  stack.telemetryEnv = {
    ...(otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_BSP_SCHEDULE_DELAY: '200' } : {}),
    ...(sentryDsn ? { SENTRY_DSN: sentryDsn, SENTRY_ENVIRONMENT: 'e2e' } : {}),
  };
  stacks.add(stack);
  try {
    await psql(adminUrl, `CREATE DATABASE "${dbName}"`);
    stack.log(`migrating ${dbName}`);
    await run(requiredEnv('CODEZERO_BINARY'), ['migrate'], {
      env: { DATABASE_URL: stack.dbUrl, LOG_LEVEL: 'warn' },
    });
    stack.apiPort = await freePort();
    stack.webPort = await freePort();
    // Each process's Prometheus endpoint (docs/metrics.md).
    stack.metricsPorts = {
      api: await freePort(),
      web: await freePort(),
      worker: await freePort(),
      stripe: await freePort(),
    };
    stack.baseUrl = `http://127.0.0.1:${stack.webPort}`;
    stack.publicUrl = publicUrl ?? stack.baseUrl;
    stack.webSecret = randomBytes(32).toString('hex');
    if (payments) {
      stack.stripePort = await freePort();
      stack.workerPort = await freePort();
      await stack.startStripe();
    }
    await stack.startApi();
    if (payments) await stack.startWorker();
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

// E-mails as the worker writes them (RFC 5322, multipart/alternative, quoted-printable parts,
// RFC 2047 subjects): { to, subject, text, html, links } with the bodies decoded and every
// http(s) link of either part, in order, once.
function decodeQuotedPrintable(latin1) {
  const text = latin1.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeaderText(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'))
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q) => decodeQuotedPrintable(q.replace(/_/g, ' ')));
}

function parseHeaders(block) {
  const headers = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseMail(raw) {
  const source = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const split = source.search(/\r?\n\r?\n/);
  const headers = parseHeaders(source.slice(0, split));
  const body = source.slice(split).replace(/^\r?\n\r?\n/, '');
  const mail = { to: headers.to ?? '', subject: decodeHeaderText(headers.subject ?? ''), text: '', html: '', headers };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [source.slice(split)];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const partHeaders = boundary ? parseHeaders(part.slice(0, at).replace(/^\r?\n/, '')) : headers;
    const content = boundary ? part.slice(at).replace(/^\r?\n\r?\n/, '') : body;
    const decoded = /quoted-printable/i.test(partHeaders['content-transfer-encoding'] ?? '')
      ? decodeQuotedPrintable(content)
      : Buffer.from(content, 'latin1').toString('utf8');
    if (/text\/html/i.test(partHeaders['content-type'] ?? '')) mail.html = decoded;
    else mail.text = decoded;
  }
  const links = [
    ...[...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    ...[...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')),
  ];
  mail.links = [...new Set(links)];
  return mail;
}

// An address no other test uses.
export function uniqueEmail(prefix = 'e2e') {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.org`;
}

// A company account made through the API (POST /v1/accounts) and marked verified in the
// database, as the e-mail link would: for tests that are not about sign-up. The owner's
// { email, password, name, company, userId, companyId, locale }.
export async function createAccount(stack, {
  email = uniqueEmail('owner'),
  password = `pass-${randomBytes(8).toString('hex')}`,
  name = 'Alex Owner',
  company = 'Beispiel GmbH',
  country = 'DE',
  address = { line1: 'Hauptstraße 5', postal_code: '10115', city: 'Berlin' },
  locale = 'de',
} = {}) {
  const response = await fetch(`${stack.apiUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ company: { name: company, country, address }, user: { name, email, password, locale } }),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = await response.text();
  assert.equal(response.status, 202, `POST /v1/accounts: ${answer}`);
  const [[userId, companyId]] = await stack.sql(
    `UPDATE users SET email_verified_at = now() WHERE email = '${email.replace(/'/g, "''")}' ` +
      'RETURNING id, company_id',
  );
  return { email, password, name, company, userId, companyId, locale };
}

// The API's tokens for a user (the password grant), for set-up steps that are not under test.
export async function apiToken(stack, { email, password }) {
  const response = await fetch(`${stack.apiUrl}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: email, password }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = await response.json();
  assert.equal(response.status, 200, `POST /v1/oauth/token: ${JSON.stringify(answer)}`);
  return answer.access_token;
}

// A member of `owner`'s company, invited and accepted through the API (the invitation's link
// read from the outbox: needs `payments: true`, which runs the worker). The member's
// { email, password, name, userId, locale }.
// The owner invites `email` through the API; the invitation stays pending.
export async function invite(stack, owner, { email = uniqueEmail('invited'), locale = 'de' } = {}) {
  const token = await apiToken(stack, owner);
  const invited = await fetch(`${stack.apiUrl}/v1/company/invitations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ email, locale }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.ok(invited.status < 300, `POST /v1/company/invitations: ${invited.status} ${await invited.text()}`);
  return email;
}

export async function addMember(stack, owner, {
  email = uniqueEmail('member'),
  password = `pass-${randomBytes(8).toString('hex')}`,
  name = 'Robin Member',
  locale = 'de',
} = {}) {
  await invite(stack, owner, { email, locale });
  const mail = await stack.waitForMail({ to: email, subject: /Code Zero AI/ });
  const link = new URL(stack.mailLink(mail, `/${locale}/account/accept-invitation`));
  const accepted = await fetch(`${stack.apiUrl}/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: link.searchParams.get('token'), name, password }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(accepted.status, 201, `POST /v1/invitations/accept: ${await accepted.text()}`);
  const [[userId]] = await stack.sql(`SELECT id FROM users WHERE email = '${email}'`);
  return { email, password, name, userId, locale };
}

// axe-core's violations, one per line with up to five of their elements.
export function describeViolations(violations) {
  return violations
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
      v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n'))
    .join('\n');
}

// The Nu HTML Checker (vnu.jar on Debian's Java) on these files: its JSON report.
export function runVnu(files) {
  const jar = path.join(E2E_DIR, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-Xss4m', '-jar', jar, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 32 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        // Exit status 1 means "errors found"; the report is the JSON on stderr.
        try {
          resolve(JSON.parse(stderr || stdout));
        } catch {
          reject(error ?? new Error(`vnu gave no JSON: ${stderr}`));
        }
      },
    );
  });
}
