// The gateway's hop as a SERVER span: the child of the client's traceparent when the gateway can
// continue it (else a new trace), and the parent of the request the gateway forwards (the
// traceparent sent upstream names this span). Built from the parsed traceparent directly, so the
// gateway needs no registered propagator for it.
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';

const GATEWAY_SPAN = Object.freeze({ kind: SpanKind.SERVER });

/**
 * Starts the gateway's span of a request.
 *
 * @param tracer - the gateway's tracer
 * @param method - the request's method (the span is renamed `<method> <route>` once a route matches)
 * @param continued - the client's traceparent when the gateway continues it, `` otherwise
 * @param tracestate - the bounded tracestate that goes with it (`` for none)
 * @example
 * const span = startGatewaySpan(tracer, 'GET', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '');
 */
export function startGatewaySpan(tracer: Tracer, method: string, continued: string, tracestate: string): Span {
  let parent = ROOT_CONTEXT;
  if (continued !== '') {
    parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: continued.slice(3, 35),
      spanId: continued.slice(36, 52),
      // The sampled bit is the low bit of the flags.
      traceFlags: parseInt(continued.slice(53, 55), 16) & TraceFlags.SAMPLED,
      isRemote: true,
      ...(tracestate !== '' ? { traceState: createTraceState(tracestate) } : {}),
    });
  }
  const span = tracer.startSpan(method, GATEWAY_SPAN, parent);
  if (span.isRecording()) span.setAttribute('http.request.method', method);
  return span;
}

/**
 * The traceparent the gateway sends upstream for its span: version 00, its trace and span ids, its flags.
 *
 * @param span - the gateway's span
 * @example
 * traceparentOf(span); // '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01'
 */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}`;
}

/**
 * Names the gateway's span after the route that matched, with `http.route`.
 *
 * @param span - the gateway's span
 * @param method - the request's method
 * @param route - the route's prefix
 * @example
 * routeMatched(span, 'POST', '/api/v1/orders');
 */
export function routeMatched(span: Span, method: string, route: string): void {
  if (!span.isRecording()) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * Ends the gateway's span with the status sent to the client and the failure, if any.
 *
 * @param span - the gateway's span
 * @param status - the status sent (0 when none was)
 * @param failure - the code of the gateway's own failure, `` when none
 * @example
 * endGatewaySpan(span, 502, 'BadGateway');
 */
export function endGatewaySpan(span: Span, status: number, failure: string): void {
  if (span.isRecording()) {
    if (status > 0) span.setAttribute('http.response.status_code', status);
    if (failure !== '') span.setAttribute('error.type', failure);
    if (status >= 500 || status === 0) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
