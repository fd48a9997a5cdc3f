// `trace_id` and `span_id` on log lines: a pino mixin reading the active span (the handler's, the
// consumer's), and the fields of a given span for lines written after its context is gone (access
// lines, written when the response closes).
import { context, trace, type Span } from '@opentelemetry/api';

/** The fields a line carries of its trace. */
export interface TraceFields {
  trace_id: string;
  span_id: string;
}

const NONE = Object.freeze({}) as Record<string, never>;

/**
 * The active span's ids, for pino's `mixin` (a shared empty object when there is none: no allocation).
 *
 * @example
 * pino({ mixin: activeTraceFields });
 */
export function activeTraceFields(): TraceFields | Record<string, never> {
  const span = trace.getSpan(context.active());
  return span === undefined ? NONE : traceFieldsOf(span);
}

/**
 * A span's ids as log fields.
 *
 * @param span - the span
 * @example
 * logger.info({ ...traceFieldsOf(span), status: 200 }, 'request');
 */
export function traceFieldsOf(span: Span): TraceFields {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * pino's `mixinMergeStrategy` for activeTraceFields: the line's own fields over the trace fields,
 * in the fresh object traceFieldsOf made; the line's object as it is when there is no span.
 *
 * @param mergeObject - the fields the call logged
 * @param mixinObject - what activeTraceFields returned
 * @example
 * pino({ mixin: activeTraceFields, mixinMergeStrategy: mergeTraceFields });
 */
export function mergeTraceFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NONE ? mergeObject : Object.assign(mixinObject, mergeObject);
}
