// The paths every service and the gateway answer themselves over HTTP GET: liveness, readiness and
// metrics, for Kubernetes probes, Prometheus and `meshspec dev`. No endpoint or gateway route may take them.

export const PROBE_PATHS = { health: '/health', ready: '/ready', metrics: '/metrics', dependencies: '/health/dependencies' } as const;

/**
 * The readiness checks the runtime runs itself (`database` for a service with storage, `bus`): a
 * check the spec declares may not take their names, or `/ready` would list two of the same name.
 */
export const RUNTIME_CHECK_NAMES = ['database', 'bus'] as const;

/** True when `GET path` would reach a probe (or `/metrics`, or the dependencies report) instead of an endpoint (a trailing slash matches too). */
export function isProbePath(path: string): boolean {
  const clean = path.length > 1 ? path.replace(/\/$/, '') : path;
  return Object.values(PROBE_PATHS).some((probe) => probe === clean);
}

/**
 * What a reserved path is, in words for an error message.
 *
 * @param path - a path isProbePath accepts
 * @example
 * probeRole('/metrics'); // 'metrics endpoint'
 */
export function probeRole(path: string): string {
  if (path.startsWith(PROBE_PATHS.dependencies)) return 'report of its dependencies';
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
