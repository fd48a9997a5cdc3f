// The dev stack's log destination with the trace store listening in (teeLogLines): the store gets
// the raw JSON lines, the terminal the same formatted lines as without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createTraceStore, teeLogLines } from '../../../runtime/dev/dashboard/traces/index.js';
import { createLogger, createPrefixedDestination } from '../../../runtime/logging/index.js';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(contextManager.enable()));
afterAll(() => context.disable());

describe('dashboard traces: the log tee', () => {
  it('gives the store the raw lines of a span and the terminal its formatted lines', () => {
    const store = createTraceStore();
    const tracer = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'users' }), spanProcessors: [store.processor] }).getTracer('meshspec');
    const terminal: string[] = [];
    const destination = teeLogLines(createPrefixedDestination({ write: (text: string) => terminal.push(text) }), store.recordLogLine);
    const logger = createLogger({ service: 'users', level: 'info', destination });
    const span = tracer.startSpan('POST /users');
    context.with(trace.setSpan(context.active(), span), () => logger.info({ userId: 'u1' }, 'user created'));
    logger.info('outside');
    span.end();
    expect(store.get(span.spanContext().traceId)!.logs.map((l) => [l.service, l.msg, l.fields])).toEqual([['users', 'user created', { userId: 'u1' }]]);
    expect(terminal.map((t) => t.replace(/\d\d:\d\d:\d\d\.\d{3}/, 'TIME'))).toEqual([
      `[users] TIME INFO  user created trace_id=${span.spanContext().traceId} span_id=${span.spanContext().spanId} userId=u1\n`,
      '[users] TIME INFO  outside\n',
    ]);
  });

  it('joins a line split over writes, and a failing listener loses only its own copy', () => {
    const heard: string[] = [];
    const written: string[] = [];
    const next = { write: (chunk: string) => void written.push(chunk) };
    const tee = teeLogLines(next, (line) => {
      heard.push(line);
      throw new Error('listener broke');
    });
    tee.write('{"a":');
    tee.write('1}\n{"b":2}\n\n{"c"');
    tee.write(':3}\n');
    expect(heard).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(written.join('')).toBe('{"a":1}\n{"b":2}\n\n{"c":3}\n');
    expect(teeLogLines(next, undefined)).toBe(next);
  });
});
