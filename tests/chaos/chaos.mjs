// The chaos drill (issue 16): customers buy while, one after another, a worker and the API are
// SIGKILLed, PostgreSQL is restarted with a fast and with an immediate shutdown, Redis is
// restarted (losing its data), the Stripe stand-in is stopped, and its webhooks are delayed.
// The stand-in also delivers 30 % of its events twice, in shuffled order, all along. Then the
// checks of checks.mjs; the report goes to stdout and the exit status says whether all held.
//
// Run by tests/chaos/run, which gives it a PostgreSQL and a Redis of its own to restart:
//   node chaos.mjs [--short]
import { closeAll, startStack } from '../e2e/harness.mjs';
import { checkAfterChaos } from './checks.mjs';
import { faults } from './faults.mjs';
import { PurchaseLoad } from './purchases.mjs';
import { startWebhookRelay } from './webhook_relay.mjs';

const short = process.argv.includes('--short');
// The short drill runs in scripts/test; the long one by hand (tests/chaos/run). Customers keep
// buying until the last fault is over (`limit`: at most so many, so the load ends by itself).
const plan = short
  ? { parallel: 3, limit: 1_000, calmMs: 6_000, outageMs: 5_000, delayMs: 5_000 }
  : { parallel: 6, limit: 5_000, calmMs: 10_000, outageMs: 60_000, delayMs: 20_000 };

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function report(figures, windows, problems, startedAt) {
  const lines = [
    `chaos drill (${short ? 'short' : 'long'}), ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
    `  customers ${figures.customers}, paid ${figures.paid}; sessions paid at Stripe ${figures.paidSessions}`,
    `  orders ${figures.orders}, active ${figures.active} (moves to active ${figures.activations}), ` +
      `workspaces ${figures.workspaces}, licences ${figures.licences}`,
    `  Stripe events ${figures.stripeEvents}, all stored; caught up ${figures.settleSeconds} s after the load`,
    `  still to do while catching up, every 10 s: ${figures.settling.map((s) => JSON.stringify(s)).join(' ')}`,
    `  jobs ${figures.jobs}, run more than once ${figures.jobsRetried}, discarded ${figures.jobsDiscarded}`,
    `  e-mails ${figures.emails} ${JSON.stringify(figures.emailsByTemplate)}, delivered twice ${figures.emailDuplicates}`,
    `  reconciliation repairs ${figures.reconciliationRepairs}`,
    `  requests ${figures.requests}; in each fault's window (it lasted; requests sent; answered 5xx; unanswered):`,
    ...windows.map((w) => {
      const counts = figures.windows[w.label];
      const failed = Object.entries(counts.failed).map(([what, n]) => `${what} ×${n}`).join(', ');
      return `    ${w.label}: ${((w.to - w.from) / 1000).toFixed(1)} s; ${counts.requests}; ${counts.fivexx}; ${counts.unanswered}` +
        (failed ? ` (${failed})` : '');
    }),
    problems.length === 0 ? 'every check held' : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  ];
  console.log(lines.join('\n'));
}

async function main() {
  const startedAt = Date.now();
  const relay = await startWebhookRelay();
  const stack = await startStack({
    payments: true,
    logLevel: 'warn',
    stripeEnv: {
      STRIPE_FAKE_WEBHOOK_ENDPOINTS: relay.url,
      STRIPE_FAKE_CHAOS: '0.3',
      // Stripe's retry schedule (1 min, 5 min, 30 min, …) sixty times faster.
      STRIPE_FAKE_TIME_FACTOR: '60',
    },
  });
  relay.target = `${stack.apiUrl}/v1/webhooks/stripe`;
  const load = new PurchaseLoad(stack, { parallel: plan.parallel, limit: plan.limit });
  const windows = [];
  let outcome;
  try {
    load.start();
    for (const strike of faults(stack, relay, process.env, plan)) {
      await pause(plan.calmMs);  // the load runs undisturbed between faults
      const window = await strike();
      stack.log(`chaos: ${window.label} (${window.to - window.from} ms)`);
      windows.push(window);
    }
    await pause(plan.calmMs);
    await load.stop();
    outcome = await checkAfterChaos(stack, load, windows);
  } catch (error) {
    await load.stop();
    outcome = { problems: [`the drill itself failed: ${error.stack}`], figures: undefined };
  }
  if (outcome.figures) report(outcome.figures, windows, outcome.problems, startedAt);
  else console.log(outcome.problems.join('\n'));
  if (outcome.problems.length > 0) {
    const errors = stack.logText().split('\n').filter((line) => /"level":"(error|warn)"|--- harness/.test(line));
    console.log(`--- the servers' errors:\n${errors.slice(-60).join('\n')}`);
  }
  await relay.close();
  await closeAll();
  process.exitCode = outcome.problems.length === 0 ? 0 : 1;
}

await main();
