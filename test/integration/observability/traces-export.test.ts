// The export the OTEL_* variables configure, end to end: setupTracing loads the SDK, spans go to an
// OTLP/HTTP collector (a stub here) under the service name the environment gives, and shutdown
// sends what is still buffered.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { activeTracer, setupTracing } from '../../../runtime/observability/tracing/index.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
/** The part of an OTLP/JSON export request the tests read. */
interface ExportBody {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: { name: string }[] }[] }[];
}
const received: Received[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

afterAll(() => new Promise<void>((done) => collector.close(() => done())));

describe('export over OTLP HTTP', () => {
  it('sends the spans to OTEL_EXPORTER_OTLP_ENDPOINT under OTEL_SERVICE_NAME as http/json when asked, flushed on shutdown', async () => {
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    expect(activeTracer()).toBeUndefined();
    const setup = await setupTracing('orders', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'orders-eu', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(setup).not.toBeNull();
    const tracer = activeTracer()!;
    expect(tracer).toBeDefined();
    tracer.startSpan('POST /orders', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders' } }).end();
    await setup!.shutdown();

    expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
    expect(received[0]!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(received[0]!.body) as ExportBody;
    const [resourceSpans] = body.resourceSpans;
    const serviceName = resourceSpans!.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    expect(serviceName).toBe('orders-eu');
    expect(resourceSpans!.scopeSpans.map((s) => [s.scope.name, s.spans.map((span) => span.name)])).toEqual([['meshspec', ['POST /orders']]]);
  });

  it('exports the spans of each service of a group under its own service.name, the process tracer spans under the workload', async () => {
    received.length = 0;
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const setup = await setupTracing('checkout', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' });
    activeTracer('orders')!.startSpan('POST /orders', { kind: SpanKind.SERVER }).end();
    activeTracer('payments')!.startSpan('POST /payments', { kind: SpanKind.SERVER }).end();
    activeTracer('orders')!.startSpan('send order.created', { kind: SpanKind.PRODUCER }).end();
    activeTracer()!.startSpan('process start', { kind: SpanKind.INTERNAL }).end();
    await setup!.shutdown();

    const spansByService = new Map<string, string[]>();
    for (const { body } of received) {
      for (const group of (JSON.parse(body) as ExportBody).resourceSpans) {
        const name = group.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        const names = group.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name));
        spansByService.set(name, [...(spansByService.get(name) ?? []), ...names]);
      }
    }
    expect(Object.fromEntries(spansByService)).toEqual({
      orders: ['POST /orders', 'send order.created'],
      payments: ['POST /payments'],
      checkout: ['process start'],
    });
    // Shut down: the runtime's components get no tracer, per service or not.
    expect(activeTracer('orders')).toBeUndefined();
  });

  it('speaks http/protobuf when no protocol is named (the default of the specification), and gRPC when asked', async () => {
    received.length = 0;
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const overHttp = await setupTracing('orders', { OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/` });
    activeTracer('orders')!.startSpan('GET /orders/{id}').end();
    await overHttp!.shutdown();
    expect(received.map((r) => [r.path, r.headers['content-type']])).toEqual([['/v1/traces', 'application/x-protobuf']]);
    // Protobuf carries strings as they are: the service and the span name are in the bytes.
    expect(received[0]!.body).toContain('GET /orders/{id}');
    expect(received[0]!.body).toContain('orders');

    const grpcBodies: Buffer[] = [];
    const grpcCollector = new Server();
    const raw = (bytes: Buffer) => bytes;
    grpcCollector.addService(
      { Export: { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } },
      { Export: (call: ServerUnaryCall<Buffer, Buffer>, answer: sendUnaryData<Buffer>) => (grpcBodies.push(call.request), answer(null, Buffer.alloc(0))) },
    );
    const port = await new Promise<number>((done, fail) => grpcCollector.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? fail(err) : done(bound))));
    try {
      const overGrpc = await setupTracing('payments', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
      activeTracer('payments')!.startSpan('POST /payments').end();
      await overGrpc!.shutdown();
      expect(grpcBodies).toHaveLength(1);
      expect(grpcBodies[0]!.toString('latin1')).toContain('POST /payments');
    } finally {
      grpcCollector.forceShutdown();
    }
  });

  it('refuses a protocol it cannot speak before anything starts', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/thrift' };
    await expect(setupTracing('orders', env)).rejects.toThrow("OTEL_EXPORTER_OTLP_PROTOCOL must be 'http/protobuf', 'http/json', 'grpc'; got 'http/thrift'");
    expect(activeTracer()).toBeUndefined();
  });

  it('stays off without an endpoint, and when the SDK is disabled', async () => {
    expect(await setupTracing('orders', {})).toBeNull();
    expect(await setupTracing('orders', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })).toBeNull();
  });
});
