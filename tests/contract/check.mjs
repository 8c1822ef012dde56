#!/usr/bin/env node
// Checks recorded API answers against the OpenAPI document:
//
//   node check.mjs <openapi.yaml> <records-dir>
//
// <records-dir> holds JSON Lines files (*.jsonl), one recorded exchange per line:
//   {"method":"POST","target":"/v1/quotes?x=1","status":201,"content_type":"application/json",
//    "body":"<raw body text>","headers":{"lowercase-name":"value"}}
//
// Each record is matched to the operation whose path template fits its path (a literal segment
// wins over a {parameter} at the same position, as in the server's router; HEAD is checked as
// GET, by status only). Then its status must be documented for that operation (explicit codes
// only), its media type must be documented for that status, headers marked `required` must be
// present, and its body must validate against the schema (JSON Schema 2020-12, as OAS 3.1). A
// path that matches no template must be a 404 problem, a path whose template lacks the method a
// 405 problem.
//
// Prints one line per distinct failure (operation, status, error) with how often it occurred,
// then a summary with the operations no record exercised. Exit status: 0 all good, 1 any
// failure, 2 usage error or no records at all (a run that recorded nothing never passes).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const kMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const kDocumentId = 'openapi.json';

class UsageError extends Error {}

function escapePointer(segment) {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

function pointerOf(segments) {
  return '#/' + segments.map((s) => encodeURIComponent(escapePointer(s))).join('/');
}

function segmentsOfLocalRef(ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) {
    throw new UsageError(`only local $refs are supported, not ${JSON.stringify(ref)}`);
  }
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'));
}

function at(document, segments) {
  let node = document;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || !(segment in node)) return undefined;
    node = node[segment];
  }
  return node;
}

// Follows an object's $ref chain (responses, headers, parameters): the object and its location.
function resolve(document, node, segments) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) throw new UsageError(`$ref cycle at ${node.$ref}`);
    seen.add(node.$ref);
    segments = segmentsOfLocalRef(node.$ref);
    node = at(document, segments);
    if (node === undefined) throw new UsageError(`unresolvable $ref ${[...seen].pop()}`);
  }
  return { node, segments };
}

function mediaTypeOf(contentType) {
  if (typeof contentType !== 'string') return '';
  return contentType.split(';')[0].trim().toLowerCase();
}

function isJsonMediaType(mediaType) {
  return mediaType === 'application/json' || /^application\/[^/]*\+json$/.test(mediaType);
}

function formatAjvErrors(errors) {
  return (errors ?? [])
    .map((error) => {
      let text = `${error.instancePath || '/'} ${error.message}`;
      const params = error.params ?? {};
      if (params.additionalProperty !== undefined) text += ` (${params.additionalProperty})`;
      if (params.unevaluatedProperty !== undefined) text += ` (${params.unevaluatedProperty})`;
      if (params.allowedValues !== undefined) text += ` (${params.allowedValues.join(', ')})`;
      if (params.allowedValue !== undefined) text += ` (${JSON.stringify(params.allowedValue)})`;
      return text;
    })
    .join('; ');
}

// The document, ready to match and validate against.
export class Contract {
  constructor(document) {
    if (!document || typeof document !== 'object' || typeof document.openapi !== 'string') {
      throw new UsageError('not an OpenAPI document (no `openapi` member)');
    }
    if (!document.openapi.startsWith('3.1')) {
      throw new UsageError(`OpenAPI ${document.openapi}: this checker reads 3.1 documents`);
    }
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, kDocumentId);
    this.validators = new Map();
    this.documentProblems = [];
    this.operations = [];  // {method, template, segments, operation, id}
    this.paths = [];       // {template, segments, item}
    for (const [template, rawItem] of Object.entries(document.paths ?? {})) {
      const { node: item } = resolve(document, rawItem, ['paths', template]);
      const segments = template.split('/').slice(1);
      this.paths.push({ template, segments, item });
      for (const method of kMethods) {
        const operation = item?.[method];
        if (!operation) continue;
        const id = operation.operationId ?? `${method.toUpperCase()} ${template}`;
        this.operations.push({ method, template, operation, id });
        for (const status of Object.keys(operation.responses ?? {})) {
          if (!/^[1-5][0-9][0-9]$/.test(status)) {
            this.documentProblems.push(
              `${id}: response '${status}' is not an explicit status code (ranges and default are not allowed)`,
            );
          }
        }
      }
    }
  }

  // A compiled validator for the schema at `segments` (cached).
  validatorAt(segments) {
    const pointer = pointerOf(segments);
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: kDocumentId + pointer });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  // The path template a request path reaches, as the router finds it: the first literal match
  // at each position, a {parameter} (non-empty) otherwise.
  matchPath(requestPath) {
    const parts = requestPath.split('/').slice(1);
    let best = null;
    let bestRank = null;
    for (const entry of this.paths) {
      if (entry.segments.length !== parts.length) continue;
      const rank = [];
      let fits = true;
      for (let i = 0; i < parts.length && fits; ++i) {
        let part;
        try {
          part = decodeURIComponent(parts[i]);
        } catch {
          fits = false;
          break;
        }
        const segment = entry.segments[i];
        if (/^\{[^}]+\}$/.test(segment)) {
          fits = part.length > 0;
          rank.push(1);
        } else {
          fits = part === segment;
          rank.push(0);
        }
      }
      if (!fits) continue;
      if (bestRank === null || compareRanks(rank, bestRank) < 0) {
        best = entry;
        bestRank = rank;
      }
    }
    return best;
  }
}

function compareRanks(a, b) {
  for (let i = 0; i < a.length; ++i) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// Problems of one record, as strings (empty when it conforms), and the operation it exercised.
export function checkRecord(contract, record) {
  const problems = [];
  const method = String(record.method ?? '').toLowerCase();
  const target = String(record.target ?? '');
  const status = record.status;
  const body = record.body ?? '';
  const headers = Object.fromEntries(
    Object.entries(record.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const requestPath = target.split('?')[0].split('#')[0];
  const mediaType = mediaTypeOf(record.content_type ?? headers['content-type']);

  const matched = contract.matchPath(requestPath);
  const operationMethod = method === 'head' && !matched?.item?.head ? 'get' : method;
  const operation = matched?.item?.[operationMethod];

  if (!operation) {
    // Not routed: the server answers 404 (no such path) or 405 (another method) itself.
    const expected = matched ? 405 : 404;
    const label = matched ? `${matched.template} has no ${method.toUpperCase()}` : 'no such path';
    if (status !== expected) {
      problems.push(`${label}: expected ${expected}, got ${status}`);
    } else if (method !== 'head') {
      problems.push(...checkBody(contract, ['components', 'schemas', 'Problem'], mediaType, body, {
        expectedMediaType: 'application/problem+json',
        status,
      }));
    }
    if (expected === 405 && status === 405 && !headers.allow) problems.push('405 without Allow');
    return { id: matched ? `${method.toUpperCase()} ${matched.template}` : 'unrouted', problems };
  }

  const id = operation.operationId ?? `${operationMethod.toUpperCase()} ${matched.template}`;
  const responsesAt = ['paths', matched.template, operationMethod, 'responses'];
  const rawResponse = operation.responses?.[String(status)];
  if (rawResponse === undefined) {
    const documented = Object.keys(operation.responses ?? {}).join(', ');
    problems.push(`status ${status} is not documented (documented: ${documented})`);
    return { id, problems };
  }
  const { node: response, segments: responseAt } = resolve(contract.document, rawResponse, [
    ...responsesAt,
    String(status),
  ]);

  for (const [name, rawHeader] of Object.entries(response.headers ?? {})) {
    const { node: header } = resolve(contract.document, rawHeader, [...responseAt, 'headers', name]);
    if (header?.required && headers[name.toLowerCase()] === undefined) {
      problems.push(`required header ${name} is missing`);
    }
  }
  if (method === 'head') return { id, problems };

  const content = response.content;
  if (!content || Object.keys(content).length === 0) {
    if (body.length > 0) problems.push(`status ${status} has no documented body, got ${body.length} bytes`);
    return { id, problems };
  }
  if (!(mediaType in content)) {
    problems.push(
      `media type '${mediaType || '(none)'}' is not documented for ${status} (documented: ${Object.keys(content).join(', ')})`,
    );
    return { id, problems };
  }
  if (content[mediaType].schema !== undefined) {
    problems.push(
      ...checkBody(contract, [...responseAt, 'content', mediaType, 'schema'], mediaType, body, { status }),
    );
  }
  return { id, problems };
}

function checkBody(contract, schemaAt, mediaType, body, { expectedMediaType, status }) {
  if (expectedMediaType && mediaType !== expectedMediaType) {
    return [`media type '${mediaType || '(none)'}', expected ${expectedMediaType}`];
  }
  if (!isJsonMediaType(mediaType)) return [];  // only JSON bodies are validated
  let value;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return [`body is not JSON: ${error.message}`];
  }
  const problems = [];
  const validate = contract.validatorAt(schemaAt);
  if (!validate(value)) problems.push(formatAjvErrors(validate.errors));
  if (expectedMediaType && value?.status !== status) {
    problems.push(`problem's status ${value?.status} differs from the answer's ${status}`);
  }
  return problems;
}

// Every record of every *.jsonl file in `directory`: [{file, line, record}] or a parse failure.
export function readRecords(directory) {
  let names;
  try {
    names = fs.readdirSync(directory).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    throw new UsageError(`cannot read ${directory}: ${error.message}`);
  }
  const entries = [];
  for (const name of names) {
    const lines = fs.readFileSync(path.join(directory, name), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const where = `${name}:${index + 1}`;
      try {
        const record = JSON.parse(text);
        const valid =
          record && typeof record === 'object' && typeof record.method === 'string' &&
          typeof record.target === 'string' && record.target.startsWith('/') &&
          Number.isInteger(record.status) && (record.body === undefined || typeof record.body === 'string');
        entries.push(valid ? { where, record } : { where, error: 'not a record (method, target, status, body)' });
      } catch (error) {
        entries.push({ where, error: `not JSON: ${error.message}` });
      }
    });
  }
  return { files: names.length, entries };
}

export function run(documentFile, directory, out = console.log) {
  let document;
  try {
    document = YAML.parse(fs.readFileSync(documentFile, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${documentFile}: ${error.message}`);
  }
  const contract = new Contract(document);
  const { files, entries } = readRecords(directory);
  if (entries.length === 0) {
    throw new UsageError(`no records in ${directory} (${files} .jsonl files): nothing was checked`);
  }

  const failures = new Map();  // key → {line, count}
  const fail = (key, line) => {
    const known = failures.get(key);
    if (known) known.count += 1;
    else failures.set(key, { line, count: 1 });
  };
  for (const problem of contract.documentProblems) fail(`document ${problem}`, `FAIL document: ${problem}`);

  const exercised = new Set();
  let checked = 0;
  for (const { where, record, error } of entries) {
    if (error) {
      fail(`record ${where}`, `FAIL ${where}: ${error}`);
      continue;
    }
    checked += 1;
    const { id, problems } = checkRecord(contract, record);
    exercised.add(id);
    for (const problem of problems) {
      fail(
        `${id} ${record.status} ${problem}`,
        `FAIL ${record.method.toUpperCase()} ${record.target} ${record.status} [${id}]: ${problem}`,
      );
    }
  }

  let total = 0;
  for (const { line, count } of failures.values()) {
    total += count;
    out(count > 1 ? `${line} (x${count})` : line);
  }
  const unexercised = contract.operations.filter((o) => !exercised.has(o.id)).map((o) => o.id);
  out('');
  out(`records checked: ${checked} (in ${files} files)`);
  out(`failures: ${total} (${failures.size} distinct)`);
  out(
    `operations exercised: ${contract.operations.length - unexercised.length} of ${contract.operations.length}`,
  );
  if (unexercised.length > 0) out(`never exercised (informational): ${unexercised.join(', ')}`);
  return failures.size === 0 ? 0 : 1;
}

function main(argv) {
  if (argv.length !== 2 || argv.includes('-h') || argv.includes('--help')) {
    console.error('usage: node check.mjs <openapi.yaml> <records-dir>');
    return 2;
  }
  try {
    return run(argv[0], argv[1]);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`check.mjs: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
