// Export from the standard OTEL_* variables: OTLP over HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp` is set. The SDK is imported
// only then (a dynamic import): a process that exports nothing never loads it, and its spans are the
// no-op API's. The exporter reads its own variables (endpoint, headers, timeout, compression), the
// batch processor `OTEL_BSP_*`, the sampler `OTEL_TRACES_SAMPLER(_ARG)`, the resource
// `OTEL_RESOURCE_ATTRIBUTES`; `OTEL_SERVICE_NAME` names the process (default: the workload).

type Env = Readonly<Record<string, string | undefined>>;

/** A registered tracer provider: flushes and stops on shutdown. */
export interface TracingSetup {
  /** Exports the spans still buffered, then stops (bounded by the exporter's own timeout). */
  shutdown(): Promise<void>;
}

/** True for the values the OTel specification reads as true in a boolean variable. */
const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/**
 * Whether the environment asks for traces to be exported: an OTLP endpoint or `OTEL_TRACES_EXPORTER=otlp`,
 * and not `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none`.
 *
 * @param env - the process's environment
 * @throws Error for an `OTEL_TRACES_EXPORTER` other than otlp, console or none
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
  if (exporter === 'otlp' || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return 'otlp';
  return null;
}

/**
 * Registers a tracer provider exporting as the environment says (see tracingWanted), with the
 * AsyncLocalStorage context manager and the W3C propagators; null when nothing is to be exported.
 * Call it before starting services or the gateway: they ask for the tracer once, at start.
 *
 * @param workload - the default service name (the service, group or `gateway` the process runs)
 * @param env - the process's environment (default `process.env`)
 * @example
 * const tracing = await setupTracing('orders');
 * // ... on shutdown:
 * await tracing?.shutdown();
 */
export async function setupTracing(workload: string, env: Env = process.env): Promise<TracingSetup | null> {
  const wanted = tracingWanted(env);
  if (wanted === null) return null;
  const [{ NodeTracerProvider }, { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor }, { detectResources, envDetector, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  // The endpoint and the name from `env`; the exporter's other settings (headers, timeout, ...) and the
  // detector's OTEL_RESOURCE_ATTRIBUTES it reads from process.env itself.
  const url = tracesEndpoint(env);
  const processor =
    wanted === 'otlp'
      ? new BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(url ? { url } : {}))
      : new SimpleSpanProcessor(new ConsoleSpanExporter());
  const serviceName = env['OTEL_SERVICE_NAME']?.trim() || undefined;
  const resource = resourceFromAttributes({ 'service.name': workload })
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(serviceName ? resourceFromAttributes({ 'service.name': serviceName }) : null);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** The traces URL the environment names: the signal's own, else `/v1/traces` under the general one; undefined: the exporter's default. */
function tracesEndpoint(env: Env): string | undefined {
  const own = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (own) return own;
  const general = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  return general ? `${general.replace(/\/+$/, '')}/v1/traces` : undefined;
}
