// The gateway: requests per route (its configured prefix, never the raw path) and status, failures
// of the upstream services, rate-limit rejections and authentication failures. Everything is
// resolved per route at start-up; a request only reads a Map by status.
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Counter, type Registry } from 'prom-client';
import { UNMATCHED } from './buckets.js';
import { TimedSeries, type TimedChild } from './timed-series.js';
import { answerMetrics } from './scrape.js';
import { createServiceRegistry, processMetrics } from './registry.js';

/** An upstream failure code as a label: node's and undici's codes (`ECONNREFUSED`, `UND_ERR_SOCKET`), anything else `other`. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * The series of one gateway route (or of requests no route matched).
 *
 * @example
 * meter.observe(200, started);
 */
export class RouteMeter {
  readonly #byStatus = new Map<number, TimedChild>();
  readonly #rateLimited: Counter.Internal;

  constructor(
    private readonly metrics: GatewayMetrics,
    /** The route's prefix, or UNMATCHED. */
    readonly route: string,
  ) {
    this.#rateLimited = metrics.rateLimitedChild(route);
    // At 0 from the start: an alert on its rate must see the first rejection.
    this.#rateLimited.inc(0);
  }

  /**
   * Counts one answered request.
   *
   * @param status - the status sent (499 when the client left first)
   * @param startedAt - `performance.now()` when the request came in
   */
  observe(status: number, startedAt: number): void {
    let child = this.#byStatus.get(status);
    if (child === undefined) this.#byStatus.set(status, (child = this.metrics.child(this.route, String(status))));
    child.observe((performance.now() - startedAt) / 1000);
  }

  /** Counts a request refused by the route's rate limit (429). */
  rateLimited(): void {
    this.#rateLimited.inc();
  }

  /**
   * Counts a request refused by authentication.
   *
   * @param reason - the auth failure's reason (missing, expired, signature, ...: a fixed set)
   */
  authFailed(reason: string): void {
    this.metrics.authFailure(this.route, reason);
  }

  /**
   * Counts an attempt that failed upstream (refused, reset, timed out), retried or not.
   *
   * @param code - the error's code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`)
   */
  upstreamFailed(code: string): void {
    this.metrics.upstreamError(this.route, ERROR_CODE.test(code) ? code : 'other');
  }
}

/**
 * The gateway's metrics, on its own registry (`service="gateway"`).
 *
 * @example
 * const metrics = createGatewayMetrics(config.routes.map((route) => route.prefix));
 */
export class GatewayMetrics {
  readonly registry: Registry;
  /** Requests no route matched (404, a refused path): one series whatever the path. */
  readonly unmatched: RouteMeter;
  readonly #requests: TimedSeries;
  readonly #upstreamErrors: Counter<string>;
  readonly #rateLimited: Counter<string>;
  readonly #authFailures: Counter<string>;
  readonly #onScrapeError: (err: unknown) => void;

  /**
   * @param registry - the gateway's registry
   * @param onScrapeError - told when a scrape fails
   */
  constructor(registry: Registry, onScrapeError: (err: unknown) => void) {
    this.registry = registry;
    this.#onScrapeError = onScrapeError;
    const registers = [registry];
    this.#requests = new TimedSeries(registry, {
      total: 'meshspec_gateway_requests_total',
      help: 'Requests the gateway answered, by route (its prefix) and status.',
      duration: 'meshspec_gateway_request_duration_seconds',
      durationHelp: 'Time from a request arriving at the gateway to its answer, by route and status.',
    });
    this.#upstreamErrors = new Counter({ name: 'meshspec_gateway_upstream_errors_total', help: 'Attempts to reach a route\'s service that failed (retried or not), by route and error code.', labelNames: ['route', 'code'], registers });
    this.#rateLimited = new Counter({ name: 'meshspec_gateway_rate_limited_total', help: "Requests refused by a route's rate limit (429), by route.", labelNames: ['route'], registers });
    this.#authFailures = new Counter({ name: 'meshspec_gateway_auth_failures_total', help: 'Requests refused by authentication (401, 403), by route and reason.', labelNames: ['route', 'reason'], registers });
    this.unmatched = new RouteMeter(this, UNMATCHED);
  }

  /**
   * The meter of one route (make it once, at start-up).
   *
   * @param prefix - the route's configured prefix
   * @example
   * const meters = config.routes.map((route) => metrics.route(route.prefix));
   */
  route(prefix: string): RouteMeter {
    return new RouteMeter(this, prefix);
  }

  /**
   * Answers GET (or HEAD) /metrics.
   *
   * @param res - the response
   * @param head - true for HEAD
   */
  scrape(res: ServerResponse, head: boolean): void {
    answerMetrics(res, this.registry, head, this.#onScrapeError);
  }

  /** @internal */
  child(route: string, status: string): TimedChild {
    return this.#requests.child({ route, status });
  }

  /** @internal */
  rateLimitedChild(route: string): Counter.Internal {
    return this.#rateLimited.labels(route);
  }

  /** @internal */
  authFailure(route: string, reason: string): void {
    this.#authFailures.labels(route, reason).inc();
  }

  /** @internal */
  upstreamError(route: string, code: string): void {
    this.#upstreamErrors.labels(route, code).inc();
  }
}

/**
 * The gateway's metrics on a fresh registry labelled `service="gateway"`.
 *
 * @param onScrapeError - told when a scrape fails
 * @example
 * const metrics = createGatewayMetrics((err) => logger.warn({ err }, 'metrics scrape failed'));
 */
export function createGatewayMetrics(onScrapeError: (err: unknown) => void): GatewayMetrics {
  // The process's collectors (GC, event loop lag) start with the gateway, not with the first scrape.
  processMetrics();
  return new GatewayMetrics(createServiceRegistry('gateway'), onScrapeError);
}
