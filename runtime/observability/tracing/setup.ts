// Export from the standard OTEL_* variables: OTLP (otlp-exporter.ts) when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp` is set. The SDK is imported
// only then (a dynamic import): a process that exports nothing never loads it, and its spans are the
// no-op API's. The exporter reads its own variables (endpoint, headers, timeout, compression), the
// batch processor `OTEL_BSP_*`, the sampler `OTEL_TRACES_SAMPLER(_ARG)`, the resource
// `OTEL_RESOURCE_ATTRIBUTES`; `OTEL_SERVICE_NAME` names every span of the process (default: each service
// its own name, the gateway `gateway`, anything else the workload).
// Span processors of the caller's own (the dev dashboard's trace store) get every span too: with them
// a provider is registered even when nothing is exported, and every span is recorded unless
// `OTEL_TRACES_SAMPLER` says otherwise.

import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpProtocol, otlpTraceExporter } from './otlp-exporter.js';
import { TRACER_NAME, useServiceTracers } from './tracer.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A registered tracer provider: flushes and stops on shutdown. */
export interface TracingSetup {
  /** Exports the spans still buffered, then stops (bounded by the exporter's own timeout) and unregisters the SDK. */
  shutdown(): Promise<void>;
}

/** What setupTracing takes besides the environment. */
export interface TracingOptions {
  /**
   * Processors that get every span of the process (each service's too), beside the export the
   * environment asks for, or alone when it asks for none. Shut down with the setup.
   */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/** True for the values the OTel specification reads as true in a boolean variable. */
const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/**
 * Whether the environment asks for traces to be exported: an OTLP endpoint or `OTEL_TRACES_EXPORTER=otlp`,
 * and not `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none`.
 *
 * @param env - the process's environment
 * @throws Error for an `OTEL_TRACES_EXPORTER` other than otlp, console or none, or an OTLP protocol
 *   other than http/protobuf, http/json or grpc
 * @example
 * tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }); // 'otlp'
 */
export function tracingWanted(env: Env): 'otlp' | 'console' | null {
  if (isTrue(env['OTEL_SDK_DISABLED'])) return null;
  const exporter = (env['OTEL_TRACES_EXPORTER'] ?? '').trim().toLowerCase();
  if (exporter === 'none') return null;
  if (exporter === 'console') return 'console';
  if (exporter !== '' && exporter !== 'otlp') {
    throw new Error(`OTEL_TRACES_EXPORTER must be 'otlp', 'console' or 'none', got '${exporter.slice(0, 40)}'`);
  }
  if (exporter !== 'otlp' && !env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return null;
  otlpProtocol(env); // a protocol it cannot speak fails the start, not the first export
  return 'otlp';
}

/**
 * Registers a tracer provider exporting as the environment says (see tracingWanted), and feeding
 * `options.spanProcessors`, with the AsyncLocalStorage context manager and the W3C propagators;
 * null when nothing is to be exported and no processor given, or with `OTEL_SDK_DISABLED=true`.
 * With processors given, every span is sampled (ParentBased(AlwaysOn)) unless `OTEL_TRACES_SAMPLER`
 * is set (the SDK then reads it, and its argument, from process.env).
 * Call it before starting services or the gateway: they ask for the tracer once, at start.
 *
 * @param workload - the default service name (the service, group or `gateway` the process runs)
 * @param env - the process's environment (default `process.env`)
 * @param options - processors of the caller's own (TracingOptions)
 * @example
 * const tracing = await setupTracing('orders');
 * // the dev stack: its trace store always, OTLP as well when the OTEL_* variables say so
 * const devTracing = await setupTracing('shop', process.env, { spanProcessors: [traces.processor] });
 * // ... on shutdown:
 * await tracing?.shutdown();
 */
export async function setupTracing(workload: string, env: Env = process.env, options: TracingOptions = {}): Promise<TracingSetup | null> {
  if (isTrue(env['OTEL_SDK_DISABLED'])) return null;
  const wanted = tracingWanted(env);
  const extra = options.spanProcessors ?? [];
  if (wanted === null && extra.length === 0) return null;
  const [{ NodeTracerProvider }, { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, ParentBasedSampler, SimpleSpanProcessor }, { detectResources, envDetector, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  // The protocol, the endpoint and the name from `env`; the exporter's other settings (headers,
  // timeout, ...) and the detector's OTEL_RESOURCE_ATTRIBUTES it reads from process.env itself.
  const exporting = wanted === 'otlp' ? [new BatchSpanProcessor(await otlpTraceExporter(env))] : wanted === 'console' ? [new SimpleSpanProcessor(new ConsoleSpanExporter())] : [];
  const spanProcessors = [...exporting, ...extra];
  // The caller's processors want every span (the dev dashboard shows each request); the
  // variable, when set, still decides. Without them the SDK's own default stands, as before.
  const sampling = extra.length > 0 && !env['OTEL_TRACES_SAMPLER'] ? { sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) } : {};
  const serviceName = env['OTEL_SERVICE_NAME']?.trim() || undefined;
  const fromEnv = detectResources({ detectors: [envDetector] });
  // OTEL_SERVICE_NAME names every span of the process, over OTEL_RESOURCE_ATTRIBUTES' service.name,
  // over the default: the workload for the process's own tracer, each service for its own.
  const resourceOf = (name: string) => resourceFromAttributes({ 'service.name': name }).merge(fromEnv).merge(serviceName ? resourceFromAttributes({ 'service.name': serviceName }) : null);
  const provider = new NodeTracerProvider({ resource: resourceOf(workload), spanProcessors, ...sampling });
  provider.register();
  // A group of services in one process (or the dev stack) is several services to a trace viewer: each
  // records through a provider of its own resource, all of them into the same processors and exporter.
  const perService = new Map<string, Tracer>();
  useServiceTracers((service) => {
    let tracer = perService.get(service);
    if (tracer === undefined) {
      tracer = new BasicTracerProvider({ resource: resourceOf(service), spanProcessors, ...sampling }).getTracer(TRACER_NAME);
      perService.set(service, tracer);
    }
    return tracer;
  });
  return {
    // The processors are shared: shutting the registered provider down flushes and stops each once. The
    // API's globals are released after, so that a later setup in this process registers its own.
    shutdown: async () => {
      useServiceTracers(undefined);
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}
