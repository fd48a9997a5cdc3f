// Server side: every request a service answers, per endpoint (the spec's name), transport and status.
// Label children are made once per endpoint and status, then reused: a request only reads a Map.
import { performance } from 'node:perf_hooks';
import { Counter, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS } from './buckets.js';

/** How a request reached the service: its HTTP or gRPC server, or in process from a co-located service. */
export type ServerTransport = 'http' | 'grpc' | 'in-process';

interface Children {
  readonly requests: Counter.Internal;
  readonly duration: Histogram.Internal<string>;
}

/**
 * The series of one endpoint on one transport.
 *
 * @example
 * const started = performance.now();
 * meter.observe(201, started);
 */
export class EndpointMeter {
  readonly #byStatus = new Map<number | string, Children>();

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
    let children = this.#byStatus.get(status);
    if (children === undefined) {
      children = this.metrics.children(this.endpoint, this.transport, String(status));
      this.#byStatus.set(status, children);
    }
    children.requests.inc();
    children.duration.observe((performance.now() - startedAt) / 1000);
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
  readonly #requests: Counter<string>;
  readonly #duration: Histogram<string>;

  /**
   * @param registry - the service's registry
   */
  constructor(registry: Registry) {
    const labelNames = ['endpoint', 'transport', 'status'];
    this.#requests = new Counter({ name: 'meshspec_server_requests_total', help: 'Requests answered, by endpoint, transport (http, grpc, in-process) and status (HTTP code, or gRPC status name).', labelNames, registers: [registry] });
    this.#duration = new Histogram({ name: 'meshspec_server_request_duration_seconds', help: 'Time from a request arriving to its answer, by endpoint, transport and status.', labelNames, buckets: [...DURATION_BUCKETS], registers: [registry] });
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

  /** @internal the label children of one series, made on an endpoint's first request with that status. */
  children(endpoint: string, transport: string, status: string): Children {
    return { requests: this.#requests.labels(endpoint, transport, status), duration: this.#duration.labels(endpoint, transport, status) };
  }
}
