// The OTLP exporter the OTEL_* variables name: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` (else
// `OTEL_EXPORTER_OTLP_PROTOCOL`) picks the transport, `http/protobuf` by default as the
// specification says, `http/json` or `grpc` when asked; each exporter package is imported only
// when chosen. The exporters read their other settings (headers, timeout, compression) themselves.
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

type Env = Readonly<Record<string, string | undefined>>;

/** The OTLP transports a process can export over. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/**
 * The OTLP transport the environment asks for, `http/protobuf` when it names none.
 *
 * @param env - the process's environment
 * @throws Error naming the variable and the accepted values for any other value
 * @example
 * otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }); // 'grpc'
 */
export function otlpProtocol(env: Env): OtlpProtocol {
  const variable = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = (env[variable] ?? '').trim().toLowerCase();
  if (value === '') return 'http/protobuf';
  const known = PROTOCOLS.find((protocol) => protocol === value);
  if (known === undefined) throw new Error(`${variable} must be ${PROTOCOLS.map((p) => `'${p}'`).join(', ')}; got '${value.slice(0, 40)}'`);
  return known;
}

/**
 * The exporter of traces over the protocol the environment names, to the endpoint it names (the
 * exporter's default, localhost:4318 or :4317, when it names none).
 *
 * @param env - the process's environment
 * @example
 * const exporter = await otlpTraceExporter({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
 */
export async function otlpTraceExporter(env: Env): Promise<SpanExporter> {
  const protocol = otlpProtocol(env);
  if (protocol === 'grpc') {
    // gRPC takes the endpoint as it is: no signal path.
    const url = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
    return new OTLPTraceExporter(url ? { url } : {});
  }
  const url = httpTracesEndpoint(env);
  const { OTLPTraceExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(url ? { url } : {});
}

/** The HTTP traces URL the environment names: the signal's own, else `/v1/traces` under the general one; undefined: the exporter's default. */
function httpTracesEndpoint(env: Env): string | undefined {
  const own = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (own) return own;
  const general = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  return general ? `${general.replace(/\/+$/, '')}/v1/traces` : undefined;
}
