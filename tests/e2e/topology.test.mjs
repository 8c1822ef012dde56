// Several instances behind the edge (issue 16, "Many machines"): the nginx edge of deploy/nginx
// in front of two web, two API and two worker processes, which reach PostgreSQL through
// PgBouncer (transaction mode) and share one Redis. Shown: assets and anonymous pages come from
// the edge's cache, signed-in pages never; a purchase works whichever instance answers each
// request (sessions); an idempotency key, a rate limit and the periodic-job leader hold across
// instances; Stripe's webhook passes the edge untouched; and restarting every instance in turn
// under load fails no request.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import {
  apiToken,
  CHROMIUM_ARGS,
  closeAll,
  createAccount,
  freePort,
  launchBrowser,
  metricTotal,
  newContext,
  psql,
  Server,
  startStack,
  STRIPE_WEBHOOK_SECRET,
  test,
  uniqueEmail,
  waitFor,
} from './harness.mjs';
import { API, startEdge, WWW } from './edge.mjs';
import { startPgBouncer } from './pgbouncer.mjs';
import { buyAsNewCustomer, TEXT } from './site.mjs';

const t = TEXT.de;
const SIGNUPS_PER_ADDRESS = 5;
let bouncer;
let stack;
let edge;
let browser;
let signedInCookie;
// The second instance of each process (the stack's own are the first), and its ports, which a
// restart keeps.
const second = {};
const secondPorts = {};

async function ready(url) {
  await waitFor(
    async () => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
      } catch {
        return false;
      }
    },
    { timeout: 30_000, message: `${url} ready` },
  );
}

// Starts another instance of `name` ('api', 'web', 'worker') beside the stack's.
async function startSecond(name) {
  secondPorts[name] ??= { port: await freePort(), metrics: await freePort() };
  const { port, metrics } = secondPorts[name];
  let env;
  if (name === 'api') env = { ...stack.apiEnv(), API_PORT: String(port), API_METRICS_PORT: String(metrics) };
  if (name === 'worker') {
    env = { ...stack.workerEnv(), WORKER_PORT: String(port), WORKER_METRICS_PORT: String(metrics) };
  }
  if (name === 'web') {
    env = {
      ...stack.webEnv(stack.webOverrides),
      WEB_PORT: String(port),
      WEB_METRICS_PORT: String(metrics),
      API_URL: edge.internalUrl,
    };
  }
  const server = new Server(`${name}-2`, [name], env, stack.logFd);
  server.port = port;
  server.metricsUrl = `http://127.0.0.1:${metrics}/metrics`;
  server.readyUrl = `http://127.0.0.1:${port}/readyz`;
  server.start();
  await ready(server.readyUrl);
  second[name] = server;
  return server;
}

// A query as `url`'s login (rejects when it cannot log in).
const psqlAs = (url) => psql(url, 'SELECT 1');

// Requests a process has answered, from its /metrics.
const answered = (metricsUrl) => metricTotal(metricsUrl, 'http_server_requests_total{');

// As deploy/README.md says: stop, start, and go on once the edge sends the instance requests
// again (nginx skips an instance that refused a connection for a while). Needs a load running.
async function restart(server, start, metricsUrl) {
  await server.stop();
  await start();
  if (!metricsUrl) return;
  const served = await answered(metricsUrl);
  await waitFor(async () => (await answered(metricsUrl)) > served + 2, {
    timeout: 20_000,
    interval: 200,
    message: `the edge sends ${metricsUrl} requests again`,
  });
}

// Restarts both API instances in turn with `settings` on top of their own.
async function rollApis(settings) {
  stack.apiOverrides = { ...stack.apiOverrides, ...settings };
  await restart(stack.api, () => stack.startApi(), stack.metricsUrls.api);
  await restart(second.api, () => startSecond('api'), second.api.metricsUrl);
}

// Runs `request` (async: undefined when it succeeded, else what went wrong) over and over, about
// 6 times a second, until `stop()` is called; { ok, failed, stop }, each failure named by
// `label`. The pace keeps a few such loops under the edge's limits per client address (20
// requests a second per server): all of the test's requests come from one address.
function keepRunning(label, request) {
  const state = { ok: 0, failed: [], running: true };
  const loop = (async () => {
    while (state.running) {
      await new Promise((resolve) => setTimeout(resolve, 150));  // the load's pace
      try {
        const failure = await request();
        if (failure) state.failed.push(`${label}: ${failure}`);
        else state.ok += 1;
      } catch (error) {
        state.failed.push(`${label}: ${error.message}`);
      }
    }
  })();
  state.stop = async () => {
    state.running = false;
    await loop;
  };
  return state;
}

// Stripe's signature over `payload` with `secret` (https://docs.stripe.com/webhooks#verify-manually).
function stripeSignature(secret, payload) {
  const timestamp = Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

before(async () => {
  bouncer = await startPgBouncer({ adminUrl: process.env.TEST_DATABASE_URL, serverConnections: 4 });
  const httpsPort = await freePort();
  stack = await startStack({
    payments: true,
    pgbouncer: bouncer,
    redisDb: 10,
    publicUrl: `https://${WWW}:${httpsPort}`,
    apiEnv: { RATE_LIMIT_SIGNUP_IP: `${SIGNUPS_PER_ADDRESS}/3600` },
    workerEnv: { WORKER_SCHEDULE: 'true' },
  });
  await stack.redis('FLUSHDB');
  await startSecond('api');
  secondPorts.web = { port: await freePort(), metrics: await freePort() };
  edge = await startEdge({ web: [stack.webPort, secondPorts.web.port], api: [stack.apiPort, second.api.port], httpsPort });
  // Web reaches the API through the edge, as deploy/nginx has it.
  await stack.restartWeb({ API_URL: edge.internalUrl });
  await startSecond('web');
  await startSecond('worker');
  browser = await launchBrowser({
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${WWW} 127.0.0.1, MAP ${API} 127.0.0.1`],
  });
});

// Login roles the password rotation made (cluster-wide: dropped at the end).
const madeRoles = [];

after(async () => {
  await Promise.all(Object.values(second).map((server) => server.stop()));
  // PgBouncer first: its server connections log in as those roles, which the test's own role
  // may not terminate when the database is dropped.
  await bouncer?.close();
  await closeAll();
  await edge?.close();
  for (const role of madeRoles) await psql(process.env.TEST_DATABASE_URL, `DROP ROLE IF EXISTS ${role}`);
});

describe('two instances of each process behind the edge', () => {
  test('a purchase through the edge, its requests answered by both web and both API instances', async () => {
    const counts = async () =>
      Promise.all([
        answered(stack.metricsUrls.web),
        answered(second.web.metricsUrl),
        answered(stack.metricsUrls.api),
        answered(second.api.metricsUrl),
      ]);
    const before = await counts();
    const buyer = { company: 'Verteilt AG', name: 'Vera Verteilt', email: uniqueEmail('edge'), password: 'edge horse battery staple' };
    const context = await newContext(browser, { locale: t.locale, ignoreHTTPSErrors: true });
    // The stack as a visitor sees it: the edge's address.
    const viaEdge = Object.create(stack, { baseUrl: { value: edge.origin } });
    try {
      const orderId = await buyAsNewCustomer(await context.newPage(), viaEdge, t, buyer, {
        query: '?plan=team&interval=month&type=business&country=DE',
        card: '4242 4242 4242 4242',
      });
      const [[status]] = await stack.sql(`SELECT status FROM orders WHERE id = '${orderId}'`);
      assert.equal(status, 'active');
      const session = (await context.cookies(edge.origin)).find((cookie) => cookie.name === '__Host-session');
      assert.ok(session, 'the visitor is signed in');
      signedInCookie = `${session.name}=${session.value}`;
    } finally {
      await context.close();
    }
    const after = await counts();
    const names = ['web 1', 'web 2', 'API 1', 'API 2'];
    after.forEach((count, i) => assert.ok(count - before[i] >= 3, `${names[i]} answered ${count - before[i]} requests`));
  });

  test('assets and anonymous pages come from the cache, signed-in pages never', async () => {
    const home = await edge.request(WWW, '/de/', { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(home.status, 200);
    const again = await edge.request(WWW, '/de/', { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(again.headers['x-cache-status'], 'HIT', 'the anonymous home page, asked again');
    const asset = /\/assets\/[^"'\s)]+/.exec((await edge.request(WWW, '/de/')).body)?.[0];
    assert.ok(asset, 'the home page links an asset');
    await edge.request(WWW, asset);
    const assetAgain = await edge.request(WWW, asset);
    assert.equal(assetAgain.status, 200);
    assert.equal(assetAgain.headers['x-cache-status'], 'HIT', `${asset}, asked again`);

    assert.ok(signedInCookie, 'the purchase left a signed-in visitor');
    for (let i = 0; i < 3; i += 1) {
      const page = await edge.request(WWW, t.orders, { headers: { Cookie: signedInCookie, 'Accept-Encoding': 'br' } });
      assert.equal(page.status, 200);
      assert.equal(page.headers['x-cache-status'], 'BYPASS', 'a signed-in page is never served from the cache');
      assert.match(page.headers['cache-control'], /private, no-store/);
    }
  });

  test("the edge's log keeps no query, no full address and no user agent", async () => {
    const log = edge.accessLog();
    assert.match(log, / 127\.0\.0\.0 www\.codezero\.example "GET \/de\/checkout" /, 'the purchase is in the log');
    assert.doesNotMatch(log, /\?|quote=|token=/, 'no query string');
    assert.doesNotMatch(log, /Mozilla|Chrome/, 'no user agent');
    const clients = new Set(log.trim().split('\n').map((line) => line.split(' ')[1]));
    assert.deepEqual([...clients], ['127.0.0.0'], "the client's network, not its address");
  });

  test("Stripe's webhook passes the edge byte for byte", async () => {
    const id = `evt_edge_${randomBytes(8).toString('hex')}`;
    // Spacing Stripe's signature covers and a re-encoding proxy would change.
    const payload = `{"id": "${id}", "object": "event", "type": "customer.created",  "api_version": "2024-06-20", "created": ${Math.floor(Date.now() / 1000)}, "livemode": false, "data": {"object": {"id": "cus_edge", "object": "customer"}}}`;
    const answer = await edge.request(API, '/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(STRIPE_WEBHOOK_SECRET, payload) },
      body: payload,
    });
    assert.equal(answer.status, 200, answer.body);
    const [[stored]] = await stack.sql(`SELECT count(*) FROM stripe_events WHERE id = '${id}'`);
    assert.equal(stored, '1');
  });

  test('an idempotency key holds across API instances', async () => {
    const owner = await createAccount(stack, { company: 'Einmalig GmbH' });
    const token = await apiToken(stack, owner);
    const quote = await (
      await fetch(`${stack.apiUrl}/v1/quotes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          plan: 'team',
          interval: 'month',
          addons: [],
          currency: 'eur',
          customer: { country: 'DE', type: 'business', vat_id: null },
          locale: 'de',
        }),
      })
    ).json();
    assert.ok(quote.token, JSON.stringify(quote));
    const key = randomBytes(12).toString('hex');
    const checkout = (apiPort) =>
      fetch(`http://127.0.0.1:${apiPort}/v1/checkout/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
        body: JSON.stringify({ quote_token: quote.token, terms_accepted: true }),
      });
    const first = await checkout(stack.apiPort);
    const firstBody = await first.text();
    assert.equal(first.status, 201, firstBody);
    const replay = await checkout(second.api.port);
    assert.equal(replay.status, first.status);
    assert.equal(await replay.text(), firstBody, 'the other instance answers the first answer again');
    const [[orders]] = await stack.sql(`SELECT count(*) FROM orders WHERE company_id = '${owner.companyId}'`);
    assert.equal(orders, '1');
  });

  test('a rate limit counts the requests of every API instance', async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const statuses = [];
    for (let i = 0; i <= SIGNUPS_PER_ADDRESS; i += 1) {
      const port = i % 2 === 0 ? stack.apiPort : second.api.port;
      const response = await fetch(`http://127.0.0.1:${port}/v1/accounts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
        body: JSON.stringify({
          company: { name: `Begrenzt ${i} GmbH`, country: 'DE', address: { line1: 'Weg 1', postal_code: '10115', city: 'Berlin' } },
          user: { name: 'Rita Rate', email: uniqueEmail('limited'), password: `pass-${randomBytes(8).toString('hex')}`, locale: 'de' },
        }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [...Array(SIGNUPS_PER_ADDRESS).fill(202), 429]);
  });

  test('one worker at a time leads the periodic jobs, and another takes over when it stops', async () => {
    const leader = () => stack.redis('GET', 'codezero:worker:scheduler');
    await waitFor(leader, { timeout: 10_000, message: 'a leader was elected' });
    const tokens = new Set([await leader()]);
    for (const worker of [stack.worker, second.worker]) {
      await worker.stop();
      const holder = await waitFor(leader, { timeout: 15_000, message: 'a leader after a worker stopped' });
      tokens.add(holder);
      if (worker === stack.worker) await stack.startWorker();
      else await startSecond('worker');
    }
    assert.ok(tokens.size >= 2, 'leadership moved to the other worker when its holder stopped');
  });

  test('restarting every instance in turn under load fails no request', async () => {
    assert.ok(signedInCookie);
    // Idempotent requests through the edge, as visitors and API clients send them: a signed-in
    // page (the order list: never cached, and web asks the API for it) and the API's catalog.
    const get = (host, pathAndQuery, headers = {}) =>
      keepRunning(`${host}${pathAndQuery}`, async () => {
        const answer = await edge.request(host, pathAndQuery, { headers });
        return answer.status === 200 ? undefined : String(answer.status);
      });
    const loops = [
      get(WWW, t.orders, { Cookie: signedInCookie }),
      get(WWW, t.orders, { Cookie: signedInCookie }),
      get(API, '/v1/catalog?locale=de'),
      get(API, '/v1/catalog?locale=en'),
    ];
    try {
      await restart(stack.api, () => stack.startApi(), stack.metricsUrls.api);
      await restart(second.api, () => startSecond('api'), second.api.metricsUrl);
      await restart(stack.web, () => stack.startWeb(), stack.metricsUrls.web);
      await restart(second.web, () => startSecond('web'), second.web.metricsUrl);
      await restart(stack.worker, () => stack.startWorker());
      await restart(second.worker, () => startSecond('worker'));
    } finally {
      await Promise.all(loops.map((loop) => loop.stop()));
    }
    const outcomes = {
      ok: loops.reduce((sum, loop) => sum + loop.ok, 0),
      failed: loops.flatMap((loop) => loop.failed),
    };
    if (outcomes.failed.length > 0) {
      console.log(stack.logText().split('\n').filter((line) => /"status":50|failed|error/.test(line)).slice(-30).join('\n'));
      console.log(`the edge's error log:\n${edge.errorLog().split('\n').slice(-15).join('\n')}`);
      console.log(`the edge's access log:\n${edge.accessLog().split('\n').filter((line) => !/ 200 /.test(line)).slice(-40).join('\n')}`);
    }
    assert.deepEqual(outcomes.failed, [], `${outcomes.failed.length} of ${outcomes.ok + outcomes.failed.length} requests failed`);
    // Each restart of web or the API waited for requests reaching the new process, so the load
    // ran through all of them; this only guards against a load that never started.
    assert.ok(outcomes.ok > 20, `${outcomes.ok} requests answered during the restarts`);
    console.log(`rolling restart: ${outcomes.ok} requests answered 200, none failed`);
  });

  test("rotating Stripe's webhook secret loses no event", async () => {
    const next = `whsec_rotated_${randomBytes(12).toString('hex')}`;
    // What Stripe signs with: the old secret until the endpoint is switched to the new one.
    let stripeSigns = STRIPE_WEBHOOK_SECRET;
    const sent = [];
    const webhooks = keepRunning('POST /v1/webhooks/stripe', async () => {
      const id = `evt_rotation_${randomBytes(8).toString('hex')}`;
      const payload = JSON.stringify({ id, object: 'event', type: 'customer.created', api_version: '2024-06-20', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: 'cus_rotation', object: 'customer' } } });
      const answer = await edge.request(API, '/v1/webhooks/stripe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(stripeSigns, payload) },
        body: payload,
      });
      if (answer.status !== 200) return `${answer.status} ${answer.body}`;
      sent.push(id);
      return undefined;
    });
    try {
      // docs: add the new secret beside the old, switch Stripe, remove the old.
      await rollApis({ STRIPE_WEBHOOK_SECRETS: `${next},${STRIPE_WEBHOOK_SECRET}` });
      stripeSigns = next;
      await rollApis({ STRIPE_WEBHOOK_SECRETS: next });
    } finally {
      await webhooks.stop();
    }
    assert.deepEqual(webhooks.failed, [], `${webhooks.failed.length} of ${webhooks.ok + webhooks.failed.length} webhooks refused`);
    const [[stored]] = await stack.sql(`SELECT count(*) FROM stripe_events WHERE id IN (${sent.map((id) => `'${id}'`).join(',')})`);
    assert.equal(Number(stored), sent.length, 'every accepted event stored');
    // The old secret is refused now.
    const payload = '{"id": "evt_rotation_old", "object": "event", "type": "customer.created"}';
    const refused = await edge.request(API, '/v1/webhooks/stripe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(STRIPE_WEBHOOK_SECRET, payload) },
      body: payload,
    });
    assert.equal(refused.status, 400);
  });

  test('rotating the quote key keeps every quote readable on every instance', async () => {
    const oldKey = stack.apiEnv().QUOTE_SIGNING_SECRET;
    const newKey = `rotated-quote-key-${randomBytes(16).toString('hex')}`;
    const quoteBody = JSON.stringify({ plan: 'team', interval: 'year', addons: [], currency: 'eur', customer: { country: 'DE', type: 'business', vat_id: null }, locale: 'de' });
    const createQuote = async () => {
      const answer = await edge.request(API, '/v1/quotes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: quoteBody });
      return answer.status === 201 ? JSON.parse(answer.body).token : undefined;
    };
    const before = await createQuote();
    assert.ok(before, 'a quote under the old key');
    const quotes = keepRunning('quotes', async () => {
      // A new quote and the one from before the rotation, each read through the edge (so by
      // either instance).
      const token = await createQuote();
      if (!token) return 'a quote was not created';
      for (const readable of [token, before]) {
        const answer = await edge.request(API, `/v1/quotes/${readable}`);
        if (answer.status !== 200) return `GET /v1/quotes/… ${answer.status} ${answer.body}`;
      }
      return undefined;
    });
    try {
      // Every instance first accepts the new key, then signs with it and still accepts the old.
      await rollApis({ QUOTE_SIGNING_SECRET: oldKey, QUOTE_SIGNING_SECRET_PREVIOUS: newKey });
      await rollApis({ QUOTE_SIGNING_SECRET: newKey, QUOTE_SIGNING_SECRET_PREVIOUS: oldKey });
    } finally {
      await quotes.stop();
    }
    assert.deepEqual(quotes.failed, [], `${quotes.failed.length} of ${quotes.ok + quotes.failed.length} rounds failed`);
    assert.ok(quotes.ok > 4, `${quotes.ok} rounds`);
  });

  test('rotating the database password through a second role fails no request', async () => {
    assert.ok(signedInCookie);
    const admin = new URL(process.env.TEST_DATABASE_URL);
    const owner = decodeURIComponent(admin.username);
    const suffix = randomBytes(4).toString('hex');
    const roles = { blue: `rot_blue_${suffix}`, green: `rot_green_${suffix}` };
    const passwords = { blue: randomBytes(12).toString('hex'), green: randomBytes(12).toString('hex') };
    // Two login roles that act as the tables' owner (deploy/README.md, "Secrets rotation").
    for (const colour of ['blue', 'green']) {
      await stack.sql(`CREATE ROLE ${roles[colour]} LOGIN PASSWORD '${passwords[colour]}' IN ROLE "${owner}"`);
      madeRoles.push(roles[colour]);
      await bouncer.setUser(roles[colour], passwords[colour]);
    }
    const urlsOf = (colour) => {
      const as = (url) => {
        const login = new URL(url);
        login.username = roles[colour];
        login.password = passwords[colour];
        return login.toString();
      };
      return { DATABASE_URL: as(bouncer.url(stack.dbName)), DATABASE_DIRECT_URL: as(stack.dbUrl) };
    };
    const rollAll = async (settings) => {
      stack.workerOverrides = { ...stack.workerOverrides, ...settings };
      await rollApis(settings);
      await restart(stack.worker, () => stack.startWorker());
      await restart(second.worker, () => startSecond('worker'));
    };
    // Signed-in order lists: web asks the API, which reads PostgreSQL through PgBouncer.
    const pages = keepRunning(t.orders, async () => {
      const answer = await edge.request(WWW, t.orders, { headers: { Cookie: signedInCookie } });
      return answer.status === 200 ? undefined : String(answer.status);
    });
    try {
      await rollAll(urlsOf('blue'));
      // The rotation: the idle role gets a new password, every instance moves to it, and the
      // other role can no longer log in.
      passwords.green = randomBytes(12).toString('hex');
      await stack.sql(`ALTER ROLE ${roles.green} PASSWORD '${passwords.green}'`);
      await bouncer.setUser(roles.green, passwords.green);
      await rollAll(urlsOf('green'));
      await stack.sql(`ALTER ROLE ${roles.blue} PASSWORD NULL`);
    } finally {
      await pages.stop();
    }
    assert.deepEqual(pages.failed, [], `${pages.failed.length} of ${pages.ok + pages.failed.length} pages failed`);
    const [[users]] = await stack.sql(
      `SELECT count(DISTINCT usename) FROM pg_stat_activity WHERE datname = '${stack.dbName}' AND usename = '${roles.green}'`,
    );
    assert.equal(users, '1', 'the instances now log in as the rotated role');
    await assert.rejects(psqlAs(urlsOf('blue').DATABASE_DIRECT_URL), 'the old role can no longer log in');
  });
});
