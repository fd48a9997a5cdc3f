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
