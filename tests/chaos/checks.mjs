// What must hold once the chaos drill's faults are over and the platform has caught up: every
// paid order active once with one workspace and one licence, every Stripe event stored, every
// business e-mail sent (duplicates counted), no job stuck or discarded, nothing for the
// reconciliation to repair, and no request failed outside a fault's window. Each check adds to
// `problems`; the figures go into the drill's report.
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, metricTotal, parseMail, STRIPE_SECRET_KEY, waitFor } from '../e2e/harness.mjs';

// How long after a fault's recovery a failure still counts as the fault's: the connections
// each process opens again. Less than the calm between faults, so that each gap is checked.
export const GRACE_MS = 3_000;
const SETTLE_MS = 120_000;

const INVARIANTS = fs.readFileSync(path.join(E2E_DIR, '..', '..', 'scripts', 'lib', 'restore-invariants.sql'), 'utf8');

// Every object of a Stripe list endpoint of the stand-in (`/v1/events`), page by page, newest
// first.
export async function stripeList(stack, resource) {
  const all = [];
  let after;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(after ? { starting_after: after } : {}) });
    const answer = await fetch(`${stack.stripeOrigin}${resource}?${query}`, {
      headers: { Authorization: `Bearer ${STRIPE_SECRET_KEY}` },
      signal: AbortSignal.timeout(10_000),
    });
    const page = await answer.json();
    if (answer.status !== 200) throw new Error(`${resource}: ${answer.status} ${JSON.stringify(page)}`);
    all.push(...page.data);
    if (!page.has_more) return all;
    after = page.data.at(-1).id;
  }
}

// Splits the load's failed answers into the windows of the faults and the rest.
export function failuresByWindow(answers, windows) {
  const byWindow = new Map(windows.map((window) => [window.label, { requests: 0, fivexx: 0, unanswered: 0, failed: {} }]));
  const outside = [];
  for (const answer of answers) {
    const failed = answer.status === 'unanswered' || answer.status >= 500;
    // The latest fault whose window (with its grace) overlapped the request, from its sending to
    // its answer (or the client's giving up).
    const window = windows.findLast((w) => answer.at >= w.from && answer.sentAt <= w.to + GRACE_MS);
    if (window) byWindow.get(window.label).requests += 1;
    if (!failed) continue;
    if (!window) {
      outside.push(answer);
      continue;
    }
    const counts = byWindow.get(window.label);
    if (answer.status === 'unanswered') counts.unanswered += 1;
    else counts.fivexx += 1;
    const what = `${answer.step} ${answer.status}`;
    counts.failed[what] = (counts.failed[what] ?? 0) + 1;
  }
  return { byWindow, outside };
}

export async function checkAfterChaos(stack, load, windows) {
  const problems = [];
  const figures = {};
  const sql = (statement) => stack.sql(statement);

  const failedCustomers = load.customers.filter((customer) => !customer.paid);
  figures.customers = load.customers.length;
  figures.paid = load.customers.length - failedCustomers.length;
  for (const customer of failedCustomers) problems.push(`a customer could not buy: ${customer.error}`);

  // Stripe's view: the sessions paid and every event it sent.
  const sessions = await stripeList(stack, '/v1/checkout/sessions');
  const paidOrders = sessions.filter((s) => s.status === 'complete').map((s) => s.metadata.order_id);
  figures.paidSessions = paidOrders.length;
  const events = (await stripeList(stack, '/v1/events')).map((event) => event.id);
  figures.stripeEvents = events.length;

  // The platform catches up: orders provisioned, events stored, jobs done, e-mails sent.
  const pending = async () => {
    const status = new Map(await sql('SELECT id, status FROM orders'));
    const stored = new Set((await sql('SELECT id FROM stripe_events')).map(([id]) => id));
    const [[live]] = await sql("SELECT count(*) FROM jobs WHERE state IN ('available', 'scheduled', 'running', 'retryable')");
    const [[unsent]] = await sql('SELECT count(*) FROM email_outbox WHERE sent_at IS NULL');
    return {
      notActive: paidOrders.filter((id) => status.get(id) !== 'active').length,
      missingEvents: events.filter((id) => !stored.has(id)).length,
      liveJobs: Number(live),
      unsent: Number(unsent),
    };
  };
  const settleStart = Date.now();
  let last;
  figures.settling = [];
  try {
    await waitFor(
      async () => {
        last = await pending();
        const seconds = Math.floor((Date.now() - settleStart) / 10_000) * 10;
        if (figures.settling.at(-1)?.seconds !== seconds) {
          const [[live] = ['']] = await sql(
            "SELECT coalesce(string_agg(kind || ' ' || state || ' ' || attempt || ' ' || " +
              "coalesce(errors -> (-1) ->> 'error', ''), '; '), '') FROM jobs " +
              "WHERE state IN ('available', 'scheduled', 'running', 'retryable')");
          figures.settling.push({ seconds, ...last, live });
        }
        return Object.values(last).every((count) => count === 0);
      },
      { timeout: SETTLE_MS, interval: 500, message: 'the platform caught up' },
    );
  } catch (error) {
    problems.push(error.message);
    const live = await sql(
      "SELECT id, kind, state, attempt, run_at, lease_owner, lease_expires_at, errors FROM jobs " +
        "WHERE state IN ('available', 'scheduled', 'running', 'retryable') LIMIT 5");
    problems.push(`not caught up after ${SETTLE_MS / 1000} s: ${JSON.stringify(last)}; jobs: ${JSON.stringify(live)}`);
  }
  figures.settleSeconds = ((Date.now() - settleStart) / 1000).toFixed(1);

  // Every paid order active once, with one workspace and one licence.
  const [[orders, active, workspaces, licences, ordersWithOtherThanOne]] = await sql(`
    SELECT count(*), count(*) FILTER (WHERE o.status = 'active'),
           (SELECT count(*) FROM workspaces),
           (SELECT count(*) FROM licences),
           count(*) FILTER (WHERE o.status = 'active' AND
             ((SELECT count(*) FROM workspaces w WHERE w.order_id = o.id) <> 1 OR
              (SELECT count(*) FROM licences l JOIN workspaces w ON w.id = l.workspace_id WHERE w.order_id = o.id) <> 1))
    FROM orders o`);
  Object.assign(figures, { orders: Number(orders), active: Number(active), workspaces: Number(workspaces), licences: Number(licences) });
  if (Number(active) !== paidOrders.length) problems.push(`${active} orders active, ${paidOrders.length} paid at Stripe`);
  if (Number(ordersWithOtherThanOne) > 0) problems.push(`${ordersWithOtherThanOne} active orders without exactly one workspace and one licence`);
  const [[activations]] = await sql(
    "SELECT count(*) FROM order_status_history WHERE to_status = 'active'");
  figures.activations = Number(activations);
  if (Number(activations) !== Number(active)) problems.push(`${activations} moves to active for ${active} active orders`);
  for (const [invariant, violations] of await sql(INVARIANTS)) {
    if (violations !== '0') problems.push(`${violations} violations of "${invariant}"`);
  }

  // Jobs: none discarded, and how many needed more than one run.
  const [[discarded, retried, jobs]] = await sql(
    "SELECT count(*) FILTER (WHERE state = 'discarded'), count(*) FILTER (WHERE attempt > 1), count(*) FROM jobs");
  Object.assign(figures, { jobs: Number(jobs), jobsRetried: Number(retried), jobsDiscarded: Number(discarded) });
  if (discarded !== '0') problems.push(`${discarded} jobs discarded`);

  // E-mails: each business e-mail (one outbox row) delivered, at least once.
  const rows = await sql('SELECT template, message_id FROM email_outbox');
  const delivered = new Map();
  for (const mail of stack.mails()) {
    const id = mail.headers['message-id'];
    delivered.set(id, (delivered.get(id) ?? 0) + 1);
  }
  let duplicates = 0;
  const byTemplate = {};
  for (const [template, messageId] of rows) {
    byTemplate[template] = (byTemplate[template] ?? 0) + 1;
    const copies = delivered.get(messageId) ?? 0;
    if (copies === 0) problems.push(`the ${template} e-mail ${messageId} was never delivered`);
    duplicates += Math.max(0, copies - 1);
  }
  Object.assign(figures, { emails: rows.length, emailDuplicates: duplicates, emailsByTemplate: byTemplate });
  if (byTemplate.access_details !== Number(active)) {
    problems.push(`${byTemplate.access_details ?? 0} access e-mails for ${active} active orders`);
  }

  // The reconciliation, run now, finds nothing the webhooks left undone.
  const repairsBefore = await metricTotal(stack.metricsUrls.worker, 'codezero_reconciliation_repairs_total');
  const [[jobId]] = await sql("INSERT INTO jobs (kind, max_attempts) VALUES ('billing.reconcile', 5) RETURNING id");
  await waitFor(async () => (await sql(`SELECT state FROM jobs WHERE id = ${jobId}`))[0][0] === 'completed', {
    timeout: 60_000,
    interval: 200,
    message: 'the reconciliation completed',
  });
  figures.reconciliationRepairs = (await metricTotal(stack.metricsUrls.worker, 'codezero_reconciliation_repairs_total')) - repairsBefore;
  if (figures.reconciliationRepairs !== 0) problems.push(`the reconciliation repaired ${figures.reconciliationRepairs} things`);

  // Failed requests: inside the faults' windows only.
  const { byWindow, outside } = failuresByWindow(load.answers, windows);
  figures.requests = load.answers.length;
  figures.windows = Object.fromEntries(byWindow);
  for (const answer of outside) {
    const since = windows.filter((w) => w.to <= answer.sentAt).at(-1);
    problems.push(
      `${answer.step} answered ${answer.status} at ${new Date(answer.at).toISOString()} (sent ` +
        `${answer.at - answer.sentAt} ms before), outside every fault's window` +
        (since ? `: ${answer.sentAt - since.to} ms after "${since.label}" ended` : '') +
        (answer.problem ? `; the answer: ${answer.problem}` : ''),
    );
  }
  return { problems, figures };
}
