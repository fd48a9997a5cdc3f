// Tracing pieces on their own: one client span per attempt of a retried call, the OTEL_* variables
// read as the specification says, and trace ids on log lines (and only there).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MeshError } from '../../../runtime/errors/index.js';
import { createPipeline, type RetryPolicy } from '../../../runtime/resilience/index.js';
import { activeTracer, AttemptTracing, plan, tracingWanted } from '../../../runtime/observability/tracing/index.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { draws, scripted } from '../resilience/support.js';
import { parentOf, registerTestTracing, type TestTracing } from '../../support/tracing.js';

const retry: RetryPolicy = { attempts: 3, initialMs: 100, maxMs: 1_000, jitter: 'full', budget: { ratio: 1, minPerSecond: 100, windowMs: 10_000 } };

describe('tracing: the OTEL_* variables', () => {
  it('exports over OTLP only when an endpoint or the exporter asks for it, and never when disabled', () => {
    expect(tracingWanted({})).toBeNull();
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe('otlp');
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe('otlp');
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeNull();
    expect(tracingWanted({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeNull();
    expect(tracingWanted({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(() => tracingWanted({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow("OTEL_TRACES_EXPORTER must be 'otlp', 'console' or 'none', got 'zipkin'");
  });
});

describe('tracing: no provider registered', () => {
  it('gives no tracer, and log lines carry no trace fields', () => {
    expect(activeTracer()).toBeUndefined();
    const lines: string[] = [];
    const logger = createLogger({ service: 'users', level: 'info', destination: { write: (l: string) => lines.push(l) } });
    logger.info({ a: 1 }, 'plain');
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('trace_id');
  });
});

describe('tracing: with a provider', () => {
  let tracing: TestTracing;
  beforeEach(() => {
    tracing = registerTestTracing();
  });
  afterEach(async () => {
    await tracing.close();
  });

  it('makes one client span per attempt of a retried call, under the caller span, the failed one an error', async () => {
    const tracer = activeTracer()!;
    expect(tracer).toBeDefined();
    const clock = new ManualClock();
    const pipeline = createPipeline({ timeoutMs: 10_000, retry }, { dependency: 'users', clock, random: draws(0.5) });
    const flaky = scripted(clock, (n) => (n < 2 ? new MeshError('Unavailable', 'restarting', 503) : 'ok'));
    const attempts = new AttemptTracing(tracer, plan('GET /users/{id}', SpanKind.CLIENT, { 'http.request.method': 'GET', 'url.template': '/users/{id}' }));
    const caller = tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
    const result = await context.with(trace.setSpan(context.active(), caller), () => clock.settle(pipeline.run(flaky.attempt, { idempotent: true, wrapAttempt: attempts })));
    caller.end();
    expect(result).toEqual({ value: 'ok' });

    const clients = tracing.spans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients.map((s) => s.name)).toEqual(['GET /users/{id}', 'GET /users/{id}']);
    expect(clients.map(parentOf)).toEqual([caller.spanContext().spanId, caller.spanContext().spanId]);
    expect(clients.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(clients.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(clients[0]!.attributes['error.type']).toBe('Unavailable');
  });

  it('puts the active span on log lines, and leaves the objects logged untouched', () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'users', level: 'info', destination: { write: (l: string) => lines.push(l) } });
    const fields = Object.freeze({ orderId: 'o-1' });
    const span = activeTracer()!.startSpan('process payment.completed', { kind: SpanKind.CONSUMER });
    context.with(trace.setSpan(context.active(), span), () => logger.info(fields, 'inside'));
    logger.info(fields, 'outside');
    span.end();
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({ orderId: 'o-1', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, msg: 'inside' });
    expect(outside).not.toHaveProperty('trace_id');
    expect(fields).toEqual({ orderId: 'o-1' });
  });
});
