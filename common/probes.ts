// The paths every service and the gateway answer themselves over HTTP GET: liveness, readiness and
// metrics, for Kubernetes probes, Prometheus and `meshspec dev`. No endpoint or gateway route may take them.

export const PROBE_PATHS = { health: '/health', ready: '/ready', metrics: '/metrics' } as const;

/** True when `GET path` would reach a probe (or `/metrics`) instead of an endpoint (a trailing slash matches too). */
export function isProbePath(path: string): boolean {
  const clean = path.length > 1 ? path.replace(/\/$/, '') : path;
  return clean === PROBE_PATHS.health || clean === PROBE_PATHS.ready || clean === PROBE_PATHS.metrics;
}

/**
 * What a reserved path is, in words for an error message.
 *
 * @param path - a path isProbePath accepts
 * @example
 * probeRole('/metrics'); // 'metrics endpoint'
 */
export function probeRole(path: string): string {
  if (path.startsWith(PROBE_PATHS.health)) return 'liveness probe';
  if (path.startsWith(PROBE_PATHS.metrics)) return 'metrics endpoint';
  return 'readiness probe';
}

/**
 * The port the gateway serves `/metrics` on when nothing names another (`gateway.metricsPort`,
 * `METRICS_PORT`): OpenTelemetry's Prometheus exporter port, clear of the usual application ports
 * (3000s, 8080) and of Prometheus' own 9090. Apart from the public port, so an Ingress never exposes it.
 */
export const GATEWAY_METRICS_PORT = 9464;
