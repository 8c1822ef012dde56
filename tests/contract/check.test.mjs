// Tests of check.mjs on hand-written records (fixtures/): each runs the checker as a user would
// and asserts its exit status and what it reports.  Run: node --test (in tests/contract).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const apiDocument = path.join(here, '..', '..', 'src', 'api', 'openapi.yaml');
const fixture = (...parts) => path.join(here, 'fixtures', ...parts);

function check(documentFile, recordsDir) {
  const run = spawnSync(process.execPath, [path.join(here, 'check.mjs'), documentFile, recordsDir], {
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const failureLines = (stdout) => stdout.split('\n').filter((line) => line.startsWith('FAIL'));

test('records that match the document pass', () => {
  const { status, stdout } = check(apiDocument, fixture('valid'));
  assert.equal(status, 0, stdout);
  assert.deepEqual(failureLines(stdout), []);
  assert.match(stdout, /records checked: 9 /);
  assert.match(stdout, /failures: 0 /);
});

test('the summary names the operations no record exercised, without failing', () => {
  const { status, stdout } = check(apiDocument, fixture('valid'));
  assert.equal(status, 0);
  assert.match(stdout, /never exercised \(informational\): .*\bcreateCheckoutSession\b/);
  assert.doesNotMatch(stdout, /never exercised.*\bgetLiveness\b/);
});

test('a field the document does not have fails, reported once with its count', () => {
  const { status, stdout } = check(apiDocument, fixture('extra-field'));
  assert.equal(status, 1);
  assert.deepEqual(failureLines(stdout), [
    'FAIL GET /healthz 200 [getLiveness]: / must NOT have additional properties (uptime_seconds) (x3)',
  ]);
  assert.match(stdout, /records checked: 4 /);
  assert.match(stdout, /failures: 3 \(1 distinct\)/);
});

test('a status the operation does not document fails', () => {
  const { status, stdout } = check(apiDocument, fixture('undocumented-status'));
  assert.equal(status, 1);
  const lines = failureLines(stdout);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^FAIL GET \/v1\/catalog\?locale=de 418 \[getCatalog\]: status 418 is not documented/);
});

test('an unknown path must be answered 404 with a problem', () => {
  const { status, stdout } = check(apiDocument, fixture('unknown-path'));
  assert.equal(status, 1);
  assert.deepEqual(failureLines(stdout), [
    'FAIL GET /v1/nothing-here 200 [unrouted]: no such path: expected 404, got 200',
    "FAIL GET /v1/nothing-here/either 404 [unrouted]: media type 'text/plain', expected application/problem+json",
  ]);
});

test('a directory without records is a usage error, never a pass', () => {
  const { status, stdout, stderr } = check(apiDocument, fixture('empty'));
  assert.equal(status, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /no records/);
});

test('wrong arguments are a usage error', () => {
  assert.equal(check(apiDocument, fixture('does-not-exist')).status, 2);
  const run = spawnSync(process.execPath, [path.join(here, 'check.mjs')], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /usage: node check\.mjs <openapi\.yaml> <records-dir>/);
});

test('a literal path segment wins over a parameter; other methods are 405', () => {
  const dir = fixture('literal-segment');
  const { status, stdout } = check(path.join(dir, 'openapi.yaml'), dir);
  assert.equal(status, 0, stdout);
  assert.match(stdout, /operations exercised: 2 of 2/);
});

test('a document with `default` responses is refused', () => {
  const dir = fixture('default-response');
  const { status, stdout } = check(path.join(dir, 'openapi.yaml'), dir);
  assert.equal(status, 1);
  assert.match(stdout, /FAIL document: getItem: response 'default' is not an explicit status code/);
});
