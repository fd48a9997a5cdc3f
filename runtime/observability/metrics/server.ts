// Server side: every request a service answers, per endpoint (the spec's name), transport and status.
// Label children are made once per endpoint and status, then reused: a request only reads a Map.
import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { TimedSeries, type TimedChild } from './timed-series.js';

/** How a request reached the service: its HTTP or gRPC server, or in process from a co-located service. */
export type ServerTransport = 'http' | 'grpc' | 'in-process';

/**
 * The series of one endpoint on one transport.
 *
 * @example
 * const started = performance.now();
 * meter.observe(201, started);
 */
export class EndpointMeter {
  readonly #byStatus = new Map<number | string, TimedChild>();

  constructor(
    private readonly metrics: ServerMetrics,
    /** The endpoint's name in the spec, or UNMATCHED. */
    readonly endpoint: string,
    readonly transport: ServerTransport,
  ) {}

  /**
   * Counts one answered request and its duration.
   *
   * @param status - the HTTP status code sent, or the gRPC status name (`OK`, `NOT_FOUND`, ...)
   * @param startedAt - `performance.now()` when the request came in
   * @example
   * meter.observe(res.statusCode, started);
   */
  observe(status: number | string, startedAt: number): void {
    let child = this.#byStatus.get(status);
    if (child === undefined) this.#byStatus.set(status, (child = this.metrics.child(this.endpoint, this.transport, String(status))));
    child.observe((performance.now() - startedAt) / 1000);
  }
}

/**
 * `meshspec_server_requests_total` and `meshspec_server_request_duration_seconds` of one service.
 *
 * @example
 * const server = new ServerMetrics(registry);
 * const meter = server.endpoint('createUser', 'http');
 */
export class ServerMetrics {
  readonly #series: TimedSeries;

  /**
   * @param registry - the service's registry
   */
  constructor(registry: Registry) {
    this.#series = new TimedSeries(registry, {
      total: 'meshspec_server_requests_total',
      help: 'Requests answered, by endpoint, transport (http, grpc, in-process) and status (HTTP code, or gRPC status name).',
      duration: 'meshspec_server_request_duration_seconds',
      durationHelp: 'Time from a request arriving to its answer, by endpoint, transport and status.',
    });
  }

  /**
   * The meter of one endpoint on one transport (make it once, at start-up).
   *
   * @param endpoint - the endpoint's name in the spec, or UNMATCHED
   * @param transport - http or grpc
   * @example
   * const meter = server.endpoint('getUser', 'grpc');
   */
  endpoint(endpoint: string, transport: ServerTransport): EndpointMeter {
    return new EndpointMeter(this, endpoint, transport);
  }

  /** @internal the series of one endpoint, transport and status, made on its first request with that status. */
  child(endpoint: string, transport: string, status: string): TimedChild {
    return this.#series.child({ endpoint, transport, status });
  }
}
