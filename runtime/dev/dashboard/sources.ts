// What the dashboard's server reads, each from the module that owns it: the traces and log lines
// (traces/, a span processor and a log sink fed by the dev stack), the events and dead letters
// (events.ts, over the memory bus), the rest (catalog, topology, sagas, explorer) from the running
// stack itself. The server only routes, checks requests and streams; it computes none of this.
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DashboardDeadLetter, EventsView, ReplayAnswer, ReplayRequest, TraceDetail, TraceSummary } from './api-types.js';

/**
 * The recent traces of the stack, kept in memory (bounded): every span the stack's tracer
 * provider ends goes through `processor`, every pino line of the stack through `recordLogLine`.
 *
 * @example
 * const traces = createTraceStore();
 * const tracing = await setupTracing('shop', process.env, { spanProcessors: [traces.processor] });
 */
export interface TraceStore {
  /** Add to the tracer provider: keeps each span as it ends. */
  readonly processor: SpanProcessor;
  /** One pino JSON line (without its newline); lines carrying `trace_id` are kept with their trace. */
  recordLogLine(line: string): void;
  /** The latest traces, newest first. */
  list(limit: number): TraceSummary[];
  /** One trace, or undefined when unknown (never seen, or dropped for newer ones). */
  get(traceId: string): TraceDetail | undefined;
  /** Called with the trace id each time a root span (one without a parent in this store) ends; returns the unsubscribe. */
  onTrace(listener: (traceId: string) => void): () => void;
}

/**
 * The events of the stack and its dead letters, over the dev stack's memory bus.
 *
 * @example
 * const events = createEventsSource({ bus: running.bus, events: () => catalog.events });
 */
export interface EventsSource {
  /** Rates since the previous call (or the source's start), lags and counts, per event and group. */
  view(): EventsView;
  /** Dead letters, oldest first, at most `limit`. */
  deadLetters(filter: { readonly service?: string; readonly event?: string; readonly limit: number }): DashboardDeadLetter[];
  /** Sends dead letters back to their group, as `meshspec events dlq replay` does (the same code). */
  replay(request: ReplayRequest): Promise<ReplayAnswer>;
  /** Called with the new total each time the number of dead letters changes; returns the unsubscribe. */
  onDeadLetters(listener: (total: number) => void): () => void;
}
