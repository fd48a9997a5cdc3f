// The gateway's limits against slow and greedy clients: how long a client may take to send its
// headers and its request, how long a body may stall, how many connections it may hold, and how
// many requests may wait for one upstream. Every one has a default, so a gateway is never unbounded.

/**
 * The limits of the public listener and the upstream pools.
 *
 * @example
 * const limits: GatewayLimits = { ...DEFAULT_GATEWAY_LIMITS, maxConnections: 2_000 };
 */
export interface GatewayLimits {
  /** Time to receive a request's headers (slowloris), ms. Default 10 000. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included, ms. Default 60 000. */
  readonly requestTimeoutMs: number;
  /** Time a request body may send nothing before it is cut with 408, ms. Default 10 000. */
  readonly bodyIdleTimeoutMs: number;
  /** Time an idle keep-alive connection is kept, ms. Default 5 000. */
  readonly keepAliveTimeoutMs: number;
  /** Client connections held at once; more are refused at accept. Default 10 000. */
  readonly maxConnections: number;
  /** Connections to each upstream instance (a service with several has this many to each). Default 128. */
  readonly upstreamConnections: number;
  /** Requests that may wait for a connection to one instance; past it (on the least loaded instance), 503 at once. Default 256. */
  readonly upstreamQueue: number;
}

/**
 * The defaults: generous for real clients, short enough that a slow or idle one cannot hold a
 * connection for Node's own defaults (5 minutes for a request).
 *
 * @example
 * createGateway({ ...config, limits: { ...DEFAULT_GATEWAY_LIMITS, upstreamQueue: 64 } }, { logger });
 */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  upstreamConnections: 128,
  upstreamQueue: 256,
});

/**
 * The limits a config gives, the defaults for the rest; a value that is not a positive integer is
 * refused (a zero would mean "no limit" to node:http).
 *
 * @param limits - the config's limits, if any
 * @throws Error naming the limit and the value
 * @example
 * resolveLimits({ maxConnections: 500 }).headersTimeoutMs; // 10000
 */
export function resolveLimits(limits: Partial<GatewayLimits> = {}): GatewayLimits {
  const resolved = { ...DEFAULT_GATEWAY_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`gateway: limits.${name} must be a positive integer, got ${String(value)}`);
  }
  // Node checks the request deadline only if it is no shorter than the headers' one.
  if (resolved.requestTimeoutMs < resolved.headersTimeoutMs) {
    throw new Error(`gateway: limits.requestTimeoutMs (${resolved.requestTimeoutMs}) must be at least limits.headersTimeoutMs (${resolved.headersTimeoutMs})`);
  }
  return resolved;
}
