// The dashboard's trace store fed by the real example stack: a request through the gateway with the
// client's traceparent is one trace holding the gateway's and users' spans, linked parent to child,
// listed with its method and status. The explorer relies on the gateway continuing that traceparent.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type RunningStack } from '../../../runtime/dev/index.js';
import { setupTracing, type TracingSetup } from '../../../runtime/observability/tracing/setup.js';
import { createTraceStore } from '../../../runtime/dev/dashboard/traces/index.js';
import { prepareDevAuth, type DevAuth } from '../../../generator/cli/dev-auth.js';
import { stack } from '../../../generated/stack.js';

const store = createTraceStore();
let tracing: TracingSetup | null = null;
let running: RunningStack | undefined;
let token = '';

beforeAll(async () => {
  // What `meshspec dev` does for an authenticating gateway: a secret and identity keys for this run, and a token.
  const notes = await prepareDevAuth(stack.gateway?.auth as DevAuth | undefined, process.env);
  const line = notes.find((note) => note.startsWith('development token'));
  expect(line).toBeDefined();
  token = line!.slice(line!.lastIndexOf(' ') + 1);
  // Before the stack: its components ask for their tracer once, at start.
  tracing = await setupTracing('shop', {}, { spanProcessors: [store.processor] });
  // Free ports for every listener the spec gives one (as `meshspec dev --free-ports` does).
  const ports = Object.fromEntries(
    stack.services.map((host) => {
      const { name, ports: declared } = host().definition;
      return [name, { http: 0, grpc: declared.grpc === null ? null : 0 }];
    }),
  );
  running = await startStack(stack, { ports, gatewayPort: 0, data: 'memory', logLevel: 'info', output: { write: () => true } });
});

afterAll(async () => {
  await running?.close();
  await tracing?.shutdown();
});

describe('dashboard traces of the example stack', () => {
  it("keeps a request through the gateway as the client's trace, with the gateway's and users' spans linked", async () => {
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const res = await fetch(`${running!.gatewayUrl}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: JSON.stringify({ email: `traces-${traceId.slice(0, 8)}@example.com`, name: 'Ada' }),
    });
    expect(res.status).toBe(201);
    await res.arrayBuffer();

    // The gateway's span ends with its access line, once the response closed: wait for it.
    const detail = await vi.waitFor(() => {
      const found = store.get(traceId);
      expect(found?.spans.some((s) => s.service === 'gateway')).toBe(true);
      return found!;
    });
    const gateway = detail.spans.find((s) => s.service === 'gateway')!;
    // The gateway continues the client's trace: its span's parent is the client's span, not kept here.
    expect(gateway).toMatchObject({ kind: 'server', name: 'POST /api/v1/users', parentSpanId: null });
    expect(gateway.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/v1/users', 'http.response.status_code': 201 });
    const users = detail.spans.find((s) => s.service === 'users' && s.kind === 'server')!;
    expect(users).toMatchObject({ name: 'POST /users', parentSpanId: gateway.spanId });
    expect(users.attributes).toMatchObject({ 'http.route': '/users', 'http.response.status_code': 201 });
    // Every other span hangs below one of this trace's spans.
    const ids = new Set(detail.spans.map((s) => s.spanId));
    for (const span of detail.spans) if (span !== gateway) expect(ids.has(span.parentSpanId ?? '')).toBe(true);
    expect(detail.spans[0]).toBe(gateway);

    const summary = store.list(50).find((t) => t.traceId === traceId);
    expect(summary).toMatchObject({ service: 'gateway', method: 'POST', route: '/api/v1/users', status: 201, error: false });
    expect(summary!.services).toEqual(expect.arrayContaining(['gateway', 'users']));
  });
});
