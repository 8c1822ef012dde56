// Starts `codezero stripe-fake` (the binary named by CODEZERO_BINARY) on a free port, with a
// local HTTP server as its webhook endpoint, and returns what the tests need.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import Stripe from 'stripe';

export const API_KEY = 'sk_test_conformance_0123456789';
export const WEBHOOK_SECRET = 'whsec_conformance_secret';

// Receives webhooks: every delivery's raw body and Stripe-Signature header.
export async function startReceiver() {
  const deliveries = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['stripe-signature'],
        userAgent: request.headers['user-agent'],
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"received":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, deliveries, url: `http://127.0.0.1:${server.address().port}/hook` };
}

export async function startFake(webhookUrl) {
  const binary = process.env.CODEZERO_BINARY;
  if (!binary) throw new Error('CODEZERO_BINARY is not set: run this suite through CTest');
  const child = spawn(binary, ['stripe-fake'], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      STRIPE_FAKE_PORT: '0',
      STRIPE_FAKE_METRICS_PORT: '0',
      STRIPE_FAKE_API_KEY: API_KEY,
      STRIPE_FAKE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_FAKE_WEBHOOK_ENDPOINTS: webhookUrl,
      STRIPE_FAKE_TIME_FACTOR: '600',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stripe-fake did not start:\n${log}`)), 10000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      log += text;
      const match = log.match(/"msg":"stripe-fake listening".*?"url":"http:\/\/127\.0\.0\.1:(\d+)"/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`stripe-fake exited with ${code}:\n${log}`)));
  });
  const stripe = new Stripe(API_KEY, {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    apiVersion: '2024-06-20',
  });
  const stop = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    return code;
  };
  return { stripe, port, base: `http://127.0.0.1:${port}`, stop, log: () => log };
}

// Pays a Checkout Session on its hosted page the way a browser submits the form.
export async function payOnHostedPage(url, fields) {
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`the payment page answered ${page.status}`);
  const html = await page.text();
  const method = fields.method ?? 'card';
  const marker = html.indexOf(`name="method" value="${method}"`);
  const formStart = html.lastIndexOf('<form', marker);
  const action = html.slice(formStart).match(/action="([^"]+)"/)[1];
  const target = new URL(action, url);
  return fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ method, ...fields }).toString(),
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
