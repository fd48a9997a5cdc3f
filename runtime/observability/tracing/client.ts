// Client spans: one per attempt of a call to a dependency (a retried call has one span per attempt,
// `http.request.resend_count` on the later ones), started by the resilience pipeline around each
// attempt and active while it runs, so the transport sends this attempt's traceparent.
import { context, propagation, SpanKind, type Span, type Tracer } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import type { EndpointDescriptor, ServiceDefinition } from '../../service/definition.js';
import { HEADER_SETTER, METADATA_SETTER } from './carriers.js';
import { endWithError, grpcPlan, plan, startChild, type SpanPlan } from './server.js';

/**
 * Traces the attempts of calls to one endpoint of a dependency.
 *
 * @example
 * const tracing = attemptTracing(tracer, users, getUser, 'http');
 * const output = await tracing.attempt(1, () => send());
 */
export class AttemptTracing {
  /**
   * @param tracer - the calling service's tracer
   * @param spanPlan - the attempt spans' name, kind and attributes
   */
  constructor(
    private readonly tracer: Tracer,
    private readonly spanPlan: SpanPlan,
  ) {}

  /**
   * Runs one attempt inside its own client span (ended with the attempt's outcome).
   *
   * @param n - the attempt's number, from 1
   * @param run - the attempt
   * @example
   * await tracing.attempt(2, () => transport.call(endpoint, input, options));
   */
  attempt<T>(n: number, run: () => Promise<T>): Promise<T> {
    const { span, ctx } = startChild(this.tracer, this.spanPlan);
    if (n > 1 && span.isRecording()) span.setAttribute('http.request.resend_count', n - 1);
    let sent: Promise<T>;
    try {
      sent = context.with(ctx, run);
    } catch (err) {
      endWithError(span, err);
      throw err;
    }
    return sent.then(
      (output) => {
        span.end();
        return output;
      },
      (err: unknown) => {
        endWithError(span, err);
        throw err;
      },
    );
  }
}

/**
 * The tracing of one endpoint's attempts over `transport` (undefined without a tracer).
 *
 * @param tracer - the calling service's tracer, undefined when tracing is off
 * @param callee - the service called
 * @param endpoint - the endpoint called
 * @param transport - how it is called: `http`, `grpc`, or `in_process` (co-located)
 * @example
 * const tracing = attemptTracing(activeTracer(), usersDefinition, getUser, 'http');
 */
export function attemptTracing(tracer: Tracer | undefined, callee: ServiceDefinition, endpoint: EndpointDescriptor, transport: 'http' | 'grpc' | 'in_process'): AttemptTracing | undefined {
  if (!tracer) return undefined;
  if (transport === 'grpc' && callee.proto) return new AttemptTracing(tracer, grpcPlan(`/${callee.proto.service}/${endpoint.grpc.method}`, SpanKind.CLIENT));
  const attributes =
    transport === 'in_process'
      ? { 'rpc.system': 'meshspec.in_process', 'rpc.service': callee.name, 'rpc.method': endpoint.name, 'server.address': callee.name }
      : { 'http.request.method': endpoint.method, 'url.template': endpoint.path, 'server.address': callee.name };
  const name = transport === 'in_process' ? `${callee.name}/${endpoint.name}` : `${endpoint.method} ${endpoint.path}`;
  return new AttemptTracing(tracer, plan(name, SpanKind.CLIENT, attributes));
}

/**
 * Adds the active span's trace context to an outgoing HTTP call's headers (nothing without one).
 *
 * @param headers - the call's header record
 * @example
 * injectIntoHeaders(headers);
 */
export function injectIntoHeaders(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers, HEADER_SETTER);
}

/**
 * Adds the active span's trace context to an outgoing gRPC call's metadata (nothing without one).
 *
 * @param metadata - the call's metadata
 * @example
 * injectIntoMetadata(metadata);
 */
export function injectIntoMetadata(metadata: Metadata): void {
  propagation.inject(context.active(), metadata, METADATA_SETTER);
}

export type { Span };
