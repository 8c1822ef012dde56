// The chaos drill's load: customers buying, each as a real one would over HTTP on loopback. A
// customer signs up (POST /v1/accounts), is marked verified, signs in (the password grant),
// asks for a quote, opens a checkout session (with an Idempotency-Key, the same for every retry)
// and pays on the Stripe stand-in's hosted page with a test card. Stripe's webhooks, the
// provisioning and the e-mails follow in the API and the worker.
//
// A step that is not answered, or answered 5xx or 409 (the same idempotency key still running),
// is tried again until the step's deadline, as a client with retries would; every answer is
// recorded with its time, so the drill can tell the failures inside a fault's window from those
// outside. Any other answer fails the customer.
import { randomBytes } from 'node:crypto';
import { psql, STRIPE_SECRET_KEY, uniqueEmail } from '../e2e/harness.mjs';

const STEP_DEADLINE_MS = 120_000;
const RETRY_PAUSE_MS = 250;

// The action of the card form on Stripe's hosted payment page.
function cardFormAction(page) {
  const marker = page.indexOf('name="method" value="card"');
  if (marker < 0) return undefined;
  const form = page.lastIndexOf('<form', marker);
  return /action="([^"]+)"/.exec(page.slice(form, marker))?.[1]?.replace(/&amp;/g, '&');
}

export class PurchaseLoad {
  // `stack`: the harness's stack (payments on). `parallel`: customers buying at once.
  // `limit`: at most this many customers in all (the load stops by itself).
  constructor(stack, { parallel, limit }) {
    this.stack = stack;
    this.parallel = parallel;
    this.limit = limit;
    this.answers = [];  // { sentAt, at, step, status }: status a number, or 'unanswered'
    this.customers = [];
    this.running = false;
  }

  start() {
    this.running = true;
    this.loops = Array.from({ length: this.parallel }, () => this.loop());
  }

  // Waits until `limit` customers have bought (or failed).
  async finished() {
    await Promise.all(this.loops);
  }

  // Lets the customers who started finish, then returns.
  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }

  async loop() {
    while (this.running && this.customers.length < this.limit) {
      const customer = { email: uniqueEmail('chaos'), password: `pass-${randomBytes(8).toString('hex')}` };
      this.customers.push(customer);
      try {
        await this.buy(customer);
        customer.paid = true;
      } catch (error) {
        customer.error = error.message;
      }
    }
  }

  // One HTTP request, its answer recorded; the response, or undefined when none came.
  async send(step, url, init = {}) {
    const sentAt = Date.now();
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000), ...init });
      const body = await response.text();
      // A 5xx answer's problem (type, detail, request id) tells where it came from.
      const problem = response.status >= 500 ? body.slice(0, 300) : undefined;
      this.answers.push({ sentAt, at: Date.now(), step, status: response.status, problem });
      return { status: response.status, headers: response.headers, body };
    } catch {
      this.answers.push({ sentAt, at: Date.now(), step, status: 'unanswered' });
      return undefined;
    }
  }

  // Sends the step's request until it is answered `expected`; the answer.
  async step(step, expected, request) {
    const deadline = Date.now() + STEP_DEADLINE_MS;
    for (;;) {
      const answer = await request();
      if (answer && answer.status === expected) return answer;
      const retryable = !answer || answer.status >= 500 || answer.status === 409;
      if (!retryable || Date.now() > deadline) {
        throw new Error(`${step}: ${answer ? `${answer.status} ${answer.body.slice(0, 300)}` : 'unanswered'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }

  async verify(customer) {
    const deadline = Date.now() + STEP_DEADLINE_MS;
    for (;;) {
      try {
        const email = customer.email.replace(/'/g, "''");
        // psql prints the returned id, then the command's tag.
        const [[id]] = await psql(this.stack.dbUrl, `UPDATE users SET email_verified_at = now() WHERE email = '${email}' RETURNING id`);
        if (/^[0-9a-f-]{36}$/.test(id)) return;
        throw new Error('no such user');
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`verify: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  }

  async buy(customer) {
    const api = this.stack.apiUrl;
    const json = { 'Content-Type': 'application/json' };
    await this.step('sign-up', 202, () =>
      this.send('sign-up', `${api}/v1/accounts`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          company: { name: 'Chaos GmbH', country: 'DE', address: { line1: 'Weg 1', postal_code: '10115', city: 'Berlin' } },
          user: { name: 'Carla Chaos', email: customer.email, password: customer.password, locale: 'de' },
        }),
      }),
    );
    await this.verify(customer);
    const grant = await this.step('sign-in', 200, () =>
      this.send('sign-in', `${api}/v1/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: customer.email, password: customer.password }).toString(),
      }),
    );
    const token = JSON.parse(grant.body).access_token;
    const quote = await this.step('quote', 201, () =>
      this.send('quote', `${api}/v1/quotes`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          plan: 'team',
          interval: 'month',
          addons: [{ code: 'extra_seats', quantity: 2 }],
          currency: 'eur',
          customer: { country: 'DE', type: 'business', vat_id: null },
          locale: 'de',
        }),
      }),
    );
    const idempotencyKey = randomBytes(16).toString('hex');
    const checkout = await this.step('checkout', 201, () =>
      this.send('checkout', `${api}/v1/checkout/sessions`, {
        method: 'POST',
        headers: { ...json, Authorization: `Bearer ${token}`, 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify({ quote_token: JSON.parse(quote.body).token, terms_accepted: true }),
      }),
    );
    const session = JSON.parse(checkout.body);
    customer.orderId = session.order_id;
    customer.sessionId = session.checkout_session_id;
    await this.pay(session);
  }

  // Pays on the hosted page. When a payment's answer was lost, the page says the session is no
  // longer open: Stripe's API says whether it was paid.
  async pay(session) {
    const page = await this.step('payment page', 200, () => this.send('payment page', session.url));
    const action = cardFormAction(page.body);
    if (!action) throw new Error(`the payment page has no card form: ${page.body.slice(0, 300)}`);
    const form = new URLSearchParams({ method: 'card', card_number: '4242 4242 4242 4242', exp: '12/34', cvc: '123', name: 'Carla Chaos' });
    const paid = await this.step('payment', 303, async () => {
      const answer = await this.send('payment', new URL(action, session.url).toString(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      if (answer?.status === 200 && (await this.sessionStatus(session)) === 'complete') return { ...answer, status: 303 };
      return answer;
    });
    return paid;
  }

  async sessionStatus(session) {
    const origin = new URL(session.url).origin;
    const answer = await this.send('stripe session', `${origin}/v1/checkout/sessions/${session.checkout_session_id}`, {
      headers: { Authorization: `Bearer ${STRIPE_SECRET_KEY}` },
    });
    return answer?.status === 200 ? JSON.parse(answer.body).status : undefined;
  }
}
