// The nginx edge of deploy/nginx/ (Debian's nginx), run on loopback in front of a test's
// instances: the files as shipped, with this test's directory in place of /etc/nginx/codezero
// and the cache directory, loopback ports in place of 80 and 443, throw-away certificates, and
// upstreams naming the test's instances. For topology.test.mjs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, stopChild, waitFor } from './harness.mjs';

const DEPLOY = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'nginx');
export const WWW = 'www.codezero.example';
export const API = 'api.codezero.example';

// `web`, `api`: the instances' ports; `httpsPort`: where the edge listens (default: a free one).
export async function startEdge({ web, api, httpsPort: wantedPort }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-edge-'));
  fs.chmodSync(dir, 0o755);
  const conf = path.join(dir, 'codezero');
  fs.mkdirSync(path.join(conf, 'tls'), { recursive: true });
  for (const sub of ['cache', 'body', 'proxy']) fs.mkdirSync(path.join(dir, sub), { mode: 0o777 });
  for (const file of ['tls.conf', 'proxy.conf']) fs.copyFileSync(path.join(DEPLOY, file), path.join(conf, file));
  const upstream = (name, ports) =>
    `upstream ${name} {\n${ports.map((port) => `    server 127.0.0.1:${port};`).join('\n')}\n    keepalive 16;\n}\n`;
  fs.writeFileSync(path.join(conf, 'upstreams.conf'), upstream('codezero_web', web) + upstream('codezero_api', api));
  for (const name of ['www', 'api']) {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', `/CN=${name}.codezero.example`,
      '-keyout', path.join(conf, 'tls', `${name}.key`), '-out', path.join(conf, 'tls', `${name}.crt`),
    ], { stdio: 'ignore' });
  }
  const httpsPort = wantedPort ?? (await freePort());
  const httpPort = await freePort();
  const internalPort = await freePort();
  const site = fs
    .readFileSync(path.join(DEPLOY, 'codezero.conf'), 'utf8')
    .replaceAll('/etc/nginx/codezero', conf)
    .replaceAll('/var/cache/nginx/codezero', path.join(dir, 'cache'))
    .replaceAll('/var/log/nginx/', `${dir}/`)
    .replaceAll('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replaceAll('listen [::]:443 ssl http2;', '')
    .replaceAll('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replaceAll('listen 8000;', `listen 127.0.0.1:${internalPort};`)
    .replaceAll('listen [::]:80;', '');
  fs.writeFileSync(path.join(dir, 'codezero.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      // As root nginx's workers would run as nobody; these files are the test's own.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'daemon off;',
      'master_process on;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  include ${dir}/codezero.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
  });
  const edge = {
    httpsPort,
    httpPort,
    origin: `https://${WWW}:${httpsPort}`,
    apiOrigin: `https://${API}:${httpsPort}`,
    // Where web reaches the API through the edge (its internal listener).
    internalUrl: `http://127.0.0.1:${internalPort}`,
    // The access log deploy/nginx writes (its codezero_privacy format: with each request's
    // upstreams and their statuses).
    accessLog: () => fs.readFileSync(path.join(dir, 'codezero.access.log'), 'utf8'),
    errorLog: () => `${stderr}${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`,
    // A request to the edge as a client on the internet sends it: HTTPS to `host` (SNI and
    // Host), the certificate not checked (it is the test's own). { status, headers, body }.
    // `agent`: an https.Agent that keeps its connections (default: a connection per request).
    request(host, pathAndQuery, { method = 'GET', headers = {}, body, agent } = {}) {
      return new Promise((resolve, reject) => {
        const request = https.request(
          {
            host: '127.0.0.1',
            port: httpsPort,
            servername: host,
            method,
            path: pathAndQuery,
            headers: { Host: `${host}:${httpsPort}`, ...headers },
            rejectUnauthorized: false,
            timeout: 15_000,
            ...(agent ? { agent } : {}),
          },
          (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        request.on('timeout', () => request.destroy(new Error('timed out')));
        request.on('error', reject);
        if (body !== undefined) request.write(body);
        request.end();
      });
    },
    async close() {
      await stopChild(child, 'SIGQUIT');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${edge.errorLog()}`);
      try {
        return (await edge.request(WWW, '/healthz')).status === 200;
      } catch {
        return false;
      }
    },
    { timeout: 10_000, interval: 100, message: `the edge on port ${httpsPort} answers` },
  );
  return edge;
}
