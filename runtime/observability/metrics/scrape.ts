// GET /metrics: the process's metrics and one service's (or the gateway's), in the Prometheus text
// format. The two registries hold different metric names, so their texts are concatenated as they are.
import type { ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { processMetrics } from './registry.js';

/** The path every service and the gateway answer with their metrics (common/probes.ts reserves it). */
export const METRICS_PATH = '/metrics';

/** The Prometheus text format's content type (version 0.0.4). */
export const METRICS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * The metrics text of the process and of `registry`.
 *
 * @param registry - a service's (or the gateway's) registry
 * @example
 * const text = await metricsText(registry);
 */
export async function metricsText(registry: Registry): Promise<string> {
  const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
  return own + process;
}

/**
 * Answers a scrape: 200 with the text, or 500 when a collector failed (logged by the caller's `onError`).
 *
 * @param res - the response
 * @param registry - a service's (or the gateway's) registry
 * @param head - true for HEAD: the headers alone
 * @param onError - told why a scrape failed
 * @example
 * answerMetrics(res, registry, req.method === 'HEAD', (err) => logger.warn({ err }, 'metrics scrape failed'));
 */
export function answerMetrics(res: ServerResponse, registry: Registry, head: boolean, onError: (err: unknown) => void): void {
  metricsText(registry).then(
    (text) => {
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(head ? undefined : text);
    },
    (err: unknown) => {
      onError(err);
      const body = '{"error":{"code":"Internal","message":"metrics could not be collected"}}';
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
      res.end(head ? undefined : body);
    },
  );
}
