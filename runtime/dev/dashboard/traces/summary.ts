// What the dashboard reads of a kept trace: its summary for the list, its detail for the waterfall.
// The root is worked out when asked, not when spans arrive: a parent ends after its children.
import type { TraceDetail, TraceLog, TraceSpan, TraceSummary } from '../api-types.js';
import type { StoredSpan } from './convert.js';

/** One trace as the store keeps it. */
export interface KeptTrace {
  readonly traceId: string;
  readonly spans: StoredSpan[];
  readonly logs: TraceLog[];
}

/**
 * The trace's root: the earliest-starting span whose parent is not among its spans (a span without
 * a parent, or one whose parent is in another process or was not kept).
 *
 * @param spans - the trace's spans (at least one)
 * @example
 * rootOf(trace.spans).span.name; // 'POST /api/v1/users'
 */
export function rootOf(spans: readonly StoredSpan[]): StoredSpan {
  const ids = new Set(spans.map((s) => s.span.spanId));
  let root: StoredSpan | undefined;
  for (const stored of spans) {
    const parent = stored.span.parentSpanId;
    if (parent !== null && ids.has(parent)) continue;
    if (root === undefined || stored.span.startTime < root.span.startTime) root = stored;
  }
  // A cycle of parents cannot happen with real ids; the earliest span stands in then.
  return root ?? spans.reduce((a, b) => (b.span.startTime < a.span.startTime ? b : a));
}

/**
 * The list's line of a trace with at least one span: method, route and status from the root's
 * HTTP attributes (`http.request.method`, `http.route`, `http.response.status_code`).
 *
 * @param trace - the kept trace
 * @example
 * summarize(trace); // { traceId, method: 'POST', route: '/api/v1/users', status: 201, ... }
 */
export function summarize(trace: KeptTrace): TraceSummary {
  const root = rootOf(trace.spans).span;
  const { startedAt, durationMs } = extent(trace.spans);
  const attrs = root.attributes;
  const method = attrs['http.request.method'];
  const route = attrs['http.route'];
  const status = attrs['http.response.status_code'];
  return {
    traceId: trace.traceId,
    startedAt,
    durationMs,
    service: root.service,
    name: root.name,
    method: typeof method === 'string' ? method : null,
    route: typeof route === 'string' ? route : null,
    status: typeof status === 'number' ? status : typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : null,
    error: trace.spans.some((s) => s.span.status === 'error'),
    spanCount: trace.spans.length,
    services: [...new Set(trace.spans.map((s) => s.span.service))],
  };
}

/**
 * The waterfall of a trace with at least one span: spans in start order (a child never before its
 * parent), a parent not kept read as none, log lines in time order.
 *
 * @param trace - the kept trace
 * @example
 * detail(trace).spans[0].parentSpanId; // null (the root)
 */
export function detail(trace: KeptTrace): TraceDetail {
  const byId = new Map(trace.spans.map((s) => [s.span.spanId, s.span]));
  const spans: TraceSpan[] = inStartOrder(byId).map((span) => (span.parentSpanId === null || byId.has(span.parentSpanId) ? span : { ...span, parentSpanId: null }));
  const { startedAt, durationMs } = extent(trace.spans);
  return { traceId: trace.traceId, startedAt, durationMs, spans, logs: [...trace.logs].sort((a, b) => a.time - b.time) };
}

/**
 * Spans by start time, each after its parent: the SDK takes a span's start from the wall clock
 * (millisecond steps, corrected per span), so a child can read a fraction of a millisecond earlier
 * than its parent. Such a child sorts at its parent's start, just after it.
 */
function inStartOrder(byId: ReadonlyMap<string, TraceSpan>): TraceSpan[] {
  const keys = new Map<string, { start: number; depth: number }>();
  const keyOf = (span: TraceSpan, seen: number): { start: number; depth: number } => {
    const known = keys.get(span.spanId);
    if (known !== undefined) return known;
    const parent = span.parentSpanId === null ? undefined : byId.get(span.parentSpanId);
    // `seen` stops a cycle of parent ids (impossible with real ids) from recursing forever.
    const above = parent === undefined || seen > byId.size ? undefined : keyOf(parent, seen + 1);
    const key = above === undefined ? { start: span.startTime, depth: 0 } : { start: Math.max(span.startTime, above.start), depth: above.depth + 1 };
    keys.set(span.spanId, key);
    return key;
  };
  const order = [...byId.values()].map((span) => ({ span, key: keyOf(span, 0) }));
  order.sort((a, b) => a.key.start - b.key.start || a.key.depth - b.key.depth);
  return order.map((o) => o.span);
}

/** From the first span's start to the last span's end. */
function extent(spans: readonly StoredSpan[]): { startedAt: number; durationMs: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.span.startTime);
    end = Math.max(end, s.endTime);
  }
  return { startedAt: start, durationMs: Math.max(0, end - start) };
}
