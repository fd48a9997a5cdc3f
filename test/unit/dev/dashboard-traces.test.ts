// The dashboard's trace store: spans as the page reads them, roots and summaries, log lines kept
// with their trace (real pino lines of the runtime's logger, and hostile ones), and its bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createTraceStore } from '../../../runtime/dev/dashboard/traces/index.js';
import type { TraceStore } from '../../../runtime/dev/dashboard/sources.js';
import { createLogger } from '../../../runtime/logging/index.js';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(contextManager.enable()));
afterAll(() => context.disable());

/** A tracer per service, each recording into `store`. */
function tracersFor(store: TraceStore): (service: string) => Tracer {
  const tracers = new Map<string, Tracer>();
  return (service) => {
    let tracer = tracers.get(service);
    if (!tracer) {
      tracer = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [store.processor] }).getTracer('meshspec');
      tracers.set(service, tracer);
    }
    return tracer;
  };
}

/** A context whose parent is a span of another process (as a server extracts it from a traceparent). */
function remoteParent(traceId: string, spanId: string): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1, isRemote: true });
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

describe('dashboard trace store: spans', () => {
  it('keeps each ended span in the page shape: service, kind, times, status, attributes, events, parent links', () => {
    const store = createTraceStore();
    const tracerOf = tracersFor(store);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const gateway = tracerOf('gateway').startSpan('POST /api/v1/users', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST' }, startTime: 1_700_000_000_000.25 }, remoteParent(traceId, 'b7ad6b7169203331'));
    gateway.setAttribute('http.route', '/api/v1/users');
    const users = tracerOf('users').startSpan('POST /users', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/users', big: 'x'.repeat(5000), list: ['a', 'b'], many: Array.from({ length: 100 }, (_, i) => i) } }, trace.setSpan(ROOT_CONTEXT, gateway));
    users.addEvent('validated', { fields: 2 });
    const publish = tracerOf('users').startSpan('send user.created', { kind: SpanKind.PRODUCER }, trace.setSpan(ROOT_CONTEXT, users));
    publish.setStatus({ code: SpanStatusCode.ERROR, message: 'bus down' });
    publish.end();
    users.setAttribute('http.response.status_code', 201);
    users.setStatus({ code: SpanStatusCode.OK });
    users.end();
    gateway.setAttribute('http.response.status_code', 201);
    gateway.end();

    const detail = store.get(traceId)!;
    expect(detail.spans.map((s) => [s.service, s.name, s.kind, s.status])).toEqual([
      ['gateway', 'POST /api/v1/users', 'server', 'unset'],
      ['users', 'POST /users', 'server', 'ok'],
      ['users', 'send user.created', 'producer', 'error'],
    ]);
    const [g, u, p] = detail.spans;
    // The gateway's parent is the client's span, in no process of this store: read as none.
    expect(g!.parentSpanId).toBeNull();
    expect(u!.parentSpanId).toBe(g!.spanId);
    expect(p!.parentSpanId).toBe(u!.spanId);
    expect(p!.statusMessage).toBe('bus down');
    expect(g!.startTime).toBe(1_700_000_000_000.25);
    expect(detail.startedAt).toBe(g!.startTime);
    expect(detail.durationMs).toBeGreaterThanOrEqual(0);
    expect(u!.attributes['big']).toBe(`${'x'.repeat(2048)}…`);
    expect(u!.attributes['list']).toEqual(['a', 'b']);
    expect(u!.attributes['many']).toHaveLength(32);
    expect(u!.events).toEqual([{ name: 'validated', time: expect.any(Number), attributes: { fields: 2 } }]);
    expect(detail.logs).toEqual([]);
  });

  it('summarizes a trace from its root: method, route and status from its HTTP attributes, any error, its services', () => {
    const store = createTraceStore();
    const tracerOf = tracersFor(store);
    const root = tracerOf('gateway').startSpan('GET /api/v1/orders', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.route': '/api/v1/orders' } });
    const child = tracerOf('orders').startSpan('GET /orders', { kind: SpanKind.SERVER }, trace.setSpan(ROOT_CONTEXT, root));
    const call = tracerOf('orders').startSpan('inventory/getStock', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, child));
    call.setStatus({ code: SpanStatusCode.ERROR });
    call.end();
    child.end();
    root.setAttribute('http.response.status_code', 200);
    root.end();
    const [summary] = store.list(10);
    expect(summary).toEqual({
      traceId: root.spanContext().traceId,
      startedAt: expect.any(Number),
      durationMs: expect.any(Number),
      service: 'gateway',
      name: 'GET /api/v1/orders',
      method: 'GET',
      route: '/api/v1/orders',
      status: 200,
      error: true,
      spanCount: 3,
      services: ['orders', 'gateway'],
    });
  });

  it('reads a trace without an HTTP root (an event consumer) with null method, route and status', () => {
    const store = createTraceStore();
    tracersFor(store)('orders').startSpan('process payment.completed', { kind: SpanKind.CONSUMER }).end();
    expect(store.list(1)[0]).toMatchObject({ service: 'orders', name: 'process payment.completed', method: null, route: null, status: null, error: false });
  });

  it('lists newest first, at most `limit`, and tells each new root to its listeners', () => {
    const store = createTraceStore();
    const tracer = tracersFor(store)('users');
    const heard: string[] = [];
    const unsubscribe = store.onTrace((traceId) => heard.push(traceId));
    store.onTrace(() => {
      throw new Error('a broken listener');
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const root = tracer.startSpan(`GET /users/${i}`, { startTime: 1_700_000_000_000 + i });
      // A child ends before its root: only the root is told.
      tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
      root.end();
      ids.push(root.spanContext().traceId);
    }
    expect(heard).toEqual(ids);
    expect(store.list(3).map((t) => t.traceId)).toEqual(ids.slice(2).reverse());
    expect(store.list(0)).toEqual([]);
    unsubscribe();
    tracer.startSpan('later').end();
    expect(heard).toHaveLength(5);
  });

  it('answers undefined for a trace it never saw', () => {
    expect(createTraceStore().get('0af7651916cd43dd8448eb211c80319c')).toBeUndefined();
  });
});

describe('dashboard trace store: bounds', () => {
  it('keeps the newest maxTraces traces, dropping the oldest first', () => {
    const store = createTraceStore({ maxTraces: 10 });
    const tracer = tracersFor(store)('users');
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      // Start times of their own: the SDK's clock reads in millisecond steps, too coarse for this loop.
      const span = tracer.startSpan(`span ${i}`, { startTime: 1_700_000_000_000 + i });
      span.end(1_700_000_000_000 + i + 1);
      ids.push(span.spanContext().traceId);
    }
    expect(store.list(1000).map((t) => t.traceId)).toEqual(ids.slice(-10).reverse());
    expect(store.get(ids[0]!)).toBeUndefined();
    expect(store.get(ids[999]!)?.spans).toHaveLength(1);
  });

  it('stays within its span and log totals under a flood of traces, spans and lines', () => {
    const store = createTraceStore({ maxTraces: 50, maxSpansPerTrace: 20, maxLogsPerTrace: 10, maxSpans: 300, maxLogs: 200 });
    const tracer = tracersFor(store)('users');
    for (let t = 0; t < 400; t++) {
      const root = tracer.startSpan('root');
      const parent = trace.setSpan(ROOT_CONTEXT, root);
      const { traceId, spanId } = root.spanContext();
      for (let s = 0; s < 30; s++) tracer.startSpan(`child ${s}`, {}, parent).end();
      for (let l = 0; l < 15; l++) store.recordLogLine(JSON.stringify({ level: 30, time: 1, service: 'users', trace_id: traceId, span_id: spanId, msg: `line ${l}`, blob: 'y'.repeat(10_000) }));
      root.end();
    }
    const traces = store.list(1000);
    const details = traces.map((t) => store.get(t.traceId)!);
    expect(traces.length).toBeLessThanOrEqual(50);
    expect(details.reduce((n, d) => n + d.spans.length, 0)).toBeLessThanOrEqual(300);
    expect(details.reduce((n, d) => n + d.logs.length, 0)).toBeLessThanOrEqual(200);
    for (const d of details) {
      expect(d.spans.length).toBeLessThanOrEqual(20);
      expect(d.logs.length).toBeLessThanOrEqual(10);
      expect(JSON.stringify(d).length).toBeLessThan(20 * 1024 + 10 * 3 * 1024);
    }
    // A full trace still keeps its root (it ends last) in place of a child: the list names it.
    expect(traces[0]).toMatchObject({ name: 'root', spanCount: 20 });
    expect(details[0]!.spans.filter((s) => s.parentSpanId === null).map((s) => s.name)).toEqual(['root']);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => createTraceStore({ maxTraces: 0 })).toThrow(RangeError);
    expect(() => createTraceStore({ maxSpansPerTrace: 1.5 })).toThrow('maxSpansPerTrace must be a positive integer, got 1.5');
  });
});

describe('dashboard trace store: log lines', () => {
  it("keeps the runtime logger's lines written inside a span with its trace, with level, service, span and fields", () => {
    const store = createTraceStore();
    const tracer = tracersFor(store)('users');
    const destination = { write: (chunk: string) => chunk.split('\n').filter(Boolean).forEach((line) => store.recordLogLine(line)) };
    const logger = createLogger({ service: 'users', level: 'debug', destination });
    logger.info('before any span');
    const root = tracer.startSpan('POST /users', { kind: SpanKind.SERVER });
    const { traceId, spanId } = root.spanContext();
    context.with(trace.setSpan(context.active(), root), () => {
      logger.warn({ userId: 'u1', nested: { deep: { deeper: { deepest: { x: 1 } } } } }, 'user created');
      logger.error({ err: new Error('boom') }, 'failed');
    });
    // The logs arrive before the span ends: they wait with the trace.
    expect(store.get(traceId)).toBeUndefined();
    root.end();
    const { logs } = store.get(traceId)!;
    expect(logs.map((l) => [l.level, l.service, l.spanId, l.msg])).toEqual([
      ['warn', 'users', spanId, 'user created'],
      ['error', 'users', spanId, 'failed'],
    ]);
    expect(logs[0]!.time).toBeGreaterThan(1_600_000_000_000);
    // Deeper than three levels below the line, a value is kept as its JSON text.
    expect(logs[0]!.fields).toEqual({ userId: 'u1', nested: { deep: { deeper: { deepest: '{"x":1}' } } } });
    expect(logs[1]!.fields['err']).toMatchObject({ type: 'Error', message: 'boom', stack: expect.stringContaining('boom') });
    expect(store.list(5)[0]!.traceId).toBe(traceId);
  });

  it('reads numeric pino levels and ISO times, and keeps a line without a span id', () => {
    const store = createTraceStore();
    const span = tracersFor(store)('orders').startSpan('x');
    const traceId = span.spanContext().traceId;
    store.recordLogLine(JSON.stringify({ level: 50, time: '2026-01-01T00:00:00.000Z', service: 'orders', trace_id: traceId.toUpperCase(), msg: 'upper-case id' }));
    store.recordLogLine(JSON.stringify({ level: 'loud', time: 5, trace_id: traceId, span_id: 'nope', msg: 42 }));
    span.end();
    expect(store.get(traceId)!.logs).toEqual([
      { time: 5, level: 'info', service: '', spanId: null, msg: '42', fields: {} },
      { time: Date.parse('2026-01-01T00:00:00.000Z'), level: 'error', service: 'orders', spanId: null, msg: 'upper-case id', fields: {} },
    ]);
  });

  it('ignores, without throwing, lines it cannot use: not JSON, no trace id, wrong types, hostile or huge', () => {
    const store = createTraceStore();
    const span = tracersFor(store)('orders').startSpan('x');
    const traceId = span.spanContext().traceId;
    const hostile: unknown[] = [
      '',
      'not json "trace_id"',
      '{"trace_id":',
      `["trace_id","${traceId}"]`,
      'null',
      JSON.stringify({ msg: 'no trace' }),
      JSON.stringify({ trace_id: 42 }),
      JSON.stringify({ trace_id: 'short' }),
      JSON.stringify({ trace_id: '0'.repeat(32) }),
      JSON.stringify({ trace_id: `${traceId}x` }),
      `{"trace_id":"${traceId}","msg":"${'z'.repeat(1024 * 1024)}"}`,
      undefined,
      42,
    ];
    for (const line of hostile) expect(() => store.recordLogLine(line as string)).not.toThrow();
    expect(store.list(10)).toEqual([]);
    span.end();
    expect(store.get(traceId)!.logs).toEqual([]);
  });

  it('bounds what it keeps of a line: 30 fields, long strings cut, a __proto__ key stays a field', () => {
    const store = createTraceStore();
    const span = tracersFor(store)('orders').startSpan('x');
    const traceId = span.spanContext().traceId;
    const fields = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i]));
    store.recordLogLine(JSON.stringify({ level: 'info', time: 1, service: 's'.repeat(500), trace_id: traceId, msg: 'm'.repeat(5000), ...fields, long: 'l'.repeat(5000), list: Array.from({ length: 100 }, () => 'x') }));
    store.recordLogLine(`{"level":"info","time":2,"trace_id":"${traceId}","msg":"proto","__proto__":{"polluted":true}}`);
    span.end();
    const [first, second] = store.get(traceId)!.logs;
    expect(Object.keys(first!.fields)).toHaveLength(30);
    expect(first!.msg).toHaveLength(2049);
    expect(first!.service).toHaveLength(129);
    expect(Object.getOwnPropertyDescriptor(second!.fields, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
