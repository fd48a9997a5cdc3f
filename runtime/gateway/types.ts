// What the generator emits for the gateway (generated/gateway/routes.ts) and what the runtime proxy reads.
// Readonly because one config object is shared by every request and may be an `as const` literal.
import type { GatewayLimits } from './limits.js';

/**
 * A rate limit, as the spec writes it: per client address, in this process's memory or in Redis
 * shared by the gateway's replicas (`RATE_LIMIT_REDIS_URL`).
 *
 * @example
 * const perClient: GatewayRateLimit = { algorithm: 'sliding-window', limit: 100, windowMs: 60_000, store: 'redis', failOpen: true };
 */
export type GatewayRateLimit = (
  | { readonly algorithm: 'sliding-window'; readonly limit: number; readonly windowMs: number }
  | { readonly algorithm: 'token-bucket'; readonly capacity: number; readonly refillPerSec: number }
) & {
  /** In Redis keys and log lines; default `gateway` for the gateway's limit, `route-<n>` for a route's. */
  readonly name?: string;
  /** Default `memory`. */
  readonly store?: 'memory' | 'redis';
  /** With Redis down: let requests through (true, the default) or refuse them with 429. */
  readonly failOpen?: boolean;
};

export interface GatewayRoute {
  /** Public path prefix, e.g. `/api/v1/users`. Matches the prefix itself and anything below it. */
  readonly prefix: string;
  readonly service: string;
  /** What the prefix becomes upstream, e.g. `/users` (`/` or `` strips it). */
  readonly rewrite: string;
  /** This route's own limit, or `false` for none; default the gateway's `rateLimit`. */
  readonly rateLimit?: GatewayRateLimit | false;
}

export interface GatewayConfig {
  readonly mesh: string;
  readonly port: number;
  /** How long the gateway waits for an upstream's response headers (and between body chunks), ms. */
  readonly timeoutMs: number;
  /** Largest request body forwarded, bytes. */
  readonly bodyLimitBytes: number;
  /** Already sorted longest prefix first: the first match wins. */
  readonly routes: readonly GatewayRoute[];
  /**
   * How many proxies in front of the gateway (a load balancer, an ingress) it believes about the
   * client: their X-Forwarded-For entries, -Proto and -Host. Default 0: the client's own are ignored.
   */
  readonly trustedProxies?: number;
  /** The limit of every route that names none of its own; default none. */
  readonly rateLimit?: GatewayRateLimit;
  /** The listener's and the upstream pools' limits; the rest default (DEFAULT_GATEWAY_LIMITS). */
  readonly limits?: Partial<GatewayLimits>;
  /** The services routed to, with the HTTP port each listens on by default. */
  readonly services: Readonly<Record<string, { readonly httpPort: number }>>;
}
