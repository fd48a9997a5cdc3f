// The gateway's metrics on a listener of their own: the public port is what an Ingress or a load
// balancer exposes, and the mesh's internals are for Prometheus inside, never for a client outside.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PROBE_PATHS } from '../../common/probes.js';
import type { GatewayMetrics } from '../observability/metrics/gateway.js';

/**
 * A server that answers `GET /metrics` (and `HEAD`) with the gateway's series, 405 for another
 * method there, and 404 for any other path. Nothing it answers is logged or counted.
 *
 * @param metrics the gateway's metrics; undefined: every path answers 404
 * @example
 * const server = createMetricsServer(metrics);
 * server.listen(9464); // curl localhost:9464/metrics
 */
export function createMetricsServer(metrics: GatewayMetrics | undefined): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const method = req.method;
    if (metrics && path === PROBE_PATHS.metrics && (method === 'GET' || method === 'HEAD')) {
      metrics.scrape(res, method === 'HEAD');
      return;
    }
    const allowed = metrics !== undefined && path === PROBE_PATHS.metrics;
    const body = allowed ? '{"error":{"code":"MethodNotAllowed","message":"use GET"}}' : '{"error":{"code":"NotFound","message":"only /metrics here"}}';
    const headers = ['content-type', 'application/json', 'content-length', String(body.length), 'cache-control', 'no-store'];
    if (allowed) headers.push('allow', 'GET, HEAD');
    res.writeHead(allowed ? 405 : 404, headers);
    res.end(body);
  });
}
