// An ended span as the dashboard shows it (TraceSpan of api-types.ts), bounded: the SDK's span
// object is not kept, only this copy of what the page reads.
import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TraceSpan } from '../api-types.js';
import { boundRecord, cut, MAX_ITEMS, MAX_KEYS } from './bound.js';

/** Events kept of a span (the SDK's own limit is 128). */
const MAX_EVENTS = 32;

/** A span as the store keeps it: the page's shape, with the parent as recorded (the store decides whether it is known). */
export interface StoredSpan {
  readonly traceId: string;
  readonly span: TraceSpan;
  /** Whether the span started without a parent in this process (none, or a remote one): the top of its process's part of the trace. */
  readonly localRoot: boolean;
  /** End time, epoch ms. */
  readonly endTime: number;
}

const KINDS: Record<number, TraceSpan['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/**
 * Epoch milliseconds (with fractions) of an OpenTelemetry time.
 *
 * @param time - `[seconds, nanoseconds]`
 * @example
 * hrToMs([1700000000, 500000]); // 1700000000000.5
 */
export function hrToMs(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/**
 * The store's copy of an ended span: service from its resource's `service.name`, times in epoch ms,
 * attributes bounded (convertAttributes), at most 32 events.
 *
 * @param span - the span the SDK ended
 * @example
 * const stored = convertSpan(span);
 * stored.span.service; // 'users'
 */
export function convertSpan(span: ReadableSpan): StoredSpan {
  const { traceId, spanId } = span.spanContext();
  const parent = span.parentSpanContext;
  const service = span.resource.attributes['service.name'];
  const startTime = hrToMs(span.startTime);
  const durationMs = hrToMs(span.duration);
  return {
    traceId,
    localRoot: parent === undefined || parent.isRemote === true,
    endTime: startTime + durationMs,
    span: {
      spanId,
      parentSpanId: parent?.spanId ?? null,
      service: typeof service === 'string' ? service : 'unknown',
      name: cut(span.name, 256),
      kind: KINDS[span.kind] ?? 'internal',
      startTime,
      durationMs,
      status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
      statusMessage: span.status.message ? cut(span.status.message) : null,
      attributes: convertAttributes(span.attributes),
      events: span.events.slice(0, MAX_EVENTS).map((event) => ({ name: cut(event.name, 256), time: hrToMs(event.time), attributes: boundRecord(event.attributes ?? {}) })),
    },
  };
}

/**
 * A span's attributes within bounds: at most 60 of them, strings cut at 2 KB, arrays of their
 * primitive items (nulls left out) at most 32 long.
 *
 * @param attributes - the span's attributes
 * @example
 * convertAttributes({ 'http.route': '/users', tags: ['a', null] }); // { 'http.route': '/users', tags: ['a'] }
 */
export function convertAttributes(attributes: Attributes): TraceSpan['attributes'] {
  const out: Record<string, TraceSpan['attributes'][string]> = {};
  let kept = 0;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    // A span's attributes are what the page shows first: more of them than of a log line's fields.
    if (kept++ === MAX_KEYS * 2) break;
    const name = cut(key, 256);
    if (Array.isArray(value)) {
      const items: (string | number | boolean)[] = [];
      for (const item of value as readonly unknown[]) {
        if (items.length === MAX_ITEMS) break;
        if (typeof item === 'string') items.push(cut(item));
        else if (typeof item === 'number' || typeof item === 'boolean') items.push(item);
      }
      define(out, name, items);
    } else if (typeof value === 'string') define(out, name, cut(value));
    else if (typeof value === 'number' || typeof value === 'boolean') define(out, name, value);
  }
  return out;
}

/** Sets a key as a plain own property (a `__proto__` attribute stays an attribute). */
function define<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
