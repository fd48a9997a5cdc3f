// Traces of a small stack built for it (the runtime's fixtures: users on the node binding, front on
// the Express binding calling users in process): a retried in-process call is two client spans, each
// with users' server span under it, all under front's Express server span; an event handled after a
// failed delivery is two consumer spans under the one publish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { startStack, type RunningStack } from '../../support/runtime.js';
import { faultyStack } from './faulty-stack.js';
import { parentOf, registerTestTracing, type TestTracing } from '../../support/tracing.js';

const { stack, failures } = faultyStack();

let tracing: TestTracing;
let running: RunningStack;

beforeAll(async () => {
  tracing = registerTestTracing();
  running = await startStack(stack, { ports: { users: { http: 0 }, front: { http: 0 } }, output: { write: () => true }, logLevel: 'silent', bus: { retryDelayMs: 1 } });
});
afterAll(async () => {
  await running?.close();
  await tracing?.close();
});

describe('traces across the layers', () => {
  it('makes each attempt of a retried in-process call a client span, under the Express server span', async () => {
    tracing.exporter.reset();
    failures.getUser = 1;
    const res = await fetch(`${running.urls.front!.http}/via/1`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    expect(res.status).toBe(200);
    const spans = tracing.spans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /via/{id}')!;
    expect(server).toBeDefined();
    // The caller's traceparent is continued by the Express binding.
    expect([server.spanContext().traceId, parentOf(server)]).toEqual(['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']);
    expect(server.attributes).toMatchObject({ 'http.route': '/via/{id}', 'http.response.status_code': 200 });
    const attempts = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(attempts.map((s) => s.name)).toEqual(['users/getUser', 'users/getUser']);
    expect(attempts.map(parentOf)).toEqual([server.spanContext().spanId, server.spanContext().spanId]);
    expect(attempts.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    const served = spans.filter((s) => s.kind === SpanKind.SERVER && s.name === 'users/getUser');
    expect(served.map(parentOf).sort()).toEqual(attempts.map((s) => s.spanContext().spanId).sort());
    expect(served.map((s) => s.attributes['http.response.status_code']).sort()).toEqual([200, 503]);
  });

  it('makes each delivery of an event a consumer span under its publish', async () => {
    tracing.exporter.reset();
    failures.welcome = 1;
    const res = await fetch(`${running.urls.users!.http}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'traces@example.com', name: 'T' }) });
    expect(res.status).toBe(201);
    await running.bus.idle();
    const spans = tracing.spans();
    const publish = spans.filter((s) => s.kind === SpanKind.PRODUCER && s.name === 'send user.created');
    expect(publish).toHaveLength(1);
    const deliveries = spans.filter((s) => s.kind === SpanKind.CONSUMER && s.name === 'process user.created');
    expect(deliveries.map(parentOf)).toEqual([publish[0]!.spanContext().spanId, publish[0]!.spanContext().spanId]);
    expect(deliveries.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(deliveries[0]!.attributes).toMatchObject({ 'messaging.system': 'memory', 'messaging.consumer.group.name': 'front' });
  });
});
