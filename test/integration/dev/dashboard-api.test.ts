// The dashboard's data API on the example shop, started as `meshspec dev` starts it (the stack with
// free ports, its data in memory, the dashboard on a free port, the development token, every span
// kept in the trace store): every route answers what its schema (api-schemas.ts) says, errors
// included, and hostile requests are refused.
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDevAuthWithToken } from '../../../generator/cli/dev-auth.js';
import { startStack, type DevStack, type RunningStack } from '../../../runtime/dev/index.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import { API_SCHEMA_ID, apiSchemas, startDashboard, type ApiSchemaName, type Dashboard } from '../../../runtime/dev/dashboard/index.js';
import { createTraceStore } from '../../../runtime/dev/dashboard/traces/index.js';
import { createEventsSource } from '../../../runtime/dev/dashboard/events.js';
import { catalogEvents } from '../../../runtime/dev/dashboard/catalog.js';
import { setupTracing, type TracingSetup } from '../../../runtime/observability/tracing/setup.js';
import { SHOP_AUTH_ENV } from '../../support/shop-flow.js';
import { withFailingSubscriber } from '../../support/failing-subscriber.js';

const SERVICES = ['inventory', 'orders', 'payments', 'users'];

let stack: DevStack;
let running: RunningStack;
let tracing: TracingSetup | null;
let dashboard: string;
let token: string | undefined;
/** While set, orders' `confirmOrder` throws: its `payment.completed` deliveries fail until dead-lettered. */
const failing = { on: false };
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(apiSchemas);

/** The first defined answer of `probe`, asked every 100 ms for up to 20 s. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fails with ajv's errors unless `value` fits the named schema. */
function expectSchema(name: ApiSchemaName, value: unknown): void {
  const validate = ajv.getSchema(`${API_SCHEMA_ID}#/definitions/${name}`)!;
  expect(validate, name).toBeDefined();
  const ok = validate(value);
  expect(ok ? [] : validate.errors, `${name}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
}

async function get(route: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${dashboard}${route}`);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function post(route: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${dashboard}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** A request exactly as written (Host header and path untouched), as curl or a rebinding page can send it. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(dashboard);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: options.headers, setHost: options.headers?.['host'] === undefined }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    // A refused upload may be cut before it is all sent: the answer came first.
    req.on('error', (err) => (String(err).includes('EPIPE') || String(err).includes('ECONNRESET') ? undefined : reject(err)));
    req.end(options.body);
  });
}

/** Fails unless the answer is an ApiError with this status and code. */
function expectError(answer: { status: number; body: unknown }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expectSchema('ApiError', answer.body);
  expect((answer.body as { error: { code: string } }).error.code).toBe(code);
}

beforeAll(async () => {
  ({ stack } = (await import('../../../generated/stack.js')) as { stack: DevStack });
  Object.assign(process.env, SHOP_AUTH_ENV);
  ({ token } = await prepareDevAuthWithToken(stack.gateway?.auth as never, process.env));
  const traces = createTraceStore();
  tracing = await setupTracing('shop', {}, { spanProcessors: [traces.processor] });
  const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
  const withFlag = withFailingSubscriber(stack, { service: 'orders', handler: 'confirmOrder' }, failing, 'orders cannot confirm right now (test)');
  running = await startStack(withFlag, {
    ports, gatewayPort: 0, gatewayMetricsPort: 0, data: 'memory', env: {}, logLevel: 'info', output: { write: () => true },
    bus: { retryDelayMs: 5, maxRetryDelayMs: 20 },
    dashboard: { port: 0, token, traces },
  });
  dashboard = running.dashboardUrl!;
});

afterAll(async () => {
  await running?.close();
  await tracing?.shutdown();
});

describe('dashboard data API on the example stack', () => {
  it('listens on loopback at the URL the stack names', () => {
    expect(token).toMatch(/^ey/);
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /api/overview: the mesh, the gateway, the services and whether the explorer has a token', async () => {
    const { status, headers, body } = await get('/api/overview');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expectSchema('Overview', body);
    expect(body).toMatchObject({ mesh: 'shop', dashboardUrl: dashboard, devToken: true, gateway: { url: running.gatewayUrl, metricsUrl: running.gatewayMetricsUrl } });
    expect((body as { services: { name: string }[] }).services.map((s) => s.name).sort()).toEqual(SERVICES);
  });

  it('GET /api/catalog: the four services as they run, with the gateway and the saga', async () => {
    const { status, body } = await get('/api/catalog');
    expect(status).toBe(200);
    expectSchema('Catalog', body);
    const catalog = body as { services: { name: string; http: string; calls: { inProcess: boolean }[] }[]; sagas: { name: string }[] };
    expect(catalog.services.map((s) => s.name)).toEqual(SERVICES);
    expect(catalog.services.find((s) => s.name === 'users')?.http).toBe(running.urls['users']?.http);
    expect(catalog.sagas.map((s) => s.name)).toContain('placeOrder');
  });

  it('POST /api/explorer/call: createUser through the gateway with the development token answers 201, and its trace has the gateway and users', async () => {
    const { status, body } = await post('/api/explorer/call', { endpoint: 'users.createUser', input: { email: `ada-${Date.now()}@example.com`, name: 'Ada' } });
    expect(status).toBe(200);
    expectSchema('ExplorerAnswer', body);
    const answer = body as { status: number; traceId: string; body: { name: string }; request: { via: string; url: string; headers: Record<string, string> } };
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('Ada');
    expect(answer.request).toMatchObject({ via: 'gateway', url: `${running.gatewayUrl}/api/v1/users` });
    // The token is the dashboard's: the page never sees it.
    expect(answer.request.headers['authorization']).toBe('Bearer <development token>');
    const trace = await eventually(async () => {
      const found = await get(`/api/traces/${answer.traceId}`);
      const services = found.status === 200 ? new Set((found.body as { spans: { service: string }[] }).spans.map((s) => s.service)) : new Set();
      return services.has('gateway') && services.has('users') ? found : undefined;
    });
    expectSchema('TraceDetail', trace.body);
    const list = await get('/api/traces?limit=10');
    expect(list.status).toBe(200);
    expectSchema('TraceList', list.body);
    expect((list.body as { traces: { traceId: string }[] }).traces.map((t) => t.traceId)).toContain(answer.traceId);
  });

  it('POST /api/explorer/call: a public endpoint, and an endpoint no route reaches (called on its service)', async () => {
    const products = await post('/api/explorer/call', { endpoint: 'inventory.listProducts' });
    expectSchema('ExplorerAnswer', products.body);
    expect((products.body as { status: number }).status).toBe(200);
    const direct = await post('/api/explorer/call', { endpoint: 'inventory.getProduct', params: { id: 'sku-keyboard' } });
    expect((direct.body as { status: number; request: { via: string } }).status).toBe(200);
    const reserve = await post('/api/explorer/call', { endpoint: 'inventory.reserve', input: {} });
    expectSchema('ExplorerAnswer', reserve.body);
    expect(reserve.body).toMatchObject({ status: 400, request: { via: 'service', url: `${running.urls['inventory']?.http}/reservations` } });
  });

  it('GET /api/topology: the gateway and the four services, their health ready once polled, calls in process', async () => {
    const topology = await eventually(async () => {
      const { body } = await get('/api/topology');
      const nodes = (body as { nodes: { kind: string; health: string | null }[] }).nodes.filter((n) => n.kind !== 'event');
      return nodes.every((n) => n.health === 'ready') ? body : undefined;
    });
    expectSchema('Topology', topology);
    const { nodes, edges } = topology as { nodes: { id: string }[]; edges: { id: string; kind: string; transport: string | null }[] };
    expect(nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['gateway', 'service:inventory', 'service:orders', 'service:payments', 'service:users']));
    expect(edges.find((e) => e.id === 'gateway->service:users')).toMatchObject({ kind: 'route', transport: 'http' });
    expect(edges.find((e) => e.id === 'service:orders->service:inventory')?.transport).toBe(running.colocated ? 'in-process' : 'grpc');
  });

  it('GET /api/events, /api/dead-letters and POST /api/dead-letters/replay answer as documented', async () => {
    const events = await get('/api/events');
    expect(events.status).toBe(200);
    expectSchema('EventsView', events.body);
    const letters = await get('/api/dead-letters?service=orders&limit=10');
    expect(letters.status).toBe(200);
    expectSchema('DeadLetterList', letters.body);
    const replay = await post('/api/dead-letters/replay', { service: 'orders', ids: 'all' });
    expect(replay.status).toBe(200);
    expectSchema('ReplayAnswer', replay.body);
    expect(replay.body).toMatchObject({ replayed: 0 });
    expectError(await post('/api/dead-letters/replay', { service: 'orders' }), 400, 'bad_request');
    expectError(await post('/api/dead-letters/replay', { service: 'billing', ids: 'all' }), 404, 'unknown_service');
  });

  it('GET /api/sagas and /api/sagas/{owner}/{id}: a saga placed through the explorer, with its steps', async () => {
    const user = await post('/api/explorer/call', { endpoint: 'users.createUser', input: { email: `saga-${Date.now()}@example.com`, name: 'Grace' } });
    const userId = (user.body as { body: { id: string } }).body.id;
    const placed = await post('/api/explorer/call', { endpoint: 'orders.placeOrder', input: { userId, items: [{ productId: 'sku-keyboard', quantity: 1 }], cardToken: 'tok_visa' } });
    expect([201, 202]).toContain((placed.body as { status: number }).status);
    const list = await eventually(async () => {
      const found = await get('/api/sagas?limit=10');
      return (found.body as { sagas: unknown[] }).sagas.length > 0 ? found : undefined;
    });
    expect(list.status).toBe(200);
    expectSchema('SagaList', list.body);
    const saga = (list.body as { sagas: { owner: string; id: string; saga: string }[]; unavailable: unknown[] }).sagas[0]!;
    expect(saga).toMatchObject({ owner: 'orders', saga: 'placeOrder' });
    expect((list.body as { unavailable: unknown[] }).unavailable).toEqual([]);
    const detail = await get(`/api/sagas/orders/${encodeURIComponent(saga.id)}`);
    expect(detail.status).toBe(200);
    expectSchema('SagaDetail', detail.body);
    expect((detail.body as { steps: { step: string }[] }).steps[0]?.step).toBe('validateUser');
    const stuck = await get('/api/sagas?state=stuck');
    expectSchema('SagaList', stuck.body);
    expectError(await get('/api/sagas?state=lost'), 400, 'bad_query');
    expectError(await get('/api/sagas/orders/no-such-saga'), 404, 'unknown_saga');
    expectError(await get('/api/sagas/billing/x'), 404, 'unknown_owner');
    expectError(await get('/api/sagas/orders/bad%20id'), 400, 'bad_saga_id');
  });

  it('lists a dead letter while orders fails, streams its count, and its replay confirms the order', async () => {
    const explore = async (endpoint: string, request: Record<string, unknown>) => {
      const { status, body } = await post('/api/explorer/call', { endpoint, ...request });
      expect(status).toBe(200);
      return body as { status: number; body: Record<string, unknown> };
    };
    const user = await explore('users.createUser', { input: { email: `dlq-${Date.now()}@example.com`, name: 'Barbara' } });
    const order = await explore('orders.createOrder', { input: { userId: user.body['id'], items: [{ productId: 'sku-keyboard', quantity: 1 }] } });
    expect(order.status).toBe(201);
    const orderId = order.body['id'] as string;
    const controller = new AbortController();
    const stream = await fetch(`${dashboard}/api/stream`, { signal: controller.signal });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    failing.on = true;
    try {
      const paid = await explore('payments.createPayment', { input: { orderId, amount: order.body['totalAmount'], cardToken: 'tok_visa' } });
      expect(paid.status).toBe(201);
      while (!/event: dead-letters\ndata: \{"total":1\}/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    } finally {
      controller.abort();
    }
    expectSchema('StreamDeadLetters', JSON.parse(/event: dead-letters\ndata: (.+)/.exec(text)![1]!));
    const listed = await get('/api/dead-letters?service=orders&event=payment.completed');
    expectSchema('DeadLetterList', listed.body);
    const [letter] = (listed.body as { deadLetters: { id: string; error: string; attempts: number }[] }).deadLetters;
    expect(letter).toMatchObject({ error: 'Error: orders cannot confirm right now (test)', attempts: 5 });
    failing.on = false;
    const replay = await post('/api/dead-letters/replay', { service: 'orders', ids: [letter!.id] }, { origin: dashboard });
    expect(replay.status).toBe(200);
    expectSchema('ReplayAnswer', replay.body);
    expect(replay.body).toMatchObject({ replayed: 1, notFound: [] });
    await eventually(async () => ((await explore('orders.getOrder', { params: { id: orderId } })).body['status'] === 'confirmed' ? true : undefined));
    expect((await get('/api/dead-letters?service=orders').then((a) => a.body as { deadLetters: unknown[] })).deadLetters).toEqual([]);
  });

  it('GET /api/schemas: the schema document itself', async () => {
    const { status, body } = await get('/api/schemas');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(apiSchemas)));
  });

  it('GET /api/stream: server-sent events with a retry hint, the topology and the events, then a trace as it ends and a saga as it starts', async () => {
    const user = await post('/api/explorer/call', { endpoint: 'users.createUser', input: { email: `stream-${Date.now()}@example.com`, name: 'Alan' } });
    const userId = (user.body as { body: { id: string } }).body.id;
    const controller = new AbortController();
    const res = await fetch(`${dashboard}/api/stream`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const seen = new Map<string, unknown>();
    let called = false;
    try {
      while (!(seen.has('topology') && seen.has('events') && seen.has('traces') && seen.has('sagas'))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        const frames = text.split('\n\n').slice(0, -1);
        for (const frame of frames) {
          const name = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (name && data) seen.set(name, JSON.parse(data));
        }
        // The second topology comes with the second look at the sagas: a saga placed now is a change.
        if (frames.filter((f) => f.startsWith('event: topology')).length >= 2 && !called) {
          called = true;
          await post('/api/explorer/call', { endpoint: 'orders.placeOrder', input: { userId, items: [{ productId: 'sku-mouse', quantity: 1 }], cardToken: 'tok_visa' } });
        }
      }
    } finally {
      controller.abort();
    }
    expect(text.startsWith('retry: ')).toBe(true);
    expectSchema('Topology', seen.get('topology'));
    expectSchema('EventsView', seen.get('events'));
    expectSchema('StreamTraces', seen.get('traces'));
    expectSchema('StreamSagas', seen.get('sagas'));
    // The dashboard's own reads (sagas polled while the stream was open, /ready) leave no traces.
    const traces = (await get('/api/traces?limit=500')).body as { traces: { name: string }[] };
    expect(traces.traces.filter((t) => /\/sagas|\/ready/.test(t.name)).map((t) => t.name)).toEqual([]);
  });

  it('keeps answering across --watch\'s reloads: a restarted service and a replaced gateway', async () => {
    const usersHost = stack.services.map((make) => make()).find((host) => host.definition.name === 'users')!;
    await running.restartService(usersHost);
    const catalog = await get('/api/catalog');
    expectSchema('Catalog', catalog.body);
    expect((catalog.body as { services: { name: string; http: string }[] }).services.find((s) => s.name === 'users')?.http).toBe(running.urls['users']?.http);
    await eventually(async () => {
      const { body } = await get('/api/topology');
      return (body as { nodes: { id: string; health: string }[] }).nodes.find((n) => n.id === 'service:users')?.health === 'ready' ? true : undefined;
    });
    await running.replaceGateway(running.gatewayConfig());
    expect((await get('/api/overview')).body).toMatchObject({ gateway: { url: running.gatewayUrl } });
    const call = await post('/api/explorer/call', { endpoint: 'users.listUsers' });
    expect(call.body).toMatchObject({ status: 200, request: { url: `${running.gatewayUrl}/api/v1/users` } });
  });

  it('GET /api/stream: a `catalog` event when a --watch reload changed the catalog, and none while it stays the same', async () => {
    const controller = new AbortController();
    const res = await fetch(`${dashboard}/api/stream`, { signal: controller.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const names = () => [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]!);
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended; it sent ${names().join(', ')}`);
        text += value;
      }
    };
    try {
      // Two rounds with nothing changed: no catalog event.
      await readUntil(() => names().filter((n) => n === 'topology').length >= 2);
      expect(names()).not.toContain('catalog');
      const users = running.hosts().find((host) => host.definition.name === 'users')!;
      await running.restartService({ ...users, definition: { ...users.definition, version: '9.9.9' } });
      await readUntil(() => names().includes('catalog'));
      const frame = text.split('\n\n').find((f) => f.startsWith('event: catalog'))!;
      expectSchema('StreamCatalog', JSON.parse(/^data: (.+)$/m.exec(frame)![1]!));
      const catalog = (await get('/api/catalog')).body as { services: { name: string; version: string }[] };
      expect(catalog.services.find((s) => s.name === 'users')?.version).toBe('9.9.9');
    } finally {
      controller.abort();
      const users = running.hosts().find((host) => host.definition.name === 'users')!;
      await running.restartService({ ...users, definition: { ...users.definition, version: '1.0.0' } });
    }
  });
});

describe('dashboard refusals', () => {
  it('answers 403 to a foreign Host (DNS rebinding)', async () => {
    const answer = await raw({ path: '/api/catalog', headers: { host: 'evil.example:9400' } });
    expectError({ status: answer.status, body: JSON.parse(answer.body) }, 403, 'forbidden_host');
    expect((await raw({ path: '/', headers: { host: 'rebind.example' } })).status).toBe(403);
  });

  it('answers 403 to a POST from another origin, 415 to text/plain', async () => {
    expectError(await post('/api/explorer/call', { endpoint: 'users.listUsers' }, { origin: 'https://evil.example' }), 403, 'forbidden_origin');
    expectError(await post('/api/dead-letters/replay', { service: 'orders', ids: 'all' }, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    // The dashboard's own page may.
    expect((await post('/api/explorer/call', { endpoint: 'inventory.listProducts' }, { origin: dashboard })).status).toBe(200);
  });

  it('answers 413 to a 2 MiB body, 400 to broken JSON and a wrong shape', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    const answer = await raw({ method: 'POST', path: '/api/explorer/call', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    expectError({ status: answer.status, body: JSON.parse(answer.body) }, 413, 'body_too_large');
    expectError(await post('/api/explorer/call', '{"endpoint": "users.'), 400, 'bad_json');
    expectError(await post('/api/explorer/call', { endpoint: 42 }), 400, 'bad_request');
  });

  it('answers 404 to an unknown endpoint id, naming the one meant', async () => {
    const answer = await post('/api/explorer/call', { endpoint: 'users.createUsr', input: {} });
    expectError(answer, 404, 'unknown_endpoint');
    expect((answer.body as { error: { message: string } }).error.message).toContain('users.createUser');
  });

  it('answers 404 to an unknown route or trace, 400 to a malformed trace id or limit, 405 with Allow to a wrong method', async () => {
    expectError(await get('/api/nothing'), 404, 'not_found');
    expectError(await get(`/api/traces/${'0'.repeat(32)}`), 404, 'unknown_trace');
    expectError(await get('/api/traces/xyz'), 400, 'bad_trace_id');
    expectError(await get('/api/traces?limit=100000'), 400, 'bad_query');
    const wrong = await fetch(`${dashboard}/api/catalog`, { method: 'DELETE' });
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expectError({ status: wrong.status, body: await wrong.json() }, 405, 'method_not_allowed');
    const getReplay = await fetch(`${dashboard}/api/dead-letters/replay`);
    expect(getReplay.headers.get('allow')).toBe('POST');
    expect(getReplay.status).toBe(405);
  });

  it('serves no file outside the page folder, however the path is spelled', async () => {
    for (const attempt of ['/../package.json', '/..%2f..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json', '/....//....//package.json', '/api-types.ts', '/%2e%2e%5c%2e%2e%5cpackage.json']) {
      const answer = await raw({ path: attempt });
      expect(answer.status, attempt).toBe(404);
      expect(answer.body).not.toContain('"name": "meshspec"');
      expectError({ status: answer.status, body: JSON.parse(answer.body) }, 404, 'not_found');
    }
    expect((await raw({ path: 'http://evil.example/api/catalog' })).status).toBe(400);
  });

  it('never shows a stack or an internal address in an error', async () => {
    const answers = [await post('/api/explorer/call', '{'), await get('/api/nothing'), await post('/api/explorer/call', { endpoint: 'users.getUser' })];
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at |node_modules|\/work\//);
  });
});

describe('dashboard page and lifecycle', () => {
  const pageDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-page-'));
  let own: Dashboard;
  beforeAll(async () => {
    writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><title>mesh</title>');
    writeFileSync(path.join(pageDir, 'app.js'), 'export const x = 1;');
    own = await startDashboard({ port: 0, stack, running, traces: createTraceStore(), events: createEventsSource({ bus: running.bus, events: () => catalogEvents(running.hosts()) }), pageDir });
  });
  afterAll(async () => {
    await own.close();
    rmSync(pageDir, { recursive: true, force: true });
  });

  it('serves the page at / and its files, typed, never cached, under a Content-Security-Policy', async () => {
    const index = await fetch(`${own.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-store');
    expect(index.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'");
    expect(await index.text()).toContain('<title>mesh</title>');
    const script = await fetch(`${own.url}/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${own.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${own.url}/app.js`, { method: 'POST' })).status).toBe(405);
  });

  it('ends its streams when it closes', async () => {
    const second = await startDashboard({ port: 0, stack, running, traces: createTraceStore(), events: createEventsSource({ bus: running.bus, events: () => [] }), pageDir });
    const res = await fetch(`${second.url}/api/stream`);
    const reader = res.body!.getReader();
    await reader.read();
    await second.close();
    let done = false;
    while (!done) ({ done } = await reader.read());
    expect(done).toBe(true);
  });

  it('refuses a taken port with a StartupError, and the stack names the flags that move it', async () => {
    const port = Number(new URL(own.url).port);
    const taken = startDashboard({ port, stack, running, traces: createTraceStore(), events: createEventsSource({ bus: running.bus, events: () => [] }) });
    await expect(taken).rejects.toBeInstanceOf(StartupError);
    const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
    const second = startStack(stack, { ports, gatewayPort: 0, gatewayMetricsPort: 0, data: 'memory', env: {}, logLevel: 'silent', output: { write: () => true }, dashboard: { port } });
    await expect(second).rejects.toThrow(`port ${port} (dashboard) is already in use: stop the process holding it, or run meshspec dev --dashboard-port <another port> (or --no-dashboard)`);
  });
});
