// Which tracer the runtime records with: the one of the provider registered with @opentelemetry/api
// (by setupTracing from the OTEL_* variables, or by a test), asked once per component at start-up.
// Without one, components get undefined and skip tracing entirely: no span objects, no context
// switches, not even the no-op API's (cheap) calls on the request path.
import { trace, type ProxyTracerProvider, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope name of every span the runtime makes. */
export const TRACER_NAME = 'meshspec';

/**
 * The tracer of the registered provider, or undefined when none is registered (tracing off).
 *
 * @example
 * const tracer = activeTracer();
 * if (tracer) span = tracer.startSpan('GET /users/{id}', SERVER_SPAN);
 */
export function activeTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  // The API's global is a proxy: it has a delegate only once a real provider is registered.
  if (typeof provider.getDelegateTracer === 'function') return provider.getDelegateTracer(TRACER_NAME);
  return provider.getTracer ? trace.getTracer(TRACER_NAME) : undefined;
}
