// Fuzzes the example services through their generated OpenAPI documents, which are all it knows of
// them: the whole stack runs in-process on free ports, and for every operation the test sends
// requests generated from the documented schemas (json-schema-faker) and from the documented examples
// and links, then breaks them (wrong types, missing and extra properties, bad formats, values out of
// range, malformed or non-object JSON, another content type, a body over the limit, another method,
// an expired deadline). Every answer must be a documented status whose body the documented schema
// accepts; invalid input must be refused with the status the document gives for it, valid input never;
// no 5xx but the documented pass-through ones; every operation is reached on its success path; and
// every service is still healthy at the end. Bounded by a fixed seed: FUZZ_SEED and FUZZ_ROUNDS vary it.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startStack, type RunningStack } from '../../support/runtime.js';
import { ApiDocument, HTTP_METHODS, MUTATIONS, type Doc, type Json, type Operation, mutate, pick, prng } from './fuzz-support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240501);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 5);

const folder = new URL('../../../generated/openapi/', import.meta.url);
const apis = readdirSync(folder)
  // The services' own documents: the gateway's describes the public paths, which this test does not call.
  .filter((f) => f.endsWith('.openapi.yaml') && f !== 'gateway.openapi.yaml')
  .sort()
  .map((file, i) => new ApiDocument(file.replace(/\.openapi\.yaml$/, ''), parse(readFileSync(new URL(file, folder), 'utf8')) as Doc, SEED + i));

const random = prng(SEED);
const logged: string[] = [];
let running: RunningStack;

beforeAll(async () => {
  const { stack } = await import('../../../generated/stack.js');
  const ports = Object.fromEntries(apis.map((api) => [api.name, { http: 0, grpc: 0 }]));
  // Only errors are logged, and every one is a finding. The services are called directly: without
  // the gateway, which would need its JWT secret and would answer 401 before any service saw a request.
  // The services' databases in memory: nothing of the developer's .meshspec/data is read or locked.
  running = await startStack({ ...stack, gateway: null }, { ports, gatewayPort: 0, logLevel: 'error', data: 'memory', output: { write: (text: string) => logged.push(text) } });
}, 120_000);

afterAll(async () => {
  await running?.close();
});

/** What a request must get: any documented status but these, or exactly one of these. */
type Expect = { not: number[] } | { only: number[] };

interface Exchange {
  api: ApiDocument;
  op: Operation;
  /** For messages: what was sent and why. */
  label: string;
  method?: string;
  path: Record<string, Json>;
  query: Record<string, Json>;
  body?: { text: string; contentType: string };
  headers?: Record<string, string>;
  /** Path values go into the URL as they are, already percent-encoded (or deliberately not). */
  rawPath?: boolean;
  expect: Expect;
}

const VALID: Expect = { not: [400, 405, 413, 415] };
const stats = { requests: 0, invalid: 0, byStatus: new Map<number, number>(), succeeded: new Set<string>() };
/** Ids seen in successful responses, by the field name that would carry them (`orderId` for an Order's `id`). */
const pool = new Map<string, Json[]>();
const gone = new Set<Json>();

async function exchange(x: Exchange): Promise<{ status: number; body: Json | undefined }> {
  const base = running.urls[x.api.name]?.http;
  const path = x.op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (x.rawPath ? String(x.path[name]) : encodeSegment(x.path[name])));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(x.query)) for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
  const url = `${base}${path}${search.size > 0 ? `?${search}` : ''}`;
  const method = (x.method ?? x.op.method).toUpperCase();
  const headers: Record<string, string> = { ...x.headers, ...(x.body ? { 'content-type': x.body.contentType } : {}) };
  const res = await fetch(url, { method, headers, ...(x.body ? { body: x.body.text } : {}) });
  const text = await res.text();
  const status = res.status;
  stats.requests++;
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  const where = `${x.api.name} ${method} ${url.slice(base?.length)} (${x.op.id}: ${x.label}) -> ${status} ${text.slice(0, 300)}`;

  // Another method than the operation's: answered for the path, which documents 405 on every operation.
  const documented = x.op.responses.get(status);
  expect(documented, `undocumented status: ${where}`).toBeDefined();
  expect(status !== 500 && (status < 500 || [501, 503, 504].includes(status)), `server error: ${where}`).toBe(true);
  if ('only' in x.expect) expect(x.expect.only, `expected ${x.expect.only.join('/')}: ${where}`).toContain(status);
  else expect(x.expect.not, `a valid request was refused: ${where}`).not.toContain(status);

  const schema = documented?.content?.['application/json']?.schema as Doc | undefined;
  let body: Json | undefined;
  if (schema) {
    expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
    body = JSON.parse(text) as Json;
    const checked = x.api.validate(schema, body);
    expect(checked.ok, `response does not match its documented schema (${checked.errors}): ${where}`).toBe(true);
  } else {
    expect(text, `a response documented without a body has one: ${where}`).toBe('');
  }
  if (status === 405) {
    const allowed = x.api.methodsByPath().get(x.op.path) ?? [];
    expect(res.headers.get('allow')?.split(', ').sort(), where).toEqual([...allowed].sort());
  }
  if (status >= 200 && status < 300 && method === x.op.method.toUpperCase()) stats.succeeded.add(`${x.api.name}.${x.op.id}`);
  return { status, body };
}

/** Path segments percent-encoded, dots too, so that `.` and `..` stay values rather than path steps. */
function encodeSegment(value: Json | undefined): string {
  return encodeURIComponent(String(value)).replaceAll('.', '%2E');
}

/** A valid input for `op`: from the documented examples, or generated; ids seen earlier replace generated ones. */
function validInput(api: ApiDocument, op: Operation, fromExamples: boolean): { path: Record<string, Json>; query: Record<string, Json>; body?: Json } {
  const path: Record<string, Json> = {};
  const query: Record<string, Json> = {};
  for (const p of op.parameters) {
    if (p.in === 'query' && !p.required && random() < 0.4) continue;
    const target = p.in === 'path' ? path : query;
    target[p.name] = pooled(p.name, fromExamples) ?? (fromExamples && p.example !== undefined ? p.example : api.generate(p.schema));
  }
  if (!op.body) return { path, query };
  const body = withPooledIds(fromExamples && op.body.example !== undefined ? structuredClone(op.body.example) : api.generate(op.body.schema), fromExamples);
  const checked = api.validate(op.body.schema, body);
  // A generated value the document's own schema rejects would test the generator, not the service.
  expect(checked.ok, `${op.id}: the input made for it does not match its schema: ${checked.errors}`).toBe(true);
  return { path, query, body };
}

/** An id seen earlier for a field `name`: from examples the latest (the one the happy path made), else any, half the time. */
function pooled(name: string, fromExamples: boolean): Json | undefined {
  const live = (pool.get(name) ?? []).filter((v) => !gone.has(v));
  if (live.length === 0) return undefined;
  if (fromExamples) return live[live.length - 1];
  return random() < 0.5 ? pick(random, live) : undefined;
}

function withPooledIds(value: Json, fromExamples: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => withPooledIds(v, fromExamples));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, (k.endsWith('Id') ? pooled(k, fromExamples) : undefined) ?? withPooledIds(v, fromExamples)]));
}

/** Remembers the id of a returned record under the name a field referring to it would have. */
function remember(op: Operation, status: number, body: Json | undefined): void {
  const ref = op.responses.get(status)?.content?.['application/json']?.schema?.$ref as string | undefined;
  if (!ref || !body || typeof body !== 'object' || Array.isArray(body) || body.id === undefined) return;
  const type = ref.split('/').pop() as string;
  const name = `${type.charAt(0).toLowerCase()}${type.slice(1)}Id`;
  pool.set(name, [...(pool.get(name) ?? []), body.id]);
}

function jsonBody(value: Json): { text: string; contentType: string } {
  return { text: JSON.stringify(value), contentType: 'application/json' };
}

/**
 * A valid request, then the links of its answer: GETs, then the others. From examples, `unsafeLinks`
 * says whether to follow the others (the happy path alternates: one round pays for the order it
 * created, the next cancels it); generated requests follow each half the time.
 */
async function validRequest(api: ApiDocument, op: Operation, fromExamples: boolean, unsafeLinks = false): Promise<void> {
  const input = validInput(api, op, fromExamples);
  const label = fromExamples ? 'from examples' : 'generated';
  const result = await exchange({ api, op, label, path: input.path, query: input.query, ...(input.body === undefined ? {} : { body: jsonBody(input.body) }), expect: VALID });
  if (result.status < 200 || result.status >= 300) return;
  remember(op, result.status, result.body);
  const links = Object.values((op.responses.get(result.status)?.links ?? {}) as Doc);
  const ordered = [...links.filter((l) => targetOf(api, l).method === 'get'), ...links.filter((l) => targetOf(api, l).method !== 'get')];
  for (const link of ordered) {
    const target = targetOf(api, link);
    if (target.method !== 'get' && (fromExamples ? !unsafeLinks : random() < 0.5)) continue;
    const linked = validInput(api, target, fromExamples);
    for (const [param, expression] of Object.entries(link.parameters as Record<string, string>)) {
      linked.path[param] = (result.body as Doc)[expression.replace('$response.body#/', '')];
    }
    const followed = await exchange({
      api,
      op: target,
      label: `link from ${op.id}`,
      path: linked.path,
      query: linked.query,
      ...(linked.body === undefined ? {} : { body: jsonBody(linked.body) }),
      // What a link leads to exists: a GET of it succeeds.
      expect: target.method === 'get' ? { only: [...target.responses.keys()].filter((s) => s >= 200 && s < 300) } : VALID,
    });
    if (target.method === 'delete' && followed.status < 300) for (const value of Object.values(linked.path)) gone.add(value);
  }
}

function targetOf(api: ApiDocument, link: Doc): Operation {
  const target = api.operations.find((o) => o.id === link.operationId);
  if (!target) throw new Error(`${api.name}: a link names ${link.operationId}, which is not an operation`);
  return target;
}

/** Breaks one part of a valid input (body, query or path) with `mutation`; false when it applies nowhere. */
async function invalidInput(api: ApiDocument, op: Operation, mutationIndex: number): Promise<boolean> {
  const input = validInput(api, op, false);
  for (let i = 0; i < MUTATIONS.length; i++) {
    const mutation = MUTATIONS[(mutationIndex + i) % MUTATIONS.length]!;
    const targets: ('body' | 'query' | 'path')[] = [];
    if (op.body && input.body !== undefined) targets.push('body');
    if (op.parameters.some((p) => p.in === 'query')) targets.push('query');
    if (op.parameters.some((p) => p.in === 'path')) targets.push('path');
    for (const where of [...targets].sort(() => random() - 0.5)) {
      const broken = breakPart(api, op, input, where, mutation);
      if (!broken) continue;
      stats.invalid++;
      await exchange({ api, op, label: `${mutation} in ${where}: ${broken.what}`, ...broken.input, expect: { only: [400] } });
      return true;
    }
  }
  return false;
}

function breakPart(
  api: ApiDocument,
  op: Operation,
  input: { path: Record<string, Json>; query: Record<string, Json>; body?: Json },
  where: 'body' | 'query' | 'path',
  mutation: (typeof MUTATIONS)[number],
): { input: Pick<Exchange, 'path' | 'query' | 'body'>; what: string } | null {
  if (where === 'body') {
    const broken = mutate(api, op.body!.schema, input.body!, mutation, random);
    if (!broken || api.validate(op.body!.schema, broken.value).ok) return null;
    return { input: { path: input.path, query: input.query, body: jsonBody(broken.value) }, what: broken.what };
  }
  // Parameters as the object they are validated as: the operation's query or path parameters.
  const params = op.parameters.filter((p) => p.in === where);
  const schema = {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
    // Unknown query keys are refused like unknown body fields; a path has no room for one.
    additionalProperties: where === 'path',
  };
  const broken = mutate(api, schema, input[where], mutation, random);
  if (!broken || broken.what.startsWith('(body)') || api.validate(schema, broken.value).ok) return null;
  const values = broken.value as Record<string, Json>;
  // A URL carries text: only breaks that survive being written as text are breaks.
  if (Object.values(values).some((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return null;
  if (where === 'path' && (mutation === 'missing-required' || Object.values(values).some((v) => v === '' || v === null))) return null;
  if (api.validate(schema, textual(values, schema)).ok) return null;
  const rest = { path: input.path, query: input.query, ...(input.body === undefined ? {} : { body: jsonBody(input.body) }) };
  return { input: { ...rest, [where]: values }, what: broken.what };
}

/** Path or query values as the server reads them: strings, coerced back where the schema says number or boolean. */
function textual(values: Record<string, Json>, schema: Doc): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = (schema.properties[name] as Doc | undefined)?.type;
    const coerce = (v: Json): Json => {
      const s = String(v);
      if ((type === 'integer' || type === 'number') && s.trim() !== '' && !Number.isNaN(Number(s))) return Number(s);
      if (type === 'boolean' && (s === 'true' || s === 'false')) return s === 'true';
      return s;
    };
    out[name] = Array.isArray(value) ? value.map(coerce) : coerce(value);
  }
  return out;
}

/** Bodies that are not the operation's JSON at all: each gets the status documented for it. */
async function unreadableBody(api: ApiDocument, op: Operation, kind: number): Promise<void> {
  const input = validInput(api, op, false);
  const limit = Number(/limit of (\d+) bytes/.exec(op.responses.get(413)?.description ?? '')?.[1]);
  expect(limit, `${op.id}: 413 documented with its limit`).toBeGreaterThan(0);
  const cases: { label: string; body: { text: string; contentType: string }; status: number }[] = [
    { label: 'malformed JSON', body: { text: '{"', contentType: 'application/json' }, status: 400 },
    { label: 'a JSON string', body: { text: '"text"', contentType: 'application/json' }, status: 400 },
    { label: 'text/plain', body: { text: JSON.stringify(input.body), contentType: 'text/plain' }, status: 415 },
    { label: 'over the limit', body: jsonBody({ padding: 'x'.repeat(limit) }), status: 413 },
  ];
  const chosen = cases[kind % cases.length]!;
  stats.invalid++;
  await exchange({ api, op, label: chosen.label, path: input.path, query: input.query, body: chosen.body, expect: { only: [chosen.status] } });
}

/** A path segment that is not valid percent-encoding (a cut UTF-8 sequence): the request cannot be read. */
async function undecodablePath(api: ApiDocument, op: Operation): Promise<void> {
  const input = validInput(api, op, false);
  const path = Object.fromEntries(Object.keys(input.path).map((name, i) => [name, i === 0 ? '%E0%A4%A' : encodeSegment(input.path[name])]));
  stats.invalid++;
  const body = input.body === undefined ? {} : { body: jsonBody(input.body) };
  await exchange({ api, op, label: 'undecodable path segment', path, query: input.query, ...body, rawPath: true, expect: { only: [400] } });
}

async function otherMethod(api: ApiDocument, path: string, served: string[]): Promise<void> {
  const op = api.operations.find((o) => o.path === path)!;
  const input = validInput(api, op, false);
  // A method another path also takes for this URL is not "another method": GET /orders/placements
  // is GET /orders/{id} with the id `placements`.
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => String(input.path[name])).split('/');
  const alsoServed = api.operations.filter((o) => templateMatches(o.path, url)).map((o) => o.method.toUpperCase());
  const others = HTTP_METHODS.map((m) => m.toUpperCase()).filter((m) => !served.includes(m) && !alsoServed.includes(m));
  stats.invalid++;
  await exchange({ api, op, label: 'another method', method: pick(random, others), path: input.path, query: {}, expect: { only: [405] } });
}

/** Whether a path template (`/orders/{id}`) matches a URL's segments. */
function templateMatches(template: string, url: string[]): boolean {
  const segments = template.split('/');
  return segments.length === url.length && segments.every((segment, i) => segment.startsWith('{') || segment.toLowerCase() === url[i]!.toLowerCase());
}

describe(`the example services against their OpenAPI documents (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  it('answer every request as documented', { timeout: 60_000 }, async () => {
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      // The happy path first: from the documented examples, ids carried from one service's answers to the next.
      for (const api of apis) for (const op of api.operations) await validRequest(api, op, true, round % 2 === 0);
      for (const api of apis) {
        for (const [i, op] of api.operations.entries()) {
          await validRequest(api, op, false);
          await invalidInput(api, op, round + i);
          if (op.body) await unreadableBody(api, op, round + i);
          if ((round + i) % 3 === 0 && op.parameters.some((p) => p.in === 'path')) await undecodablePath(api, op);
        }
        for (const [path, served] of api.methodsByPath()) await otherMethod(api, path, served);
        // A deadline already past: the request is valid, so it is the deadline that answers (504).
        const op = pick(random, api.operations);
        const input = validInput(api, op, true);
        await exchange({
          api,
          op,
          label: 'expired deadline',
          path: input.path,
          query: input.query,
          ...(input.body === undefined ? {} : { body: jsonBody(input.body) }),
          headers: { 'x-mesh-deadline': '1' },
          expect: { only: [504] },
        });
      }
    }
    await running.bus.idle();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`).join(' ');
    console.log(`openapi fuzz: seed ${SEED}, ${ROUNDS} rounds, ${stats.requests} requests (${stats.invalid} invalid) in ${seconds}s; ${statuses}`);

    expect(stats.requests).toBeGreaterThan(200);
    const operations = apis.flatMap((api) => api.operations.map((op) => `${api.name}.${op.id}`));
    expect(operations.filter((op) => !stats.succeeded.has(op)), 'operations never answered with success').toEqual([]);
    for (const status of [400, 404, 405, 409, 413, 415, 422, 504]) expect(stats.byStatus.get(status), `no ${status} was seen`).toBeGreaterThan(0);
    expect(logged.join(''), 'the services logged errors').toBe('');
  });

  it('leaves every service healthy', async () => {
    for (const api of apis) {
      const res = await fetch(`${running.urls[api.name]?.http}/health`);
      expect(res.status).toBe(200);
    }
  });
});
