// A real Prometheus (Debian's `prometheus`) for the observability tests: it scrapes the
// stack's four /metrics endpoints every second, and the test asks its HTTP API
// (https://prometheus.io/docs/prometheus/latest/querying/api/) what it has seen. promtool
// checks an exposition the way Prometheus's own linter does.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from './harness.mjs';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

// Starts Prometheus scraping `targets` ({ job: 'host:port' }) into a directory under `dir`.
export async function startPrometheus(dir, targets) {
  const port = await freePort();
  const home = fs.mkdtempSync(path.join(dir, 'prometheus-'));
  const jobs = Object.entries(targets).map(
    ([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const config = path.join(home, 'prometheus.yml');
  fs.writeFileSync(
    config,
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n${jobs.join('')}`,
  );
  const log = fs.openSync(path.join(home, 'prometheus.log'), 'a');
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(home, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  const url = `http://127.0.0.1:${port}`;
  const prometheus = {
    url,
    logFile: path.join(home, 'prometheus.log'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    // The instant vector of `query` as [{ metric, value }], value a number.
    async query(query) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      const answer = await response.json();
      if (answer.status !== 'success') throw new Error(`${query}: ${JSON.stringify(answer)}`);
      return answer.data.result.map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
    },
    // Waits until `query` has a series satisfying `accept` (default: any); returns the vector.
    async waitForSeries(query, { accept = () => true, timeout = 30_000 } = {}) {
      return waitFor(
        async () => {
          const vector = await prometheus.query(query);
          return vector.some(accept) ? vector : undefined;
        },
        { timeout, interval: 250, message: `Prometheus has ${query}` },
      );
    },
    // Each target's scrape health, by job.
    async targetHealth() {
      const response = await fetch(`${url}/api/v1/targets`, { signal: AbortSignal.timeout(5_000) });
      const answer = await response.json();
      return Object.fromEntries(
        answer.data.activeTargets.map((target) => [target.labels.job, target.health]),
      );
    },
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode})`);
      return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })).ok;
    },
    { timeout: 30_000, message: `prometheus on port ${port} ready` },
  );
  return prometheus;
}

// promtool's lint of one exposition; resolves with its output, rejects with its complaints.
export function checkMetrics(exposition) {
  return new Promise((resolve, reject) => {
    const child = execFile(PROMTOOL, ['check', 'metrics'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`promtool check metrics: ${stdout}${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
    child.stdin.end(exposition);
  });
}
