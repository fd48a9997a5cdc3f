// Which tracer the runtime records with: the one of the provider registered with @opentelemetry/api
// (by setupTracing from the OTEL_* variables, or by a test), asked once per component at start-up.
// Without one, components get undefined and skip tracing entirely: no span objects, no context
// switches, not even the no-op API's (cheap) calls on the request path.
import { trace, type ProxyTracerProvider, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope name of every span the runtime makes. */
export const TRACER_NAME = 'meshspec';

/** The tracer of one service of the process, recording under that service's own `service.name`. */
export type ServiceTracers = (service: string) => Tracer;

let serviceTracers: ServiceTracers | undefined;

/**
 * Gives each service of the process its own tracer (setupTracing does, so that the services of a
 * group, or of the dev stack, each export under their own name); undefined goes back to one tracer.
 *
 * @param tracers - makes (or finds) a service's tracer; undefined: every component gets the provider's
 * @example
 * useServiceTracers((service) => providerOf(service).getTracer(TRACER_NAME));
 */
export function useServiceTracers(tracers: ServiceTracers | undefined): void {
  serviceTracers = tracers;
}

/**
 * The tracer of the registered provider, or undefined when none is registered (tracing off).
 *
 * @param service - the service whose spans these are (the gateway: `gateway`); with tracers per
 *   service (useServiceTracers), its own. Default: the provider's tracer.
 * @example
 * const tracer = activeTracer('users');
 * if (tracer) span = tracer.startSpan('GET /users/{id}', SERVER_SPAN);
 */
export function activeTracer(service?: string): Tracer | undefined {
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  // The API's global is a proxy: it has a delegate only once a real provider is registered.
  const tracer = typeof provider.getDelegateTracer === 'function' ? provider.getDelegateTracer(TRACER_NAME) : provider.getTracer ? trace.getTracer(TRACER_NAME) : undefined;
  if (tracer === undefined) return undefined;
  return service !== undefined && serviceTracers !== undefined ? serviceTracers(service) : tracer;
}
