// Server spans: one per request an endpoint (or extra route) serves over HTTP, per gRPC call, and
// per call a co-located service makes in process. Each is the child of the caller's span (from the
// traceparent it sent, or the active context in process) and is made the active span while the
// handler runs, so the calls, publishes and log lines of the handler belong to it.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import type { IncomingHttpHeaders } from 'node:http';
import { HEADER_GETTER, METADATA_GETTER } from './carriers.js';

/** What starting a span for one endpoint needs, made once at start-up (no allocation per request). */
export interface SpanPlan {
  readonly name: string;
  readonly options: SpanOptions;
}

/**
 * The plan of an HTTP server span: `GET /users/{id}` with `http.request.method` and `http.route`.
 *
 * @param method - the route's method
 * @param route - the route's path as the spec writes it
 * @example
 * const plan = httpServerPlan('GET', '/users/{id}');
 */
export function httpServerPlan(method: string, route: string): SpanPlan {
  return plan(`${method} ${route}`, SpanKind.SERVER, { 'http.request.method': method, 'http.route': route });
}

/**
 * The plan of a gRPC span (server or client): `shop.users.v1.UsersService/GetUser`.
 *
 * @param path - the method's path, `/<package>.<Service>/<Method>`
 * @param kind - SERVER or CLIENT
 * @example
 * const plan = grpcPlan('/shop.users.v1.UsersService/GetUser', SpanKind.SERVER);
 */
export function grpcPlan(path: string, kind: SpanKind): SpanPlan {
  const slash = path.lastIndexOf('/');
  const service = path.slice(1, slash);
  const method = path.slice(slash + 1);
  return plan(`${service}/${method}`, kind, { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method });
}

/**
 * The plan of an in-process server span (a co-located caller): named and attributed as the endpoint's HTTP route.
 *
 * @param service - the service called
 * @param endpoint - the endpoint's name
 * @example
 * const plan = inProcessPlan('users', 'getUser');
 */
export function inProcessPlan(service: string, endpoint: string): SpanPlan {
  return plan(`${service}/${endpoint}`, SpanKind.SERVER, { 'rpc.system': 'meshspec.in_process', 'rpc.service': service, 'rpc.method': endpoint });
}

/**
 * A span plan from its parts (frozen: shared by every request).
 *
 * @param name - the span name
 * @param kind - its kind
 * @param attributes - the attributes known before the request
 * @example
 * const send = plan('send order.created', SpanKind.PRODUCER, { 'messaging.destination.name': 'order.created' });
 */
export function plan(name: string, kind: SpanKind, attributes: Attributes): SpanPlan {
  return Object.freeze({ name, options: Object.freeze({ kind, attributes: Object.freeze(attributes) }) });
}

/**
 * Starts the server span of an HTTP request, the child of the traceparent the caller sent.
 *
 * @param tracer - the service's tracer
 * @param spanPlan - the route's plan (httpServerPlan)
 * @param headers - `req.headers`
 * @returns the span and the context to run the handler in
 * @example
 * const { span, ctx } = startHttpServerSpan(tracer, plan, req.headers);
 */
export function startHttpServerSpan(tracer: Tracer, spanPlan: SpanPlan, headers: IncomingHttpHeaders): { span: Span; ctx: Context } {
  return startChild(tracer, spanPlan, propagation.extract(ROOT_CONTEXT, headers, HEADER_GETTER));
}

/**
 * Starts the server span of a gRPC call, the child of the traceparent in its metadata.
 *
 * @param tracer - the service's tracer
 * @param spanPlan - the method's plan (grpcPlan)
 * @param metadata - the call's metadata
 * @example
 * const { span, ctx } = startGrpcServerSpan(tracer, plan, call.metadata);
 */
export function startGrpcServerSpan(tracer: Tracer, spanPlan: SpanPlan, metadata: Metadata): { span: Span; ctx: Context } {
  return startChild(tracer, spanPlan, propagation.extract(ROOT_CONTEXT, metadata, METADATA_GETTER));
}

/**
 * Starts a span as the child of `parent` and returns it with the context it is active in.
 *
 * @param tracer - the tracer
 * @param spanPlan - name, kind and attributes
 * @param parent - the parent context (the active one by default)
 * @example
 * const { span, ctx } = startChild(tracer, plan, context.active());
 */
export function startChild(tracer: Tracer, spanPlan: SpanPlan, parent: Context = context.active()): { span: Span; ctx: Context } {
  const span = tracer.startSpan(spanPlan.name, spanPlan.options, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/**
 * Ends an HTTP server span with the response's status (an error from 500 up, as the conventions say).
 *
 * @param span - the request's span
 * @param status - the status sent
 * @example
 * endHttpServerSpan(span, res.statusCode);
 */
export function endHttpServerSpan(span: Span, status: number): void {
  if (span.isRecording()) {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** gRPC codes a server reports as an error (the conventions' list for server spans). */
const GRPC_SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

/**
 * Ends a gRPC span with the call's status code.
 *
 * @param span - the call's span
 * @param code - the gRPC status code (0 OK)
 * @param server - true for a server span (fewer codes are errors there)
 * @example
 * endGrpcSpan(span, 0, true);
 */
export function endGrpcSpan(span: Span, code: number, server: boolean): void {
  if (span.isRecording()) {
    span.setAttribute('rpc.grpc.status_code', code);
    if (server ? GRPC_SERVER_ERRORS.has(code) : code !== 0) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Ends a span after the work it covers failed, with the error recorded on it.
 *
 * @param span - the span
 * @param err - what failed
 * @example
 * endWithError(span, err);
 */
export function endWithError(span: Span, err: unknown): void {
  if (span.isRecording()) {
    const error = err instanceof Error ? err : new Error(String(err));
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    const code = (err as { code?: unknown }).code;
    span.setAttribute('error.type', typeof code === 'string' ? code : error.name);
  }
  span.end();
}
