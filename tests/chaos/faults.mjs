// The faults the chaos drill injects, each while the load runs. Every fault returns its window:
// from the moment it struck until the platform was ready again (the API's /readyz answering 200
// for faults of a shared service). Requests answered 5xx or not at all inside a window are
// expected and counted; outside every window there must be none.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { E2E_DIR, waitFor } from '../e2e/harness.mjs';

const SERVICES = path.join(E2E_DIR, '..', '..', 'scripts', 'lib', 'services.sh');

// A function of scripts/lib/services.sh with these arguments (PostgreSQL runs as its own user).
function services(fn, ...args) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `source "${SERVICES}" && ${fn} "$@"`, 'services', ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${fn} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function apiReady(stack) {
  await waitFor(
    async () => (await fetch(`${stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200,
    { timeout: 60_000, interval: 100, message: 'the API is ready again' },
  );
}

// `env`: where the drill's PostgreSQL and Redis live (tests/chaos/run sets CHAOS_*).
export function faults(stack, relay, env, { outageMs, delayMs }) {
  const windowOf = async (label, strike) => {
    const from = Date.now();
    await strike();
    return { label, from, to: Date.now() };
  };
  return [
    () =>
      windowOf('worker killed (SIGKILL)', async () => {
        stack.worker.killNow();
        await stack.worker.exited;
        await stack.startWorker();
      }),
    () =>
      windowOf('API killed (SIGKILL)', async () => {
        stack.api.killNow();
        await stack.api.exited;
        await stack.startApi();
      }),
    () =>
      windowOf('PostgreSQL restarted (fast shutdown)', async () => {
        await services('pg_restart', env.CHAOS_PG_DIR, 'fast');
        await apiReady(stack);
      }),
    () =>
      windowOf('PostgreSQL restarted (immediate shutdown: a crash)', async () => {
        await services('pg_restart', env.CHAOS_PG_DIR, 'immediate');
        await apiReady(stack);
      }),
    () =>
      windowOf('Redis restarted (its data lost)', async () => {
        await services('redis_stop', env.CHAOS_REDIS_DIR);
        await services('redis_start', env.CHAOS_REDIS_DIR, env.CHAOS_REDIS_PORT, env.CHAOS_REDIS_PASSWORD);
        await apiReady(stack);
      }),
    () =>
      windowOf(`Stripe stand-in stopped for ${outageMs / 1000} s`, async () => {
        await stack.stripe.stop();
        await pause(outageMs);  // the outage itself
        await stack.startStripe();
      }),
    () =>
      windowOf(`webhooks delayed up to 2 s each for ${delayMs / 1000} s`, async () => {
        relay.delayUpToMs = 2_000;
        await pause(delayMs);  // the time the delay lasts
        relay.delayUpToMs = 0;
      }),
  ];
}
