// An OpenTelemetry SDK for tests: an in-memory exporter behind a BasicTracerProvider, registered
// globally with the AsyncLocalStorage context manager and the W3C propagator, and taken down again.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The registered SDK: its finished spans, and how to unregister it. */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  close(): Promise<void>;
}

/**
 * Registers an in-memory tracing SDK globally (before the services start: they ask for the tracer then).
 *
 * @example
 * const tracing = registerTestTracing();
 * // ... start a stack, send requests ...
 * tracing.spans();
 * await tracing.close();
 */
export function registerTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    async close() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The parent span id of a finished span, `` for a root. */
export function parentOf(span: ReadableSpan): string {
  return span.parentSpanContext?.spanId ?? '';
}
