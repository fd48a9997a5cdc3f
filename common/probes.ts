// The paths every service and the gateway answer themselves over HTTP GET: liveness and readiness,
// for Kubernetes probes and `meshspec dev`. No endpoint or gateway route may take them.

export const PROBE_PATHS = { health: '/health', ready: '/ready' } as const;

/** True when `GET path` would reach a probe instead of an endpoint (a trailing slash matches too). */
export function isProbePath(path: string): boolean {
  const clean = path.length > 1 ? path.replace(/\/$/, '') : path;
  return clean === PROBE_PATHS.health || clean === PROBE_PATHS.ready;
}
