// A real PgBouncer (Debian's) in transaction mode in front of the test PostgreSQL, as
// deploy/pgbouncer/ configures it for production: each client transaction borrows one of a few
// server connections. For the test that runs the platform through it (pgbouncer.test.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, psql, stopChild, waitFor } from './harness.mjs';

const PGBOUNCER = '/usr/sbin/pgbouncer';

// `adminUrl`: the test server's superuser URL (TEST_DATABASE_URL). `serverConnections`: the
// pool per database and user, small so that clients share server connections.
export async function startPgBouncer({ adminUrl, serverConnections = 2 }) {
  const target = new URL(adminUrl);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codezero-pgbouncer-'));
  fs.chmodSync(dir, 0o755);
  const quoted = (value) => `"${value.replace(/"/g, '""')}"`;
  const users = new Map([[user, password]]);
  const writeUsers = () =>
    fs.writeFileSync(
      path.join(dir, 'userlist.txt'),
      [...users].map(([name, secret]) => `${quoted(name)} ${quoted(secret)}\n`).join(''),
      { mode: 0o644 },
    );
  writeUsers();
  const ini = [
    '[databases]',
    // Any database name the client asks for, on the test server.
    `* = host=${target.hostname} port=${target.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    "unix_socket_dir = ''",
    'pool_mode = transaction',
    `default_pool_size = ${serverConnections}`,
    'max_client_conn = 200',
    'auth_type = scram-sha-256',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    'server_reset_query =',
    // PgBouncer refuses to run as root; as root it changes to this user after start-up.
    ...(process.getuid?.() === 0 ? ['user = postgres'] : []),
  ].join('\n');
  const iniFile = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(iniFile, `${ini}\n`, { mode: 0o644 });
  const child = spawn(PGBOUNCER, [iniFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk.toString();
  });
  const url = (database) => {
    const through = new URL(adminUrl);
    through.hostname = '127.0.0.1';
    through.port = String(port);
    through.pathname = `/${database}`;
    return through.toString();
  };
  const bouncer = {
    port,
    url,
    log: () => log,
    // Adds or changes a login in PgBouncer's auth_file and has it read the file again (RELOAD),
    // as an operator does when a role's password changes. Connections open stay as they are.
    async setUser(name, secret) {
      users.set(name, secret);
      writeUsers();
      await psql(url('pgbouncer'), 'RELOAD');
    },
    // PgBouncer's own counters for `database` (SHOW STATS on its admin console).
    async stats(database) {
      const rows = await psql(url('pgbouncer'), 'SHOW STATS');
      const header = ['database', 'total_xact_count', 'total_query_count'];
      const row = rows.find((columns) => columns[0] === database);
      if (!row) return undefined;
      return Object.fromEntries(header.map((name, i) => [name, i === 0 ? row[0] : Number(row[i])]));
    },
    async close() {
      await stopChild(child, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}): ${log}`);
      try {
        await psql(url('pgbouncer'), 'SHOW VERSION');
        return true;
      } catch {
        return false;
      }
    },
    { timeout: 10_000, interval: 100, message: `pgbouncer on port ${port} ready` },
  );
  return bouncer;
}
