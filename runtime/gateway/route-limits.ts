// The gateway's rate limits: one limiter per distinct limit of the config (the gateway's default and
// any route's own), each route pointing at its limiter or at none. A request is keyed by its client
// address as the trusted proxies report it (client-ip.ts), never by anything a client can choose.
import type { Logger } from 'pino';
import { clientIp, clientKey } from './client-ip.js';
import { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limit/index.js';
import type { GatewayConfig, GatewayRateLimit } from './types.js';

/**
 * A route's limiter, and what it counts by.
 *
 * @example
 * const limit: RouteLimit = { limiter, bySubject: true };
 */
export interface RouteLimit {
  readonly limiter: RateLimiter;
  /** Per verified subject (the client address when the request has none); else per client address. */
  readonly bySubject: boolean;
}

/**
 * The limiters of a gateway, by route index.
 *
 * @example
 * const limits = createRouteLimits(config, { logger, redisUrl: process.env.RATE_LIMIT_REDIS_URL });
 * const limiter = limits.forRoute(route.index); // null: the route is not limited
 */
export interface RouteLimits {
  /** The limit of the route at `index` (its limiter, and whether it counts per subject), or null when it has none. */
  forRoute(index: number): RouteLimit | null;
  /** The key a request is counted under: its client's address (IPv6 by its /64). */
  keyOf(socketAddress: string | undefined, forwardedFor: string): string;
  /** Closes the limiters (and the Redis connections they opened). */
  close(): Promise<void>;
}

/**
 * Builds the limiters the config asks for.
 *
 * @param config - the gateway's config: `rateLimit` for every route, a route's own `rateLimit` (or `false`)
 * @param options - the logger, and the Redis URL limits with `store: redis` share (`RATE_LIMIT_REDIS_URL`)
 * @throws Error when a limit asks for Redis and no URL is given, or a limit's values are invalid
 * @example
 * createRouteLimits({ ...config, rateLimit: { algorithm: 'sliding-window', limit: 100, windowMs: 60_000 } }, { logger });
 */
export function createRouteLimits(config: GatewayConfig, options: { logger: Logger; redisUrl?: string | undefined }): RouteLimits {
  const byLimit = new Map<GatewayRateLimit, RateLimiter>();
  const limiterOf = (limit: GatewayRateLimit, name: string): RateLimiter => {
    let limiter = byLimit.get(limit);
    if (!limiter) {
      limiter = createRateLimiter(limiterOptions(limit, name, options));
      byLimit.set(limit, limiter);
    }
    return limiter;
  };
  const routes = config.routes.map((route, index): RouteLimit | null => {
    const limit = route.rateLimit === undefined ? config.rateLimit : route.rateLimit;
    if (!limit) return null;
    return { limiter: limiterOf(limit, limit === config.rateLimit ? 'gateway' : `route-${index}`), bySubject: limit.key === 'subject' };
  });
  const trusted = config.trustedProxies ?? 0;
  return {
    forRoute: (index) => routes[index] ?? null,
    keyOf: (socketAddress, forwardedFor) => clientKey(clientIp(socketAddress, forwardedFor === '' ? undefined : forwardedFor, trusted)),
    close: async () => {
      await Promise.all([...byLimit.values()].map((limiter) => limiter.close()));
    },
  };
}

function limiterOptions(limit: GatewayRateLimit, name: string, options: { logger: Logger; redisUrl?: string | undefined }): RateLimiterOptions {
  const { store = 'memory', failOpen = true, key: _key, ...algorithm } = limit;
  if (store === 'redis' && !options.redisUrl) {
    throw new Error('gateway: a rate limit is kept in Redis but RATE_LIMIT_REDIS_URL is not set');
  }
  return {
    ...algorithm,
    name: limit.name ?? name,
    failOpen,
    logger: options.logger,
    store: store === 'redis' ? { redis: options.redisUrl as string, prefix: 'gateway' } : 'memory',
  };
}
