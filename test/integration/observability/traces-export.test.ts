// The export the OTEL_* variables configure, end to end: setupTracing loads the SDK, spans go to an
// OTLP/HTTP collector (a stub here) under the service name the environment gives, and shutdown
// sends what is still buffered.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { activeTracer, setupTracing } from '../../../runtime/observability/tracing/index.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

afterAll(() => new Promise<void>((done) => collector.close(() => done())));

describe('export over OTLP HTTP', () => {
  it('sends the spans to OTEL_EXPORTER_OTLP_ENDPOINT under OTEL_SERVICE_NAME, flushed on shutdown', async () => {
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    expect(activeTracer()).toBeUndefined();
    const setup = await setupTracing('orders', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'orders-eu' });
    expect(setup).not.toBeNull();
    const tracer = activeTracer()!;
    expect(tracer).toBeDefined();
    tracer.startSpan('POST /orders', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders' } }).end();
    await setup!.shutdown();

    expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
    expect(received[0]!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(received[0]!.body) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: { name: string }[] }[] }[];
    };
    const [resourceSpans] = body.resourceSpans;
    const serviceName = resourceSpans!.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    expect(serviceName).toBe('orders-eu');
    expect(resourceSpans!.scopeSpans.map((s) => [s.scope.name, s.spans.map((span) => span.name)])).toEqual([['meshspec', ['POST /orders']]]);
  });

  it('stays off without an endpoint, and when the SDK is disabled', async () => {
    expect(await setupTracing('orders', {})).toBeNull();
    expect(await setupTracing('orders', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })).toBeNull();
  });
});
