// setupTracing with span processors of the caller's own (the dashboard's trace store): registered
// without any export, every span sampled, per-service tracers feeding the same processors, beside
// an OTLP export when one is wanted; OTEL_SDK_DISABLED still turns everything off.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { activeTracer } from '../../../runtime/observability/tracing/tracer.js';
import { setupTracing } from '../../../runtime/observability/tracing/setup.js';
import { createTraceStore } from '../../../runtime/dev/dashboard/traces/index.js';

const bodies: string[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
  req.on('end', () => {
    bodies.push(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(() => new Promise<void>((done) => collector.close(() => done())));

const savedSampler = process.env['OTEL_TRACES_SAMPLER'];
afterEach(() => {
  if (savedSampler === undefined) delete process.env['OTEL_TRACES_SAMPLER'];
  else process.env['OTEL_TRACES_SAMPLER'] = savedSampler;
});

describe('setupTracing with span processors', () => {
  it('registers a provider with no export wanted: the process tracer and each service tracer feed the processors', async () => {
    const store = createTraceStore();
    const setup = await setupTracing('shop', {}, { spanProcessors: [store.processor] });
    expect(setup).not.toBeNull();
    try {
      const root = activeTracer('gateway')!.startSpan('GET /api/v1/users', { kind: SpanKind.SERVER });
      // The W3C propagator and the context manager are registered as with an export.
      const headers: Record<string, string> = {};
      context.with(trace.setSpan(context.active(), root), () => {
        activeTracer('users')!.startSpan('GET /users').end();
        activeTracer()!.startSpan('process work').end();
        propagation.inject(context.active(), headers);
      });
      root.end();
      const { traceId, spanId } = root.spanContext();
      expect(headers['traceparent']).toBe(`00-${traceId}-${spanId}-01`);
      const spans = store.get(traceId)!.spans;
      expect(spans.map((s) => [s.service, s.name, s.parentSpanId === null ? null : 'gateway'])).toEqual([
        ['gateway', 'GET /api/v1/users', null],
        ['users', 'GET /users', 'gateway'],
        ['shop', 'process work', 'gateway'],
      ]);
    } finally {
      await setup!.shutdown();
    }
    expect(activeTracer()).toBeUndefined();
    // The store outlives the provider.
    expect(store.list(5)).toHaveLength(1);
  });

  it('samples every span even when OTEL_TRACES_SAMPLER of the process says otherwise but not the given environment; the variable decides when given', async () => {
    process.env['OTEL_TRACES_SAMPLER'] = 'always_off';
    const store = createTraceStore();
    const all = await setupTracing('shop', {}, { spanProcessors: [store.processor] });
    activeTracer('users')!.startSpan('kept').end();
    await all!.shutdown();
    expect(store.list(5).map((t) => t.name)).toEqual(['kept']);

    const off = createTraceStore();
    const sampled = await setupTracing('shop', { OTEL_TRACES_SAMPLER: 'always_off' }, { spanProcessors: [off.processor] });
    activeTracer('users')!.startSpan('dropped').end();
    activeTracer()!.startSpan('dropped too').end();
    await sampled!.shutdown();
    expect(off.list(5)).toEqual([]);
  });

  it('continues a remote parent as its sampled flag says (ParentBased)', async () => {
    const store = createTraceStore();
    const setup = await setupTracing('shop', {}, { spanProcessors: [store.processor] });
    const parent = (flags: number) => trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
    activeTracer('users')!.startSpan('unsampled caller', {}, parent(0)).end();
    activeTracer('users')!.startSpan('sampled caller', {}, parent(1)).end();
    await setup!.shutdown();
    expect(store.list(5).map((t) => t.name)).toEqual(['sampled caller']);
  });

  it('sends the spans to OTLP and to the processors when both are wanted', async () => {
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const store = createTraceStore();
    const setup = await setupTracing('shop', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, { spanProcessors: [store.processor] });
    activeTracer('orders')!.startSpan('POST /orders', { kind: SpanKind.SERVER }).end();
    await setup!.shutdown();
    expect(store.list(5).map((t) => [t.service, t.name])).toEqual([['orders', 'POST /orders']]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('POST /orders');
  });

  it('stays off with OTEL_SDK_DISABLED=true, processors or not; without processors or export, as before', async () => {
    const store = createTraceStore();
    expect(await setupTracing('shop', { OTEL_SDK_DISABLED: 'true' }, { spanProcessors: [store.processor] })).toBeNull();
    expect(await setupTracing('shop', { OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, { spanProcessors: [store.processor] })).toBeNull();
    expect(await setupTracing('shop', {}, { spanProcessors: [] })).toBeNull();
    expect(await setupTracing('shop', {})).toBeNull();
    expect(activeTracer()).toBeUndefined();
  });
});
