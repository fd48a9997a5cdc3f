// What the generator emits for the gateway (generated/gateway/routes.ts) and what the runtime proxy reads.
// Readonly because one config object is shared by every request and may be an `as const` literal.
import type { JwtAlgorithm } from './auth/index.js';
import type { GatewayLimits } from './limits.js';
import type { GatewayMethod } from './route-methods.js';

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
  /** Count per verified subject (`subject`; the client address on public routes) or per client address (`ip`, the default). */
  readonly key?: 'subject' | 'ip';
};

/**
 * How the gateway authenticates: a bearer JWT it verifies itself, its key named by environment
 * variable (never the key itself), or an auth service endpoint it asks.
 *
 * @example
 * const jwt: GatewayAuth = { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'shop', audience: 'shop-api' } };
 * const delegated: GatewayAuth = { delegate: { service: 'users', path: '/auth/verify', cacheTtlMs: 30_000 } };
 */
export type GatewayAuth =
  | {
      readonly jwt: {
        readonly algorithms: readonly JwtAlgorithm[];
        /** The variable holding the HS* secret. */
        readonly secretEnv?: string;
        /** The variable holding the public key (SPKI PEM or certificate) for RS*, PS*, ES*, EdDSA. */
        readonly publicKeyEnv?: string;
        /** Or the identity provider's JWKS, fetched and cached with rotation. */
        readonly jwksUrl?: string;
        readonly issuer?: string;
        readonly audience?: string;
        /** Default 30. */
        readonly clockToleranceSec?: number;
        /** Default `roles`. */
        readonly rolesClaim?: string;
      };
    }
  | { readonly delegate: { readonly service: string; readonly path: string; readonly cacheTtlMs?: number; readonly timeoutMs?: number } };

/**
 * Cross-origin requests from browsers: the origins allowed (exact `scheme://host[:port]`; never `*`
 * with credentials), answered preflights cached by the browser for `maxAgeSec`.
 *
 * @example
 * const cors: GatewayCors = { origins: ['https://shop.example.com'], credentials: true, maxAgeSec: 600 };
 */
export interface GatewayCors {
  /** Allowed origins; `*` alone allows any (and then credentials are refused at start). */
  readonly origins: readonly string[];
  /** Cookies and Authorization headers may be sent (Access-Control-Allow-Credentials). Default false. */
  readonly credentials?: boolean;
  /** Request headers a browser may send besides the simple ones. Default `authorization`, `content-type`, `idempotency-key`, `x-request-id`, `traceparent`, `tracestate`. */
  readonly headers?: readonly string[];
  /** Response headers a page may read. Default `x-request-id`, `retry-after` and the RateLimit-* ones. */
  readonly exposeHeaders?: readonly string[];
  /** How long a browser keeps a preflight's answer, seconds. Default 600. */
  readonly maxAgeSec?: number;
}

export interface GatewayRoute {
  /** Public path prefix, e.g. `/api/v1/users`. Matches the prefix itself and anything below it. */
  readonly prefix: string;
  readonly service: string;
  /** What the prefix becomes upstream, e.g. `/users` (`/` or `` strips it). */
  readonly rewrite: string;
  /** Served without authentication (a catalogue, a login); default false: the gateway's `auth` applies. */
  readonly public?: boolean;
  /** This route's own limit, or `false` for none; default the gateway's `rateLimit`. */
  readonly rateLimit?: GatewayRateLimit | false;
  /**
   * The methods the route takes; any other gets 405 with `Allow` and never reaches the service.
   * HEAD comes with GET, and OPTIONS is always taken: the gateway answers it itself (204 with
   * `Allow`) after CORS had its say on preflights. Default: every method is forwarded.
   */
  readonly methods?: readonly GatewayMethod[];
  /** Largest request body this route forwards, bytes; default the gateway's `bodyLimitBytes` (this one wins, larger or smaller). */
  readonly bodyLimitBytes?: number;
  /** How long this route waits for its service's response headers (and between body chunks), ms; default the gateway's `timeoutMs`. */
  readonly timeoutMs?: number;
}

export interface GatewayConfig {
  readonly mesh: string;
  readonly port: number;
  /** Where `/metrics` is served, apart from `port` (`Gateway.listenMetrics`). Default 9464 (GATEWAY_METRICS_PORT). */
  readonly metricsPort?: number;
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
  /** Who may call: every route that is not `public` needs it. Default none (every route is open). */
  readonly auth?: GatewayAuth;
  /** Browsers on other origins: default none (no CORS headers, preflights get 404). */
  readonly cors?: GatewayCors;
  /** The limit of every route that names none of its own; default none. */
  readonly rateLimit?: GatewayRateLimit;
  /** The listener's and the upstream pools' limits; the rest default (DEFAULT_GATEWAY_LIMITS). */
  readonly limits?: Partial<GatewayLimits>;
  /** The public API's OpenAPI document (generated/gateway/openapi.ts), served at `GET /openapi.json`; default none. */
  readonly openapi?: unknown;
  /** The services routed to, with the HTTP port each listens on by default. */
  readonly services: Readonly<Record<string, { readonly httpPort: number }>>;
}
