// Prints, as JSON, Stripe-Signature headers made by the official SDK's
// stripe.webhooks.generateTestHeaderString for a payload, so the API's webhook test
// (tests/integration/stripe_webhooks_test.cpp) checks the endpoint against Stripe's own signer:
//
//   node signature_headers.mjs SECRET PAYLOAD
//   {"valid": "...", "changed_timestamp": "...", "old": "...", "future": "...", "v0_only": "..."}
import Stripe from 'stripe';

const [secret, payload] = process.argv.slice(2);
if (!secret || payload === undefined) {
  console.error('usage: node signature_headers.mjs SECRET PAYLOAD');
  process.exit(2);
}
const stripe = new Stripe('sk_test_unused_for_signing');
const now = Math.floor(Date.now() / 1000);
const sign = (options) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now, ...options });

const valid = sign({});
const signature = valid.slice(valid.indexOf('v1=') + 3);
console.log(JSON.stringify({
  valid,
  // The signature of `now`, presented with another timestamp.
  changed_timestamp: `t=${now + 1},v1=${signature}`,
  // Ten minutes out, twice the API's 300 s tolerance: the headers are used seconds after they
  // are made (under the sanitizers, node's start alone takes a second), and one second past
  // the tolerance let a "future" header become acceptable on the way.
  old: sign({ timestamp: now - 600 }),
  future: sign({ timestamp: now + 600 }),
  v0_only: sign({ scheme: 'v0' }),
}));
