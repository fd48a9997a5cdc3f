// What an HTTP binding of a service needs from metrics: a meter per endpoint (and extra route), one
// for requests no route matched, and the answer to GET /metrics.
import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { UNMATCHED } from './buckets.js';
import { answerMetrics } from './scrape.js';
import type { EndpointMeter, ServerMetrics } from './server.js';

/**
 * The metrics side of a service's HTTP binding.
 *
 * @example
 * const meter = http.meter('createUser');
 * http.scrape(res, false);
 */
export interface HttpBindingMetrics {
  /** The meter of an endpoint (its spec name) or an extra route (`GET /path/{param}`). */
  meter(name: string): EndpointMeter;
  /** The meter of requests no route matched (404, 405, a malformed path): one series whatever the path. */
  readonly unmatched: EndpointMeter;
  /** Answers GET (or HEAD) /metrics. */
  scrape(res: ServerResponse, head: boolean): void;
}

/**
 * The HTTP binding's metrics over a service's registry and server metrics.
 *
 * @param registry - the service's registry (scraped whole, with the process's)
 * @param server - its server metrics
 * @param onScrapeError - told when a collector fails during a scrape
 * @example
 * const http = httpBindingMetrics(registry, server, (err) => logger.warn({ err }, 'metrics scrape failed'));
 */
export function httpBindingMetrics(registry: Registry, server: ServerMetrics, onScrapeError: (err: unknown) => void): HttpBindingMetrics {
  return {
    meter: (name) => server.endpoint(name, 'http'),
    unmatched: server.endpoint(UNMATCHED, 'http'),
    scrape: (res, head) => answerMetrics(res, registry, head, onScrapeError),
  };
}
