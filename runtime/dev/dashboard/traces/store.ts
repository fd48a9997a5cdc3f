// The dev stack's recent traces in memory: a span processor keeps each span as it ends, the log
// sink keeps each line that names a trace with that trace (before or after its spans arrive). Every
// count is bounded, each span and line is bounded in size (bound.ts): memory stays flat under load.
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceStore } from '../sources.js';
import { convertSpan, type StoredSpan } from './convert.js';
import { parseLogLine } from './logs.js';
import { detail, summarize, type KeptTrace } from './summary.js';

/** How much the store keeps; the oldest traces (first seen) go first when a bound is reached. */
export interface TraceStoreOptions {
  /** Traces kept (default 300). */
  readonly maxTraces?: number;
  /** Spans kept of one trace (default 1000): later ones are dropped, except spans that start a process's part of it. */
  readonly maxSpansPerTrace?: number;
  /** Log lines kept of one trace (default 500): later ones are dropped. */
  readonly maxLogsPerTrace?: number;
  /** Spans kept in all (default 20000): beyond, the oldest traces go. */
  readonly maxSpans?: number;
  /** Log lines kept in all (default 20000): beyond, the oldest traces go. */
  readonly maxLogs?: number;
}

interface Entry extends KeptTrace {
  /** The earliest start of its spans, epoch ms (Infinity while it has none). */
  startedAt: number;
}

/**
 * A bounded in-memory TraceStore (sources.ts): add `processor` to the tracer provider and feed
 * `recordLogLine` the stack's raw pino lines.
 *
 * @param options - the bounds (TraceStoreOptions)
 * @throws RangeError for a bound that is not a positive integer
 * @example
 * const traces = createTraceStore({ maxTraces: 100 });
 * const tracing = await setupTracing('shop', process.env, { spanProcessors: [traces.processor] });
 * traces.onTrace((traceId) => stream.send('traces', { latest: traceId }));
 */
export function createTraceStore(options: TraceStoreOptions = {}): TraceStore {
  const maxTraces = bound('maxTraces', options.maxTraces, 300);
  const maxSpans = bound('maxSpans', options.maxSpans, 20_000);
  const maxLogs = bound('maxLogs', options.maxLogs, 20_000);
  const maxSpansPerTrace = Math.min(bound('maxSpansPerTrace', options.maxSpansPerTrace, 1000), maxSpans);
  const maxLogsPerTrace = Math.min(bound('maxLogsPerTrace', options.maxLogsPerTrace, 500), maxLogs);
  // Insertion order is first-seen order: the first key is the oldest trace.
  const traces = new Map<string, Entry>();
  const listeners = new Set<(traceId: string) => void>();
  let totalSpans = 0;
  let totalLogs = 0;

  const entryOf = (traceId: string): Entry => {
    let entry = traces.get(traceId);
    if (entry === undefined) {
      entry = { traceId, spans: [], logs: [], startedAt: Infinity };
      traces.set(traceId, entry);
    }
    return entry;
  };

  /** Drops the oldest traces but `current` until every bound holds again. */
  const evict = (current: string) => {
    for (const [traceId, entry] of traces) {
      if (traces.size <= maxTraces && totalSpans <= maxSpans && totalLogs <= maxLogs) return;
      if (traceId === current) continue;
      traces.delete(traceId);
      totalSpans -= entry.spans.length;
      totalLogs -= entry.logs.length;
    }
  };

  const keepSpan = (stored: StoredSpan) => {
    const entry = entryOf(stored.traceId);
    if (entry.spans.length >= maxSpansPerTrace) {
      // A full trace still takes the span that heads a process's part of it (it ends last, and
      // names the trace in the list), in place of the latest other span.
      if (!stored.localRoot) return;
      const other = entry.spans.findLastIndex((s) => !s.localRoot);
      if (other === -1) return;
      entry.spans.splice(other, 1);
      totalSpans--;
    }
    entry.spans.push(stored);
    totalSpans++;
    entry.startedAt = Math.min(entry.startedAt, stored.span.startTime);
    evict(stored.traceId);
    if (stored.localRoot) notify(stored.traceId);
  };

  const notify = (traceId: string) => {
    for (const listener of listeners) {
      try {
        listener(traceId);
      } catch {
        // A listener's failure is its own: the span still ends, the other listeners still hear.
      }
    }
  };

  const processor: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => keepSpan(convertSpan(span)),
    // Spans are kept as they end: nothing is buffered, and the kept traces outlive the provider.
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  return {
    processor,
    recordLogLine(line) {
      let parsed;
      try {
        parsed = parseLogLine(line);
      } catch {
        return;
      }
      if (parsed === undefined) return;
      const entry = entryOf(parsed.traceId);
      if (entry.logs.length >= maxLogsPerTrace) return;
      entry.logs.push(parsed.log);
      totalLogs++;
      evict(parsed.traceId);
    },
    list(limit) {
      const count = Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit));
      const withSpans: Entry[] = [];
      for (const entry of traces.values()) if (entry.spans.length > 0) withSpans.push(entry);
      // Newest seen first, then by start (a stable sort): of two starting together, the later seen first.
      withSpans.reverse().sort((a, b) => b.startedAt - a.startedAt);
      return withSpans.slice(0, count).map(summarize);
    },
    get(traceId) {
      const entry = traces.get(traceId);
      // Log lines alone are not a trace yet: its spans have not ended.
      return entry === undefined || entry.spans.length === 0 ? undefined : detail(entry);
    },
    onTrace(listener) {
      // A wrapper of its own: the same function subscribed twice is two subscriptions.
      const subscription = (traceId: string) => listener(traceId);
      listeners.add(subscription);
      return () => void listeners.delete(subscription);
    },
  };
}

/** An option's value, or its default; a RangeError for anything but a positive integer. */
function bound(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}
